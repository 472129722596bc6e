// The timeline's replay engine against an oracle: random bank streams with known balances, checked at random
// versions and times (events sharing a timestamp, times written with other UTC offsets), the bound on reducer
// steps per move, a failing event that leaves the rest of the timeline usable, and snapshot drift.

#include "model/replay.h"
#include "model/replay_engine.h"
#include "storage/error.h"
#include "storage/time_format.h"
#include "tests/test_stores.h"

#include <QRandomGenerator>
#include <QTest>

using namespace eventscope;
using Json = nlohmann::json;

namespace {

struct Bank
{
    std::vector<std::int64_t> balanceAfter; // [v] = the balance after version v; [0] = 0
    std::vector<Micros> timeOf; // [v]
};

// A stream of deposits and withdrawals whose data carries the running balance (for merge patch) and the amount.
// Some events share a timestamp.
Bank makeBank(EventStore& store, const std::string& stream, int events, quint32 seed)
{
    QRandomGenerator random(seed);
    Bank bank;
    bank.balanceAfter.push_back(0);
    bank.timeOf.push_back(0);
    Micros time = parseTime("2024-03-01T08:00:00Z");
    std::vector<NewEvent> batch;
    for (int v = 1; v <= events; ++v) {
        const bool deposit = random.bounded(3) != 0;
        const std::int64_t amount = random.bounded(1, 500);
        const std::int64_t balance = bank.balanceAfter.back() + (deposit ? amount : -amount);
        if (random.bounded(4) != 0) // a quarter share the previous event's instant
            time += Micros(random.bounded(1, 90'000)) * 1000;
        NewEvent e;
        e.type = deposit ? "MoneyDeposited" : "MoneyWithdrawn";
        e.data = "{\"amount\":" + std::to_string(amount) + ",\"balance\":" + std::to_string(balance) + "}";
        e.time = time;
        batch.push_back(std::move(e));
        bank.balanceAfter.push_back(balance);
        bank.timeOf.push_back(time);
    }
    store.append(stream, batch);
    return bank;
}

std::int64_t balanceIn(const std::string& state)
{
    const Json json = Json::parse(state);
    return json.contains("balance") ? json["balance"].get<std::int64_t>() : 0;
}

} // namespace

class TestReplayEngine : public QObject
{
    Q_OBJECT

private slots:
    void oracleAtRandomVersions_data() { test::addBackendRows(); }
    void oracleAtRandomVersions()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        const int total = 2345;
        const Bank bank = makeBank(*store, "account-7", total, 7);
        auto reducer = makeMergePatchReducer();
        ReplayEngine engine(*store, "account-7", *reducer, 100);
        std::int64_t lastDone = 0;
        engine.load([&](std::int64_t done, std::int64_t all) {
            lastDone = done;
            return all == total;
        });
        QCOMPARE(lastDone, total);
        QCOMPARE(engine.headVersion(), total);
        QCOMPARE(engine.points().size(), std::size_t(total));
        QCOMPARE(engine.typeNames().size(), 2u);
        QCOMPARE(engine.checkpointCount(), std::size_t(total / 100 + 1));

        QRandomGenerator random(11);
        for (int i = 0; i < 60; ++i) {
            const std::int64_t version = random.bounded(0, total + 1);
            const ReplayFrame frame = engine.frameAt(version);
            QCOMPARE(frame.version, version);
            QCOMPARE(balanceIn(frame.state), bank.balanceAfter[std::size_t(version)]);
            if (version > 0) {
                QCOMPARE(balanceIn(frame.stateBefore), bank.balanceAfter[std::size_t(version - 1)]);
                QCOMPARE(frame.event->version, version);
                QCOMPARE(Json::parse(frame.state)["$version"].get<std::int64_t>(), version);
            }
            QVERIFY2(frame.steps <= 100, qPrintable(QString::number(frame.steps))); // at most K reducer steps
        }
        QCOMPARE(balanceIn(engine.frameAt(total + 50).state), bank.balanceAfter.back()); // clamped to the head
    }

    // The state at a time takes every event at or before it, both events of a shared instant, whatever offset
    // the time is written in.
    void atTimes()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        auto store = openStore(location.uri(), true);
        const Bank bank = makeBank(*store, "account-9", 400, 9);
        auto reducer = makeMergePatchReducer();
        ReplayEngine engine(*store, "account-9", *reducer, 50);
        engine.load();
        QRandomGenerator random(5);
        for (int i = 0; i < 40; ++i) {
            const int v = random.bounded(1, 401);
            const Micros at = bank.timeOf[std::size_t(v)];
            std::int64_t expected = v;
            while (expected < 400 && bank.timeOf[std::size_t(expected + 1)] == at)
                ++expected; // events of the same instant all count
            QCOMPARE(engine.versionAt(at), expected);
            QCOMPARE(engine.versionAt(at - 1),
                std::int64_t(
                    std::lower_bound(bank.timeOf.begin() + 1, bank.timeOf.end(), at) - bank.timeOf.begin() - 1));
            // The same instant written in New York winter time: the wall clock five hours earlier, with -05:00.
            std::string newYork = formatTime(at - Micros(5) * 3600 * 1'000'000);
            newYork.replace(newYork.size() - 1, 1, "-05:00");
            QCOMPARE(parseTime(newYork), at);
            QCOMPARE(engine.versionAt(parseTime(newYork)), expected);
            const ReplayResult oneShot = replayStream(*store, "account-9", { at, std::nullopt });
            QCOMPARE(oneShot.version, expected);
            QCOMPARE(oneShot.state["balance"].get<std::int64_t>(), bank.balanceAfter[std::size_t(expected)]);
        }
        QCOMPARE(engine.versionAt(parseTime("2024-03-01T03:00:00-05:00") - 1), 0); // before the first event
        const Micros first = bank.timeOf[1];
        QCOMPARE(engine.versionAt(parseTime(formatTime(first).replace(formatTime(first).size() - 1, 1, "+00:00"))),
            engine.versionAt(first));
    }

