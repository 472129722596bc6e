#pragma once
// A table of millions of rows: the QTableView shows a RowWindowModel of a few thousand rows, and an outer scroll
// bar spans the whole source model. Dragging the outer bar moves the window; wheel and keys scroll the table,
// whose window follows before it runs out. Rows here are source rows unless a name says otherwise.

#include <QAbstractItemView>
#include <QWidget>

class QScrollBar;
class QTableView;

namespace eventscope {

class RowWindowModel;

class WindowedTableView : public QWidget
{
    Q_OBJECT

public:
    explicit WindowedTableView(QWidget* parent = nullptr);

    void setSourceModel(QAbstractItemModel* model);
    QAbstractItemModel* sourceModel() const;
    QTableView* table() const { return m_table; }
    QScrollBar* scrollBar() const { return m_scroll; }
    RowWindowModel* window() const { return m_window; }

    int topRow() const;
    int bottomRow() const; // the last row in view
    void scrollToRow(int row, QAbstractItemView::ScrollHint hint = QAbstractItemView::EnsureVisible);
    void selectRow(int row);
    int currentRow() const;
    void scrollToTop();
    void scrollToBottom();

signals:
    void currentRowChanged(int row);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    int visibleRows() const;
    void updateRange();
    void showTop(int row);
    void tableScrolled(int windowRow);

    QTableView* m_table;
    QScrollBar* m_scroll;
    RowWindowModel* m_window;
    bool m_syncing = false;
};

} // namespace eventscope
