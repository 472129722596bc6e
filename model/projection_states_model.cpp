#include "model/projection_states_model.h"

#include "storage/event_store.h"

#include <nlohmann/json.hpp>

#include <QtConcurrent/QtConcurrentRun>

namespace eventscope {

// Opened by the first read and kept for the next ones. The reads take turns: a new one is launched only after the
// last one has finished, so no two threads ever use it at once.
struct ProjectionStatesModel::Connection
{
    std::string uri;
    std::unique_ptr<EventStore> store;
};

namespace {

QString compact(const std::string& state)
{
    const auto json = nlohmann::ordered_json::parse(state, nullptr, false); // in the script's member order
    if (json.is_discarded())
        return QString::fromStdString(state); // not JSON: shown as stored
    return QString::fromStdString(json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

} // namespace

ProjectionStatesModel::ProjectionStatesModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_connection(std::make_shared<Connection>())
{
    connect(&m_watcher, &QFutureWatcher<Batch>::resultsReadyAt, this, &ProjectionStatesModel::takeBatches);
    connect(&m_watcher, &QFutureWatcher<Batch>::finished, this, &ProjectionStatesModel::jobFinished);
}

ProjectionStatesModel::~ProjectionStatesModel()
{
    m_watcher.cancel();
    m_watcher.waitForFinished();
}

void ProjectionStatesModel::load(const QString& targetUri, const QString& name)
{
    const bool same = targetUri == m_uri && name == m_name;
    m_uri = targetUri;
    m_name = name;
    if (!same)
        m_count = -1; // another projection's
    restart(same);
}

void ProjectionStatesModel::reload()
{
    restart(true);
}

void ProjectionStatesModel::setSearch(const QString& text)
{
    if (text == m_search)
        return;
    m_search = text;
    restart(false);
}

void ProjectionStatesModel::restart(bool sameRows)
{
    ++m_generation; // whatever the running read still delivers is dropped
    m_error.clear();
    m_more = false;
    m_scanned = 0;
    m_limitReached = false;
    if (m_running)
        m_watcher.cancel();
    const bool nothing = m_uri.isEmpty() || m_name.isEmpty();
    // A reload keeps the rows shown until the new ones arrive, so that the table does not flash empty; rows of
    // another search or projection go at once, so that none is ever taken for a match.
    if (nothing || !sameRows) {
        beginResetModel();
        m_rows.clear();
        endResetModel();
        m_after.reset();
    }
    if (nothing) {
        m_queued = false;
        m_count = -1;
        emit statusChanged();
        return;
    }
    if (m_running)
        m_queued = true; // jobFinished() launches it
    else
        launch(std::nullopt);
    emit statusChanged();
}

void ProjectionStatesModel::launch(const std::optional<std::string>& after)
{
    m_running = true;
    m_runningGeneration = m_generation;
    Job job { m_generation, m_uri.toStdString(), m_name.toStdString(), m_search, after };
    m_watcher.setFuture(QtConcurrent::run([job = std::move(job), connection = m_connection](
                                              QPromise<Batch>& promise) { read(promise, job, *connection); }));
}

void ProjectionStatesModel::read(QPromise<Batch>& promise, const Job& job, Connection& connection)
{
    const bool first = !job.after;
    bool delivered = false; // a batch went out: a failure after it keeps the rows found so far
    try {
        if (!connection.store || connection.uri != job.uri) {
            connection.store.reset();
            connection.store = openStore(job.uri);
            connection.uri = job.uri;
        }
        EventStore& store = *connection.store;
        Batch batch;
        batch.generation = job.generation;
        batch.first = first;
        if (first)
            batch.count = store.projectionStateCount(job.name);
        if (job.search.isEmpty()) {
            const std::vector<PartitionState> page = store.projectionStatesPage(job.name, job.after, pageSize);
            batch.rows.reserve(page.size());
            for (const PartitionState& state : page)
                batch.rows.push_back({ QString::fromStdString(state.partition), compact(state.state) });
            batch.more = page.size() == std::size_t(pageSize);
            batch.last = page.empty() ? job.after : std::optional<std::string>(page.back().partition);
            promise.addResult(std::move(batch));
            return;
        }
        // The count comes with the first page's matches: a search replaces the rows shown in one go.
        std::optional<std::string> after;
        qint64 scanned = 0;
        int matches = 0;
        while (!promise.isCanceled()) {
            const std::vector<PartitionState> page = store.projectionStatesPage(job.name, after, pageSize);
            std::size_t looked = 0;
            for (; looked < page.size() && matches < maxMatches; ++looked) {
                Row row { QString::fromStdString(page[looked].partition), compact(page[looked].state) };
                if (row.partition.contains(job.search, Qt::CaseInsensitive)
                    || row.state.contains(job.search, Qt::CaseInsensitive)) {
                    batch.rows.push_back(std::move(row));
                    ++matches;
                }
            }
            scanned += qint64(looked);
            batch.scanned = scanned;
            const bool end = page.size() < std::size_t(pageSize);
            batch.limitReached = matches >= maxMatches && (looked < page.size() || !end);
            promise.addResult(std::move(batch));
            delivered = true;
            if (end || matches >= maxMatches)
                return;
            after = page.back().partition;
            batch = Batch {};
            batch.generation = job.generation;
        }
    } catch (const std::exception& e) {
        connection.store.reset(); // a broken connection is opened again by the next read
        Batch failed;
        failed.generation = job.generation;
        failed.first = first && !delivered;
        failed.error = QString::fromStdString(e.what());
        promise.addResult(std::move(failed));
    }
}

void ProjectionStatesModel::takeBatches(int begin, int end)
{
    for (int i = begin; i < end; ++i)
        takeBatch(m_watcher.resultAt(i));
}

void ProjectionStatesModel::takeBatch(Batch batch)
{
    if (batch.generation != m_generation)
        return;
    if (batch.first) {
        // The rows of the previous read stayed until now, so that a reload does not flash an empty table.
        beginResetModel();
        m_rows = std::move(batch.rows);
        endResetModel();
        m_count = batch.count;
    } else if (!batch.rows.empty()) {
        const int from = int(m_rows.size());
        beginInsertRows({}, from, from + int(batch.rows.size()) - 1);
        m_rows.insert(
            m_rows.end(), std::make_move_iterator(batch.rows.begin()), std::make_move_iterator(batch.rows.end()));
        endInsertRows();
    }
    if (m_search.isEmpty()) {
        m_after = batch.last;
        m_more = batch.more;
    } else {
        m_scanned = batch.scanned;
        m_limitReached = batch.limitReached;
    }
    if (!batch.error.isEmpty()) {
        m_error = batch.error;
        m_more = false;
        emit loadFailed(m_error);
    }
    emit statusChanged();
}

void ProjectionStatesModel::jobFinished()
{
    const bool current = m_runningGeneration == m_generation;
    m_running = false;
    if (m_queued) {
        m_queued = false;
        launch(std::nullopt);
        return;
    }
    if (!current)
        return;
    emit statusChanged();
    emit loaded();
}

bool ProjectionStatesModel::canFetchMore(const QModelIndex& parent) const
{
    // A search appends its matches itself; one read at a time.
    return !parent.isValid() && m_search.isEmpty() && m_more && !m_running;
}

void ProjectionStatesModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    launch(m_after);
}

int ProjectionStatesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ProjectionStatesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProjectionStatesModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Row& row = m_rows[std::size_t(index.row())];
    switch (role) {
    case PartitionRole:
        return row.partition;
    case StateRole:
        return row.state;
    case Qt::ToolTipRole:
        return index.column() == State ? QVariant(row.state.left(2000)) : QVariant(row.partition);
    case Qt::DisplayRole:
        if (index.column() == Partition)
            return row.partition.isEmpty() ? tr("(not partitioned)") : row.partition;
        // Long states are cut for the cell; the whole one is StateRole.
        return row.state.size() > 500 ? QString(row.state.left(500) + QStringLiteral("…")) : row.state;
    default:
        return {};
    }
}

QVariant ProjectionStatesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == Partition ? tr("Partition") : tr("State");
}

} // namespace eventscope
