// The Flow tab's Broken flows (DESIGN §6, §9): the correlations of a time range with orphans, over both backends.
// Causes by ID, by Message DB global position and by stream position; causes outside the range, in other
// correlations, later in the range, in capitals; inclusive bounds; other conventions; cancel; progress; the job
// and the list model. Every expectation comes from an oracle in this file that compares each cause with every
// stored event, and the default fixture's answer is also written out by hand.

#include "model/broken_flows.h"
#include "model/broken_flows_job.h"
#include "model/broken_flows_model.h"
#include "storage/error.h"
#include "storage/event_store.h"
#include "storage/time_format.h"
#include "tests/test_stores.h"

#include <QAbstractItemModelTester>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThreadPool>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

using namespace eventscope;
using namespace Qt::Literals::StringLiterals;
using Json = nlohmann::json;

namespace {

const Micros t0 = parseTime("2024-03-01T10:00:00Z");
constexpr Micros second = 1'000'000;
const Micros rangeStart = t0 + 100 * second;
const Micros rangeEnd = t0 + 200 * second;

std::string uuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
}

std::string upper(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    return text;
}

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

struct Stored
{
    std::int64_t position = 0;
    std::string stream;
    std::int64_t version = 0;
    std::string id;
    Micros time = 0;
    Json metadata;
};

// The store as the test wrote it: the oracle's whole knowledge.
struct Fixture
{
    explicit Fixture(std::unique_ptr<EventStore> opened)
        : store(std::move(opened))
    {
    }

    std::unique_ptr<EventStore> store;
    std::vector<Stored> events;
    std::map<std::string, std::string> ids; // by the fixture's name for an event

    const Stored& add(const std::string& stream, Micros time, Json metadata, const std::string& id = {})
    {
        NewEvent event;
        event.id = id.empty() ? uuid() : id;
        event.type = "Happened";
        event.time = time;
        event.metadata = metadata.dump();
        const AppendResult result = store->append(stream, { event });
        events.push_back({ result.firstPosition, stream, result.firstVersion, result.ids.front(), time, metadata });
        return events.back();
    }
};

Json corr(const std::string& correlation, Json extra = Json::object())
{
    extra["correlationId"] = correlation;
    return extra;
}

Json causedBy(const std::string& correlation, const std::string& cause)
{
    return corr(correlation, { { "causationId", cause } });
}

