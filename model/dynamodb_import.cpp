#include "model/dynamodb_import.h"

#include "storage/error.h"
#include "storage/sqlite_db.h"
#include "storage/time_format.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <vector>

namespace eventscope {
namespace {

// Opens the file at `path` for `read`, with its size; `what` names it in sentences.
void readFile(
    const std::string& path, const std::string& what, const std::function<void(std::istream&, std::uint64_t)>& read)
{
    const QFileInfo info(QString::fromStdString(path));
    if (info.isDir())
        dynamoDbBadInput("the " + what + " " + path + " is a folder, not a file");
    std::ifstream input(QFile::encodeName(info.filePath()).toStdString(), std::ios::binary);
    if (!input)
        dynamoDbBadInput(
            "cannot read the " + what + " " + path + ": " + (info.exists() ? "permission denied" : "no such file"));
    read(input, static_cast<std::uint64_t>(std::max<qint64>(0, info.size())));
}

} // namespace

struct DynamoDbImport::Staging
{
    DynamoDbImportOptions options;
    QTemporaryDir directory;
    std::unique_ptr<SqliteDb> db;
    std::vector<std::string> sources;
    DynamoDbImportSummary summary;
    std::int64_t shift = 0;
    bool checked = false;
    std::string digest; // of the import's streams, for the audit record's ID
    std::chrono::steady_clock::time_point lastProgress {};

    explicit Staging(DynamoDbImportOptions o)
        : options(std::move(o))
        , directory(QDir(
              options.stagingDirectory.empty() ? QDir::tempPath() : QString::fromStdString(options.stagingDirectory))
                        .filePath(QStringLiteral("eventscope-import-XXXXXX")))
    {
        if (!directory.isValid())
            dynamoDbBadInput("cannot make a staging folder for the import: " + directory.errorString().toStdString());
        db = std::make_unique<SqliteDb>(directory.filePath(QStringLiteral("staging.db")).toStdString(), true);
        // A scratch file: no journal, no fsync, a small cache, sorting on disk.
        db->exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE; "
                 "PRAGMA cache_size=-16384; PRAGMA mmap_size=0");
        db->exec("CREATE TABLE items(stream TEXT NOT NULL, version INTEGER, time INTEGER, id TEXT, "
                 "type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, source INTEGER NOT NULL, "
                 "line INTEGER NOT NULL);"
                 "CREATE TABLE snapshots(stream TEXT NOT NULL, version INTEGER NOT NULL, state TEXT NOT NULL, "
                 "time INTEGER, source INTEGER NOT NULL, line INTEGER NOT NULL);"
                 "CREATE TABLE streams(name TEXT PRIMARY KEY, events INTEGER NOT NULL, first_id TEXT NOT NULL)");
    }

    void cancelPoint() const
    {
        if (options.cancel && options.cancel->load())
            fail(ErrorKind::Cancelled, "the import was cancelled");
    }

    void report(const DynamoDbImportProgress& progress, bool force = false)
    {
        if (!options.progress)
            return;
        const auto now = std::chrono::steady_clock::now();
        if (!force && now - lastProgress < std::chrono::milliseconds(250))
            return;
        lastProgress = now;
        options.progress(progress);
    }

    std::string where(std::int64_t source, std::int64_t line) const
    {
        return sources.at(static_cast<std::size_t>(source)) + " line " + std::to_string(line);
    }

    // Reads a file, staging what `stage` makes of each item in transactions of many rows.
    template <typename Stage>
    std::int64_t read(std::istream& input, const std::string& source, std::uint64_t totalBytes, Stage stage)
    {
        if (checked)
            dynamoDbBadInput("the import was already checked; add every file before");
        sources.push_back(source);
        const auto number = static_cast<std::int64_t>(sources.size() - 1);
        DynamoDbImportProgress progress;
        progress.source = source;
        progress.totalBytes = totalBytes;
        auto transaction = std::make_unique<SqliteTransaction>(*db);
        readDynamoDbItems(input, source, [&](DynamoDbItem& item) {
            stage(item, number);
            ++progress.items;
            if (progress.items % 10000 == 0) {
                transaction->commit();
                transaction = std::make_unique<SqliteTransaction>(*db);
                cancelPoint();
            }
            progress.bytes = item.bytesRead;
            report(progress);
        });
        transaction->commit();
        progress.bytes = totalBytes ? totalBytes : progress.bytes;
        report(progress, true);
        return progress.items;
    }

    void check();
    void checkSnapshots();
};

