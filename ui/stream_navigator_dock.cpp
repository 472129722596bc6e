#include "ui/stream_navigator_dock.h"

#include "model/stream_tree_model.h"

#include <QDateTime>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace eventscope {

StreamNavigatorDock::StreamNavigatorDock(QWidget* parent)
    : QDockWidget(tr("Streams"), parent)
    , m_model(new StreamTreeModel(this))
{
    setObjectName(QStringLiteral("streamNavigator"));
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);

    m_filter = new QLineEdit(body);
    m_filter->setObjectName(QStringLiteral("streamFilter"));
    m_filter->setPlaceholderText(tr("Filter streams — * matches anything"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setToolTip(tr("Shows the streams whose names start like this; * matches anything, and after the "
                            "first * letters match in either case"));
    m_filter->installEventFilter(this);
    layout->addWidget(m_filter);

    m_view = new QTreeView(body);
    m_view->setObjectName(QStringLiteral("streamTree"));
    m_view->setModel(m_model);
    m_view->setUniformRowHeights(true);
    m_view->setSortingEnabled(false);
    m_view->setAllColumnsShowFocus(true);
    m_view->setTextElideMode(Qt::ElideMiddle); // "order-…4711" keeps the part that tells streams apart
    m_view->setIndentation(m_view->fontMetrics().horizontalAdvance(QLatin1Char('M')) + 4);
    QHeaderView* header = m_view->header();
    header->setStretchLastSection(false);
    header->setMinimumSectionSize(24);
    header->setSectionResizeMode(StreamTreeModel::Name, QHeaderView::Stretch);
    header->setSectionResizeMode(StreamTreeModel::Events, QHeaderView::Interactive);
    header->setSectionResizeMode(StreamTreeModel::LastEvent, QHeaderView::Interactive);
    // Fixed widths from the text they hold: sizing to contents would measure rows that load lazily, and the name
    // must keep most of a narrow dock.
    const QFontMetrics metrics = m_view->fontMetrics();
    const int padding = 2 * metrics.horizontalAdvance(QLatin1Char(' ')) + 6;
    header->resizeSection(StreamTreeModel::Events,
        std::max(metrics.horizontalAdvance(QLocale().toString(99999)),
            metrics.horizontalAdvance(m_model->headerData(StreamTreeModel::Events, Qt::Horizontal).toString()))
            + padding);
    int lastWidth = 0;
    for (const QString& sample :
        { QStringLiteral("23:59:59"), QStringLiteral("2024-12-31"), tr("%1 streams").arg(QStringLiteral("999k")),
            m_model->headerData(StreamTreeModel::LastEvent, Qt::Horizontal).toString() })
        lastWidth = std::max(lastWidth, metrics.horizontalAdvance(sample));
    for (int month = 1; month <= 12; ++month) // month names differ in length from one language to another
        lastWidth = std::max(lastWidth,
            metrics.horizontalAdvance(
                QLocale().toString(QDateTime({ 2024, month, 28 }, { 23, 59 }), QStringLiteral("d MMM HH:mm"))));
    header->resizeSection(StreamTreeModel::LastEvent, lastWidth + padding);
    layout->addWidget(m_view, 1);

    m_status = new QLabel(body);
    m_status->setObjectName(QStringLiteral("streamStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true); // a long error must not widen the dock
    m_status->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_status);
    setWidget(body);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(150);
    connect(&m_debounce, &QTimer::timeout, this, &StreamNavigatorDock::applyFilter);
    connect(m_filter, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    connect(m_filter, &QLineEdit::returnPressed, this, &StreamNavigatorDock::applyFilter);
    connect(m_view, &QTreeView::activated, this, &StreamNavigatorDock::activate);
    connect(
        m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
            const QString stream = current.data(StreamTreeModel::StreamNameRole).toString();
            if (!stream.isEmpty())
                emit streamSelected(stream);
        });

    connect(m_model, &StreamTreeModel::loadFailed, this, [this](const QString& message) {
        m_failure = message;
        updateStatus();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_view->setRootIsDecorated(!m_model->isFiltered()); // matches are a flat list: no room for branches
        m_failure.clear();
        updateStatus();
    });
    connect(m_model, &StreamTreeModel::loading, this, &StreamNavigatorDock::updateStatus);
    connect(m_model, &StreamTreeModel::pageLoaded, this, &StreamNavigatorDock::updateStatus);
    updateStatus();
}

StreamNavigatorDock::~StreamNavigatorDock() = default;

void StreamNavigatorDock::setStore(const QString& uri)
{
    m_hasStore = !uri.isEmpty();
    m_model->setStore(uri.toStdString());
}

void StreamNavigatorDock::refresh()
{
    m_model->refresh();
}

void StreamNavigatorDock::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void StreamNavigatorDock::applyFilter()
{
    m_debounce.stop();
    m_model->setFilter(m_filter->text());
}

void StreamNavigatorDock::activate(const QModelIndex& index)
{
    if (index.data(StreamTreeModel::IsCategoryRole).toBool())
        emit categoryActivated(index.data(StreamTreeModel::CategoryRole).toString());
    else if (const QString stream = index.data(StreamTreeModel::StreamNameRole).toString(); !stream.isEmpty())
        emit streamActivated(stream);
}

bool StreamNavigatorDock::eventFilter(QObject* watched, QEvent* event)
{
    if (watched != m_filter || event->type() != QEvent::KeyPress)
        return QDockWidget::eventFilter(watched, event);
    const int key = static_cast<QKeyEvent*>(event)->key();
    // Down from the filter walks into the list, so a search ends on the keyboard where it started.
    if (key == Qt::Key_Down) {
        if (m_debounce.isActive())
            applyFilter(); // the rows shown are not those of the text typed yet
        else if (!m_view->currentIndex().isValid() && m_model->rowCount() > 0)
            m_view->setCurrentIndex(m_model->index(0, 0));
        m_view->setFocus(Qt::TabFocusReason);
        return true;
    }
    if (key == Qt::Key_Escape && !m_filter->text().isEmpty()) {
        m_filter->clear();
        applyFilter();
        return true;
    }
    return QDockWidget::eventFilter(watched, event);
}

QString StreamNavigatorDock::statusText() const
{
    return m_status->text();
}

void StreamNavigatorDock::updateStatus()
{
    const QLocale locale;
    const int rows = m_model->rowCount();
    const bool more = !m_model->isComplete();
    QString text;
    if (!m_hasStore) {
        text = tr("No store open");
    } else if (!m_failure.isEmpty()) {
        text = tr("Cannot list streams: %1").arg(m_failure);
    } else if (m_model->isFiltered()) {
        const QString pattern = m_model->filter();
        if (rows == 0 && more)
            text = m_model->scannedNames() > 0
                ? tr("Searching… %1 names looked at").arg(locale.toString(m_model->scannedNames()))
                : tr("Searching…");
        else if (rows == 0)
            text = tr("No stream matches %1").arg(pattern);
        else if (more)
            text = tr("%1+ streams match %2").arg(locale.toString(rows), pattern);
        else
            text = rows == 1 ? tr("1 stream matches %1").arg(pattern)
                             : tr("%1 streams match %2").arg(locale.toString(rows), pattern);
    } else if (rows == 0) {
        text = more ? tr("Loading…") : tr("No streams");
    } else if (more) {
        text = tr("%1+ categories").arg(locale.toString(rows));
    } else {
        text = rows == 1 ? tr("1 category") : tr("%1 categories").arg(locale.toString(rows));
    }
    m_status->setText(text);
    m_status->setToolTip(text);
}

} // namespace eventscope
