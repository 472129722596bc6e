// The demo store must look like a real system: accounts and order flows over several streams, tied by
// correlation and causation, several actors, schema v1 and v2, weeks of time; and be the same for a seed.

#include "model/demo_generator.h"
#include "storage/time_format.h"
#include "tests/test_stores.h"

#include <QTest>

#include <map>
#include <set>

using namespace eventscope;

class TestDemoGenerator : public QObject
{
    Q_OBJECT

private slots:
    void realisticStore_data() { test::addBackendRows(); }
    void realisticStore()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        DemoOptions options;
        options.events = 6000;
        options.seed = 7;
        std::int64_t lastProgress = 0;
        const auto summary = generateDemo(*store, options, [&](std::int64_t done) { lastProgress = done; });
        QCOMPARE(summary.events, 6000);
        QCOMPARE(lastProgress, 6000);
        QCOMPARE(store->headPosition(), 6000);

        EventQuery all;
        all.limit = 10000;
        const auto events = store->read(all).events;
        QCOMPARE(events.size(), 6000u);
        std::set<std::string> categories, actors, ids;
        std::set<std::int64_t> schemaVersions;
        std::map<std::string, std::set<std::string>> streamsByCorrelation;
        std::int64_t causedByAnEvent = 0;
        for (const auto& e : events) {
            categories.insert(categoryOf(e.stream));
            actors.insert(e.actor);
            ids.insert(e.id);
            if (e.schemaVersion)
                schemaVersions.insert(*e.schemaVersion);
            streamsByCorrelation[e.correlation].insert(e.stream);
        }
        for (const auto& e : events)
            causedByAnEvent += ids.count(e.causation);
        for (const char* category : { "account", "order", "payment", "inventory", "shipment" })
            QVERIFY2(categories.count(category), category);
        QVERIFY(actors.size() >= 5);
        QCOMPARE(schemaVersions, (std::set<std::int64_t> { 1, 2 }));
        QVERIFY(causedByAnEvent > 1000); // causation chains, not just correlation
        std::size_t flowsOverThreeStreams = 0;
        for (const auto& [correlation, streams] : streamsByCorrelation)
            flowsOverThreeStreams += streams.size() >= 3;
        QVERIFY(flowsOverThreeStreams > 20);
        QVERIFY(events.back().time - events.front().time > 21LL * 24 * 3600 * 1'000'000); // weeks
        for (std::size_t i = 1; i < events.size(); ++i)
            QVERIFY(events[i].time >= events[i - 1].time);
        QVERIFY(store->verify(std::nullopt).ok);
    }

    void sameSeedSameStore()
    {
        QTemporaryDir dir;
        std::vector<std::string> firstIds;
        for (const char* name : { "a.db", "b.db" }) {
            auto store = openStore(QDir(dir.path()).filePath(QLatin1String(name)).toStdString(), true);
            generateDemo(*store, { 500, 0, 42 });
            EventQuery all;
            all.limit = 1000;
            std::vector<std::string> ids;
            for (const auto& e : store->read(all).events)
                ids.push_back(e.id + e.data + e.stream + formatTime(e.time));
            if (firstIds.empty())
                firstIds = ids;
            else
                QVERIFY(ids == firstIds);
        }
    }
};

QTEST_GUILESS_MAIN(TestDemoGenerator)
#include "tst_demo_generator.moc"
