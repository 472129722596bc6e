#include "model/projection_states_model.h"

#include "storage/event_store.h"

#include <nlohmann/json.hpp>

#include <QtConcurrent/QtConcurrentRun>

namespace eventscope {
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
    , m_all(std::make_shared<const Rows>())
    , m_shownFrom(m_all)
{
    connect(&m_loadWatcher, &QFutureWatcher<Loaded>::finished, this, &ProjectionStatesModel::takeLoaded);
    connect(&m_filterWatcher, &QFutureWatcher<Filtered>::finished, this, &ProjectionStatesModel::takeFiltered);
}

ProjectionStatesModel::~ProjectionStatesModel()
{
    m_loadWatcher.waitForFinished();
    m_filterWatcher.waitForFinished();
}

void ProjectionStatesModel::load(const QString& targetUri, const QString& name)
{
    m_uri = targetUri;
    m_name = name;
    ++m_loadGeneration;
    if (m_uri.isEmpty() || m_name.isEmpty()) {
        ++m_filterGeneration;
        m_error.clear();
        beginResetModel();
        m_all = std::make_shared<const Rows>();
        m_shownFrom = m_all;
        m_shown.clear();
        m_matchCount = 0;
        endResetModel();
        return;
    }
    startLoad();
}

void ProjectionStatesModel::reload()
{
    load(m_uri, m_name);
}

void ProjectionStatesModel::setSearch(const QString& text)
{
    if (text == m_search)
        return;
    m_search = text;
    ++m_filterGeneration;
    startFilter();
}

void ProjectionStatesModel::startLoad()
{
    if (m_loadWatcher.isRunning())
        return; // takeLoaded() starts again for the newest request
    m_loadWatcher.setFuture(
        QtConcurrent::run([uri = m_uri.toStdString(), name = m_name.toStdString(), generation = m_loadGeneration] {
            Loaded result;
            result.generation = generation;
            try {
                const std::vector<PartitionState> states = openStore(uri)->projectionStates(name);
                auto rows = std::make_shared<Rows>();
                rows->reserve(states.size());
                for (const PartitionState& state : states)
                    rows->push_back({ QString::fromStdString(state.partition), compact(state.state) });
                result.rows = std::move(rows);
            } catch (const std::exception& e) {
                result.error = QString::fromStdString(e.what());
                result.rows = std::make_shared<const Rows>();
            }
            return result;
        }));
}

void ProjectionStatesModel::takeLoaded()
{
    Loaded result = m_loadWatcher.result();
    if (result.generation != m_loadGeneration) {
        if (!m_uri.isEmpty() && !m_name.isEmpty())
            startLoad();
        return;
    }
    m_error = result.error;
    m_all = std::move(result.rows);
    if (!m_error.isEmpty())
        emit loadFailed(m_error);
    ++m_filterGeneration;
    startFilter();
}

void ProjectionStatesModel::startFilter()
{
    if (m_filterWatcher.isRunning())
        return; // takeFiltered() starts again for the newest search
    m_filterWatcher.setFuture(QtConcurrent::run([all = m_all, search = m_search, generation = m_filterGeneration] {
        Filtered result;
        result.generation = generation;
        result.all = all;
        for (std::size_t i = 0; i < all->size(); ++i) {
            const Row& row = (*all)[i];
            if (!search.isEmpty() && !row.partition.contains(search, Qt::CaseInsensitive)
                && !row.state.contains(search, Qt::CaseInsensitive))
                continue;
            ++result.matches;
            if (result.rows.size() < std::size_t(maxRows))
                result.rows.push_back(int(i));
        }
        return result;
    }));
}

void ProjectionStatesModel::takeFiltered()
{
    Filtered result = m_filterWatcher.result();
    if (result.generation != m_filterGeneration) {
        startFilter();
        return;
    }
    // A load still running will filter again when it lands.
    if (m_loadWatcher.isRunning())
        return;
    beginResetModel();
    m_shownFrom = std::move(result.all);
    m_shown = std::move(result.rows);
    m_matchCount = result.matches;
    endResetModel();
    emit loaded();
}

qint64 ProjectionStatesModel::totalCount() const
{
    return qint64(m_shownFrom->size());
}

int ProjectionStatesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_shown.size());
}

int ProjectionStatesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProjectionStatesModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Row& row = (*m_shownFrom)[std::size_t(m_shown[std::size_t(index.row())])];
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
