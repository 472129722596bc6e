// The States tab's model: a projection's partition states read a page at a time as a view asks for them, in the
// store's byte order and the script's member order, and searched by a worker that walks every page, hands over
// its matches as it finds them and gives way to a newer search. Over both backends, against oracles kept by the
// test: what it wrote, sorted and filtered on its own.

#include "model/projection_states_model.h"
#include "storage/event_store.h"
#include "tests/model/projection_model_fixtures.h"
#include "tests/test_stores.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

using namespace eventscope;
using namespace eventscope::test;
using namespace Qt::Literals::StringLiterals;

namespace {

struct Partition
{
    std::string name;
    std::string stored; // as committed
    std::string compact; // what the model must show: compact, in the member order as stored
};
using Partitions = std::vector<Partition>; // in byte order, as the oracle sorts it

// `count` partitions p-0 … with states whose members are not in sorted order, and a few whose names or states
// hold what a naive search gets wrong: SQL wildcards, upper case, letters beyond ASCII, spaces in the JSON.
Partitions samplePartitions(int count)
{
    Partitions partitions;
    for (int i = 0; i < count; ++i) {
        const std::string state = "{\"z\":" + std::to_string(i) + ",\"a\":\"" + (i % 2 ? "odd" : "EVEN")
            + "\",\"tag\":\"T" + std::to_string(i % 7) + "\"}";
        partitions.push_back({ "p-" + std::to_string(i), state, state }); // p-1, p-10, p-100: prefixes of each other
    }
    partitions.push_back({ "100%", "{\"z\":-1,\"a\":\"50% off\"}", "{\"z\":-1,\"a\":\"50% off\"}" });
    partitions.push_back({ "under_score", "{\"z\":-2,\"a\":\"x_y\"}", "{\"z\":-2,\"a\":\"x_y\"}" });
    partitions.push_back({ "Zeta", "{\"z\":-3}", "{\"z\":-3}" });
    partitions.push_back(
        { "\xC3\xA9t\xC3\xA9", "{\"z\":-4,\"a\":\"\xC3\xA9t\xC3\xA9\"}", "{\"z\":-4,\"a\":\"\xC3\xA9t\xC3\xA9\"}" });
    partitions.push_back(
        { "spaced", "{ \"z\" : 123456 ,\n \"a\" : \"Spaced Out\" }", "{\"z\":123456,\"a\":\"Spaced Out\"}" });
    std::sort(partitions.begin(), partitions.end(),
        [](const Partition& a, const Partition& b) { return a.name < b.name; }); // char_traits: bytes, unsigned
    return partitions;
}

void commitStates(EventStore& store, const std::string& name, const Partitions& partitions)
{
    std::vector<PartitionState> states;
    for (const Partition& partition : partitions)
        states.push_back({ partition.name, partition.stored });
    store.commitProjection({ name, 1, "stopped", "{}", 0 }, states);
}

std::string folded(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
        [](unsigned char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : char(c); });
    return text;
}

// The oracle's search: ASCII letters in either case, everything else as it is.
Partitions matching(const Partitions& partitions, const std::string& text, std::size_t limit = 1000000)
{
    Partitions found;
    for (const Partition& partition : partitions)
        if (found.size() < limit
            && (folded(partition.name).find(folded(text)) != std::string::npos
                || folded(partition.compact).find(folded(text)) != std::string::npos))
            found.push_back(partition);
    return found;
}

// Whether the model shows exactly these partitions with these states, in this order; says where it does not.
bool showsExactly(const ProjectionStatesModel& model, const Partitions& expected)
{
    if (model.rowCount() != int(expected.size())) {
        qWarning() << "rows" << model.rowCount() << "expected" << expected.size();
        return false;
    }
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row, ProjectionStatesModel::Partition);
        const std::string partition = index.data(ProjectionStatesModel::PartitionRole).toString().toStdString();
        const std::string state = index.data(ProjectionStatesModel::StateRole).toString().toStdString();
        if (partition != expected[std::size_t(row)].name || state != expected[std::size_t(row)].compact
            || model.index(row, ProjectionStatesModel::State).data().toString().toStdString() != state) {
            qWarning() << "row" << row << "shows" << partition.c_str() << state.c_str() << "expected"
                       << expected[std::size_t(row)].name.c_str() << expected[std::size_t(row)].compact.c_str();
            return false;
        }
    }
    return true;
}

