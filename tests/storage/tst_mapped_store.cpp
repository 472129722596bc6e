// Any events table (DESIGN §3, mapped+…): tables in the shapes teams hand-write, Marten's mt_events and Axon's
// domain_event_entry, written with plain SQL into SQLite and PostgreSQL, read through openStore("mapped+…") and
// compared field by field with what the test computes on its own.

#include "storage/error.h"
#include "storage/event_store.h"
#include "storage/mapped_store.h"
#include "storage/postgres_connection.h"
#include "storage/sqlite_db.h"
#include "storage/table_mapping.h"
#include "storage/time_format.h"
#include "tests/storage/store_test_helpers.h"
#include "tests/test_stores.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

using namespace eventscope;

namespace {

constexpr Micros kBase = 1705327200000000; // 2024-01-15T14:00:00Z

// One row the test writes; columns a table lacks are simply not written.
struct Sample
{
    std::string stream, type, id, data, metadata, actor, correlation, causation;
    Micros time = 0;
    std::int64_t position = 0, version = 0;
    std::int64_t schemaVersion = 0;
};

// Twelve events over three streams. Events 6 and 9 (one stream) share a time, and IDs fall as times rise, so that
// an order by time then ID differs from the order of writing. The table's own positions have gaps.
std::vector<Sample> makeSamples(const std::vector<std::string>& streams, int firstVersion)
{
    static const char* types[] = { "Opened", "Deposited", "Withdrawn", "Closed" };
    std::vector<Sample> out;
    std::map<std::string, std::int64_t> versions;
    for (int i = 0; i < 12; ++i) {
        Sample s;
        s.stream = streams[i % streams.size()];
        s.type = types[i % 4];
        char id[40];
        std::snprintf(id, sizeof id, "%08d-0000-4000-8000-%012d", 100 - i, i);
        s.id = id;
        s.time = i == 9 ? out[6].time : kBase + i * 61000123;
        s.position = 100 + 10 * i;
        s.version = firstVersion + versions[s.stream]++;
        s.data = nlohmann::json { { "n", i }, { "note", "café" } }.dump();
        s.metadata = nlohmann::json {
            { "correlationId", "corr-" + std::to_string(i % 3) }, { "userId", "user-" + std::to_string(i % 2) },
            { "causationId", "cause-" + std::to_string(i) }
        }.dump();
        s.actor = "clerk-" + std::to_string(i % 2);
        s.correlation = i % 4 == 3 ? "" : "col-corr-" + std::to_string(i % 2);
        s.causation = "col-cause-" + std::to_string(i);
        s.schemaVersion = 1 + i % 2;
        out.push_back(s);
    }
    return out;
}

// The rows in an order that is neither time nor position order.
std::vector<Sample> writingOrder(const std::vector<Sample>& samples)
{
    std::vector<Sample> out;
    for (std::size_t k = 0; k < samples.size(); ++k)
        out.push_back(samples[(k * 5) % samples.size()]);
    return out;
}

// What the table has, for the oracle.
struct Shape
{
    bool position = false, version = false, metadata = true;
    bool actorColumn = false, correlationColumn = false, causationColumn = false, schemaColumn = false;
    std::function<std::string(const std::string& stream)> category; // empty: the part before the first '-'
};

std::vector<Event> expectedEvents(std::vector<Sample> samples, const Shape& shape)
{
    std::sort(samples.begin(), samples.end(), [&](const Sample& a, const Sample& b) {
        return shape.position ? a.position < b.position : std::tie(a.time, a.id) < std::tie(b.time, b.id);
    });
    std::vector<Event> out;
    std::map<std::string, std::int64_t> counts;
    for (const Sample& s : samples) {
        Event e;
        e.position = shape.position ? s.position : static_cast<std::int64_t>(out.size()) + 1;
        e.stream = s.stream;
        e.version = shape.version ? s.version : ++counts[s.stream];
        e.id = s.id;
        e.type = s.type;
        e.time = s.time;
        e.data = s.data;
        e.metadata = shape.metadata ? s.metadata : "{}";
        const auto meta = nlohmann::json::parse(e.metadata);
        auto pick = [&](bool column, const std::string& value, const char* key) {
            return column && !value.empty() ? value : meta.value(key, std::string());
        };
        e.correlation = pick(shape.correlationColumn, s.correlation, "correlationId");
        e.causation = pick(shape.causationColumn, s.causation, "causationId");
        e.actor = pick(shape.actorColumn, s.actor, "userId");
        if (shape.schemaColumn)
            e.schemaVersion = s.schemaVersion;
        out.push_back(e);
    }
    return out;
}

std::string categoryFor(const Shape& shape, const std::string& stream)
{
    return shape.category ? shape.category(stream) : categoryOf(stream);
}

// The first field in which two events differ, or nothing.
std::string difference(const Event& actual, const Event& expected)
{
    auto json = [](const std::string& text) { return nlohmann::json::parse(text, nullptr, false); };
    auto show = [](const std::string& a, const std::string& b) { return " '" + a + "' instead of '" + b + "'"; };
    const std::string at = "event " + std::to_string(expected.position) + " (" + expected.id + "):";
    if (actual.position != expected.position)
        return at + " position" + show(std::to_string(actual.position), std::to_string(expected.position));
    const std::pair<const char*, std::pair<std::string, std::string>> fields[] = {
        { "stream", { actual.stream, expected.stream } },
        { "version", { std::to_string(actual.version), std::to_string(expected.version) } },
        { "id", { actual.id, expected.id } },
        { "type", { actual.type, expected.type } },
        { "time", { formatTime(actual.time), formatTime(expected.time) } },
        { "correlation", { actual.correlation, expected.correlation } },
        { "causation", { actual.causation, expected.causation } },
        { "actor", { actual.actor, expected.actor } },
        { "schema version",
            { std::to_string(actual.schemaVersion.value_or(-1)),
                std::to_string(expected.schemaVersion.value_or(-1)) } },
    };
    for (const auto& [name, values] : fields)
        if (values.first != values.second)
            return at + " " + name + show(values.first, values.second);
    if (json(actual.data) != json(expected.data))
        return at + " data" + show(actual.data, expected.data);
    if (json(actual.metadata) != json(expected.metadata))
        return at + " metadata" + show(actual.metadata, expected.metadata);
    return {};
}

std::string differences(const std::vector<Event>& actual, const std::vector<Event>& expected)
{
    if (actual.size() != expected.size())
        return std::to_string(actual.size()) + " events instead of " + std::to_string(expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i)
        if (std::string d = difference(actual[i], expected[i]); !d.empty())
            return d;
    return {};
}

std::vector<Event> readAll(EventStore& store, EventQuery query, std::size_t pageSize)
{
    std::vector<Event> out;
    query.limit = pageSize;
    for (;;) {
        EventPage page = store.read(query);
        out.insert(out.end(), page.events.begin(), page.events.end());
        if (!page.next)
            return out;
        (query.stream ? query.fromVersion : query.fromPosition) = page.next;
    }
}

std::pair<ErrorKind, std::string> errorOf(const std::function<void()>& action)
{
    try {
        action();
    } catch (const Error& e) {
        return { e.kind, e.what() };
    }
    return { static_cast<ErrorKind>(-1), "no error" };
}

std::string q(const std::string& text)
{
    std::string out = "'";
    for (const char c : text)
        out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

// An ISO 8601 text of the time in one of three spellings: Z, an offset, or neither (UTC by DESIGN §2).
std::string isoText(Micros time, int spelling)
{
    if (spelling % 3 == 1) {
        std::string text = formatTime(time + 2LL * 3600 * 1000000);
        return text.substr(0, text.size() - 1) + "+02:00";
    }
    std::string text = formatTime(time);
    if (spelling % 3 == 2) {
        text[10] = ' ';
        text.pop_back();
    }
    return text;
}

// A database of another system's tables: a SQLite file, or a fresh PostgreSQL schema dropped afterwards.
class Foreign
{
public:
    explicit Foreign(const QString& backend)
        : m_pg(backend == QLatin1String("postgresql"))
    {
        if (!m_pg) {
            m_path = QDir(m_dir.path()).filePath(QStringLiteral("foreign.db")).toStdString();
            m_sqlite = std::make_unique<SqliteDb>(m_path, true);
            return;
        }
        m_server = test::postgresServer().toStdString();
        if (m_server.empty())
            return;
        m_schema = "m_" + QUuid::createUuid().toString(QUuid::Id128).left(16).toStdString();
        m_conn = std::make_unique<PostgresConnection>(StoreUri::parse(m_server));
        exec("CREATE SCHEMA " + m_schema);
    }
    ~Foreign()
    {
        if (m_conn) {
            try {
                exec("DROP SCHEMA " + m_schema + " CASCADE");
            } catch (const Error&) {
                // A schema left behind costs nothing but space.
            }
        }
    }
    bool ready() const { return m_sqlite || m_conn; }
    bool pg() const { return m_pg; }
    const std::string& schema() const { return m_schema; }
    QString dir() const { return m_dir.path(); }
    void exec(const std::string& sql)
    {
        if (m_sqlite)
            return m_sqlite->exec(sql);
        m_conn->guarded(
            [&] { pqxx::nontransaction(m_conn->raw()).exec("SET search_path TO " + m_schema + "; " + sql); });
    }
    // A mapped STORE for the table; `more` is appended to the query string ("&mapping=…").
    std::string store(const std::string& table, const std::string& more = {}) const
    {
        if (!m_pg)
            return "mapped+sqlite:" + m_path + "?table=" + table + more;
        return "mapped+" + m_server + (m_server.find('?') == std::string::npos ? "?" : "&") + "schema=" + m_schema
            + "&table=" + table + more;
    }
    // A STORE that names the table with its schema instead of ?schema=.
    std::string qualifiedStore(const std::string& table) const
    {
        if (!m_pg)
            return "mapped+" + m_path + "?table=main." + table;
        return "mapped+" + m_server + (m_server.find('?') == std::string::npos ? "?" : "&") + "table=" + m_schema + "."
            + table;
    }
    std::string writeFile(const std::string& name, const std::string& text) const
    {
        const QString path = QDir(m_dir.path()).filePath(QString::fromStdString(name));
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        file.write(QByteArray::fromStdString(text));
        return path.toStdString();
    }

private:
    bool m_pg;
    QTemporaryDir m_dir;
    std::string m_path, m_server, m_schema;
    std::unique_ptr<SqliteDb> m_sqlite;
    std::unique_ptr<PostgresConnection> m_conn;
};

} // namespace

#define FOREIGN_OR_SKIP(db, backend)                                                                                   \
    Foreign db(backend);                                                                                               \
    if (!db.ready()) {                                                                                                 \
        if (test::runningInCi())                                                                                       \
            QFAIL("EVENTSCOPE_TEST_PG is not set under CI=true: the PostgreSQL tests cannot run");                     \
        QSKIP("EVENTSCOPE_TEST_PG is not set: no PostgreSQL server to test against");                                  \
    }

class TestMappedStore : public QObject
{
    Q_OBJECT