// The fixture of the scan tests: each correlation is named after what it tests. Range: [t0+100 s, t0+200 s].
void fill(Fixture& f)
{
    const std::string before = f.add("order-0", t0 + 10 * second, corr("pre")).id;
    const std::string root = f.add("order-1", rangeStart, corr("ok")).id; // exactly at `since`
    f.add("order-1", t0 + 110 * second, causedBy("ok", root));
    f.add("pay-1", t0 + 105 * second, corr("orphan-id"));
    f.ids["orphan-id"] = f.add("pay-1", t0 + 120 * second, causedBy("orphan-id", uuid())).id;
    f.add("ship-1", t0 + 130 * second, causedBy("outside-cause", before)); // before the range, another correlation
    f.add("ship-1", t0 + 131 * second, causedBy("outside-cause", root)); // in the range, another correlation
    f.ids["mdb-missing"]
        = f.add("mdb-1", t0 + 135 * second, corr("mdb-missing", { { "causationMessageGlobalPosition", 999999 } })).id;
    f.add("mdb-1", t0 + 136 * second,
        corr("mdb-exists", { { "causationMessageGlobalPosition", f.events.front().position } }));
    // The cause comes later in the range, by time and by position: the two clocks disagree.
    const std::string lateCause = uuid();
    f.add("late-1", t0 + 140 * second, causedBy("late-cause", lateCause));
    f.add("late-2", t0 + 150 * second, corr("late-cause"), lateCause);
    f.ids["stream-missing"]
        = f.add("sm-1", t0 + 141 * second,
               corr("stream-missing",
                   { { "causationMessageStreamName", "nowhere-1" }, { "causationMessagePosition", 0 } }))
              .id;
    f.add("sm-2", t0 + 142 * second,
        corr("stream-exists", { { "causationMessageStreamName", "order-1" }, { "causationMessagePosition", 1 } }));
    // Two orphans, the later appended being the earlier in time.
    f.add("two-1", t0 + 170 * second, causedBy("two-orphans", uuid()));
    f.ids["two-orphans"] = f.add("two-1", t0 + 160 * second, causedBy("two-orphans", uuid())).id;
    f.ids["tie-b"] = f.add("tie-1", t0 + 180 * second, causedBy("tie-b", uuid())).id;
    f.ids["tie-a"] = f.add("tie-1", t0 + 180 * second, causedBy("tie-a", uuid())).id;
    f.ids["system"] = f.add("$flows-audit", t0 + 185 * second, causedBy("system", "no-such-event")).id;
    f.add("nocorr-1", t0 + 186 * second, { { "causationId", uuid() } });
    f.add("request-1", t0 + 186 * second, causedBy("request-7", "request-7")); // began by a request, no orphan
    const std::string self = uuid();
    f.add("self-1", t0 + 187 * second, causedBy("self", self), self);
    f.ids["at-until"] = f.add("edge-1", rangeEnd, causedBy("at-until", uuid())).id;
    f.add("edge-1", rangeEnd + 1, causedBy("after-until", uuid()));
    f.add("edge-0", rangeStart - 1, causedBy("before-since", uuid()));
    // Only other conventions see these.
    const std::string traced = uuid();
    f.ids["trace-9"]
        = f.add("trace-1", t0 + 150 * second, { { "traceId", "trace-9" }, { "parentId", "span-gone" } }, traced).id;
    f.add("trace-1", t0 + 151 * second, { { "traceId", "trace-ok" }, { "parentId", traced } });
}

struct Keys
{
    std::vector<std::string> correlation;
    std::vector<std::string> causation;
};

const Keys defaultKeys { { "correlationId", "correlation_id", "$correlationId", "correlationStreamName" },
    { "causationId", "causation_id", "$causationId" } };
const Keys traceKeys { { "traceId" }, { "parentId" } };

Conventions conventionsOf(const Keys& keys)
{
    Conventions conventions;
    conventions.correlation = keys.correlation;
    conventions.causation = keys.causation;
    return conventions;
}

const Json* firstPresent(const Json& metadata, const std::vector<std::string>& keys)
{
    for (const std::string& key : keys)
        if (metadata.contains(key))
            return &metadata[key];
    return nullptr;
}

