#include "ui/events_page.h"

#include "model/event_table_model.h"
#include "storage/time_format.h"
#include "ui/event_filter_bar.h"
#include "ui/event_row_delegate.h"
#include "ui/windowed_table_view.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTableView>
#include <QTimeZone>
#include <QToolButton>
#include <QVBoxLayout>

namespace eventscope {
namespace {

QToolButton* toggle(QWidget* parent, const QString& text, const QString& tip, const char* name)
{
    auto* button = new QToolButton(parent);
    button->setText(text);
    button->setToolTip(tip);
    button->setCheckable(true);
    // A framed button, so that on and off read at a glance in any style.
    button->setAutoRaise(false);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button->setObjectName(QLatin1String(name));
    return button;
}

// "2024-01-15 14:02", "2024-01-15T14:02:03.5Z", "2024-01-15": a time the person typed, read in the zone the
// table shows unless it names its own offset.
std::optional<Micros> parseTypedTime(const QString& text, bool local)
{
    if (auto exact = tryParseTime(text.toStdString()))
        return *exact;
    for (const auto* format : { "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss" }) {
        QDateTime time = QDateTime::fromString(text.trimmed(), QLatin1String(format));
        if (time.isValid()) {
            time.setTimeZone(local ? QTimeZone::systemTimeZone() : QTimeZone::utc());
            return Micros(time.toMSecsSinceEpoch()) * 1000;
        }
    }
    return std::nullopt;
}

} // namespace

EventsPage::EventsPage(QWidget* parent)
    : QWidget(parent)
    , m_filterBar(new EventFilterBar(this))
    , m_table(new WindowedTableView(this))
{
    QTableView* view = m_table->table();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto* bars = new QWidget(this);
    auto* barsLayout = new QVBoxLayout(bars);
    barsLayout->setContentsMargins(6, 6, 6, 4);
    barsLayout->setSpacing(4);
    barsLayout->addWidget(m_filterBar);
    barsLayout->addWidget(createToolRow());
    layout->addWidget(bars);
    layout->addWidget(m_table, 1);

    view->setObjectName(QStringLiteral("eventsView"));
    view->setItemDelegate(new EventRowDelegate(view));
    view->setAlternatingRowColors(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setWordWrap(false);
    view->setShowGrid(false);
    view->setFrameShape(QFrame::NoFrame);
    view->verticalHeader()->hide();
    // Fixed row heights: with ten million rows the header must not measure any of them.
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);

    connect(m_filterBar, &EventFilterBar::queryChanged, this, &EventsPage::applyQuery);
}

EventsPage::~EventsPage() = default;

QTableView* EventsPage::view() const
{
    return m_table->table();
}

QScrollBar* EventsPage::scrollBar() const
{
    return m_table->scrollBar();
}

QWidget* EventsPage::createToolRow()
{
    auto* row = new QWidget(this);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    m_newestFirst = toggle(row, tr("Newest first"), tr("Show the newest events at the top"), "newestFirstButton");
    m_localTime = toggle(row, tr("Local time"), tr("Show times in the local zone instead of UTC"), "localTimeButton");
    m_location = new QLineEdit(row);
    m_location->setObjectName(QStringLiteral("locationEdit"));
    m_location->setPlaceholderText(tr("Go to position or time (Ctrl+L)"));
    m_location->setClearButtonEnabled(true);
    m_location->setMaximumWidth(320);
    m_live = toggle(row, tr("● Live"), tr("Show new events as they are appended"), "liveButton");
    m_follow = toggle(row, tr("Follow"), tr("Keep the newest event in view"), "followButton");
    m_follow->setEnabled(false);
    m_count = new QLabel(row);
    m_count->setObjectName(QStringLiteral("countLabel"));
    m_count->setTextFormat(Qt::RichText);
    m_count->setTextInteractionFlags(Qt::TextBrowserInteraction);
    connect(m_count, &QLabel::linkActivated, this, [this] {
        if (m_model)
            m_model->cancelCount();
    });
    layout->addWidget(m_newestFirst);
    layout->addWidget(m_localTime);
    layout->addSpacing(12);
    layout->addWidget(m_location, 1);
    layout->addSpacing(12);
    layout->addWidget(m_live);
    layout->addWidget(m_follow);
    layout->addStretch(1);
    layout->addWidget(m_count);

    connect(m_newestFirst, &QToolButton::toggled, this, &EventsPage::applyQuery);
    connect(m_localTime, &QToolButton::toggled, this, [this](bool local) {
        m_filterBar->setUtc(!local);
        if (m_model)
            m_model->setLocalTime(local);
    });
    connect(m_location, &QLineEdit::returnPressed, this, &EventsPage::goToLocation);
    connect(m_live, &QToolButton::toggled, this, [this](bool live) {
        m_follow->setEnabled(live);
        if (!live)
            m_follow->setChecked(false);
        if (m_model)
            m_model->setLive(live);
        emit liveChanged(live);
    });
    connect(m_follow, &QToolButton::toggled, this, [this](bool follow) {
        if (follow)
            followNewest();
    });
    return row;
}

void EventsPage::setStore(const QString& uri, StoreCatalog* catalog)
{
    m_uri = uri;
    m_filterBar->setCatalog(catalog);
    m_table->setSourceModel(nullptr);
    m_model.reset();
    m_count->clear();
    if (uri.isEmpty())
        return;
    m_model = std::make_unique<EventTableModel>(uri.toStdString());
    m_model->setLocalTime(m_localTime->isChecked());
    attachModel();
    applyQuery();
    if (m_live->isChecked())
        m_model->setLive(true);
}

void EventsPage::attachModel()
{
    EventTableModel* model = m_model.get();
    m_table->setSourceModel(model);
    QTableView* view = m_table->table();
    const QFontMetrics metrics = fontMetrics();
    const auto width = [&](const QString& sample) { return metrics.horizontalAdvance(sample) + 24; };
    view->setColumnWidth(EventTableModel::Position, width(QStringLiteral("10000000000")));
    view->setColumnWidth(EventTableModel::Time, width(QStringLiteral("2024-01-15T14:02:03.123456Z")));
    view->setColumnWidth(EventTableModel::Stream, width(QStringLiteral("shipment-0000000000-xx")));
    view->setColumnWidth(EventTableModel::Version, width(QStringLiteral("Version")));
    view->setColumnWidth(EventTableModel::Type, width(QStringLiteral("InventoryReservedLongName")));
    view->setColumnWidth(EventTableModel::Actor, width(QStringLiteral("user-000000")));

    connect(m_table, &WindowedTableView::currentRowChanged, this, [this](int row) {
        if (const Event* event = m_model ? m_model->eventAt(row) : nullptr) {
            m_shownId = QString::fromStdString(event->id);
            emit eventSelected(*event);
        }
    });
    // A row selected before its event was read shows in the inspector once it arrives.
    connect(model, &EventTableModel::dataChanged, this, [this] {
        const Event* event = m_model ? m_model->eventAt(m_table->currentRow()) : nullptr;
        if (event && m_shownId != QString::fromStdString(event->id)) {
            m_shownId = QString::fromStdString(event->id);
            emit eventSelected(*event);
        }
    });
    connect(model, &EventTableModel::located, this, &EventsPage::selectRow);
    connect(model, &EventTableModel::notFound, this, &EventsPage::message);
    connect(model, &EventTableModel::loadFailed, this, &EventsPage::message);
    connect(model, &EventTableModel::counted, this, &EventsPage::updateCount);
    connect(model, &EventTableModel::countCancelled, this, [this] {
        m_count->setText(tr("Count cancelled"));
        m_count->setToolTip(tr("The events still load as you scroll; go to a position needs the count."));
    });
    connect(model, &EventTableModel::headChanged, this, &EventsPage::headChanged);
    connect(model, &EventTableModel::liveEventsArrived, this, [this] {
        updateCount();
        if (m_follow->isChecked())
            followNewest();
    });
}

void EventsPage::applyQuery()
{
    if (!m_model)
        return;
    EventQuery query = m_filterBar->query();
    query.backward = m_newestFirst->isChecked();
    m_count->setText(tr("Counting… <a href=\"cancel\">Cancel</a>"));
    m_shownId.clear();
    m_model->setQuery(query);
    m_table->scrollToTop();
}

void EventsPage::updateCount()
{
    if (!m_model || !m_model->isCounted())
        return;
    const QLocale locale;
    const qint64 count = m_model->matchCount();
    const QString text = count == 1 ? tr("1 event") : tr("%1 events").arg(locale.toString(count));
    // A count taken from position bounds (PostgreSQL, no filter) may include gaps left by rolled-back appends.
    m_count->setText(m_model->isCountExact() ? text : tr("about %1").arg(text));
}

void EventsPage::showQuery(const EventQuery& query)
{
    m_filterBar->setQuery(query); // emits queryChanged(), which applies it
}

void EventsPage::refresh()
{
    applyQuery();
}

void EventsPage::focusFilter()
{
    m_filterBar->focusFirstField();
}

void EventsPage::focusLocation()
{
    m_location->setFocus(Qt::ShortcutFocusReason);
    m_location->selectAll();
}

void EventsPage::setLive(bool live)
{
    m_live->setChecked(live);
}

void EventsPage::goToPosition(std::int64_t position)
{
    if (m_model)
        m_model->goToPosition(position);
}

void EventsPage::goToLocation()
{
    const QString text = m_location->text().trimmed();
    if (!m_model || text.isEmpty())
        return;
    bool isNumber = false;
    const qlonglong position = text.toLongLong(&isNumber);
    if (isNumber && position >= 0) {
        m_model->goToPosition(position);
        return;
    }
    if (const auto time = parseTypedTime(text, m_localTime->isChecked())) {
        m_model->goToTime(*time);
        return;
    }
    emit message(tr("“%1” is neither a position nor a time like 2024-01-15 14:02.").arg(text));
}

void EventsPage::selectRow(int row)
{
    m_table->selectRow(row);
    m_table->table()->setFocus(Qt::OtherFocusReason);
}

void EventsPage::followNewest()
{
    if (!m_model || m_model->rowCount() == 0)
        return;
    if (m_newestFirst->isChecked())
        m_table->scrollToTop();
    else
        m_table->scrollToBottom();
}

} // namespace eventscope
