#include "ui/windowed_table_view.h"

#include "model/row_window_model.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>

namespace eventscope {

WindowedTableView::WindowedTableView(QWidget* parent)
    : QWidget(parent)
    , m_table(new QTableView(this))
    , m_scroll(new QScrollBar(Qt::Vertical, this))
    , m_window(new RowWindowModel(4096, this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_scroll);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    m_table->viewport()->installEventFilter(this);
    m_scroll->setObjectName(QStringLiteral("eventsScrollBar"));
    m_table->setModel(m_window);

    connect(m_scroll, &QScrollBar::valueChanged, this, &WindowedTableView::showTop);
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, &WindowedTableView::tableScrolled);
    connect(m_table->verticalScrollBar(), &QScrollBar::rangeChanged, this, &WindowedTableView::updateRange);
    connect(m_window, &RowWindowModel::baseChanged, this, [this] {
        if (m_syncing)
            return;
        // Rows arrived above the window: the same rows stay in view under a new number.
        m_syncing = true;
        m_scroll->setValue(topRow());
        m_syncing = false;
    });
    connect(
        m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
            emit currentRowChanged(current.isValid() ? current.row() + m_window->base() : -1);
        });
}

void WindowedTableView::setSourceModel(QAbstractItemModel* model)
{
    if (QAbstractItemModel* old = m_window->sourceModel())
        old->disconnect(this);
    m_window->setSourceModel(model);
    if (model) {
        for (const auto signal : { &QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved })
            connect(model, signal, this, &WindowedTableView::updateRange);
        connect(model, &QAbstractItemModel::modelReset, this, &WindowedTableView::updateRange);
    }
    updateRange();
}

QAbstractItemModel* WindowedTableView::sourceModel() const
{
    return m_window->sourceModel();
}

int WindowedTableView::visibleRows() const
{
    const int rowHeight = std::max(1, m_table->verticalHeader()->defaultSectionSize());
    return std::max(1, m_table->viewport()->height() / rowHeight);
}

void WindowedTableView::updateRange()
{
    const int visible = visibleRows();
    const QSignalBlocker blocker(m_scroll);
    m_scroll->setRange(0, std::max(0, m_window->sourceRows() - visible));
    m_scroll->setPageStep(visible);
    m_scroll->setSingleStep(1);
    m_scroll->setValue(topRow());
}

int WindowedTableView::topRow() const
{
    return m_window->base() + m_table->verticalScrollBar()->value();
}

int WindowedTableView::bottomRow() const
{
    const int windowRow = m_table->rowAt(m_table->viewport()->height() - 2);
    return windowRow < 0 ? m_window->base() + m_window->rowCount() - 1 : m_window->base() + windowRow;
}

void WindowedTableView::showTop(int row)
{
    if (m_syncing)
        return;
    m_syncing = true;
    m_window->ensureVisible(row, visibleRows() + 1);
    // Rows just inserted (the live tail) reach the table's scroll range only at its next layout: do it now, or
    // the value below would be clamped short of the newest row.
    if (row - m_window->base() > m_table->verticalScrollBar()->maximum())
        m_table->doItemsLayout();
    m_table->verticalScrollBar()->setValue(row - m_window->base());
    m_syncing = false;
}

void WindowedTableView::tableScrolled(int windowRow)
{
    if (m_syncing)
        return;
    m_syncing = true;
    const int visible = visibleRows();
    const int margin = 2 * visible;
    const int rows = m_window->rowCount();
    const int top = m_window->base() + windowRow;
    const bool nearTop = windowRow < margin && m_window->base() > 0;
    const bool nearBottom = windowRow + visible > rows - margin && m_window->base() + rows < m_window->sourceRows();
    if (nearTop || nearBottom) {
        // Re-centre the window on what is in view before the table reaches its edge.
        m_window->setBase(top - (m_window->windowRows() - visible) / 2);
        m_table->verticalScrollBar()->setValue(top - m_window->base());
    }
    m_scroll->setValue(top);
    m_syncing = false;
}

void WindowedTableView::scrollToRow(int row, QAbstractItemView::ScrollHint hint)
{
    m_syncing = true;
    m_window->ensureVisible(row, 1);
    m_syncing = false;
    const QModelIndex index = m_window->index(row - m_window->base(), 0);
    m_table->scrollTo(index, hint);
}

void WindowedTableView::selectRow(int row)
{
    scrollToRow(row, QAbstractItemView::PositionAtCenter);
    const QModelIndex index = m_window->index(row - m_window->base(), 0);
    m_table->setCurrentIndex(index);
}

int WindowedTableView::currentRow() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? current.row() + m_window->base() : -1;
}

void WindowedTableView::scrollToTop()
{
    m_scroll->setValue(0);
    showTop(0);
}

void WindowedTableView::scrollToBottom()
{
    m_scroll->setValue(m_scroll->maximum());
    showTop(m_scroll->maximum());
}

bool WindowedTableView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Resize)
        updateRange();
    return QWidget::eventFilter(watched, event);
}

} // namespace eventscope
