#include "model/stream_tree_model.h"

#include "storage/time_format.h"

#include <QDateTime>
#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <iterator>
#include <string_view>

namespace eventscope {
namespace {

// A filter split at its '*'s: the literal text before the first one, then the pieces that must follow in order.
struct Pattern
{
    std::string literal;
    std::vector<std::string> pieces; // folded to lower case
    bool wildcard = false;
};

char foldAscii(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

Pattern parsePattern(const std::string& text)
{
    Pattern pattern;
    const std::size_t star = text.find('*');
    pattern.literal = text.substr(0, star);
    if (star == std::string::npos)
        return pattern;
    pattern.wildcard = true;
    std::string piece;
    for (std::size_t i = star + 1; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '*') {
            if (!piece.empty())
                pattern.pieces.push_back(std::move(piece));
            piece.clear();
        } else {
            piece += foldAscii(text[i]);
        }
    }
    return pattern;
}

// The pattern's end is open (an implied trailing '*'), so placing each piece at its leftmost occurrence after the
// previous one never misses a match that a later placement would find.
bool matchesPieces(std::string_view name, std::size_t from, const std::vector<std::string>& pieces)
{
    for (const std::string& piece : pieces) {
        const auto found = std::search(name.begin() + static_cast<std::ptrdiff_t>(from), name.end(), piece.begin(),
            piece.end(), [](char a, char b) { return foldAscii(a) == b; });
        if (found == name.end())
            return false;
        from = static_cast<std::size_t>(found - name.begin()) + piece.size();
    }
    return true;
}

// The navigator is narrow, and what matters there is how recent a stream is: the time of day for today, the day
// and minute for this year, the date before. The tooltip has the whole time. UTC, as everywhere in the window.
QString shortTime(Micros time)
{
    if (time == 0)
        return {};
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(time / 1000, Qt::UTC);
    const QDate today = QDateTime::currentDateTimeUtc().date();
    if (at.date() == today)
        return at.time().toString(QStringLiteral("HH:mm:ss"));
    if (at.date().year() == today.year())
        return QLocale().toString(at, QStringLiteral("d MMM HH:mm"));
    return at.date().toString(Qt::ISODate);
}

// Compact counts ("12k streams") fit the narrow column; the tooltip gives the exact number.
QString streamCountText(qint64 count, bool compact)
{
    if (count == 1)
        return StreamTreeModel::tr("1 stream");
    const QLocale locale;
    QString number;
    if (compact && count >= 1'000'000)
        number = locale.toString(static_cast<double>(count) / 1e6, 'f', 1) + QLatin1Char('M');
    else if (compact && count >= 10'000)
        number = locale.toString(count / 1000) + QLatin1Char('k');
    else
        number = locale.toString(count);
    return StreamTreeModel::tr("%1 streams").arg(number);
}

} // namespace

StreamTreeModel::StreamTreeModel(QObject* parent)
    : QAbstractItemModel(parent)
{
    connect(&m_watcher, &QFutureWatcher<Result>::finished, this, &StreamTreeModel::takeResult);
}

StreamTreeModel::~StreamTreeModel()
{
    if (m_cancel)
        m_cancel->store(true);
    m_watcher.waitForFinished();
}

void StreamTreeModel::setStore(std::string uri)
{
    m_uri = std::move(uri);
    m_store.reset();
    reset();
}

void StreamTreeModel::refresh()
{
    reset();
}

void StreamTreeModel::setFilter(const QString& pattern)
{
    const QString trimmed = pattern.trimmed();
    if (trimmed == m_filter)
        return;
    m_filter = trimmed;
    reset();
}

void StreamTreeModel::reset()
{
    beginResetModel();
    ++m_generation;
    if (m_cancel)
        m_cancel->store(true); // a superseded search stops at its next page instead of finishing its step
    m_queue.clear();
    m_categories.clear();
    m_matches.clear();
    m_scanned = 0;
    m_categoriesCursor = {};
    m_matchesCursor = {};
    // Queued before the reset is announced, so a view that asks for more on modelReset does not ask twice.
    if (!m_uri.empty()) {
        Request first;
        first.job = isFiltered() ? Job::Filter : Job::Categories;
        cursorOf(first) = { std::nullopt, false, true };
        m_queue.push_back(first);
    }
    endResetModel();
    startNext();
}

void StreamTreeModel::enqueue(Request request)
{
    cursorOf(request).pending = true;
    m_queue.push_back(std::move(request));
    startNext();
}

StreamTreeModel::Cursor& StreamTreeModel::cursorOf(const Request& request)
{
    switch (request.job) {
    case Job::Categories:
        return m_categoriesCursor;
    case Job::Streams:
        return m_categories[static_cast<std::size_t>(request.categoryRow)].cursor;
    case Job::Filter:
        break;
    }
    return m_matchesCursor;
}

// The paging of the rows under `parent`; null for a stream, which has none.
const StreamTreeModel::Cursor* StreamTreeModel::cursorAt(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return isFiltered() ? &m_matchesCursor : &m_categoriesCursor;
    if (parent.column() != 0 || isFiltered() || parent.internalId() != 0)
        return nullptr;
    return &m_categories[static_cast<std::size_t>(parent.row())].cursor;
}

void StreamTreeModel::startNext()
{
    if (m_working || m_queue.empty()) {
        setBusy(isLoading());
        return;
    }
    m_working = true;
    m_running = std::move(m_queue.front());
    m_queue.pop_front();
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_watcher.setFuture(
        QtConcurrent::run([uri = m_uri, store = m_store, request = m_running, filter = m_filter.toStdString(),
                              cancel = m_cancel, generation = m_generation]() mutable {
            Result result;
            result.generation = generation;
            result.uri = uri;
            try {
                if (!store)
                    store = openStore(uri);
                read(*store, request, filter, *cancel, result);
                result.store = std::move(store);
            } catch (const std::exception& e) {
                result.error = QString::fromStdString(e.what());
            }
            return result;
        }));
    setBusy(true);
}

void StreamTreeModel::read(EventStore& store, const Request& request, const std::string& filter,
    const std::atomic_bool& cancel, Result& result)
{
    auto toRow = [](const StreamInfo& info) {
        return StreamRow { QString::fromStdString(info.name), QString::fromStdString(info.category), info.count,
            info.lastTime };
    };
    const auto wanted = static_cast<std::size_t>(request.wanted);
    // Pages ask for one row more than they keep, so the end is known without an empty extra page.
    auto keepPage = [&](auto page, auto& into, auto convert) {
        result.atEnd = page.size() <= wanted;
        page.resize(std::min(page.size(), wanted));
        for (const auto& info : page)
            into.push_back(convert(info));
        if (!page.empty())
            result.after = page.back().name;
    };
    switch (request.job) {
    case Job::Categories: {
        CategoryQuery query;
        query.after = request.after;
        query.limit = wanted + 1;
        keepPage(store.categories(query), result.categories, [](const CategoryInfo& info) {
            return CategoryNode { QString::fromStdString(info.name), info.streams, {}, { {}, info.streams == 0 } };
        });
        return;
    }
    case Job::Streams: {
        StreamQuery query;
        query.category = request.category;
        query.after = request.after;
        query.limit = wanted + 1;
        keepPage(store.streams(query), result.streams, toRow);
        return;
    }
    case Job::Filter:
        break;
    }
    const Pattern pattern = parsePattern(filter);
    StreamQuery query;
    if (!pattern.literal.empty())
        query.prefix = pattern.literal;
    query.after = request.after;
    if (!pattern.wildcard) {
        query.limit = wanted + 1;
        keepPage(store.streams(query), result.streams, toRow);
        return;
    }
    query.limit = 1000;
    result.atEnd = false;
    while (!cancel.load() && result.scanned < scanStep) {
        const std::vector<StreamInfo> page = store.streams(query);
        for (const StreamInfo& info : page) {
            ++result.scanned;
            query.after = info.name;
            if (matchesPieces(info.name, pattern.literal.size(), pattern.pieces)) {
                result.streams.push_back(toRow(info));
                if (result.streams.size() == wanted)
                    break;
            }
        }
        result.after = query.after;
        if (result.streams.size() == wanted)
            return;
        if (page.size() < query.limit) {
            result.atEnd = true;
            return;
        }
    }
}

void StreamTreeModel::takeResult()
{
    Result result = m_watcher.result();
    m_working = false;
    const Request request = std::move(m_running);
    if (result.store && result.uri == m_uri)
        m_store = std::move(result.store);
    if (result.generation != m_generation) {
        startNext(); // dropped: the store, filter or refresh changed while this ran
        return;
    }
    Cursor& cursor = cursorOf(request);
    cursor.pending = false;
    if (!result.error.isEmpty()) {
        cursor.atEnd = true;
        emit loadFailed(result.error);
        startNext();
        return;
    }
    // The cursor moves before the rows are announced: views ask canFetchMore() while rows are inserted.
    cursor.atEnd = result.atEnd;
    if (result.after)
        cursor.after = result.after;
    switch (request.job) {
    case Job::Categories:
        appendRows({}, m_categories, result.categories);
        break;
    case Job::Streams:
        appendRows(
            index(request.categoryRow, 0), m_categories[std::size_t(request.categoryRow)].streams, result.streams);
        break;
    case Job::Filter: {
        // A step that found less than the page the view asked for goes on by itself, so that a rare match deep in
        // a million names still shows up without the view having rows to scroll.
        m_scanned += result.scanned;
        // Decided before the rows are announced: a view that asks for more while they are inserted queues a
        // request of its own, which must not be mistaken for this one going on.
        const int remaining = request.wanted - static_cast<int>(result.streams.size());
        const bool goOn = !cursor.atEnd && remaining > 0;
        cursor.pending = goOn;
        appendRows({}, m_matches, result.streams);
        if (goOn)
            m_queue.push_back({ Job::Filter, -1, {}, m_matchesCursor.after, remaining });
        break;
    }
    }
    emit pageLoaded();
    startNext();
}

template <typename Row>
void StreamTreeModel::appendRows(const QModelIndex& parent, std::vector<Row>& rows, std::vector<Row>& more)
{
    if (more.empty())
        return;
    const int first = static_cast<int>(rows.size());
    beginInsertRows(parent, first, first + static_cast<int>(more.size()) - 1);
    std::move(more.begin(), more.end(), std::back_inserter(rows));
    endInsertRows();
}

void StreamTreeModel::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit loading(busy);
}

const StreamTreeModel::StreamRow* StreamTreeModel::streamAt(const QModelIndex& index) const
{
    if (!index.isValid())
        return nullptr;
    const auto row = static_cast<std::size_t>(index.row());
    if (isFiltered())
        return index.internalId() == 0 && row < m_matches.size() ? &m_matches[row] : nullptr;
    if (index.internalId() == 0 || index.internalId() > m_categories.size())
        return nullptr;
    const auto& streams = m_categories[index.internalId() - 1].streams;
    return row < streams.size() ? &streams[row] : nullptr;
}

// A category's index carries 0; a stream's carries its category's row + 1. Categories are only ever appended
// (or all dropped at a reset), so the row stays valid as long as the index does.
QModelIndex StreamTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    return createIndex(row, column, parent.isValid() ? static_cast<quintptr>(parent.row()) + 1 : quintptr(0));
}