    // Everything a reader does, against the oracle: reads and pages, stream reads, filters, lists, lookups, writes.
    void checkStore(const std::string& uri, const std::vector<Event>& expected, const Shape& shape, bool fromZero)
    {
        const auto store = openStore(uri);
        const StoreDescription description = store->describe();
        QCOMPARE(description.kind, std::string("mapped"));
        QVERIFY(description.readOnly);
        QCOMPARE(description.versionsFromZero, fromZero);

        std::string d = differences(readAll(*store, {}, 1000), expected);
        QVERIFY2(d.empty(), d.c_str());
        d = differences(readAll(*store, {}, 5), expected);
        QVERIFY2(d.empty(), ("paged by 5: " + d).c_str());
        EventQuery backward;
        backward.backward = true;
        std::vector<Event> reversed(expected.rbegin(), expected.rend());
        d = differences(readAll(*store, backward, 4), reversed);
        QVERIFY2(d.empty(), ("backward: " + d).c_str());

        std::set<std::string> streams;
        for (const Event& e : expected)
            streams.insert(e.stream);
        for (const std::string& stream : streams) {
            std::vector<Event> inStream;
            std::copy_if(expected.begin(), expected.end(), std::back_inserter(inStream),
                [&](const Event& e) { return e.stream == stream; });
            std::sort(
                inStream.begin(), inStream.end(), [](const Event& a, const Event& b) { return a.version < b.version; });
            EventQuery query;
            query.stream = stream;
            d = differences(readAll(*store, query, 2), inStream);
            QVERIFY2(d.empty(), (stream + ": " + d).c_str());
            const auto head = store->streamHead(stream);
            QVERIFY(head.has_value());
            QCOMPARE(head->count, static_cast<std::int64_t>(inStream.size()));
            QCOMPARE(head->version, inStream.back().version);
            QCOMPARE(head->lastPosition,
                std::max_element(inStream.begin(), inStream.end(), [](const Event& a, const Event& b) {
                    return a.position < b.position;
                })->position);
            QCOMPARE(head->category, categoryFor(shape, stream));
        }
        QVERIFY(!store->streamHead("no-such-stream"));

        // Filters, each against the same filter applied to the oracle, and its count.
        auto filtered = [&](const EventQuery& query, const std::function<bool(const Event&)>& keep, const char* what) {
            std::vector<Event> wanted;
            std::copy_if(expected.begin(), expected.end(), std::back_inserter(wanted), keep);
            QVERIFY2(!wanted.empty(), what);
            const std::string diff = differences(readAll(*store, query, 3), wanted);
            QVERIFY2(diff.empty(), (what + (": " + diff)).c_str());
            const EventCount count = store->countEvents(query);
            QCOMPARE(count.count, static_cast<std::int64_t>(wanted.size()));
            QCOMPARE(count.firstPosition, wanted.front().position);
            QCOMPARE(count.lastPosition, wanted.back().position);
        };
        const std::string category = categoryFor(shape, expected.front().stream);
        EventQuery query;
        query.category = category;
        filtered(
            query, [&](const Event& e) { return categoryFor(shape, e.stream) == category; }, "category");
        query = {};
        query.types = { "Deposited", "Closed" };
        filtered(
            query, [](const Event& e) { return e.type == "Deposited" || e.type == "Closed"; }, "types");
        query = {};
        query.since = expected[3].time;
        query.until = expected[8].time;
        filtered(
            query, [&](const Event& e) { return e.time >= *query.since && e.time <= *query.until; }, "since/until");
        query = {};
        query.correlation = expected[1].correlation;
        filtered(
            query, [&](const Event& e) { return e.correlation == expected[1].correlation; }, "correlation");
        query = {};
        query.actor = expected[2].actor;
        filtered(
            query, [&](const Event& e) { return e.actor == expected[2].actor; }, "actor");

        // Lists.
        const auto listed = store->streams({});
        QCOMPARE(listed.size(), streams.size());
        auto name = streams.begin();
        for (const StreamInfo& info : listed) {
            QCOMPARE(info.name, *name++);
            QCOMPARE(info.category, categoryFor(shape, info.name));
            QCOMPARE(info.version, store->streamHead(info.name)->version);
        }
        StreamQuery second;
        second.after = listed.front().name;
        second.limit = 1;
        QCOMPARE(store->streams(second).at(0).name, listed.at(1).name);
        std::map<std::string, std::set<std::string>> categories;
        for (const std::string& stream : streams)
            categories[categoryFor(shape, stream)].insert(stream);
        const auto listedCategories = store->categories({});
        QCOMPARE(listedCategories.size(), categories.size());
        for (const CategoryInfo& info : listedCategories)
            QCOMPARE(info.streams, static_cast<std::int64_t>(categories[info.name].size()));
        std::set<std::string> types;
        for (const Event& e : expected)
            types.insert(e.type);
        QCOMPARE(store->eventTypes(100), std::vector<std::string>(types.begin(), types.end()));
        QCOMPARE(store->headPosition(), expected.back().position);

        // Lookups by ID, in either case.
        const Event& wanted = expected[4];
        auto byId = store->eventById(wanted.id);
        QVERIFY(byId.has_value());
        d = difference(*byId, wanted);
        QVERIFY2(d.empty(), d.c_str());
        byId = store->eventById(QString::fromStdString(wanted.id).toUpper().toStdString());
        QVERIFY(byId && byId->position == wanted.position);
        QVERIFY(!store->eventById("00000000-0000-4000-8000-000000000000"));

        // Never written.
        const auto [kind, message] = errorOf([&] { store->append("order-1", { test::makeEvent("X") }); });
        QCOMPARE(kind, ErrorKind::BadInput);
        QVERIFY2(message.find("read-only") != std::string::npos, message.c_str());
    }

private slots:
    void handMadeEventsTable_data() { test::addBackendRows(); }
    void handMadeEventsTable()
    {
        // id, aggregate_id, version, type, data, metadata, created_at: no position, so time then ID order it.
        QFETCH(QString, backend);
        FOREIGN_OR_SKIP(db, backend);
        db.exec(db.pg() ? "CREATE TABLE events (id uuid PRIMARY KEY, aggregate_id text NOT NULL, version integer NOT "
                          "NULL, type text NOT NULL, data jsonb NOT NULL, metadata jsonb, created_at timestamptz NOT "
                          "NULL DEFAULT now())"
                        : "CREATE TABLE events (id TEXT PRIMARY KEY, aggregate_id TEXT NOT NULL, version INTEGER NOT "
                          "NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT, created_at TEXT NOT NULL)");
        const auto samples = makeSamples({ "order-1", "order-2", "invoice-7" }, 1);
        int spelling = 0;
        for (const Sample& s : writingOrder(samples))
            db.exec("INSERT INTO events (id, aggregate_id, version, type, data, metadata, created_at) VALUES ("
                + q(s.id) + ", " + q(s.stream) + ", " + std::to_string(s.version) + ", " + q(s.type) + ", " + q(s.data)
                + ", " + q(s.metadata) + ", " + q(isoText(s.time, db.pg() ? spelling++ % 2 : spelling++)) + ")");
        Shape shape;
        shape.version = true;
        checkStore(db.store("events"), expectedEvents(samples, shape), shape, false);
    }