// Compares every cause with every stored event, the brute-force way.
std::vector<BrokenFlow> oracle(
    const std::vector<Stored>& store, const Keys& keys, std::optional<Micros> since, std::optional<Micros> until)
{
    std::map<std::string, BrokenFlow> flows;
    std::map<std::string, std::pair<Micros, std::int64_t>> firstOrphanAt;
    for (const Stored& event : store) {
        if ((since && event.time < *since) || (until && event.time > *until))
            continue;
        const Json* correlation = firstPresent(event.metadata, keys.correlation);
        if (!correlation)
            continue;
        BrokenFlow& flow = flows[correlation->get<std::string>()];
        flow.correlation = correlation->get<std::string>();
        flow.firstTime = flow.events == 0 ? event.time : std::min(flow.firstTime, event.time);
        flow.lastTime = flow.events == 0 ? event.time : std::max(flow.lastTime, event.time);
        ++flow.events;

        std::function<bool(const Stored&)> names;
        std::string described;
        if (const Json* id = firstPresent(event.metadata, keys.causation)) {
            const std::string wanted = id->get<std::string>();
            names = [wanted](const Stored& s) { return lower(s.id) == lower(wanted); };
            described = "event " + wanted;
        } else if (event.metadata.contains("causationMessageGlobalPosition")) {
            const std::int64_t position = event.metadata["causationMessageGlobalPosition"];
            names = [position](const Stored& s) { return s.position == position; };
            described = "position " + std::to_string(position);
        } else if (event.metadata.contains("causationMessageStreamName")) {
            const std::string stream = event.metadata["causationMessageStreamName"];
            const std::int64_t version = event.metadata["causationMessagePosition"].get<std::int64_t>() + 1;
            names = [stream, version](const Stored& s) { return s.stream == stream && s.version == version; };
            described = stream + " version " + std::to_string(version);
        } else {
            continue;
        }
        if (std::any_of(store.begin(), store.end(), names))
            continue;
        // A causation naming the correlation itself is the request that began the flow: a root.
        if (described == "event " + flow.correlation)
            continue;
        const auto at = std::pair(event.time, event.position);
        if (flow.orphans == 0 || at < firstOrphanAt[flow.correlation]) {
            firstOrphanAt[flow.correlation] = at;
            flow.firstOrphanId = event.id;
            flow.firstOrphanCause = described;
        }
        ++flow.orphans;
    }
    std::vector<BrokenFlow> broken;
    for (const auto& [correlation, flow] : flows)
        if (flow.orphans > 0)
            broken.push_back(flow);
    std::stable_sort(broken.begin(), broken.end(),
        [](const BrokenFlow& a, const BrokenFlow& b) { return a.firstTime < b.firstTime; });
    return broken;
}

QStringList lines(const std::vector<BrokenFlow>& flows)
{
    QStringList out;
    for (const BrokenFlow& flow : flows)
        out << QString::fromStdString(flow.correlation + " events=" + std::to_string(flow.events)
            + " orphans=" + std::to_string(flow.orphans) + " first=" + formatTime(flow.firstTime) + " last="
            + formatTime(flow.lastTime) + " orphan=" + flow.firstOrphanId + " cause=" + flow.firstOrphanCause);
    return out;
}

QStringList correlations(const std::vector<BrokenFlow>& flows)
{
    QStringList out;
    for (const BrokenFlow& flow : flows)
        out << QString::fromStdString(flow.correlation);
    return out;
}

BrokenFlowScanOptions rangeOptions(std::optional<Micros> since, std::optional<Micros> until, const Keys& keys)
{
    BrokenFlowScanOptions options;
    options.since = since;
    options.until = until;
    options.conventions = conventionsOf(keys);
    return options;
}

// 2500 correlated events (three pages), one second apart from t0, one of them an orphan.
void fillBulk(EventStore& store)
{
    std::vector<NewEvent> events;
    for (int i = 0; i < 2500; ++i) {
        NewEvent event;
        event.type = "Bulk";
        event.time = t0 + i * second;
        Json metadata = corr("bulk");
        if (i == 1234)
            metadata["causationId"] = uuid();
        event.metadata = metadata.dump();
        events.push_back(std::move(event));
    }
    store.append("bulk-1", std::move(events));
}

} // namespace

