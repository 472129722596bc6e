// The PostgreSQL store's visibility horizon (DESIGN §3: a reader must never skip an event that commits late).
// A "late" writer in psql does inside an open transaction what an append does in its one statement
// (reserve_positions(), the events and streams rows, the NOTIFY), while the store appends, reads and follows
// on connections of its own. Every wait is bounded, so a bug fails the test instead of hanging it.

#include "storage/error.h"
#include "storage/event_store.h"
#include "storage/integrity.h"
#include "storage/store_uri.h"
#include "storage/subscription.h"
#include "tests/test_stores.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QProcess>
#include <QTest>

#include <atomic>
#include <mutex>
#include <thread>

using namespace eventscope;
using namespace Qt::StringLiterals;

namespace {

// One psql session fed statement by statement. After each statement it echoes a marker and waits for it, so
// that the statement has finished when run() returns; a statement that fails or blocks ends the wait.
class Psql
{
public:
    explicit Psql(const std::string& uri)
    {
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(u"psql"_s,
            { u"-X"_s, u"-q"_s, u"-A"_s, u"-t"_s, u"-v"_s, u"ON_ERROR_STOP=1"_s, u"-d"_s,
                QString::fromStdString(StoreUri::parse(uri).connection) });
        m_process.waitForStarted(10000);
    }
    ~Psql()
    {
        m_process.closeWriteChannel(); // psql quits; an open transaction rolls back
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    bool run(const QString& sql, QString* output = nullptr)
    {
        const QByteArray marker = "--statement-" + QByteArray::number(++m_count) + "-done--\n";
        m_process.write(sql.toUtf8() + "\n\\echo " + marker.chopped(1) + '\n');
        QByteArray text;
        const QDeadlineTimer deadline(10000);
        while (!text.contains(marker)) {
            if (!m_process.waitForReadyRead(int(deadline.remainingTime())) && !m_process.bytesAvailable()) {
                m_failure = u"psql did not finish \""_s + sql.simplified().left(100) + u"\": "_s
                    + QString::fromUtf8(text.trimmed());
                return false;
            }
            text += m_process.readAll();
        }
        if (output)
            *output = QString::fromUtf8(text.left(text.indexOf(marker))).trimmed();
        return true;
    }
    QByteArray failure() const { return m_failure.toUtf8(); }

private:
    QProcess m_process;
    int m_count = 0;
    QString m_failure;
};

QString quotedSchema(const std::string& uri)
{
    return u'"' + QString::fromStdString(StoreUri::parse(uri).schema) + u'"';
}

// An append of one event to a new stream, as postgres_store.cpp's write statement makes it, with the correct
// hash, in a transaction left open. Prints the reserved position.
QString lateAppendSql(const std::string& uri, const std::string& stream, const std::string& id)
{
    const Micros time = QDateTime::currentMSecsSinceEpoch() * 1000;
    const std::string hash = eventHash(kGenesisHash, stream, 1, id, "LateEvent", time, "{}", "{}");
    const std::string channel = ("eventscope_" + StoreUri::parse(uri).schema).substr(0, 63);
    return uR"(BEGIN;
WITH r AS MATERIALIZED (SELECT %1.reserve_positions(1) AS p),
e AS (INSERT INTO %1.events(position, stream, version, id, type, category, time, time_us, data, metadata, hash)
      SELECT p, '%2', 1, '%3', 'LateEvent', '%4', timestamptz 'epoch' + %5 * interval '1 microsecond', %5,
             '{}', '{}', '%6' FROM r RETURNING 1),
s AS (INSERT INTO %1.streams(name, category, version, first_time_us, last_time_us, last_position, last_hash)
      SELECT '%2', '%4', 1, %5, %5, p, '%6' FROM r WHERE (SELECT count(*) FROM e) > 0)
SELECT p FROM r, pg_notify('%7', '') AS n;)"_s.arg(quotedSchema(uri), QString::fromStdString(stream),
        QString::fromStdString(id), QString::fromStdString(categoryOf(stream)), QString::number(time),
        QString::fromStdString(hash), QString::fromStdString(channel));
}

NewEvent newEvent(const std::string& type)
{
    NewEvent event;
    event.type = type;
    return event;
}

std::string newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
}

// Positions as text, "3 4 7", so that a failed comparison shows them.
QString list(std::initializer_list<std::int64_t> positions)
{
    QStringList parts;
    for (const std::int64_t position : positions)
        parts.append(QString::number(position));
    return parts.join(u' ');
}

