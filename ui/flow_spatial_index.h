#pragma once
// Which of many rectangles meet an area or hold a point, without looking at them all: the Flow tab's drawings ask
// it for what to paint in the exposed part of a view and for the box under the mouse. A uniform grid, built once
// per drawing; a rectangle is listed in every cell it touches.

#include <QPointF>
#include <QRectF>

#include <vector>

namespace eventscope {

class FlowSpatialIndex
{
public:
    // Ids are positions in `rects`; a null rectangle is left out.
    void build(std::vector<QRectF> rects);
    void clear();

    // The ids of the rectangles that meet `area`, ascending.
    std::vector<int> intersecting(const QRectF& area) const;
    // The highest id whose rectangle contains `point`, or -1.
    int topmostAt(const QPointF& point) const;

    int size() const { return static_cast<int>(m_rects.size()); }
    const QRectF& rect(int id) const { return m_rects[static_cast<size_t>(id)]; }

private:
    struct CellRange
    {
        int left = 0, top = 0, right = -1, bottom = -1; // inclusive; empty when right < left
    };
    CellRange cellsOf(const QRectF& area) const;

    std::vector<QRectF> m_rects;
    QRectF m_extent;
    qreal m_cellWidth = 1;
    qreal m_cellHeight = 1;
    int m_columns = 0;
    int m_rows = 0;
    std::vector<int> m_cellStart; // m_columns * m_rows + 1 offsets into m_ids
    std::vector<int> m_ids; // by cell, ascending within one
};

} // namespace eventscope
