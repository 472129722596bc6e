// The Stream tab's replays on their worker thread: a load with progress, coalesced moves that end on the newest
// wish, compare, cancel, and a reducer that does not compile.

#include "model/replay_session.h"
#include "tests/test_stores.h"

#include <QSignalSpy>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace eventscope;

Q_DECLARE_METATYPE(eventscope::ReplayTimeline)
Q_DECLARE_METATYPE(eventscope::ReplayFrame)

namespace {

void fillCounter(const std::string& uri, int events)
{
    auto store = openStore(uri, true);
    std::vector<NewEvent> batch;
    for (int v = 1; v <= events; ++v) {
        NewEvent e;
        e.type = v % 2 ? "Odd" : "Even";
        e.data = "{\"n\":" + std::to_string(v) + "}";
        batch.push_back(e);
    }
    store->append("counter-1", batch);
}

int stateN(const std::string& state)
{
    const auto json = nlohmann::json::parse(state);
    return json.contains("n") ? json["n"].get<int>() : 0;
}

} // namespace

class TestReplaySession : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qRegisterMetaType<ReplayTimeline>();
        qRegisterMetaType<ReplayFrame>();
    }

    void loadsMovesAndCompares()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        fillCounter(location.uri(), 5000);
        ReplaySession session(location.uri());
        QSignalSpy opened(&session, &ReplaySession::opened);
        QSignalSpy progress(&session, &ReplaySession::progress);
        session.open(QStringLiteral("counter-1"));
        QTRY_COMPARE(opened.count(), 1);
        QVERIFY(progress.count() >= 1);
        QCOMPARE(progress.last().at(0).toLongLong(), 5000);
        const auto timeline = opened.at(0).at(0).value<ReplayTimeline>();
        QCOMPARE(timeline.points.size(), 5000u);
        QCOMPARE(timeline.headVersion, 5000);
        QCOMPARE(timeline.reducer, std::string("merge-patch"));
        QCOMPARE(timeline.typeNames.size(), 2u);

        // A drag: many moves at once; the last one is what the tab ends on.
        QSignalSpy frames(&session, &ReplaySession::frameReady);
        for (int v = 100; v <= 4000; v += 10)
            session.moveTo(v);
        QTRY_VERIFY(!frames.isEmpty() && frames.last().at(0).value<ReplayFrame>().version == 4000);
        QVERIFY(frames.count() < 100); // coalesced, not one frame per wish
        const auto last = frames.last().at(0).value<ReplayFrame>();
        QCOMPARE(stateN(last.state), 4000);
        QCOMPARE(stateN(last.stateBefore), 3999);
        QCOMPARE(last.event->type, std::string("Even"));

        QSignalSpy compared(&session, &ReplaySession::compared);
        session.compare(10, 2500);
        QTRY_COMPARE(compared.count(), 1);
        QCOMPARE(stateN(compared.at(0).at(0).value<ReplayFrame>().state), 10);
        QCOMPARE(stateN(compared.at(0).at(1).value<ReplayFrame>().state), 2500);
        session.moveTo(4000); // served afresh after a compare
        QTRY_VERIFY(frames.count() >= 2 && frames.last().at(0).value<ReplayFrame>().version == 4000);
    }

    void javascriptReducerAndItsErrors()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        fillCounter(location.uri(), 50);
        ReplaySession session(location.uri());
        QSignalSpy opened(&session, &ReplaySession::opened);
        QSignalSpy failed(&session, &ReplaySession::failed);
        session.open(
            QStringLiteral("counter-1"), QStringLiteral("({ $init: () => ({ odd: 0 }), Odd: (s) => { s.odd++; } })"));
        QTRY_COMPARE(opened.count(), 1);
        QVERIFY(opened.at(0).at(0).value<ReplayTimeline>().reducer.starts_with("js:"));
        QSignalSpy frames(&session, &ReplaySession::frameReady);
        session.moveTo(50);
        QTRY_COMPARE(frames.count(), 1);
        QCOMPARE(nlohmann::json::parse(frames.at(0).at(0).value<ReplayFrame>().state)["odd"].get<int>(), 25);

        session.open(QStringLiteral("counter-1"), QStringLiteral("({ Odd: (s) => { s.odd++ "));
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("does not compile")),
            qPrintable(failed.at(0).at(0).toString()));

        session.open(QStringLiteral("counter-404"));
        QTRY_COMPARE(failed.count(), 2);
        QVERIFY(failed.at(1).at(0).toString().contains(QStringLiteral("counter-404")));
    }

    void cancelStopsALoad()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        fillCounter(location.uri(), 60'000);
        ReplaySession session(location.uri());
        QSignalSpy opened(&session, &ReplaySession::opened);
        QSignalSpy failed(&session, &ReplaySession::failed);
        session.open(QStringLiteral("counter-1"));
        session.cancel();
        QTRY_COMPARE(failed.count() + opened.count(), 1);
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("cancelled")));
        QVERIFY(!session.isLoading());
    }
};

QTEST_GUILESS_MAIN(TestReplaySession)
#include "tst_replay_session.moc"