    void tableWithoutStreamVersion_data() { test::addBackendRows(); }
    void tableWithoutStreamVersion()
    {
        // event_data, event_version (a schema version), created_at, created_by: each stream numbered from 1.
        QFETCH(QString, backend);
        FOREIGN_OR_SKIP(db, backend);
        db.exec(db.pg() ? "CREATE TABLE account_events (id uuid PRIMARY KEY, stream_id text NOT NULL, event_type text "
                          "NOT NULL, event_data jsonb NOT NULL, event_version integer NOT NULL, correlation_id text, "
                          "created_at timestamp NOT NULL, created_by text)"
                        : "CREATE TABLE account_events (id TEXT PRIMARY KEY, stream_id TEXT NOT NULL, event_type TEXT "
                          "NOT NULL, event_data TEXT NOT NULL, event_version INTEGER NOT NULL, correlation_id TEXT, "
                          "created_at INTEGER NOT NULL, created_by TEXT)");
        const auto samples = makeSamples({ "account-1", "account-2", "card-9" }, 1);
        for (const Sample& s : writingOrder(samples)) {
            const std::string time = db.pg() ? q(formatTime(s.time).substr(0, 26)) : std::to_string(s.time);
            db.exec("INSERT INTO account_events VALUES (" + q(s.id) + ", " + q(s.stream) + ", " + q(s.type) + ", "
                + q(s.data) + ", " + std::to_string(s.schemaVersion) + ", "
                + (s.correlation.empty() ? "NULL" : q(s.correlation)) + ", " + time + ", " + q(s.actor) + ")");
        }
        Shape shape;
        shape.metadata = false;
        shape.actorColumn = shape.correlationColumn = shape.schemaColumn = true;
        checkStore(db.store("account_events"), expectedEvents(samples, shape), shape, false);
    }

