#include "model/row_window_model.h"

#include <algorithm>
#include <cstdlib>

namespace eventscope {

RowWindowModel::RowWindowModel(int windowRows, QObject* parent)
    : QAbstractProxyModel(parent)
    , m_windowRows(std::max(1, windowRows))
{
}

void RowWindowModel::setSourceModel(QAbstractItemModel* source)
{
    beginResetModel();
    for (const auto& connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    QAbstractProxyModel::setSourceModel(source);
    m_base = 0;
    m_rows = shownRows();
    if (source) {
        m_connections = {
            connect(source, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); }),
            connect(source, &QAbstractItemModel::modelReset, this,
                [this] {
                    m_base = 0;
                    m_rows = shownRows();
                    endResetModel();
                }),
            connect(
                source, &QAbstractItemModel::rowsAboutToBeInserted, this, &RowWindowModel::sourceRowsAboutToBeInserted),
            connect(source, &QAbstractItemModel::rowsInserted, this, &RowWindowModel::sourceRowsInserted),
            connect(source, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                [this](const QModelIndex& parent) {
                    if (!parent.isValid())
                        beginResetModel();
                }),
            connect(source, &QAbstractItemModel::rowsRemoved, this,
                [this](const QModelIndex& parent) {
                    if (parent.isValid())
                        return;
                    m_base = clampedBase(m_base);
                    m_rows = shownRows();
                    endResetModel();
                }),
            connect(source, &QAbstractItemModel::dataChanged, this, &RowWindowModel::sourceDataChanged),
            connect(source, &QAbstractItemModel::headerDataChanged, this, &RowWindowModel::headerDataChanged),
            connect(source, &QAbstractItemModel::layoutChanged, this, &RowWindowModel::resync),
        };
    }
    endResetModel();
}

int RowWindowModel::sourceRows() const
{
    return sourceModel() ? sourceModel()->rowCount() : 0;
}

int RowWindowModel::clampedBase(int base) const
{
    return std::clamp(base, 0, std::max(0, sourceRows() - m_windowRows));
}

int RowWindowModel::shownRows() const
{
    return std::clamp(sourceRows() - m_base, 0, m_windowRows);
}

void RowWindowModel::setBase(int base)
{
    base = clampedBase(base);
    if (base == m_base)
        return;
    const int shift = base - m_base;
    if (std::abs(shift) >= m_rows) {
        beginResetModel();
        m_base = base;
        m_rows = shownRows();
        endResetModel();
    } else if (shift > 0) {
        // Down: the top rows leave, then the rows below the old window arrive.
        beginRemoveRows({}, 0, shift - 1);
        m_base = base;
        m_rows -= shift;
        endRemoveRows();
        const int target = shownRows();
        if (target > m_rows) {
            beginInsertRows({}, m_rows, target - 1);
            m_rows = target;
            endInsertRows();
        }
    } else {
        const int added = -shift;
        const int kept = std::min(m_rows, m_windowRows - added);
        if (kept < m_rows) {
            beginRemoveRows({}, kept, m_rows - 1);
            m_rows = kept;
            endRemoveRows();
        }
        beginInsertRows({}, 0, added - 1);
        m_base = base;
        m_rows += added;
        endInsertRows();
    }
    emit baseChanged(m_base);
}

void RowWindowModel::ensureVisible(int first, int count)
{
    if (first >= m_base && first + count <= m_base + m_rows)
        return;
    setBase(first - (m_windowRows - count) / 2);
}

// Announced while the source still has its old rows, so that views (and the model tester) see each step in a
// consistent state; the insert completes in sourceRowsInserted().
void RowWindowModel::sourceRowsAboutToBeInserted(const QModelIndex& parent, int first, int last)
{
    m_pendingShift = 0;
    m_pendingRows = 0;
    if (parent.isValid())
        return;
    const int count = last - first + 1;
    if (first < m_base) {
        // Rows above the window (the newest, when newest is first): the same rows stay in view.
        m_pendingShift = count;
        return;
    }
    const int at = first - m_base;
    if (at > m_rows || at >= m_windowRows)
        return;
    const int inserted = std::min(count, m_windowRows - at);
    const int overflow = m_rows + inserted - m_windowRows;
    if (overflow > 0) {
        beginRemoveRows({}, m_rows - overflow, m_rows - 1);
        m_rows -= overflow;
        endRemoveRows();
    }
    beginInsertRows({}, at, at + inserted - 1);
    m_pendingRows = inserted;
}

void RowWindowModel::sourceRowsInserted(const QModelIndex& parent)
{
    if (parent.isValid())
        return;
    if (m_pendingShift > 0) {
        m_base += m_pendingShift;
        m_pendingShift = 0;
        emit baseChanged(m_base);
    } else if (m_pendingRows > 0) {
        m_rows += m_pendingRows;
        m_pendingRows = 0;
        endInsertRows();
    }
}

void RowWindowModel::resync()
{
    beginResetModel();
    m_base = clampedBase(m_base);
    m_rows = shownRows();
    endResetModel();
}

void RowWindowModel::sourceDataChanged(
    const QModelIndex& topLeft, const QModelIndex& bottomRight, const QList<int>& roles)
{
    const int top = std::max(topLeft.row(), m_base);
    const int bottom = std::min(bottomRight.row(), m_base + m_rows - 1);
    if (top <= bottom)
        emit dataChanged(index(top - m_base, topLeft.column()), index(bottom - m_base, bottomRight.column()), roles);
}

QModelIndex RowWindowModel::mapToSource(const QModelIndex& proxyIndex) const
{
    if (!proxyIndex.isValid() || !sourceModel())
        return {};
    return sourceModel()->index(m_base + proxyIndex.row(), proxyIndex.column());
}

QModelIndex RowWindowModel::mapFromSource(const QModelIndex& sourceIndex) const
{
    if (!sourceIndex.isValid() || sourceIndex.row() < m_base || sourceIndex.row() >= m_base + m_rows)
        return {};
    return index(sourceIndex.row() - m_base, sourceIndex.column());
}

QModelIndex RowWindowModel::index(int row, int column, const QModelIndex& parent) const
{
    if (parent.isValid() || row < 0 || row >= m_rows || column < 0 || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex RowWindowModel::parent(const QModelIndex& /*child*/) const
{
    return {};
}

int RowWindowModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int RowWindowModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || !sourceModel() ? 0 : sourceModel()->columnCount();
}

QVariant RowWindowModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (!sourceModel())
        return {};
    if (orientation == Qt::Vertical)
        return sourceModel()->headerData(section + m_base, orientation, role);
    return sourceModel()->headerData(section, orientation, role);
}

} // namespace eventscope