QString positionsOf(const std::vector<Event>& events)
{
    QStringList parts;
    for (const Event& e : events)
        parts.append(QString::number(e.position));
    return parts.join(u' ');
}

// Forwards to a store and counts the reads that have returned, so that a test can wait until a follower has
// read after some moment instead of sleeping for a guess.
class CountingStore final : public EventStore
{
public:
    explicit CountingStore(const std::string& uri)
        : m_inner(openStore(uri))
    {
    }
    std::atomic<int> reads { 0 };

    using EventStore::append;
    EventPage read(const EventQuery& query) override
    {
        EventPage page = m_inner->read(query);
        ++reads;
        return page;
    }
    StoreDescription describe() const override { return m_inner->describe(); }
    std::vector<AppendResult> append(std::span<const AppendRequest> r) override { return m_inner->append(r); }
    std::optional<StreamInfo> streamHead(const std::string& s) override { return m_inner->streamHead(s); }
    std::vector<StreamInfo> streams(const StreamQuery& q) override { return m_inner->streams(q); }
    std::vector<CategoryInfo> categories(const CategoryQuery& q) override { return m_inner->categories(q); }
    std::vector<std::string> eventTypes(std::size_t limit) override { return m_inner->eventTypes(limit); }
    EventCount countEvents(const EventQuery& q) override { return m_inner->countEvents(q); }
    std::int64_t headPosition() override { return m_inner->headPosition(); }
    std::optional<Event> eventById(const std::string& id) override { return m_inner->eventById(id); }
    bool waitForChange(std::chrono::milliseconds t) override { return m_inner->waitForChange(t); }
    void saveSnapshot(const Snapshot& s) override { m_inner->saveSnapshot(s); }
    std::optional<Snapshot> loadSnapshot(const std::string& s, std::int64_t v, const std::string& r) override
    {
        return m_inner->loadSnapshot(s, v, r);
    }
    std::optional<ProjectionRecord> projection(const std::string& n) override { return m_inner->projection(n); }
    std::vector<ProjectionRecord> projections() override { return m_inner->projections(); }
    void commitProjection(
        const ProjectionRecord& r, std::span<const PartitionState> s, std::span<const AppendRequest> e = {}) override
    {
        m_inner->commitProjection(r, s, e);
    }
    std::vector<PartitionState> projectionStates(const std::string& n) override { return m_inner->projectionStates(n); }
    std::vector<PartitionState> projectionStates(const std::string& n, std::span<const std::string> p) override
    {
        return m_inner->projectionStates(n, p);
    }
    std::vector<PartitionState> projectionStatesPage(
        const std::string& n, const std::optional<std::string>& a, std::size_t l) override
    {
        return m_inner->projectionStatesPage(n, a, l);
    }
    std::int64_t projectionStateCount(const std::string& n) override { return m_inner->projectionStateCount(n); }
    void deleteProjection(const std::string& n) override { m_inner->deleteProjection(n); }
    void replaceProjection(const std::string& l, const std::string& s, const std::string& p) override
    {
        m_inner->replaceProjection(l, s, p);
    }
    void interrupt() override { m_inner->interrupt(); }
    VerifyReport verify(const std::optional<Seal>& s) override { return m_inner->verify(s); }
    Seal seal() override { return m_inner->seal(); }

private:
    std::unique_ptr<EventStore> m_inner;
};

// A subscribe() follower from position 1 on its own connection and thread, keeping what it is handed.
class Follower
{
public:
    explicit Follower(const std::string& uri)
        : m_store(uri)
        , m_thread([this](std::stop_token stop) {
            try {
                subscribe(
                    m_store, {},
                    [this](const Event& e) {
                        std::lock_guard lock(m_mutex);
                        m_events.push_back(e);
                        return true;
                    },
                    stop);
            } catch (const std::exception& e) {
                std::lock_guard lock(m_mutex);
                m_failure = e.what();
            }
        })
    {
    }
    QString positions() const
    {
        std::lock_guard lock(m_mutex);
        return positionsOf(m_events);
    }
    std::string failure() const
    {
        std::lock_guard lock(m_mutex);
        return m_failure;
    }
    int reads() const { return m_store.reads; }

private:
    CountingStore m_store;
    mutable std::mutex m_mutex;
    std::vector<Event> m_events;
    std::string m_failure;
    std::jthread m_thread; // last: starts when the rest is ready, stops and joins first
};

} // namespace