    void martenEvents_data() { test::addBackendRows(); }
    void martenEvents()
    {
        // Marten's mt_events: seq_id orders the store, stream_id is a UUID, versions start at 1.
        QFETCH(QString, backend);
        FOREIGN_OR_SKIP(db, backend);
        db.exec(db.pg() ? "CREATE TABLE mt_events (seq_id bigint NOT NULL PRIMARY KEY, id uuid NOT NULL, stream_id "
                          "uuid, version bigint NOT NULL, data jsonb NOT NULL, type varchar(500) NOT NULL, timestamp "
                          "timestamptz NOT NULL DEFAULT now(), tenant_id varchar DEFAULT '*DEFAULT*', mt_dotnet_type "
                          "varchar, is_archived bool DEFAULT FALSE, correlation_id varchar, causation_id varchar)"
                        : "CREATE TABLE mt_events (seq_id INTEGER NOT NULL PRIMARY KEY, id TEXT NOT NULL, stream_id "
                          "TEXT, version INTEGER NOT NULL, data TEXT NOT NULL, type VARCHAR(500) NOT NULL, timestamp "
                          "TEXT NOT NULL, tenant_id VARCHAR DEFAULT '*DEFAULT*', mt_dotnet_type VARCHAR, is_archived "
                          "BOOLEAN DEFAULT 0, correlation_id VARCHAR, causation_id VARCHAR)");
        const auto samples
            = makeSamples({ "5e0c1a52-1111-4c3b-9a77-0123456789ab", "9b2d7f10-2222-4e5f-8a11-fedcba987654",
                              "0a9e8d7c-3333-4b2a-9c1d-abcdefabcdef" },
                1);
        int spelling = 0;
        for (const Sample& s : writingOrder(samples))
            db.exec("INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, timestamp, mt_dotnet_type, "
                    "correlation_id, causation_id) VALUES ("
                + std::to_string(s.position) + ", " + q(s.id) + ", " + q(s.stream) + ", " + std::to_string(s.version)
                + ", " + q(s.data) + ", " + q(s.type) + ", " + q(isoText(s.time, db.pg() ? 0 : spelling++)) + ", "
                + q("Bank." + s.type + ", Bank") + ", " + (s.correlation.empty() ? "NULL" : q(s.correlation)) + ", "
                + q(s.causation) + ")");
        Shape shape;
        shape.position = shape.version = true;
        shape.metadata = false;
        shape.correlationColumn = shape.causationColumn = true;
        checkStore(db.qualifiedStore("mt_events"), expectedEvents(samples, shape), shape, false);
    }