    // A handler that throws at one event stops the fold there: the timeline keeps every event, the states
    // before it are exact, and the frames after it say where the fold stopped.
    void failureLeavesTheTimelineUsable()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        auto store = openStore(location.uri(), true);
        std::vector<NewEvent> events;
        for (int v = 1; v <= 30; ++v) {
            NewEvent e;
            e.type = v == 17 ? "Broken" : "Counted";
            e.data = "{\"n\":" + std::to_string(v) + "}";
            events.push_back(e);
        }
        store->append("counter-1", events);
        auto reducer = makeJsReducer("({ $init: () => ({ n: 0 }), Counted: (s, e) => { s.n = e.data.n; },"
                                     "  Broken: (s, e) => { throw new Error('no n for ' + e.version); } })");
        ReplayEngine engine(*store, "counter-1", *reducer, 5);
        engine.load();
        QCOMPARE(engine.points().size(), 30u);
        QVERIFY(engine.loadFailure());
        QCOMPARE(engine.loadFailure()->version, 17);
        QVERIFY(engine.loadFailure()->message.find("no n for 17") != std::string::npos);
        QCOMPARE(Json::parse(engine.frameAt(16).state)["n"].get<int>(), 16);
        const ReplayFrame broken = engine.frameAt(17);
        QVERIFY(broken.failure);
        QCOMPARE(broken.failure->version, 17);
        QCOMPARE(broken.failure->type, std::string("Broken"));
        QCOMPARE(Json::parse(broken.state)["n"].get<int>(), 16);
        const ReplayFrame later = engine.frameAt(25);
        QVERIFY(later.failure);
        QCOMPARE(later.event->version, 25);
        QCOMPARE(Json::parse(engine.frameAt(3).state)["n"].get<int>(), 3); // before it, all is well
    }

    // A JavaScript reducer against the oracle: the balance from the amounts, not from the stored balance.
    void javascriptBankOracle()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        auto store = openStore(location.uri(), true);
        const Bank bank = makeBank(*store, "account-5", 1500, 5);
        auto reducer = makeJsReducer("({ $init: () => ({ balance: 0 }),"
                                     "  MoneyDeposited: (s, e) => { s.balance += e.data.amount; },"
                                     "  MoneyWithdrawn: (s, e) => { s.balance -= e.body.amount; return s; } })");
        ReplayEngine engine(*store, "account-5", *reducer, 64);
        engine.load();
        QVERIFY2(!engine.loadFailure(), engine.loadFailure() ? engine.loadFailure()->message.c_str() : "");
        QRandomGenerator random(3);
        for (int i = 0; i < 50; ++i) {
            const std::int64_t version = random.bounded(0, 1501);
            QCOMPARE(balanceIn(engine.frameAt(version).state), bank.balanceAfter[std::size_t(version)]);
        }
        const ReplayResult oneShot = replayStream(*store, "account-5", { std::nullopt, 777 }, *reducer);
        QCOMPARE(oneShot.state["balance"].get<std::int64_t>(), bank.balanceAfter[777]);
    }

    void snapshotDrift()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        auto store = openStore(location.uri(), true);
        makeBank(*store, "account-3", 120, 3);
        auto reducer = makeMergePatchReducer();
        ReplayEngine engine(*store, "account-3", *reducer, 10);
        engine.load();
        // A faithful snapshot at 40 (keys in another order), and one at 90 that a buggy writer got wrong.
        Json faithful = Json::parse(engine.frameAt(40).state);
        store->saveSnapshot({ "account-3", 40, MergePatchReducer::kName, faithful.dump(), 0 });
        Json wrong = Json::parse(engine.frameAt(90).state);
        wrong["balance"] = wrong["balance"].get<std::int64_t>() + 1;
        store->saveSnapshot({ "account-3", 90, MergePatchReducer::kName, wrong.dump(), 0 });
        store->saveSnapshot({ "account-3", 100, "js:another-reducer", "{}", 0 }); // not ours: left out
        const auto drifts = engine.snapshotDrift();
        QCOMPARE(drifts.size(), 2u);
        QCOMPARE(drifts[0].version, 90);
        QVERIFY(!drifts[0].equal);
        QCOMPARE(drifts[1].version, 40);
        QVERIFY(drifts[1].equal);
    }

    void cancelAndMissingStream()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        auto store = openStore(location.uri(), true);
        makeBank(*store, "account-1", 3000, 1);
        auto reducer = makeMergePatchReducer();
        ReplayEngine engine(*store, "account-1", *reducer);
        try {
            engine.load([](std::int64_t done, std::int64_t) { return done < 1000; });
            QFAIL("a cancelled load finished");
        } catch (const Error& e) {
            QCOMPARE(e.kind, ErrorKind::Cancelled);
        }
        ReplayEngine missing(*store, "account-404", *reducer);
        try {
            missing.load();
            QFAIL("loaded a stream that does not exist");
        } catch (const Error& e) {
            QCOMPARE(e.kind, ErrorKind::BadInput);
        }
    }
};

QTEST_GUILESS_MAIN(TestReplayEngine)
#include "tst_replay_engine.moc"