class TestPostgresHorizon : public QObject
{
    Q_OBJECT

private:
    std::string m_uri;

    // Waits until the follower has finished a read that began after this call: it has seen what is visible now.
    static bool followerHasReadSinceNow(const Follower& follower)
    {
        const int target = follower.reads() + 2; // the read in flight now may have begun earlier
        QDeadlineTimer deadline(10000);
        while (follower.reads() < target && !deadline.hasExpired())
            QTest::qWait(10);
        return follower.reads() >= target;
    }

private slots:
    void init()
    {
        if (test::postgresServer().isEmpty()) {
            if (test::runningInCi())
                QFAIL("EVENTSCOPE_TEST_PG is not set under CI=true: the PostgreSQL tests cannot run");
            QSKIP("EVENTSCOPE_TEST_PG is not set: no PostgreSQL server to test against");
        }
        m_uri = test::freshPostgresUri();
    }

    void cleanup()
    {
        if (!m_uri.empty())
            Psql(m_uri).run(u"DROP SCHEMA IF EXISTS "_s + quotedSchema(m_uri) + u" CASCADE;"_s);
        m_uri.clear();
    }

    // A writer that took a lower position commits after one that took a higher: readers by position hold the
    // higher back until the lower commits, then see both in order; the follower misses neither.
    void lateCommitIsNotSkipped()
    {
        auto writer = openStore(m_uri, true);
        auto reader = openStore(m_uri);
        QCOMPARE(reader->headPosition(), 0);
        Follower follower(m_uri);
        Psql late(m_uri);
        QString latePosition;
        QVERIFY2(late.run(lateAppendSql(m_uri, "late-1", newId()), &latePosition), late.failure());

        const AppendResult early = writer->append("early-1", { newEvent("EarlyEvent") });
        QVERIFY(early.firstPosition > latePosition.toLongLong());
        QCOMPARE(reader->headPosition(), 0);
        QVERIFY(reader->read({}).events.empty());
        EventQuery byStream;
        byStream.stream = "early-1";
        QCOMPARE(positionsOf(reader->read(byStream).events), list({ early.firstPosition })); // by version
        QVERIFY(followerHasReadSinceNow(follower));
        QCOMPARE(follower.positions(), QString());

        QVERIFY2(late.run(u"COMMIT;"_s), late.failure());
        const QString both = list({ latePosition.toLongLong(), early.firstPosition });
        QCOMPARE(positionsOf(reader->read({}).events), both);
        QCOMPARE(reader->headPosition(), early.firstPosition);
        QTRY_COMPARE_WITH_TIMEOUT(follower.positions(), both, 10000);

        // Once the follower has the next event too, it was handed each of the first two exactly once.
        const AppendResult next = writer->append("early-1", { newEvent("EarlyEvent") });
        QTRY_COMPARE_WITH_TIMEOUT(follower.positions().count(u' '), 2, 10000);
        QCOMPARE(follower.positions(), both + u' ' + QString::number(next.firstPosition));
        QCOMPARE(follower.failure(), std::string());
        const VerifyReport report = reader->verify(std::nullopt); // the psql row is a faithful append
        QVERIFY(report.ok);
        QCOMPARE(report.eventsChecked, 3);
    }

    // A late writer that rolls back leaves a gap in positions; the later event appears, once.
    void lateRollbackReleasesTheHorizon()
    {
        auto writer = openStore(m_uri, true);
        auto reader = openStore(m_uri);
        Follower follower(m_uri);
        Psql late(m_uri);
        QString latePosition;
        QVERIFY2(late.run(lateAppendSql(m_uri, "late-1", newId()), &latePosition), late.failure());
        const AppendResult early = writer->append("early-1", { newEvent("EarlyEvent") });
        QVERIFY(early.firstPosition > latePosition.toLongLong());
        QCOMPARE(reader->headPosition(), 0);
        QVERIFY(followerHasReadSinceNow(follower));
        QCOMPARE(follower.positions(), QString());

        QVERIFY2(late.run(u"ROLLBACK;"_s), late.failure());
        QCOMPARE(positionsOf(reader->read({}).events), list({ early.firstPosition }));
        QCOMPARE(reader->headPosition(), early.firstPosition);
        QVERIFY(!reader->streamHead("late-1"));
        // A rollback sends no notification: the follower finds the event at its next poll.
        QTRY_COMPARE_WITH_TIMEOUT(follower.positions(), list({ early.firstPosition }), 10000);
        const AppendResult next = writer->append("early-1", { newEvent("EarlyEvent") });
        QTRY_COMPARE_WITH_TIMEOUT(follower.positions().count(u' '), 1, 10000);
        QCOMPARE(follower.positions(), list({ early.firstPosition, next.firstPosition }));
        QCOMPARE(follower.failure(), std::string());
        QVERIFY(reader->verify(std::nullopt).ok);
    }