    void axonDomainEvents_data() { test::addBackendRows(); }
    void axonDomainEvents()
    {
        // Axon: payload_type is the event type, type the aggregate type (the category), versions from 0.
        QFETCH(QString, backend);
        FOREIGN_OR_SKIP(db, backend);
        const std::string bytes = db.pg() ? "bytea" : "BLOB";
        db.exec("CREATE TABLE domain_event_entry (global_index bigint NOT NULL PRIMARY KEY, event_identifier "
                "varchar(255) NOT NULL UNIQUE, meta_data "
            + bytes + ", payload " + bytes
            + " NOT NULL, payload_revision varchar(255), payload_type varchar(255) NOT NULL, time_stamp varchar(255) "
              "NOT NULL, aggregate_identifier varchar(255) NOT NULL, sequence_number bigint NOT NULL, type "
              "varchar(255), UNIQUE (aggregate_identifier, sequence_number))");
        const auto samples = makeSamples({ "order-1", "order-2", "invoice-7" }, 0);
        auto blob = [&](const std::string& text) {
            return db.pg() ? "convert_to(" + q(text) + ", 'UTF8')" : "CAST(" + q(text) + " AS BLOB)";
        };
        for (const Sample& s : writingOrder(samples))
            db.exec("INSERT INTO domain_event_entry VALUES (" + std::to_string(s.position) + ", " + q(s.id) + ", "
                + blob(s.metadata) + ", " + blob(s.data) + ", NULL, " + q(s.type) + ", " + q(formatTime(s.time)) + ", "
                + q(s.stream) + ", " + std::to_string(s.version) + ", "
                + q(s.stream.rfind("order", 0) == 0 ? "Order" : "Invoice") + ")");
        Shape shape;
        shape.position = shape.version = true;
        shape.category = [](const std::string& stream) { return stream.rfind("order", 0) == 0 ? "Order" : "Invoice"; };
        checkStore(db.store("domain_event_entry"), expectedEvents(samples, shape), shape, true);
    }