bool rowMatches(const ProjectionStatesModel& model, int row, const QString& text)
{
    const QModelIndex index = model.index(row, 0);
    return index.data(ProjectionStatesModel::PartitionRole).toString().contains(text, Qt::CaseInsensitive)
        || index.data(ProjectionStatesModel::StateRole).toString().contains(text, Qt::CaseInsensitive);
}

} // namespace

class TestProjectionStatesModel : public QObject
{
    Q_OBJECT

private slots:
    void statesAreSearched_data() { test::addBackendRows(); }
    void statesAreSearched()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        Written written;
        fill(location.uri(), 12, written);
        QCOMPARE(runNow(location.uri(), "counts", kCountScript).end, ProjectionRunResult::End::CaughtUp);

        ProjectionStatesModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &ProjectionStatesModel::loaded);
        model.load(QString::fromStdString(location.uri()), QStringLiteral("counts"));
        QVERIFY(loaded.wait(10000));
        QCOMPARE(model.rowCount(), int(written.streams.size()));
        QCOMPARE(model.totalCount(), qint64(written.streams.size()));
        for (int row = 0; row < model.rowCount(); ++row) {
            const std::string partition = model.index(row, 0).data().toString().toStdString();
            QVERIFY2(written.streams.count(partition), partition.c_str());
            const Expected& expected = written.streams.at(partition);
            const QJsonObject state
                = QJsonDocument::fromJson(model.index(row, 1).data(ProjectionStatesModel::StateRole).toByteArray())
                      .object();
            QCOMPARE(state.value(u"count"_s).toInt(), expected.count);
            QCOMPARE(state.value(u"note"_s).toString().toStdString(), expected.note);
            // Compact, in the script's member order (not sorted).
            const nlohmann::ordered_json compact { { "note", expected.note }, { "count", expected.count } };
            QCOMPARE(model.index(row, 1).data().toString().toStdString(), compact.dump());
        }

        const auto expectRows = [&](const QString& search, std::function<bool(const std::string&)> keep) {
            model.setSearch(search);
            if (!loaded.wait(10000))
                return false;
            std::vector<std::string> shown, wanted;
            for (int row = 0; row < model.rowCount(); ++row)
                shown.push_back(
                    model.index(row, 0).data(ProjectionStatesModel::PartitionRole).toString().toStdString());
            for (const auto& [stream, expected] : written.streams)
                if (keep(stream))
                    wanted.push_back(stream);
            std::sort(shown.begin(), shown.end());
            if (shown != wanted || model.matchCount() != qint64(wanted.size()))
                qWarning() << "search" << search << "showed" << shown.size() << "wanted" << wanted.size();
            return shown == wanted && model.matchCount() == qint64(wanted.size());
        };
        // By name, ignoring case: order-1, order-10, order-11.
        QVERIFY(expectRows(QStringLiteral("ORDER-1"), [](const std::string& s) { return s.rfind("order-1", 0) == 0; }));
        // By the JSON text: the note's tag.
        QVERIFY(expectRows(QStringLiteral("Tag-B"),
            [&](const std::string& s) { return written.streams.at(s).note.find("tag-b") != std::string::npos; }));
        QVERIFY(expectRows(
            QStringLiteral("\"count\":4"), [&](const std::string& s) { return written.streams.at(s).count == 4; }));
        QVERIFY(expectRows(QStringLiteral("no such text"), [](const std::string&) { return false; }));
        QVERIFY(expectRows(QString(), [](const std::string&) { return true; }));

        // After another run the states are read again.
        fill(location.uri(), 12, written);
        QCOMPARE(runNow(location.uri(), "counts", kCountScript).end, ProjectionRunResult::End::CaughtUp);
        model.reload();
        QVERIFY(loaded.wait(10000));
        const QModelIndex first = model.index(0, 1);
        QCOMPARE(QJsonDocument::fromJson(first.data(ProjectionStatesModel::StateRole).toByteArray())
                     .object()
                     .value(u"count"_s)
                     .toInt(),
            written.streams.at(model.index(0, 0).data().toString().toStdString()).count);

        // A projection that does not exist has no states; no name empties the model.
        model.load(QString::fromStdString(location.uri()), QStringLiteral("nothing"));
        QVERIFY(loaded.wait(10000));
        QCOMPARE(model.rowCount(), 0);
        model.load({}, {});
        QCOMPARE(model.rowCount(), 0);
    }

    // 2,505 partitions: a page of 1,000 comes with the count, and each fetchMore() adds the next one, no sooner.
    void pagesAreReadAsAsked_data() { addBackendRows(); }
    void pagesAreReadAsAsked()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        const Partitions sample = samplePartitions(2500);
        commitStates(*store, "many", sample);
        // The oracle's order is the store's: byte order, upper case and SQL's own collation notwithstanding.
        const std::vector<PartitionState> stored = store->projectionStates("many");
        QCOMPARE(stored.size(), sample.size());
        for (std::size_t i = 0; i < sample.size(); ++i)
            QCOMPARE(stored[i].partition, sample[i].name);

        ProjectionStatesModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &ProjectionStatesModel::loaded);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QVERIFY(!model.canFetchMore({}));
        model.load(QString::fromStdString(location.uri()), u"many"_s);
        QVERIFY(model.isLoading());
        QVERIFY(!model.canFetchMore({})); // one read at a time
        QVERIFY(loaded.wait(10000));
        QCOMPARE(model.rowCount(), ProjectionStatesModel::pageSize);
        QCOMPARE(model.totalCount(), qint64(sample.size()));
        QVERIFY(showsExactly(model, Partitions(sample.begin(), sample.begin() + 1000)));
        QVERIFY(model.canFetchMore({}));
        QTest::qWait(300);
        QCOMPARE(model.rowCount(), 1000); // nothing more until a view asks

        model.fetchMore({});
        QVERIFY(model.isLoading());
        QVERIFY(!model.canFetchMore({}));
        model.fetchMore({}); // asked again while the page is read: still one page
        QVERIFY(loaded.wait(10000));
        QCOMPARE(model.rowCount(), 2000);
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QVERIFY(loaded.wait(10000));
        QCOMPARE(model.rowCount(), int(sample.size()));
        QVERIFY(!model.canFetchMore({}));
        QVERIFY(showsExactly(model, sample));
        // The first page came with a reset; each later one was inserted at the end, once.
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(inserted[0][1].toInt(), 1000);
        QCOMPARE(inserted[0][2].toInt(), 1999);
        QCOMPARE(inserted[1][1].toInt(), 2000);
        QCOMPARE(inserted[1][2].toInt(), int(sample.size()) - 1);
        model.fetchMore({});
        QVERIFY(!model.isLoading());

        // Exactly two pages: the third read finds nothing and says there is no more.
        Partitions two(sample.begin(), sample.begin() + 2000);
        commitStates(*store, "two", two);
        model.load(QString::fromStdString(location.uri()), u"two"_s);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(model.totalCount(), qint64(2000));
        model.fetchMore({});
        QVERIFY(loaded.wait(10000));
        QCOMPARE(model.rowCount(), 2000);
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QVERIFY(loaded.wait(10000));
        QCOMPARE(model.rowCount(), 2000);
        QVERIFY(!model.canFetchMore({}));
        QVERIFY(showsExactly(model, two));
    }

    void searchWalksEveryPage_data() { addBackendRows(); }
    void searchWalksEveryPage()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        const Partitions sample = samplePartitions(2500);
        commitStates(*store, "many", sample);

        ProjectionStatesModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &ProjectionStatesModel::loaded);
        model.load(QString::fromStdString(location.uri()), u"many"_s);
        QVERIFY(loaded.wait(10000));
        std::vector<qint64> scanned;
        connect(&model, &ProjectionStatesModel::statusChanged, this, [&] {
            if (model.isSearching())
                scanned.push_back(model.scannedCount());
        });
        const auto search = [&](const std::string& text, const Partitions& expected) {
            scanned.clear();
            model.setSearch(QString::fromStdString(text));
            if (!model.isSearching() || model.canFetchMore({}) || !loaded.wait(10000))
                return false;
            // It said how far it had got as it went, a page at a time, and looked at every partition.
            const bool counted = !scanned.empty() && std::is_sorted(scanned.begin(), scanned.end())
                && model.scannedCount() == qint64(sample.size()) && scanned.size() >= 3;
            if (!counted)
                qWarning() << "scanned" << scanned << "in the end" << model.scannedCount();
            return counted && !model.isSearching() && !model.matchLimitReached()
                && model.matchCount() == qint64(expected.size()) && showsExactly(model, expected);
        };
        // By name, in any case, across all three pages: p-12, p-120 … p-1299.
        QVERIFY(search("P-12", matching(sample, "p-12")));
        QVERIFY(matching(sample, "p-12").size() == 111);
        // By the JSON text, compact: half of them, on every page.
        QVERIFY(search("\"a\":\"even\"", matching(sample, "\"a\":\"EVEN\"")));
        // The compact text, not the stored one, which has spaces.
        QVERIFY(search("\"z\":123456,\"a\"", matching(sample, "spaced")));
        QCOMPARE(matching(sample, "spaced").size(), std::size_t(1));
        // The partitions on either side of the first page's end, and the very last one.
        QVERIFY(search(sample[999].name, matching(sample, sample[999].name)));
        QVERIFY(search(sample[1000].name, matching(sample, sample[1000].name)));
        QVERIFY(search(sample.back().name, matching(sample, sample.back().name)));
        QCOMPARE(sample.back().name, std::string("\xC3\xA9t\xC3\xA9"));
        // Beyond ASCII the case is ignored too: "ÉTÉ" finds été.
        QVERIFY(search("\xC3\x89T\xC3\x89", { sample.back() }));
        // Wildcards of SQL and regular expressions are plain text.
        QVERIFY(search("%", matching(sample, "%")));
        QCOMPARE(matching(sample, "%").size(), std::size_t(1));
        QVERIFY(search("_", matching(sample, "_")));
        QCOMPARE(matching(sample, "_").size(), std::size_t(1));
        QVERIFY(search(".*", {}));
        QVERIFY(search("no such text", {}));

        // No search: back to the first page, read as asked.
        model.setSearch({});
        QVERIFY(loaded.wait(10000));
        QCOMPARE(model.rowCount(), 1000);
        QVERIFY(model.canFetchMore({}));
        QVERIFY(showsExactly(model, Partitions(sample.begin(), sample.begin() + 1000)));
    }

    // A search typed on while the last one still runs: only the newest one's matches are ever shown.
    void newerSearchSupersedesTheOlder_data() { addBackendRows(); }
    void newerSearchSupersedesTheOlder()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        const Partitions sample = samplePartitions(2500);
        commitStates(*store, "many", sample);

        ProjectionStatesModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &ProjectionStatesModel::loaded);
        model.load(QString::fromStdString(location.uri()), u"many"_s);
        QVERIFY(loaded.wait(10000));
        loaded.clear();

        QString newest;
        int wrongRows = 0;
        const auto check = [&] {
            for (int row = 0; !newest.isEmpty() && row < model.rowCount(); ++row)
                wrongRows += rowMatches(model, row, newest) ? 0 : 1;
        };
        connect(&model, &QAbstractItemModel::rowsInserted, this, check);
        connect(&model, &QAbstractItemModel::modelReset, this, check);
        // The new search is typed as the first page of the old one arrives: two of its pages are still to come.
        bool typed = false;
        connect(&model, &ProjectionStatesModel::statusChanged, this, [&] {
            if (typed || model.search() != u"p-"_s || model.scannedCount() < 1000)
                return;
            typed = true;
            QVERIFY(model.isSearching());
            newest = u"t3\"}"_s;
            model.setSearch(u"T3\"}"_s);
        });
        model.setSearch(u"p-"_s); // every page matches
        QVERIFY(loaded.wait(10000));
        QVERIFY(typed);
        QVERIFY(showsExactly(model, matching(sample, "t3\"}")));
        QCOMPARE(wrongRows, 0);
        QTest::qWait(300);
        QCOMPARE(loaded.count(), 1); // the superseded search never said it was done
        QVERIFY(showsExactly(model, matching(sample, "t3\"}")));

        // Three in a row, none waited for: the last one wins.
        newest.clear();
        model.setSearch(u"p-1"_s);
        model.setSearch(u"odd"_s);
        newest = u"p-24"_s;
        model.setSearch(newest);
        QVERIFY(loaded.wait(10000));
        QVERIFY(showsExactly(model, matching(sample, "p-24")));
        QCOMPARE(wrongRows, 0);

        // Choosing no projection while a search runs empties the model, and nothing arrives after.
        newest.clear();
        model.setSearch(u"p-"_s);
        QVERIFY(model.isSearching());
        model.load({}, {});
        QCOMPARE(model.rowCount(), 0);
        QTRY_VERIFY(!model.isLoading());
        QTest::qWait(100);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(loaded.count(), 2);
    }

    // A search that matches everything stops after maxMatches, and says so.
    void searchStopsAtTheLimit_data() { addBackendRows(); }
    void searchStopsAtTheLimit()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        const Partitions sample = samplePartitions(10200);
        commitStates(*store, "huge", sample);

        ProjectionStatesModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &ProjectionStatesModel::loaded);
        model.setSearch(u"\"z\""_s);
        model.load(QString::fromStdString(location.uri()), u"huge"_s);
        QVERIFY(loaded.wait(30000));
        QCOMPARE(model.totalCount(), qint64(sample.size()));
        QVERIFY(model.matchLimitReached());
        QCOMPARE(model.matchCount(), qint64(ProjectionStatesModel::maxMatches));
        QCOMPARE(model.scannedCount(), qint64(ProjectionStatesModel::maxMatches));
        QVERIFY(showsExactly(model, matching(sample, "\"z\"", ProjectionStatesModel::maxMatches)));
        QVERIFY(!model.canFetchMore({}));
        // Fewer matches than that: every partition is looked at.
        model.setSearch(u"P-1"_s);
        QVERIFY(loaded.wait(30000));
        QVERIFY(!model.matchLimitReached());
        QCOMPARE(model.scannedCount(), qint64(sample.size()));
        QVERIFY(showsExactly(model, matching(sample, "p-1")));
    }

    void storeThatCannotBeOpenedSaysSo()
    {
        ProjectionStatesModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy failed(&model, &ProjectionStatesModel::loadFailed);
        QSignalSpy loaded(&model, &ProjectionStatesModel::loaded);
        model.load(u"/nonexistent/folder/store.db"_s, u"p"_s);
        QVERIFY(failed.wait(10000));
        QVERIFY(!model.error().isEmpty());
        QCOMPARE(failed.front().front().toString(), model.error());
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.totalCount(), qint64(-1));
        QTRY_VERIFY(!model.isLoading());
        QVERIFY(!model.canFetchMore({}));
        // A search of it fails the same way and ends.
        model.setSearch(u"x"_s);
        QVERIFY(failed.wait(10000));
        QTRY_VERIFY(!model.isSearching());
        QCOMPARE(model.rowCount(), 0);
        // A store that opens clears the error.
        StoreLocation location(u"sqlite"_s);
        auto store = openStore(location.uri(), true);
        const Partitions sample = samplePartitions(3);
        commitStates(*store, "p", sample);
        model.load(QString::fromStdString(location.uri()), u"p"_s);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(model.error(), QString());
        QVERIFY(showsExactly(model, matching(sample, "x"))); // under_score's x_y
        model.setSearch(u"P-"_s);
        QVERIFY(loaded.wait(10000));
        QVERIFY(showsExactly(model, matching(sample, "p-")));
        QCOMPARE(model.rowCount(), 3);
    }
};

QTEST_GUILESS_MAIN(TestProjectionStatesModel)
#include "tst_projection_states_model.moc"
