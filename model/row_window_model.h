#pragma once
// A window of a few thousand rows onto a flat model of millions. Item views keep per-row bookkeeping (a
// QTableView's vertical header holds one entry per row): ten million rows cost a quarter of a second and 80 MB
// on the UI thread each time the count changes. The view shows this window instead, and an outer scroll bar
// spans the whole source; moving the window removes rows at one end and inserts them at the other, so
// selections and persistent indexes follow their rows.

#include <QAbstractProxyModel>

namespace eventscope {

class RowWindowModel : public QAbstractProxyModel
{
    Q_OBJECT

public:
    explicit RowWindowModel(int windowRows = 4096, QObject* parent = nullptr);

    void setSourceModel(QAbstractItemModel* source) override;

    // The source row shown as row 0; clamped so the window stays full where the source allows.
    int base() const { return m_base; }
    void setBase(int base);
    // Moves the window, if needed, so that it holds source rows [first, first + count).
    void ensureVisible(int first, int count);
    int windowRows() const { return m_windowRows; }
    int sourceRows() const;

    QModelIndex mapToSource(const QModelIndex& proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex& sourceIndex) const override;
    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void baseChanged(int base);

private:
    int clampedBase(int base) const;
    int shownRows() const; // the rows the window shows for the current base and source size
    void sourceRowsAboutToBeInserted(const QModelIndex& parent, int first, int last);
    void sourceRowsInserted(const QModelIndex& parent);
    void sourceDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight, const QList<int>& roles);
    void resync();

    int m_windowRows;
    int m_base = 0;
    int m_rows = 0; // what the view has been told
    int m_pendingShift = 0; // between a source's rowsAboutToBeInserted and rowsInserted
    int m_pendingRows = 0;
    QList<QMetaObject::Connection> m_connections;
};

} // namespace eventscope
