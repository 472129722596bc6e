#include "model/event_table_model.h"

#include "storage/error.h"
#include "storage/time_format.h"

#include <QtConcurrent/QtConcurrentRun>

namespace eventscope {

EventTableModel::EventTableModel(std::string storeUri, QObject* parent)
    : QAbstractTableModel(parent)
    , m_uri(std::move(storeUri))
{
    connect(&m_watcher, &QFutureWatcher<PageResult>::finished, this, &EventTableModel::takePage);
}

EventTableModel::~EventTableModel()
{
    m_watcher.waitForFinished();
}

void EventTableModel::setQuery(const EventQuery& query)
{
    beginResetModel();
    m_query = query;
    m_query.limit = 500;
    m_events.clear();
    m_next.reset();
    m_atEnd = false;
    ++m_generation;
    endResetModel();
    startFetch(std::nullopt);
}

void EventTableModel::startFetch(std::optional<std::int64_t> from)
{
    if (m_watcher.isRunning())
        return;
    EventQuery query = m_query;
    if (from)
        (query.stream ? query.fromVersion : query.fromPosition) = from;
    const quint64 generation = m_generation;
    m_watcher.setFuture(QtConcurrent::run([uri = m_uri, store = m_store, query, generation]() mutable {
        PageResult result;
        result.generation = generation;
        try {
            if (!store)
                store = openStore(uri);
            result.page = store->read(query);
            result.store = std::move(store);
        } catch (const Error& e) {
            result.error = QString::fromStdString(e.what());
        }
        return result;
    }));
}

void EventTableModel::takePage()
{
    PageResult result = m_watcher.result();
    if (result.store)
        m_store = std::move(result.store);
    if (result.generation != m_generation) {
        startFetch(std::nullopt); // the query changed while this page loaded
        return;
    }
    if (!result.error.isEmpty()) {
        m_atEnd = true;
        emit loadFailed(result.error);
        return;
    }
    // The next key moves before the rows are announced: views ask canFetchMore() while rows are inserted.
    m_next = result.page.next;
    m_atEnd = !m_next;
    auto& events = result.page.events;
    if (!events.empty()) {
        const int first = static_cast<int>(m_events.size());
        beginInsertRows({}, first, first + static_cast<int>(events.size()) - 1);
        m_events.insert(m_events.end(), std::make_move_iterator(events.begin()), std::make_move_iterator(events.end()));
        endInsertRows();
    }
    emit pageLoaded();
}

const Event* EventTableModel::eventAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_events.size()) ? &m_events[static_cast<std::size_t>(row)] : nullptr;
}

int EventTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_events.size());
}

int EventTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const
{
    const Event* event = eventAt(index.row());
    if (!event || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (role == Qt::TextAlignmentRole && (index.column() == Position || index.column() == Version))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Position:
        return QVariant::fromValue<qlonglong>(event->position);
    case Time:
        return QString::fromStdString(formatTime(event->time));
    case Stream:
        return QString::fromStdString(event->stream);
    case Version:
        return QVariant::fromValue<qlonglong>(event->version);
    case Type:
        return QString::fromStdString(event->type);
    case Actor:
        return QString::fromStdString(event->actor);
    case Correlation:
        return QString::fromStdString(event->correlation);
    default:
        return {};
    }
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const titles[]
        = { "Position", "Time (UTC)", "Stream", "Version", "Type", "Actor", "Correlation" };
    return section >= 0 && section < ColumnCount ? tr(titles[section]) : QVariant();
}

bool EventTableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !m_atEnd && m_next.has_value() && !m_watcher.isRunning();
}

void EventTableModel::fetchMore(const QModelIndex& parent)
{
    if (canFetchMore(parent))
        startFetch(m_next);
}

} // namespace eventscope
