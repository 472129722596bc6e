// The timeline over a store that numbers a stream's events from 0 (Message DB, DESIGN §2, §3): messages written by
// Message DB's own write_message(), replayed through the engine. The timeline counts them 1..N as for a native
// store, each point's state is the fold of that many messages (an oracle built in the test), the frames carry the
// messages as stored (versions 0..N-1), and moves past either end behave exactly as over the same events in a
// native store.
//
// The Message DB database comes from EVENTSCOPE_TEST_MESSAGEDB (a libpq URI); under CI=true a missing one fails.

#include "model/replay.h"
#include "model/replay_engine.h"
#include "storage/error.h"
#include "tests/messagedb_sql.h"
#include "tests/test_stores.h"

#include <QProcess>
#include <QTest>
#include <QUuid>

#include <limits>
#include <map>
#include <optional>
#include <utility>

using namespace eventscope;
using Json = nlohmann::json;

using namespace eventscope::test;

namespace {

// One message of the seeded stream, as the test wrote it.
struct Message
{
    std::string id;
    std::string type;
    std::int64_t amount = 0;
    std::optional<int> forgets; // sets "seen<forgets>" to null: merge patch removes the key
};

Json dataOf(const Message& message, int number)
{
    Json data = { { "step", number }, { "amount", message.amount }, { "seen" + std::to_string(number), true } };
    if (message.forgets)
        data["seen" + std::to_string(*message.forgets)] = nullptr;
    return data;
}

// The merge-patch state after the first k messages, built by hand: the keys of the data, less those set to null,
// and the last message's type and stored version (Message DB's, from 0).
Json mergePatchOracle(const std::vector<Message>& messages, int k)
{
    std::map<std::string, Json> keys;
    for (int i = 1; i <= k; ++i) {
        const Message& m = messages[std::size_t(i - 1)];
        keys["step"] = i;
        keys["amount"] = m.amount;
        keys["seen" + std::to_string(i)] = true;
        if (m.forgets)
            keys.erase("seen" + std::to_string(*m.forgets));
    }
    Json state = Json::object();
    for (const auto& [key, value] : keys)
        state[key] = value;
    if (k > 0) {
        state["$type"] = messages[std::size_t(k - 1)].type;
        state["$version"] = k - 1;
    }
    return state;
}

// The state without $time, as key-sorted text (readable when a comparison fails): the two stores stamp their
// own times.
QString withoutTime(const std::string& state)
{
    Json json = Json::parse(state);
    json.erase("$time");
    return QString::fromStdString(json.dump());
}

QString text(const Json& json)
{
    return QString::fromStdString(json.dump());
}

std::int64_t balanceOf(const std::string& state)
{
    return Json::parse(state).value("balance", std::int64_t(0));
}

const char* const kBalanceScript = "({ $init: () => ({ balance: 0, count: 0 }),"
                                   "  Deposited: (s, e) => { s.balance += e.data.amount; s.count++; },"
                                   "  Withdrawn: (s, e) => { s.balance -= e.data.amount; s.count++; } })";

} // namespace

class TestReplayEngineZeroBased : public QObject
{
    Q_OBJECT

private:
    QString m_tag; // keeps this run's streams apart from every other run's in the shared database
    std::string m_store; // messagedb+postgresql://...
    std::string m_stream;
    std::vector<Message> m_messages;
    std::vector<Micros> m_timeOf; // [k-1]: the time Message DB stored for the k-th message
    test::StoreLocation m_native { QStringLiteral("sqlite") }; // the same events in a native store
    QStringList m_written; // streams to delete at the end

    std::string stream(const char* category, int n) const
    {
        return category + m_tag.toStdString() + "-" + std::to_string(n);
    }