DynamoDbImport::DynamoDbImport(DynamoDbImportOptions options)
    : m(std::make_unique<Staging>(std::move(options)))
{
}

DynamoDbImport::~DynamoDbImport() = default;

const DynamoDbImportSummary& DynamoDbImport::summary() const
{
    return m->summary;
}

void DynamoDbImport::addEvents(std::istream& input, const std::string& source, std::uint64_t totalBytes)
{
    m->summary.items += m->read(input, source, totalBytes, [&](DynamoDbItem& item, std::int64_t number) {
        const DynamoDbEvent event = dynamoDbEvent(item, source, m->options.mapping);
        auto& insert = m->db->cached("INSERT INTO items(stream, version, time, id, type, data, metadata, source, "
                                     "line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.bindStatic(1, event.stream);
        event.version ? insert.bind(2, *event.version) : insert.bindNull(2);
        event.time ? insert.bind(3, *event.time) : insert.bindNull(3);
        event.id.empty() ? insert.bindNull(4) : insert.bindStatic(4, event.id);
        insert.bindStatic(5, event.type).bindStatic(6, event.data).bindStatic(7, event.metadata);
        insert.bind(8, number).bind(9, item.line).run();
    });
}

void DynamoDbImport::addSnapshots(std::istream& input, const std::string& source, std::uint64_t totalBytes)
{
    m->read(input, source, totalBytes, [&](DynamoDbItem& item, std::int64_t number) {
        const DynamoDbSnapshot snapshot = dynamoDbSnapshot(item, source, m->options.mapping);
        auto& insert = m->db->cached(
            "INSERT INTO snapshots(stream, version, state, time, source, line) VALUES (?, ?, ?, ?, ?, ?)");
        insert.bindStatic(1, snapshot.stream).bind(2, snapshot.version).bindStatic(3, snapshot.state);
        snapshot.time ? insert.bind(4, *snapshot.time) : insert.bindNull(4);
        insert.bind(5, number).bind(6, item.line).run();
    });
}

void DynamoDbImport::addEventsFile(const std::string& path)
{
    readFile(path, "DynamoDB file", [&](std::istream& input, std::uint64_t size) { addEvents(input, path, size); });
}

void DynamoDbImport::addSnapshotsFile(const std::string& path)
{
    readFile(path, "snapshot file", [&](std::istream& input, std::uint64_t size) { addSnapshots(input, path, size); });
}

void DynamoDbImport::check()
{
    m->check();
}

void DynamoDbImport::Staging::check()
{
    if (checked)
        return;
    if (summary.items == 0)
        dynamoDbBadInput(sources.empty() ? std::string("the import has no source files")
                                         : "the sources hold no DynamoDB items (" + sources.front() + "...)");
    DynamoDbImportProgress progress;
    progress.phase = DynamoDbImportProgress::Phase::Checking;
    progress.total = summary.items;
    report(progress, true);
    db->exec("CREATE INDEX items_order ON items(stream, version, time)");
    db->exec("CREATE INDEX items_id ON items(id) WHERE id IS NOT NULL");

    // The same ID twice would stop the append half-way: refuse it now.
    auto& repeated = db->cached("SELECT id FROM items WHERE id IS NOT NULL GROUP BY id HAVING COUNT(*) > 1 LIMIT 1");
    if (repeated.step()) {
        const std::string id = repeated.text(0);
        repeated.reset();
        auto& lines = db->cached("SELECT source, line FROM items WHERE id = ? ORDER BY rowid LIMIT 2");
        lines.bind(1, std::string_view(id));
        std::vector<std::string> places;
        while (lines.step())
            places.push_back(where(lines.int64(0), lines.int64(1)));
        dynamoDbBadInput("event ID " + id + " appears twice, at " + places.at(0) + " and " + places.at(1));
    }

    auto& minimum = db->cached("SELECT MIN(version) FROM items");
    shift = minimum.step() && !minimum.isNull(0) && minimum.int64(0) == 0 ? 1 : 0;
    minimum.reset();
    summary.shifted = shift == 1;
    const std::int64_t base = 1 - shift; // the first version of every stream, as the source numbers them

    SqliteTransaction transaction(*db);
    auto& rows = db->cached("SELECT stream, version, id, source, line FROM items ORDER BY stream, version, time");
    auto& addStream = db->cached("INSERT INTO streams(name, events, first_id) VALUES (?, ?, ?)");
    QCryptographicHash digestHash(QCryptographicHash::Sha256);
    std::string stream;
    std::string firstId;
    std::int64_t count = 0;
    std::optional<std::int64_t> previous;
    std::string previousWhere;
    const auto finishStream = [&] {
        if (count == 0)
            return;
        addStream.reset();
        addStream.bind(1, std::string_view(stream)).bind(2, count).bind(3, std::string_view(firstId)).run();
        const std::string entry = stream + '\n' + std::to_string(count) + '\n' + firstId + '\n';
        digestHash.addData(QByteArrayView(entry.data(), static_cast<qsizetype>(entry.size())));
        ++summary.streams;
    };
    while (rows.step()) {
        const std::string_view rowStream = rows.view(0);
        const bool versioned = !rows.isNull(1);
        const std::optional<std::int64_t> version = versioned ? std::optional(rows.int64(1)) : std::nullopt;
        const std::string here = where(rows.int64(3), rows.int64(4));
        if (count == 0 || rowStream != stream) {
            finishStream();
            stream = rowStream;
            count = 0;
            if (version && *version != base)
                dynamoDbBadInput("stream " + stream + " has no version " + std::to_string(base)
                    + ": its versions start at " + std::to_string(*version) + " (" + here
                    + "); each stream's versions must run " + std::to_string(base) + ", " + std::to_string(base + 1)
                    + ", ... without gaps");
        } else if (versioned != previous.has_value()) {
            dynamoDbBadInput("stream " + stream + " mixes items with and without a version (" + previousWhere + " and "
                + here + ")");
        } else if (version && *version == *previous) {
            dynamoDbBadInput("stream " + stream + " has version " + std::to_string(*version) + " twice ("
                + previousWhere + " and " + here + ")");
        } else if (version && *version != *previous + 1) {
            dynamoDbBadInput("stream " + stream + " jumps from version " + std::to_string(*previous) + " to "
                + std::to_string(*version) + " (" + here + "): "
                + (*version - 1 > *previous + 1 ? "versions " + std::to_string(*previous + 1) + " to "
                            + std::to_string(*version - 1) + " are missing"
                                                : "version " + std::to_string(*previous + 1) + " is missing"));
        }
        ++count;
        if (count == 1)
            firstId = rows.isNull(2) ? dynamoDbDerivedId(stream, 1) : rows.text(2);
        previous = version;
        previousWhere = here;
        ++summary.events;
        if (summary.events % 10000 == 0) {
            cancelPoint();
            progress.done = summary.events;
            report(progress);
        }
    }
    finishStream();
    checkSnapshots();
    transaction.commit();
    digest = digestHash.result().toHex().toStdString();
    checked = true;
    if (shift && options.note)
        options.note("the DynamoDB versions start at 0; native stores number from 1, so every version (and "
                     "snapshot version) is one higher in the store");
}

void DynamoDbImport::Staging::checkSnapshots()
{
    auto& rows = db->cached("SELECT s.stream, s.version, s.source, s.line, t.events FROM snapshots s "
                            "LEFT JOIN streams t ON t.name = s.stream ORDER BY s.stream, s.version, s.rowid");
    std::string previousStream;
    std::int64_t previousVersion = -1;
    std::string previousWhere;
    while (rows.step()) {
        const std::string stream = rows.text(0);
        const std::int64_t version = rows.int64(1) + shift;
        const std::string here = where(rows.int64(2), rows.int64(3));
        if (version < 1)
            dynamoDbBadInput("the snapshot of stream " + stream + " at version " + std::to_string(rows.int64(1))
                + " comes before the stream's first event (" + here + ")");
        if (!rows.isNull(4) && version > rows.int64(4))
            dynamoDbBadInput("the snapshot of stream " + stream + " at version " + std::to_string(rows.int64(1))
                + " is past the stream's last event (" + here + ")");
        if (stream == previousStream && version == previousVersion)
            dynamoDbBadInput("stream " + stream + " has two snapshots at version " + std::to_string(rows.int64(1))
                + " (" + previousWhere + " and " + here + ")");
        previousStream = stream;
        previousVersion = version;
        previousWhere = here;
        ++summary.snapshots;
    }
}

DynamoDbImportSummary DynamoDbImport::writeTo(EventStore& store, const std::string& storeName)
{
    Staging& s = *m;
    s.check();
    if (store.describe().readOnly)
        dynamoDbBadInput(storeName + " is a read-only store; import writes to native SQLite and PostgreSQL stores");

    // A stream the store holds already must hold this import: then the import is run again and its batches
    // are no-ops. Anything else would fail half-way, so it is refused before anything is written.
    auto& streams = s.db->cached("SELECT name, first_id FROM streams ORDER BY name");
    while (streams.step()) {
        const std::string stream = streams.text(0);
        if (const auto head = store.streamHead(stream)) {
            const auto first = store.eventById(streams.text(1));
            if (!first || first->stream != stream || first->version != 1)
                dynamoDbBadInput("stream " + stream + " already holds " + std::to_string(head->version) + " events in "
                    + storeName
                    + " that this import did not write; import adds new streams (or completes an "
                      "import of the same files)");
        }
        s.cancelPoint();
    }

    DynamoDbImportProgress progress;
    progress.phase = DynamoDbImportProgress::Phase::Appending;
    progress.total = s.summary.events;
    s.report(progress, true);

    constexpr std::size_t kBatchBytes = 4 << 20;
    const auto batchEvents = static_cast<std::size_t>(std::max<std::int64_t>(1, s.options.batchEvents));
    std::vector<AppendRequest> pending;
    std::size_t pendingEvents = 0;
    std::size_t pendingBytes = 0;
    std::size_t requestBytes = 0;
    const auto flush = [&](bool last) {
        if (last) {
            nlohmann::ordered_json details;
            details["action"] = "import";
            details["format"] = "dynamodb";
            details["files"] = s.sources;
            details["events"] = s.summary.events;
            details["streams"] = s.summary.streams;
            details["snapshots"] = s.summary.snapshots;
            AppendRequest audit = auditRequest("EventsImported", std::move(details), s.options.auditTool);
            audit.events.front().id = dynamoDbNameUuid("import\n" + s.digest);
            pending.push_back(std::move(audit));
        }
        if (pending.empty())
            return;
        const auto results = store.append(pending);
        progress.done += static_cast<std::int64_t>(pendingEvents);
        for (std::size_t i = 0; i < results.size(); ++i) {
            if (!results[i].idempotent && pending[i].stream != kAuditStream)
                s.summary.written += static_cast<std::int64_t>(pending[i].events.size());
        }
        pending.clear();
        pendingEvents = 0;
        pendingBytes = 0;
        s.report(progress, last);
        s.cancelPoint();
    };

    auto& rows = s.db->cached(
        "SELECT stream, version, time, id, type, data, metadata FROM items ORDER BY stream, version, time");
    std::string stream;
    std::int64_t version = 0;
    while (rows.step()) {
        const std::string_view rowStream = rows.view(0);
        const bool newStream = rowStream != stream || version == 0;
        if (newStream) {
            stream = rowStream;
            version = 0;
        }
        ++version;
        // Requests start at fixed places (a stream's start, every batchEvents versions, or where a request grew
        // past kBatchBytes), the same in every run of the same files: a run again meets whole stored requests.
        if (newStream || pending.empty() || pending.back().events.size() >= batchEvents
            || requestBytes >= kBatchBytes) {
            if (pendingEvents >= batchEvents || pendingBytes >= kBatchBytes)
                flush(false);
            pending.push_back(AppendRequest { stream, ExpectedVersion::exact(version - 1), {} });
            requestBytes = 0;
        }
        NewEvent event;
        event.id = rows.isNull(3) ? dynamoDbDerivedId(stream, version) : rows.text(3);
        event.type = rows.text(4);
        event.data = rows.text(5);
        event.metadata = rows.text(6);
        if (!rows.isNull(2))
            event.time = rows.int64(2);
        const std::size_t bytes = event.data.size() + event.metadata.size() + event.type.size() + 64;
        pending.back().events.push_back(std::move(event));
        ++pendingEvents;
        pendingBytes += bytes;
        requestBytes += bytes;
    }
    flush(true);

    progress.phase = DynamoDbImportProgress::Phase::Snapshots;
    progress.done = 0;
    progress.total = s.summary.snapshots;
    auto& snapshots = s.db->cached("SELECT stream, version, state, time FROM snapshots ORDER BY rowid");
    const Micros now = nowMicros();
    while (snapshots.step()) {
        Snapshot snapshot;
        snapshot.stream = snapshots.text(0);
        snapshot.version = snapshots.int64(1) + s.shift;
        snapshot.reducer = "dynamodb-import";
        snapshot.state = snapshots.text(2);
        snapshot.time = snapshots.isNull(3) ? now : snapshots.int64(3);
        store.saveSnapshot(snapshot);
        ++progress.done;
        s.report(progress);
    }
    return s.summary;
}

} // namespace eventscope