    void mappingFileAndSnapshots_data() { test::addBackendRows(); }
    void mappingFileAndSnapshots()
    {
        QFETCH(QString, backend);
        FOREIGN_OR_SKIP(db, backend);
        db.exec(std::string("CREATE TABLE journal (seq bigint, agg text, ver bigint, kind text, body_json text, at ")
            + (db.pg() ? "timestamptz" : "text") + ", meta text, uid text, who text)");
        db.exec("CREATE TABLE snaps (agg text, at_version bigint, body text)");
        const auto samples = makeSamples({ "order-1", "order-2", "invoice-7" }, 1);
        for (const Sample& s : writingOrder(samples))
            db.exec("INSERT INTO journal VALUES (" + std::to_string(s.position) + ", " + q(s.stream) + ", "
                + std::to_string(s.version) + ", " + q(s.type) + ", " + q(s.data) + ", " + q(formatTime(s.time)) + ", "
                + q(s.metadata) + ", " + q(s.id) + ", " + q(s.actor) + ")");
        db.exec(R"(INSERT INTO snaps VALUES ('order-1', 2, '{"balance": 2}'), ('order-1', 4, '{"balance": 4}'))");
        const std::string mapping = db.writeFile("journal.json", R"({"table": "journal",
            "columns": {"position": "seq", "stream": "agg", "version": "ver", "type": "kind", "data": "body_json",
                        "time": "at", "metadata": "meta", "id": "uid", "actor": "who"},
            "snapshots": {"table": "snaps", "stream": "agg", "version": "at_version", "state": "body"}})");
        Shape shape;
        shape.position = shape.version = shape.actorColumn = true;
        const std::string uri = db.store("journal", "&mapping=" + mapping);
        checkStore(uri, expectedEvents(samples, shape), shape, false);

        MappedStore store(StoreUri::parse(uri));
        QCOMPARE(store.mapping().stream, std::optional<std::string>("agg"));
        QVERIFY(!store.mapping().correlation);
        // The editor's round trip: a saved mapping reads back as the same mapping, guessing nothing more.
        TableMapping nothingGuessed;
        nothingGuessed.table = "journal";
        QVERIFY(overlayMapping(nothingGuessed, mappingFromJson(mappingToJson(store.mapping()))) == store.mapping());

        const auto snapshot = store.loadSnapshot("order-1", 3, "merge-patch");
        QVERIFY(snapshot.has_value());
        QCOMPARE(snapshot->version, 2);
        QVERIFY(nlohmann::json::parse(snapshot->state) == nlohmann::json::parse(R"({"balance": 2})"));
        // The snapshot stands for the latest time of the events it holds: order-1's versions 1 and 2.
        const auto inStream = readAll(
            store,
            [] {
                EventQuery query;
                query.stream = "order-1";
                return query;
            }(),
            100);
        QCOMPARE(snapshot->time, std::max(inStream[0].time, inStream[1].time));
        QCOMPARE(store.loadSnapshot("order-1", 100, "x")->version, 4);
        QVERIFY(!store.loadSnapshot("order-1", 1, "x"));
        QVERIFY(!store.loadSnapshot("order-2", 100, "x"));

        // A role set to null is no column, and nothing is guessed for it.
        db.exec("CREATE TABLE plain (stream_name text, type text, data text, position bigint, metadata text)");
        db.exec(R"(INSERT INTO plain VALUES ('a-1', 'T', '{}', 1, '{"correlationId": "c"}'))");
        const std::string noMetadata = db.writeFile("plain.json", R"({"columns": {"metadata": null}})");
        const auto plain = openStore(db.store("plain", "&mapping=" + noMetadata))->read({});
        QCOMPARE(plain.events.at(0).metadata, std::string("{}"));
        QCOMPARE(plain.events.at(0).correlation, std::string());
    }