class TestBrokenFlows : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { qRegisterMetaType<std::vector<BrokenFlow>>(); }

    void scan_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<bool>("traceConventions");
        for (const QString& backend : { u"sqlite"_s, u"postgresql"_s }) {
            QTest::addRow("%s/defaults", qPrintable(backend)) << backend << false;
            QTest::addRow("%s/traceId", qPrintable(backend)) << backend << true;
        }
    }

    void scan()
    {
        QFETCH(QString, backend);
        QFETCH(bool, traceConventions);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        Fixture f(openStore(location.uri(), true));
        fill(f);
        const Keys& keys = traceConventions ? traceKeys : defaultKeys;

        const auto found = findBrokenFlows(*f.store, rangeOptions(rangeStart, rangeEnd, keys));
        QCOMPARE(lines(found), lines(oracle(f.events, keys, rangeStart, rangeEnd)));

        // The oracle's answer, by hand: what each correlation of the fixture is there to show.
        const QStringList expected = traceConventions
            ? QStringList { u"trace-9"_s }
            : QStringList { u"orphan-id"_s, u"mdb-missing"_s, u"stream-missing"_s, u"two-orphans"_s, u"tie-a"_s,
                  u"tie-b"_s, u"system"_s, u"at-until"_s };
        QCOMPARE(correlations(found), expected);
        for (const BrokenFlow& flow : found)
            QCOMPARE(flow.firstOrphanId, f.ids.at(flow.correlation));
        if (traceConventions) {
            QCOMPARE(found.front().firstOrphanCause, "event span-gone");
            return;
        }
        const BrokenFlow& orphanId = found[0];
        QCOMPARE(orphanId.events, 2u);
        QCOMPARE(orphanId.orphans, 1u);
        QCOMPARE(orphanId.firstTime, t0 + 105 * second);
        QCOMPARE(orphanId.lastTime, t0 + 120 * second);
        QCOMPARE(found[1].firstOrphanCause, "position 999999");
        QCOMPARE(found[2].firstOrphanCause, "nowhere-1 version 1");
        QCOMPARE(found[3].orphans, 2u);
        QCOMPARE(found[3].firstTime, t0 + 160 * second);
        QCOMPARE(found[6].firstOrphanCause, "event no-such-event");
        QCOMPARE(found[7].firstTime, rangeEnd);
    }

    void causeInCapitals_data() { test::addBackendRows(); }

    void causeInCapitals()
    {
        // The stores keep IDs as lower-case UUIDs; a causation that spells one in capitals still names it.
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        Fixture f(openStore(location.uri(), true));
        const std::string before = f.add("order-0", t0, corr("pre")).id;
        const std::string inside = f.add("order-1", rangeStart, corr("in")).id;
        f.add("case-1", t0 + 150 * second, causedBy("cause-before-range", upper(before)));
        f.add("case-2", t0 + 151 * second, causedBy("cause-in-range", upper(inside)));
        f.add("case-3", t0 + 152 * second, causedBy("cause-missing", upper(uuid())));
        const auto found = findBrokenFlows(*f.store, rangeOptions(rangeStart, rangeEnd, defaultKeys));
        QCOMPARE(lines(found), lines(oracle(f.events, defaultKeys, rangeStart, rangeEnd)));
        QCOMPARE(correlations(found), QStringList { u"cause-missing"_s });
    }

    void bounds_data() { test::addBackendRows(); }

    void bounds()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        Fixture f(openStore(location.uri(), true));
        fill(f);
        const struct
        {
            const char* name;
            std::optional<Micros> since, until;
        } ranges[] = {
            { "open", std::nullopt, std::nullopt },
            { "since only", rangeStart, std::nullopt },
            { "until only", std::nullopt, rangeEnd },
            { "one instant at until", rangeEnd, rangeEnd },
            { "one instant before since", rangeStart - 1, rangeStart - 1 },
            { "just after until", rangeEnd + 1, std::nullopt },
            { "ending just before until", rangeStart, rangeEnd - 1 },
            { "ending before the first event", std::nullopt, t0 },
            { "the two ties only", t0 + 180 * second, t0 + 180 * second },
        };
        for (const auto& range : ranges) {
            const auto found = findBrokenFlows(*f.store, rangeOptions(range.since, range.until, defaultKeys));
            const auto expected = oracle(f.events, defaultKeys, range.since, range.until);
            if (lines(found) != lines(expected))
                QFAIL(qPrintable(u"range "_s + QLatin1String(range.name) + u": found "_s + lines(found).join(u"; ")
                    + u"; expected "_s + lines(expected).join(u"; ")));
        }
        const auto atUntil = findBrokenFlows(*f.store, rangeOptions(rangeEnd, rangeEnd, defaultKeys));
        QCOMPARE(correlations(atUntil), QStringList { u"at-until"_s });
        const auto afterUntil = findBrokenFlows(*f.store, rangeOptions(rangeEnd + 1, std::nullopt, defaultKeys));
        QCOMPARE(correlations(afterUntil), QStringList { u"after-until"_s });
        const auto ties = findBrokenFlows(*f.store, rangeOptions(t0 + 180 * second, t0 + 180 * second, defaultKeys));
        QCOMPARE(correlations(ties), (QStringList { u"tie-a"_s, u"tie-b"_s }));
    }

    void maxResults()
    {
        test::StoreLocation location(u"sqlite"_s);
        Fixture f(openStore(location.uri(), true));
        fill(f);
        auto options = rangeOptions(rangeStart, rangeEnd, defaultKeys);
        options.maxResults = 3;
        const auto found = findBrokenFlows(*f.store, options);
        auto expected = oracle(f.events, defaultKeys, rangeStart, rangeEnd);
        expected.resize(3);
        QCOMPARE(lines(found), lines(expected));
        options.maxResults = 0;
        QVERIFY(findBrokenFlows(*f.store, options).empty());
    }

    void badInput_data() { test::addBackendRows(); }

    void badInput()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        // An empty store has no broken flows, whatever the range.
        QVERIFY(findBrokenFlows(*store, {}).empty());
        QVERIFY(findBrokenFlows(*store, rangeOptions(rangeStart, rangeEnd, defaultKeys)).empty());
        try {
            findBrokenFlows(*store, rangeOptions(rangeEnd, rangeStart, defaultKeys));
            QFAIL("a range that ends before it begins was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind, ErrorKind::BadInput);
        }
        // Causes named by values of the wrong shape name nothing: such events are roots, not orphans.
        const Json shapes[] = {
            corr("position-as-text", { { "causationMessageGlobalPosition", "999999" } }),
            corr("stream-without-position", { { "causationMessageStreamName", "nowhere-1" } }),
            corr("position-without-stream", { { "causationMessagePosition", 4 } }),
            corr("stream-position-as-text",
                { { "causationMessageStreamName", "nowhere-1" }, { "causationMessagePosition", "4" } }),
            { { "correlationId", nullptr }, { "causationId", uuid() } },
        };
        for (const Json& metadata : shapes) {
            NewEvent event;
            event.type = "Odd";
            event.metadata = metadata.dump();
            store->append("odd-1", { event });
        }
        QCOMPARE(correlations(findBrokenFlows(*store, {})), QStringList {});
    }

    void progressAndCancel_data() { test::addBackendRows(); }

    void progressAndCancel()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        fillBulk(*store);

        std::vector<FlowScanProgress> reports;
        BrokenFlowScanOptions options;
        options.progress = [&](const FlowScanProgress& p) { reports.push_back(p); };
        const auto found = findBrokenFlows(*store, options);
        QCOMPARE(found.size(), 1u);
        QCOMPARE(found.front().events, 2500u);
        QCOMPARE(found.front().orphans, 1u);
        EventQuery orphanAt;
        orphanAt.fromPosition = 1235;
        orphanAt.limit = 1;
        QCOMPARE(found.front().firstOrphanId, store->read(orphanAt).events.front().id);
        QCOMPARE(reports.size(), 3u); // one a page of 1000
        for (std::size_t i = 0; i < reports.size(); ++i) {
            QCOMPARE(reports[i].firstPosition, 1);
            QCOMPARE(reports[i].lastPosition, 2500);
            QCOMPARE(reports[i].position, std::min<std::int64_t>(2500, 1000 * std::int64_t(i + 1)));
            QCOMPARE(reports[i].eventsFound, std::min<std::size_t>(2500, 1000 * (i + 1)));
        }

        std::atomic<bool> cancel = true;
        options.cancel = &cancel;
        reports.clear();
        QVERIFY_THROWS_EXCEPTION(Error, findBrokenFlows(*store, options));
        QVERIFY(reports.empty());
        // Cancelled after the first page: the second is never read.
        cancel = false;
        options.progress = [&](const FlowScanProgress& p) {
            reports.push_back(p);
            cancel = true;
        };
        try {
            findBrokenFlows(*store, options);
            QFAIL("a cancelled scan ended normally");
        } catch (const Error& e) {
            QCOMPARE(e.kind, ErrorKind::Cancelled);
        }
        QCOMPARE(reports.size(), 1u);
    }

    void job_data() { test::addBackendRows(); }

    void job()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        Fixture f(openStore(location.uri(), true));
        fill(f);
        const auto expected = oracle(f.events, traceKeys, rangeStart, rangeEnd);
        QCOMPARE(expected.size(), 1u);

        BrokenFlowsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        BrokenFlowsJob job;
        connect(&job, &BrokenFlowsJob::finished, &model, &BrokenFlowsModel::setFlows);
        QSignalSpy finished(&job, &BrokenFlowsJob::finished);
        QSignalSpy failed(&job, &BrokenFlowsJob::failed);
        QSignalSpy progress(&job, &BrokenFlowsJob::progress);
        const QString uri = QString::fromStdString(location.uri());

        // A newer start supersedes the older: only the trace conventions' answer arrives.
        job.start(uri, std::nullopt, std::nullopt, Conventions::defaults());
        job.start(uri, rangeStart, rangeEnd, conventionsOf(traceKeys));
        QVERIFY(job.isRunning());
        QTRY_COMPARE(finished.count() + failed.count(), 1);
        QCOMPARE(failed.count(), 0);
        QVERIFY(!job.isRunning());
        QCOMPARE(lines(finished.at(0).at(0).value<std::vector<BrokenFlow>>()), lines(expected));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.correlationAt(0), u"trace-9"_s);
        QTest::qWait(300); // the superseded search's end never comes
        QCOMPARE(finished.count(), 1);
        QCOMPARE(failed.count(), 0);
        for (const auto& report : progress) {
            const double fraction = report.at(0).toDouble();
            QVERIFY(fraction == -1 || (fraction >= 0 && fraction <= 1));
        }

        // Defaults, through the model.
        job.start(uri, rangeStart, rangeEnd, Conventions::defaults());
        QTRY_COMPARE(finished.count(), 2);
        const auto all = oracle(f.events, defaultKeys, rangeStart, rangeEnd);
        QCOMPARE(model.rowCount(), int(all.size()));
        for (int row = 0; row < model.rowCount(); ++row) {
            const BrokenFlow& flow = all[std::size_t(row)];
            QCOMPARE(model.correlationAt(row), QString::fromStdString(flow.correlation));
            QCOMPARE(model.index(row, BrokenFlowsModel::Orphans).data(Qt::EditRole).toLongLong(), qint64(flow.orphans));
            QCOMPARE(model.index(row, BrokenFlowsModel::Events).data(Qt::EditRole).toLongLong(), qint64(flow.events));
            QCOMPARE(model.index(row, BrokenFlowsModel::FirstEvent).data().toString(),
                QString::fromStdString(formatTime(flow.firstTime)));
            QCOMPARE(model.index(row, BrokenFlowsModel::MissingCause).data().toString(),
                QString::fromStdString(flow.firstOrphanCause));
            QCOMPARE(model.index(row, BrokenFlowsModel::Correlation).data(BrokenFlowsModel::FirstOrphanIdRole),
                QString::fromStdString(flow.firstOrphanId));
        }
        QCOMPARE(failed.count(), 0);

        // A range that ends before it begins fails with a sentence; the list keeps what it showed.
        job.start(uri, rangeEnd, rangeStart, Conventions::defaults());
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY(failed.at(0).at(0).toString().contains(u"time range"_s));
        QCOMPARE(finished.count(), 2);
        QCOMPARE(model.rowCount(), int(all.size()));
    }

    void jobCancelAndFailure()
    {
        test::StoreLocation location(u"sqlite"_s);
        fillBulk(*openStore(location.uri(), true));
        const QString uri = QString::fromStdString(location.uri());
        BrokenFlowsJob job;
        QSignalSpy finished(&job, &BrokenFlowsJob::finished);
        QSignalSpy failed(&job, &BrokenFlowsJob::failed);

        // Every pooled thread is busy, so the search cannot begin before it is cancelled.
        QThreadPool* pool = QThreadPool::globalInstance();
        QSemaphore release;
        QSemaphore started;
        const int threads = pool->maxThreadCount();
        for (int i = 0; i < threads; ++i)
            pool->start([&] {
                started.release();
                release.acquire();
            });
        started.acquire(threads);
        job.start(uri, std::nullopt, std::nullopt, Conventions::defaults());
        job.cancel();
        release.release(threads);
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY(failed.at(0).at(0).toString().contains(u"cancelled"_s));
        QTest::qWait(100);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(failed.count(), 1);

        // A store that cannot be opened.
        job.start(
            QDir(location.dir()).filePath(u"missing/none.db"_s), std::nullopt, std::nullopt, Conventions::defaults());
        QTRY_COMPARE(failed.count(), 2);
        QVERIFY(!failed.at(1).at(0).toString().isEmpty());
        QCOMPARE(finished.count(), 0);

        // Destroyed while searching: waits for the worker, reports nothing.
        auto* doomed = new BrokenFlowsJob;
        doomed->start(uri, std::nullopt, std::nullopt, Conventions::defaults());
        delete doomed;
        QTest::qWait(50);
    }

    void model()
    {
        BrokenFlowsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(BrokenFlowsModel::ColumnCount));
        QCOMPARE(model.headerData(BrokenFlowsModel::MissingCause, Qt::Horizontal).toString(), u"Missing cause"_s);

        BrokenFlow one { "corr-1", 12345, 1, t0, t0 + second, "id-1", "position 7" };
        BrokenFlow two { "corr-2", 3, 2, t0 + second, t0 + 2 * second, "id-2", "event gone" };
        model.setFlows({ one, two });
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.correlationAt(1), u"corr-2"_s);
        QCOMPARE(model.correlationAt(2), QString());
        QCOMPARE(model.correlationAt(-1), QString());
        QCOMPARE(model.rowOfCorrelation(u"corr-2"_s), 1);
        QCOMPARE(model.rowOfCorrelation(u"nope"_s), -1);
        QCOMPARE(model.flowAt(0)->events, 12345u);
        QCOMPARE(model.index(0, BrokenFlowsModel::Correlation).data().toString(), u"corr-1"_s);
        QCOMPARE(model.index(0, BrokenFlowsModel::Events).data(Qt::EditRole).toLongLong(), 12345);
        QCOMPARE(model.index(0, BrokenFlowsModel::FirstEvent).data().toString(), u"2024-03-01T10:00:00.000000Z"_s);
        QCOMPARE(model.index(0, BrokenFlowsModel::FirstEvent).data(Qt::EditRole).toLongLong(), t0);
        QCOMPARE(model.index(1, BrokenFlowsModel::MissingCause).data().toString(), u"event gone"_s);
        QCOMPARE(
            model.index(1, BrokenFlowsModel::Events).data(BrokenFlowsModel::CorrelationRole).toString(), u"corr-2"_s);
        const QString tip = model.index(1, BrokenFlowsModel::MissingCause).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(u"id-2"_s) && tip.contains(u"event gone"_s), qPrintable(tip));
        model.clear();
        QCOMPARE(reset.count(), 2);
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestBrokenFlows)
#include "tst_broken_flows.moc"