    // Open transactions that are not writers of this store (they hold xids, in other tables) do not hide its
    // committed events: once no writer of the store runs, the writer floor rises past them.
    void unrelatedTransactionsDoNotHoldTheHorizon()
    {
        auto writer = openStore(m_uri, true);
        auto reader = openStore(m_uri);
        QCOMPARE(reader->headPosition(), 0); // the reader has a floor now, older than what follows
        Psql unrelated(m_uri);
        QString xid;
        QVERIFY2(unrelated.run(u"BEGIN; CREATE TEMP TABLE horizon_probe(x int); INSERT INTO horizon_probe VALUES (1);"
                               "SELECT pg_current_xact_id();"_s,
                     &xid),
            unrelated.failure());
        QVERIFY(xid.toULongLong() > 0);
        const AppendResult first = writer->append("order-1", { newEvent("Placed") });
        QTRY_COMPARE_WITH_TIMEOUT(reader->headPosition(), first.lastPosition, 5000);
        QCOMPARE(positionsOf(reader->read({}).events), list({ first.firstPosition }));

        // While a writer of the store runs, a newer unrelated transaction may hold readers back; not after.
        Psql late(m_uri);
        QString latePosition;
        QVERIFY2(late.run(lateAppendSql(m_uri, "late-1", newId()), &latePosition), late.failure());
        Psql newer(m_uri);
        QVERIFY2(newer.run(u"BEGIN; SELECT pg_current_xact_id();"_s), newer.failure());
        const AppendResult second = writer->append("order-1", { newEvent("Shipped") });
        QCOMPARE(reader->headPosition(), first.lastPosition);
        QVERIFY2(late.run(u"COMMIT;"_s), late.failure());
        QTRY_COMPARE_WITH_TIMEOUT(reader->headPosition(), second.lastPosition, 5000);
        QCOMPARE(positionsOf(reader->read({}).events),
            list({ first.firstPosition, latePosition.toLongLong(), second.firstPosition }));
        QCOMPARE(openStore(m_uri)->headPosition(), second.lastPosition); // a new connection, without a floor
    }

    // The server ends the reader's session: the next call fails as Unreachable in one sentence, the one after
    // connects afresh and works.
    void droppedConnectionIsReportedThenReconnected()
    {
        const QString application = u"tst_horizon_"_s + QUuid::createUuid().toString(QUuid::Id128).left(12);
        auto writer = openStore(m_uri, true);
        auto reader = openStore(m_uri + "&application_name=" + application.toStdString());
        const AppendResult first = writer->append("order-1", { newEvent("Placed") });
        QCOMPARE(positionsOf(reader->read({}).events), list({ first.firstPosition }));

        Psql admin(m_uri);
        const QString backends
            = u"SELECT count(*) FROM pg_stat_activity WHERE application_name = '"_s + application + u"';"_s;
        QString output;
        QVERIFY2(admin.run(backends, &output), admin.failure());
        QCOMPARE(output, QStringLiteral("1"));
        QVERIFY2(admin.run(u"SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = '"_s
                         + application + u"';"_s,
                     &output),
            admin.failure());
        QCOMPARE(output, QStringLiteral("t")); // it has exited
        const AppendResult second = writer->append("order-1", { newEvent("Shipped") });

        try {
            reader->read({});
            QFAIL("a read over a connection the server has closed succeeded");
        } catch (const Error& e) {
            const QString message = QString::fromUtf8(e.what());
            qInfo() << "reported:" << message;
            QCOMPARE(e.kind, ErrorKind::Unreachable);
            QVERIFY2(!message.contains(u'\n') && message.contains(u"PostgreSQL store"_s), e.what());
        }
        QCOMPARE(positionsOf(reader->read({}).events), list({ first.firstPosition, second.firstPosition }));
        QCOMPARE(reader->headPosition(), second.lastPosition);
        QVERIFY2(admin.run(backends, &output), admin.failure());
        QCOMPARE(output, QStringLiteral("1")); // one session again, not two
    }
};

QTEST_GUILESS_MAIN(TestPostgresHorizon)
#include "tst_postgres_horizon.moc"