    void epochAndTextTimes()
    {
        // SQLite keeps whatever a row was given: seconds, milliseconds, microseconds, fractional seconds, ISO text.
        Foreign db(QStringLiteral("sqlite"));
        db.exec("CREATE TABLE readings (stream_name TEXT, type TEXT, data TEXT, time)");
        const std::vector<std::pair<std::string, Micros>> rows {
            { "1705327200", kBase },
            { "1705327201123", kBase + 1123000 },
            { "1705327202123456", kBase + 2123456 },
            { "1705327203.5", kBase + 3500000 },
            { "'2024-01-15T14:00:04.0000019Z'", kBase + 4000001 },
            { "'2024-01-15T16:00:05.25+02:00'", kBase + 5250000 },
            { "'2024-01-15 14:00:06'", kBase + 6000000 },
        };
        for (auto it = rows.rbegin(); it != rows.rend(); ++it)
            db.exec("INSERT INTO readings VALUES ('r-1', 'Read', '{}', " + it->first + ")");
        const auto events = openStore(db.store("readings"))->read({}).events;
        QCOMPARE(events.size(), rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            QCOMPARE(formatTime(events[i].time), formatTime(rows[i].second));
            QCOMPARE(events[i].position, static_cast<std::int64_t>(i) + 1);
            QCOMPARE(events[i].version, static_cast<std::int64_t>(i) + 1);
        }
    }

    void badInput_data() { test::addBackendRows(); }
    void badInput()
    {
        QFETCH(QString, backend);
        FOREIGN_OR_SKIP(db, backend);
        db.exec("CREATE TABLE bad (id integer, happened_at text, body_json text)");
        db.exec("CREATE TABLE nodata (stream_name text, type text, created_at text)");
        db.exec("CREATE TABLE unordered (stream_name text, type text, data text)");
        db.exec("CREATE TABLE events (aggregate_id text, type text, data text, created_at text)");
        auto opening = [&](const std::string& uri) { return errorOf([&] { openStore(uri); }); };

        auto [kind, message] = opening(db.store("bad"));
        QCOMPARE(kind, ErrorKind::BadInput);
        QCOMPARE(message,
            std::string("the table bad has no column for the stream (looked for stream_name, stream_id, aggregate_id, "
                        "entity_id, aggregate_identifier), the type (looked for type, event_type, message_type, "
                        "payload_type) or the data (looked for data, event_data, payload, message_data, body)"));
        std::tie(kind, message) = opening(db.store("nodata"));
        QCOMPARE(message,
            std::string("the table nodata has no column for the data (looked for data, event_data, payload, "
                        "message_data, body)"));
        std::tie(kind, message) = opening(db.store("unordered"));
        QCOMPARE(kind, ErrorKind::BadInput);
        QVERIFY2(message.find("the table unordered has nothing to order its events by") == 0, message.c_str());

        std::tie(kind, message) = opening(db.store("nosuch"));
        QCOMPARE(kind, ErrorKind::Unreachable);
        QVERIFY2(message.find("there is no table nosuch in ") == 0, message.c_str());

        const std::string notJson = db.writeFile("broken.json", "{\"columns\": {\"stream\": ");
        std::tie(kind, message) = opening(db.store("events", "&mapping=" + notJson));
        QCOMPARE(kind, ErrorKind::BadInput);
        QVERIFY2(message.find("the mapping file " + notJson + " is not JSON") == 0, message.c_str());

        const std::string wrongColumn = db.writeFile("wrong.json", R"({"columns": {"stream": "nope"}})");
        std::tie(kind, message) = opening(db.store("events", "&mapping=" + wrongColumn));
        QCOMPARE(kind, ErrorKind::BadInput);
        QCOMPARE(message,
            std::string("the mapping names the column nope for the stream, but the table events has no "
                        "such column"));

        const std::string unknownRole = db.writeFile("role.json", R"({"columns": {"streem": "aggregate_id"}})");
        std::tie(kind, message) = opening(db.store("events", "&mapping=" + unknownRole));
        QVERIFY2(message.find("unknown member 'streem'") != std::string::npos, message.c_str());

        std::tie(kind, message) = opening(db.store("events", "&mapping=" + db.dir().toStdString() + "/missing.json"));
        QCOMPARE(kind, ErrorKind::BadInput);
        QVERIFY2(message.find("cannot read the mapping file") == 0, message.c_str());

        std::tie(kind, message) = errorOf([] { StoreUri::parse("mapped+sqlite:some.db"); });
        QCOMPARE(kind, ErrorKind::BadInput);
        QCOMPARE(message, std::string("a mapped store needs ?table=NAME"));
    }

