#include "ui/flow_spatial_index.h"

#include <algorithm>
#include <cmath>

namespace eventscope {

void FlowSpatialIndex::clear()
{
    m_rects.clear();
    m_cellStart.clear();
    m_ids.clear();
    m_columns = m_rows = 0;
    m_extent = {};
}

void FlowSpatialIndex::build(std::vector<QRectF> rects)
{
    clear();
    m_rects = std::move(rects);
    qreal widths = 0, heights = 0;
    int counted = 0;
    for (const QRectF& rect : m_rects) {
        if (rect.isNull())
            continue;
        m_extent = counted == 0 ? rect : m_extent.united(rect);
        widths += rect.width();
        heights += rect.height();
        ++counted;
    }
    if (counted == 0)
        return;
    // Cells about twice a typical rectangle, so that most rectangles touch one to four of them; fewer and larger
    // when that would make far more cells than rectangles.
    qreal cellWidth = std::max<qreal>(2 * widths / counted, 1);
    qreal cellHeight = std::max<qreal>(2 * heights / counted, 1);
    const double wanted = std::max(64.0, 4.0 * counted);
    const double cells = std::ceil(m_extent.width() / cellWidth + 1) * std::ceil(m_extent.height() / cellHeight + 1);
    if (cells > wanted) {
        const double grow = std::sqrt(cells / wanted);
        cellWidth *= grow;
        cellHeight *= grow;
    }
    m_cellWidth = cellWidth;
    m_cellHeight = cellHeight;
    m_columns = std::max(1, int(std::floor(m_extent.width() / cellWidth)) + 1);
    m_rows = std::max(1, int(std::floor(m_extent.height() / cellHeight)) + 1);

    // Two passes: count each cell's rectangles, then fill them in, ids ascending because they are visited so.
    m_cellStart.assign(size_t(m_columns) * size_t(m_rows) + 1, 0);
    for (const QRectF& rect : m_rects) {
        if (rect.isNull())
            continue;
        const CellRange range = cellsOf(rect);
        for (int row = range.top; row <= range.bottom; ++row)
            for (int column = range.left; column <= range.right; ++column)
                ++m_cellStart[size_t(row) * size_t(m_columns) + size_t(column) + 1];
    }
    for (size_t cell = 1; cell < m_cellStart.size(); ++cell)
        m_cellStart[cell] += m_cellStart[cell - 1];
    m_ids.resize(size_t(m_cellStart.back()));
    std::vector<int> filled(m_cellStart.begin(), m_cellStart.end() - 1);
    for (size_t id = 0; id < m_rects.size(); ++id) {
        if (m_rects[id].isNull())
            continue;
        const CellRange range = cellsOf(m_rects[id]);
        for (int row = range.top; row <= range.bottom; ++row)
            for (int column = range.left; column <= range.right; ++column)
                m_ids[size_t(filled[size_t(row) * size_t(m_columns) + size_t(column)]++)] = int(id);
    }
}

namespace {

// Touching counts: the box of a straight line is zero wide or high, and still has to be painted.
bool meet(const QRectF& a, const QRectF& b)
{
    return a.left() <= b.right() && b.left() <= a.right() && a.top() <= b.bottom() && b.top() <= a.bottom();
}

} // namespace

FlowSpatialIndex::CellRange FlowSpatialIndex::cellsOf(const QRectF& area) const
{
    const auto cell = [](double offset, double size, int count) {
        return int(std::clamp(std::floor(offset / size), 0.0, double(count - 1)));
    };
    CellRange range;
    range.left = cell(area.left() - m_extent.left(), m_cellWidth, m_columns);
    range.right = cell(area.right() - m_extent.left(), m_cellWidth, m_columns);
    range.top = cell(area.top() - m_extent.top(), m_cellHeight, m_rows);
    range.bottom = cell(area.bottom() - m_extent.top(), m_cellHeight, m_rows);
    return range;
}

std::vector<int> FlowSpatialIndex::intersecting(const QRectF& area) const
{
    std::vector<int> out;
    const QRectF a = area.normalized();
    if (m_columns == 0 || !meet(a, m_extent))
        return out;
    const CellRange range = cellsOf(a);
    for (int row = range.top; row <= range.bottom; ++row)
        for (int column = range.left; column <= range.right; ++column) {
            const size_t cell = size_t(row) * size_t(m_columns) + size_t(column);
            for (int k = m_cellStart[cell]; k < m_cellStart[cell + 1]; ++k) {
                const int id = m_ids[size_t(k)];
                if (meet(m_rects[size_t(id)], a))
                    out.push_back(id);
            }
        }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

int FlowSpatialIndex::topmostAt(const QPointF& point) const
{
    if (m_columns == 0 || !meet(QRectF(point, QSizeF(0, 0)), m_extent))
        return -1;
    const CellRange range = cellsOf(QRectF(point, QSizeF(0, 0)));
    const size_t cell = size_t(range.top) * size_t(m_columns) + size_t(range.left);
    int found = -1;
    for (int k = m_cellStart[cell]; k < m_cellStart[cell + 1]; ++k) {
        const int id = m_ids[size_t(k)];
        if (id > found && m_rects[size_t(id)].contains(point))
            found = id;
    }
    return found;
}

} // namespace eventscope