QModelIndex StreamTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, quintptr(0));
}

int StreamTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return static_cast<int>(isFiltered() ? m_matches.size() : m_categories.size());
    if (parent.column() != 0 || isFiltered() || parent.internalId() != 0)
        return 0;
    return static_cast<int>(m_categories[static_cast<std::size_t>(parent.row())].streams.size());
}

int StreamTreeModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() && (parent.column() != 0 || streamAt(parent)) ? 0 : ColumnCount;
}

bool StreamTreeModel::hasChildren(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return rowCount() > 0 || canFetchMore(parent);
    if (parent.column() != 0 || isFiltered() || parent.internalId() != 0)
        return false;
    return m_categories[static_cast<std::size_t>(parent.row())].streamCount > 0;
}

QVariant StreamTreeModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const int column = index.column();
    // Both figures right-aligned: the column's slack then parts a count from the time beside it.
    if (role == Qt::TextAlignmentRole && column != Name)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (const StreamRow* stream = streamAt(index)) {
        switch (role) {
        case Qt::DisplayRole:
            if (column == Name)
                return stream->name;
            if (column == Events)
                return QVariant::fromValue<qlonglong>(stream->count);
            return shortTime(stream->lastTime);
        case Qt::ToolTipRole:
            return tr("%1\n%2 events, the last at %3")
                .arg(stream->name, QLocale().toString(stream->count),
                    QString::fromStdString(formatTime(stream->lastTime)));
        case StreamNameRole:
            return stream->name;
        case CategoryRole:
            return stream->category;
        case IsCategoryRole:
            return false;
        case EventCountRole:
            return QVariant::fromValue<qlonglong>(stream->count);
        case LastTimeRole:
            return QVariant::fromValue<qlonglong>(stream->lastTime);
        default:
            return {};
        }
    }
    if (isFiltered() || index.internalId() != 0)
        return {};
    const CategoryNode& node = m_categories[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        // A category has no last time of its own, so its stream count takes that wider column.
        if (column == Name)
            return node.name;
        return column == LastEvent ? streamCountText(node.streamCount, true) : QString();
    case Qt::ToolTipRole:
        return tr("Category %1: %2").arg(node.name, streamCountText(node.streamCount, false));
    case StreamNameRole:
        return QString();
    case CategoryRole:
        return node.name;
    case IsCategoryRole:
        return true;
    default:
        return {};
    }
}

QVariant StreamTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractItemModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole && section != Name)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && section == LastEvent)
        return tr("When the stream's last event was written (UTC); for a category, how many streams it has");
    if (role != Qt::DisplayRole)
        return {};
    static const char* const titles[] = { "Name", "Events", "Last event" };
    return tr(titles[section]);
}

Qt::ItemFlags StreamTreeModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (streamAt(index))
        flags |= Qt::ItemNeverHasChildren;
    return flags;
}

bool StreamTreeModel::canFetchMore(const QModelIndex& parent) const
{
    const Cursor* cursor = cursorAt(parent);
    return !m_uri.empty() && cursor && !cursor->atEnd && !cursor->pending;
}

void StreamTreeModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    const std::optional<std::string> after = cursorAt(parent)->after;
    if (parent.isValid())
        enqueue({ Job::Streams, parent.row(), m_categories[std::size_t(parent.row())].name.toStdString(), after });
    else
        enqueue({ isFiltered() ? Job::Filter : Job::Categories, -1, {}, after });
}

} // namespace eventscope