    void followsNewRows_data() { test::addBackendRows(); }
    void followsNewRows()
    {
        QFETCH(QString, backend);
        FOREIGN_OR_SKIP(db, backend);
        db.exec("CREATE TABLE events (event_id text, stream_name text, type text, data text, global_position bigint)");
        db.exec("INSERT INTO events VALUES ('e1', 'a-1', 'T', '{}', 1)");
        const auto store = openStore(db.store("events"));
        QVERIFY(!store->waitForChange(std::chrono::milliseconds(0)));
        db.exec("INSERT INTO events VALUES ('e2', 'a-1', 'T', '{}', 2)");
        QVERIFY(store->waitForChange(std::chrono::milliseconds(5000)));
        QCOMPARE(store->read({}).events.size(), 2u);
        QCOMPARE(store->eventById("e2")->version, 2);
    }

    void guessesByName()
    {
        using K = ColumnKind;
        auto columns = [](std::vector<std::pair<std::string, K>> list) {
            std::vector<ColumnInfo> out;
            for (auto& [name, kind] : list)
                out.push_back({ name, "", kind });
            return out;
        };
        // An integer id beside another event ID column is the position.
        TableMapping m = guessMapping("t",
            columns({ { "id", K::Integer }, { "event_id", K::Uuid }, { "stream_name", K::Text }, { "type", K::Text },
                { "data", K::Json }, { "created_at", K::TimestampTz } }));
        QCOMPARE(m.position, std::optional<std::string>("id"));
        QCOMPARE(m.id, std::optional<std::string>("event_id"));
        // Alone, it is the event ID, and time orders the table.
        m = guessMapping("t", columns({ { "id", K::Integer }, { "aggregate_id", K::Text }, { "type", K::Text } }));
        QVERIFY(!m.position);
        QCOMPARE(m.id, std::optional<std::string>("id"));
        // Axon.
        m = guessMapping("domain_event_entry",
            columns({ { "global_index", K::Integer }, { "event_identifier", K::Text }, { "meta_data", K::Bytes },
                { "payload", K::Bytes }, { "payload_revision", K::Text }, { "payload_type", K::Text },
                { "time_stamp", K::Text }, { "aggregate_identifier", K::Text }, { "sequence_number", K::Integer },
                { "type", K::Text } }));
        QCOMPARE(m.position, std::optional<std::string>("global_index"));
        QCOMPARE(m.stream, std::optional<std::string>("aggregate_identifier"));
        QCOMPARE(m.version, std::optional<std::string>("sequence_number"));
        QCOMPARE(m.type, std::optional<std::string>("payload_type"));
        QCOMPARE(m.category, std::optional<std::string>("type"));
        QCOMPARE(m.data, std::optional<std::string>("payload"));
        QCOMPARE(m.time, std::optional<std::string>("time_stamp"));
        QCOMPARE(m.metadata, std::optional<std::string>("meta_data"));
        QCOMPARE(m.id, std::optional<std::string>("event_identifier"));
        // A text version beside a sequence column is the schema version; names match in any case.
        m = guessMapping("t",
            columns({ { "Entity_ID", K::Text }, { "VERSION", K::Text }, { "SequenceNumber", K::Integer },
                { "Event_Type", K::Text }, { "Body", K::Text }, { "Event_Time", K::Integer },
                { "aggregate_type", K::Text }, { "user_id", K::Text }, { "correlation_id", K::Text },
                { "causation_id", K::Text }, { "tenant_id", K::Text } }));
        QCOMPARE(m.stream, std::optional<std::string>("Entity_ID"));
        QCOMPARE(m.version, std::optional<std::string>("SequenceNumber"));
        QCOMPARE(m.schemaVersion, std::optional<std::string>("VERSION"));
        QCOMPARE(m.type, std::optional<std::string>("Event_Type"));
        QCOMPARE(m.data, std::optional<std::string>("Body"));
        QCOMPARE(m.time, std::optional<std::string>("Event_Time"));
        QCOMPARE(m.category, std::optional<std::string>("aggregate_type"));
        QCOMPARE(m.actor, std::optional<std::string>("user_id"));
        QCOMPARE(m.correlation, std::optional<std::string>("correlation_id"));
        QCOMPARE(m.causation, std::optional<std::string>("causation_id"));
        QCOMPARE(m.tenant, std::optional<std::string>("tenant_id"));
        // An integer version is the stream version, even beside a sequence column.
        m = guessMapping("t", columns({ { "version", K::Integer }, { "event_number", K::Integer } }));
        QCOMPARE(m.version, std::optional<std::string>("version"));
        QVERIFY(!m.schemaVersion);
    }
};

QTEST_GUILESS_MAIN(TestMappedStore)
#include "tst_mapped_store.moc"