    bool writeMessages(const std::string& stream, const std::vector<Message>& messages, QString* error)
    {
        QStringList statements;
        for (std::size_t i = 0; i < messages.size(); ++i) {
            const Message& m = messages[i];
            statements << QStringLiteral("SELECT message_store.write_message(%1, %2, %3, %4::jsonb, NULL, %5)")
                              .arg(sqlText(QString::fromStdString(m.id)), sqlText(QString::fromStdString(stream)),
                                  sqlText(QString::fromStdString(m.type)),
                                  sqlText(QString::fromStdString(dataOf(m, int(i) + 1).dump())),
                                  QString::number(qint64(i) - 1));
        }
        m_written << QString::fromStdString(stream);
        return runMessageDbSql(statements, error);
    }

private slots:
    void initTestCase()
    {
        if (messageDbServer().isEmpty()) {
            if (test::runningInCi())
                QFAIL("EVENTSCOPE_TEST_MESSAGEDB is not set under CI=true: the Message DB tests cannot run");
            QSKIP("EVENTSCOPE_TEST_MESSAGEDB is not set: no Message DB to test against");
        }
        m_tag = QUuid::createUuid().toString(QUuid::Id128).left(10);
        m_store = "messagedb+" + messageDbServer().toStdString();
        m_stream = stream("tally", 1);
        const std::vector<std::pair<const char*, std::int64_t>> shape { { "Deposited", 100 }, { "Deposited", 25 },
            { "Withdrawn", 40 }, { "Deposited", 7 }, { "Withdrawn", 12 }, { "Deposited", 300 }, { "Withdrawn", 1 } };
        for (std::size_t i = 0; i < shape.size(); ++i) {
            Message m;
            m.id = QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
            m.type = shape[i].first;
            m.amount = shape[i].second;
            if (i == 3)
                m.forgets = 2;
            if (i == 5)
                m.forgets = 4;
            m_messages.push_back(m);
        }
        QString output;
        // write_message's expected version (the position of the stream's last message) holds each one in place.
        QVERIFY2(writeMessages(m_stream, m_messages, &output), qPrintable(output));
        QVERIFY2(
            runMessageDbSql({ QStringLiteral("SELECT (extract(epoch FROM time) * 1000000)::bigint FROM messages WHERE "
                                             "stream_name = %1 ORDER BY position")
                                    .arg(sqlText(QString::fromStdString(m_stream))) },
                &output),
            qPrintable(output));
        for (const QString& line : output.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            m_timeOf.push_back(line.toLongLong());
        QCOMPARE(m_timeOf.size(), m_messages.size());

        auto native = openStore(m_native.uri(), true);
        std::vector<NewEvent> events;
        for (std::size_t i = 0; i < m_messages.size(); ++i) {
            NewEvent e;
            e.id = m_messages[i].id;
            e.type = m_messages[i].type;
            e.data = dataOf(m_messages[i], int(i) + 1).dump();
            events.push_back(e);
        }
        native->append(m_stream, events);
    }

    void cleanupTestCase()
    {
        if (m_written.isEmpty())
            return;
        QStringList names;
        for (const QString& name : std::as_const(m_written))
            names << sqlText(name);
        QString output;
        if (!runMessageDbSql(
                { QStringLiteral("DELETE FROM messages WHERE stream_name IN (%1)").arg(names.join(u',')) }, &output))
            qWarning("could not delete this run's Message DB streams: %s", qPrintable(output));
    }

    void timelineCountsFromOne_data()
    {
        QTest::addColumn<int>("checkpointEvery");
        QTest::addRow("checkpoint every event") << 1;
        QTest::addRow("checkpoint every 3") << 3;
        QTest::addRow("checkpoint at the head") << 7;
        QTest::addRow("no checkpoint but the start") << 1000;
    }
    void timelineCountsFromOne()
    {
        QFETCH(int, checkpointEvery);
        auto store = openStore(m_store);
        QVERIFY(store->describe().versionsFromZero);
        auto reducer = makeMergePatchReducer();
        ReplayEngine engine(*store, m_stream, *reducer, checkpointEvery);
        std::int64_t lastDone = 0;
        engine.load([&](std::int64_t done, std::int64_t total) {
            lastDone = done;
            return total == 7;
        });
        QCOMPARE(lastDone, 7);
        QVERIFY(!engine.loadFailure());

        QCOMPARE(engine.points().size(), 7u);
        QCOMPARE(engine.headVersion(), 7);
        QCOMPARE(engine.typeNames(), (std::vector<std::string> { "Deposited", "Withdrawn" }));
        for (int k = 1; k <= 7; ++k) {
            const StreamPoint& point = engine.points()[std::size_t(k - 1)];
            QCOMPARE(point.version, k);
            QCOMPARE(point.time, m_timeOf[std::size_t(k - 1)]);
            QCOMPARE(engine.typeNames()[std::size_t(point.typeIndex)], m_messages[std::size_t(k - 1)].type);
        }

        for (int k = 0; k <= 7; ++k) {
            const ReplayFrame frame = engine.frameAt(k);
            QCOMPARE(frame.version, k);
            QVERIFY(!frame.failure);
            QVERIFY2(frame.steps <= checkpointEvery, qPrintable(QString::number(frame.steps)));
            QCOMPARE(withoutTime(frame.state), text(mergePatchOracle(m_messages, k)));
            QCOMPARE(withoutTime(frame.stateBefore), text(mergePatchOracle(m_messages, std::max(0, k - 1))));
            if (k == 0) {
                QVERIFY(!frame.event);
                continue;
            }
            // The k-th point is the message Message DB stored at position k-1, as it stored it.
            QVERIFY(frame.event);
            QCOMPARE(frame.event->version, k - 1);
            QCOMPARE(frame.event->id, m_messages[std::size_t(k - 1)].id);
            QCOMPARE(text(Json::parse(frame.event->data)), text(dataOf(m_messages[std::size_t(k - 1)], k)));
            QCOMPARE(frame.event->time, m_timeOf[std::size_t(k - 1)]);
        }
    }

    // The first and the last point, and stepping between them one point at a time, in both directions: each step
    // moves one message and changes the balance by that message's amount.
    void stepsFromFirstToLast()
    {
        auto store = openStore(m_store);
        auto reducer = makeJsReducer(kBalanceScript);
        ReplayEngine engine(*store, m_stream, *reducer, 2);
        engine.load();
        QVERIFY2(!engine.loadFailure(), engine.loadFailure() ? engine.loadFailure()->message.c_str() : "");

        std::vector<std::int64_t> balanceAfter { 0 };
        for (const Message& m : m_messages)
            balanceAfter.push_back(balanceAfter.back() + (m.type == "Deposited" ? m.amount : -m.amount));

        const std::int64_t first = engine.points().front().version;
        const std::int64_t last = engine.points().back().version;
        QCOMPARE(first, 1);
        QCOMPARE(last, 7);
        const ReplayFrame atFirst = engine.frameAt(first);
        QCOMPARE(atFirst.event->id, m_messages.front().id);
        QCOMPARE(balanceOf(atFirst.stateBefore), 0);
        QCOMPARE(balanceOf(atFirst.state), 100);
        const ReplayFrame atLast = engine.frameAt(last);
        QCOMPARE(atLast.event->id, m_messages.back().id);
        QCOMPARE(balanceOf(atLast.state), balanceAfter.back());
        QCOMPARE(Json::parse(atLast.state)["count"].get<int>(), 7);

        for (std::int64_t v = first; v <= last; ++v) {
            const ReplayFrame frame = engine.frameAt(v);
            QCOMPARE(balanceOf(frame.state), balanceAfter[std::size_t(v)]);
            QCOMPARE(balanceOf(frame.stateBefore), balanceAfter[std::size_t(v - 1)]);
        }
        for (std::int64_t v = last; v >= first; --v)
            QCOMPARE(balanceOf(engine.frameAt(v).state), balanceAfter[std::size_t(v)]);

        // The state at a time: every message at or before it, in the timeline's numbering.
        QCOMPARE(engine.versionAt(m_timeOf.front() - 1), 0);
        QCOMPARE(engine.versionAt(m_timeOf.back()), 7);
        for (int k = 1; k <= 7; ++k) {
            std::int64_t expected = k;
            while (expected < 7 && m_timeOf[std::size_t(expected)] == m_timeOf[std::size_t(k - 1)])
                ++expected; // messages of the same instant all count
            QCOMPARE(engine.versionAt(m_timeOf[std::size_t(k - 1)]), expected);
        }
    }

    // Past either end, the engine answers over Message DB as it does over the same events in a native store.
    void outOfRangeLikeANativeStore_data()
    {
        QTest::addColumn<qint64>("asked");
        QTest::addColumn<qint64>("shown"); // the point the engine gives instead
        QTest::addRow("0: before the first event") << qint64(0) << qint64(0);
        QTest::addRow("-1") << qint64(-1) << qint64(0);
        QTest::addRow("far below") << qint64(std::numeric_limits<std::int64_t>::min()) << qint64(0);
        QTest::addRow("one past the end") << qint64(8) << qint64(7);
        QTest::addRow("far past the end") << qint64(1'000'000) << qint64(7);
        QTest::addRow("int64 max") << qint64(std::numeric_limits<std::int64_t>::max()) << qint64(7);
        QTest::addRow("the head itself") << qint64(7) << qint64(7);
    }
    void outOfRangeLikeANativeStore()
    {
        QFETCH(qint64, asked);
        QFETCH(qint64, shown);
        auto foreignStore = openStore(m_store);
        auto nativeStore = openStore(m_native.uri());
        QVERIFY(!nativeStore->describe().versionsFromZero);
        auto foreignReducer = makeMergePatchReducer();
        auto nativeReducer = makeMergePatchReducer();
        ReplayEngine foreign(*foreignStore, m_stream, *foreignReducer, 3);
        ReplayEngine native(*nativeStore, m_stream, *nativeReducer, 3);
        foreign.load();
        native.load();
        QCOMPARE(foreign.headVersion(), native.headVersion());

        const ReplayFrame f = foreign.frameAt(asked);
        const ReplayFrame n = native.frameAt(asked);
        QCOMPARE(n.version, shown);
        QCOMPARE(f.version, n.version);
        QCOMPARE(bool(f.event), bool(n.event));
        QCOMPARE(bool(f.failure), bool(n.failure));
        // The same state but for the stored numbering: $version is each store's own (Message DB's one less).
        Json foreignState = Json::parse(withoutTime(f.state).toStdString());
        Json nativeState = Json::parse(withoutTime(n.state).toStdString());
        if (shown > 0) {
            QCOMPARE(foreignState["$version"].get<std::int64_t>() + 1, nativeState["$version"].get<std::int64_t>());
            foreignState.erase("$version");
            nativeState.erase("$version");
            QCOMPARE(f.event->id, n.event->id);
            QCOMPARE(f.event->version + 1, n.event->version);
        }
        QCOMPARE(text(foreignState), text(nativeState));
        Json oracle = mergePatchOracle(m_messages, int(shown));
        oracle.erase("$version");
        QCOMPARE(text(foreignState), text(oracle));
    }

    // A stream longer than a read page (1000): the load and each frame's keyed read cross page boundaries in the
    // store's numbering, and the timeline still ends at the stream's length.
    void longStreamAcrossPages()
    {
        const std::string name = stream("long", 1);
        m_written << QString::fromStdString(name);
        QString output;
        QVERIFY2(
            runMessageDbSql({ QStringLiteral("SELECT count(write_message(gen_random_uuid()::text, %1, 'Deposited', "
                                             "jsonb_build_object('amount', g), NULL, g - 2)) FROM generate_series(1, "
                                             "2100) AS g")
                                    .arg(sqlText(QString::fromStdString(name))) },
                &output),
            qPrintable(output));
        auto store = openStore(m_store);
        QCOMPARE(store->streamHead(name)->version, 2099);
        auto reducer = makeJsReducer(kBalanceScript);
        ReplayEngine engine(*store, name, *reducer, 1500);
        engine.load();
        QCOMPARE(engine.points().size(), 2100u);
        QCOMPARE(engine.headVersion(), 2100);
        QCOMPARE(engine.points()[999].version, 1000);
        QCOMPARE(engine.points()[1000].version, 1001);
        QCOMPARE(engine.checkpointCount(), 2u); // 0 and 1500
        for (const std::int64_t k : { 1, 999, 1000, 1001, 1499, 1500, 1501, 2000, 2099, 2100 }) {
            const ReplayFrame frame = engine.frameAt(k);
            QCOMPARE(frame.version, k);
            QVERIFY(frame.event);
            QCOMPARE(frame.event->version, k - 1);
            QCOMPARE(Json::parse(frame.state)["count"].get<std::int64_t>(), k);
            QCOMPARE(balanceOf(frame.state), k * (k + 1) / 2); // amounts 1..k
        }
    }

    // A reducer that throws at one message: the engine names the failing point in the timeline's numbering, the
    // one its frames and points use, so that the window marks the point whose event failed.
    void failureNamesTheTimelinePoint()
    {
        auto store = openStore(m_store);
        auto reducer = makeJsReducer("({ $init: () => ({ n: 0 }), Deposited: (s, e) => { s.n++; },"
                                     "  Withdrawn: (s, e) => { if (e.data.amount === 12) throw new Error('no'); "
                                     "s.n++; } })");
        ReplayEngine engine(*store, m_stream, *reducer, 2);
        engine.load();
        QCOMPARE(engine.points().size(), 7u);
        QVERIFY(engine.loadFailure());
        // The fifth message (stored at position 4) is the Withdrawn of 12.
        QCOMPARE(engine.loadFailure()->type, std::string("Withdrawn"));
        QCOMPARE(Json::parse(engine.frameAt(4).state)["n"].get<int>(), 4);
        const ReplayFrame failed = engine.frameAt(5);
        QVERIFY(failed.failure);
        QCOMPARE(failed.event->version, 4); // the event as stored
        QCOMPARE(engine.loadFailure()->version, engine.points()[4].version);
        QCOMPARE(failed.failure->version, failed.version);
    }

    void missingStream()
    {
        auto store = openStore(m_store);
        auto reducer = makeMergePatchReducer();
        ReplayEngine missing(*store, stream("tally", 404), *reducer);
        try {
            missing.load();
            QFAIL("loaded a stream that does not exist");
        } catch (const Error& e) {
            QCOMPARE(e.kind, ErrorKind::BadInput);
        }
        QVERIFY(missing.points().empty());
        QCOMPARE(missing.headVersion(), 0);
    }
};

QTEST_GUILESS_MAIN(TestReplayEngineZeroBased)
#include "tst_replay_engine_zero_based.moc"
