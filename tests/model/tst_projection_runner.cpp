// The projection runner of DESIGN §5 over both native stores: states equal oracles computed here from the appended
// events, a cancelled or `until` run resumes to the same result, a fault stops at its event and can be retried or
// skipped, emitted events land once and are not read back, a shadow rebuild is compared, swapped and rolled back,
// a workspace or read-only source is never written, pause holds the run, and memory stays bounded.

#include "model/js_projection.h"
#include "model/projection_admin.h"
#include "model/projection_runner.h"
#include "storage/error.h"
#include "storage/time_format.h"
#include "tests/model/projection_test_scripts.h"
#include "tests/test_stores.h"

#include <QElapsedTimer>
#include <QTest>

#include <nlohmann/json.hpp>

#include <set>
#include <thread>

using namespace eventscope;
using namespace std::chrono_literals;
namespace scripts = eventscope::test_scripts;
using namespace eventscope::test_scripts; // the planned events and their oracles
using Json = nlohmann::json; // sorted keys: compares values, not key order

namespace {

Json statesOf(EventStore& store, const std::string& name)
{
    Json out = Json::object();
    for (const PartitionState& s : store.projectionStates(name))
        out[s.partition] = Json::parse(s.state);
    return out;
}

// The first partition where two state sets differ, to keep failure messages short.
std::string difference(const Json& actual, const Json& expected)
{
    for (const auto& [p, state] : expected.items())
        if (!actual.contains(p) || actual[p] != state)
            return "partition '" + p + "': expected " + state.dump() + ", got "
                + (actual.contains(p) ? actual[p].dump() : std::string("nothing"));
    for (const auto& [p, state] : actual.items())
        if (!expected.contains(p))
            return "unexpected partition '" + p + "': " + state.dump();
    return "the same";
}

#define COMPARE_STATES(actual, expected)                                                                               \
    do {                                                                                                               \
        const Json a_ = (actual), e_ = (expected);                                                                     \
        QVERIFY2(a_ == e_, difference(a_, e_).c_str());                                                                \
    } while (false)

// A run that throws is a failure of the test, not the end of the whole executable.
#define RUN(result, call)                                                                                              \
    ProjectionRunResult result;                                                                                        \
    try {                                                                                                              \
        result = (call);                                                                                               \
    } catch (const std::exception& e_) {                                                                               \
        QFAIL(qPrintable(QString::fromStdString(std::string("the run threw: ") + e_.what())));                         \
    }

ProjectionRunOptions options(const std::string& name, const std::string& script)
{
    ProjectionRunOptions o;
    o.name = name;
    o.script = script;
    return o;
}

ProjectionRunResult run(EventStore& source, EventStore& target, const ProjectionRunOptions& o)
{
    ProjectionRunner runner(source, target, o);
    ProjectionControl control;
    return runner.run(control);
}

int kindOf(const std::function<void()>& call)
{
    try {
        call();
    } catch (const Error& e) {
        return int(e.kind);
    }
    return -1;
}

// A store that reads through another and refuses every write, as a foreign store's adapter does.
class ReadOnlyStore final : public EventStore
{
public:
    explicit ReadOnlyStore(EventStore& inner)
        : m_inner(inner)
    {
    }
    using EventStore::append;
    int refusedWrites = 0;

    StoreDescription describe() const override
    {
        StoreDescription d = m_inner.describe();
        d.readOnly = true;
        return d;
    }
    std::vector<AppendResult> append(std::span<const AppendRequest>) override { refuse(); }
    EventPage read(const EventQuery& query) override { return m_inner.read(query); }
    std::optional<StreamInfo> streamHead(const std::string& stream) override { return m_inner.streamHead(stream); }
    std::vector<StreamInfo> streams(const StreamQuery& query) override { return m_inner.streams(query); }
    std::vector<CategoryInfo> categories(const CategoryQuery& query) override { return m_inner.categories(query); }
    std::vector<std::string> eventTypes(std::size_t limit) override { return m_inner.eventTypes(limit); }
    EventCount countEvents(const EventQuery& query) override { return m_inner.countEvents(query); }
    std::int64_t headPosition() override { return m_inner.headPosition(); }
    std::optional<Event> eventById(const std::string& id) override { return m_inner.eventById(id); }
    bool waitForChange(std::chrono::milliseconds timeout) override { return m_inner.waitForChange(timeout); }
    void saveSnapshot(const Snapshot&) override { refuse(); }
    std::optional<Snapshot> loadSnapshot(const std::string& s, std::int64_t v, const std::string& r) override
    {
        return m_inner.loadSnapshot(s, v, r);
    }
    std::optional<ProjectionRecord> projection(const std::string& name) override { return m_inner.projection(name); }
    std::vector<ProjectionRecord> projections() override { return m_inner.projections(); }
    void commitProjection(
        const ProjectionRecord&, std::span<const PartitionState>, std::span<const AppendRequest>) override
    {
        refuse();
    }
    std::vector<PartitionState> projectionStates(const std::string& name) override
    {
        return m_inner.projectionStates(name);
    }
    std::vector<PartitionState> projectionStates(const std::string& name, std::span<const std::string> p) override
    {
        return m_inner.projectionStates(name, p);
    }
    std::vector<PartitionState> projectionStatesPage(
        const std::string& name, const std::optional<std::string>& after, std::size_t limit) override
    {
        return m_inner.projectionStatesPage(name, after, limit);
    }
    std::int64_t projectionStateCount(const std::string& name) override { return m_inner.projectionStateCount(name); }
    void deleteProjection(const std::string&) override { refuse(); }
    void replaceProjection(const std::string&, const std::string&, const std::string&) override { refuse(); }
    void interrupt() override { m_inner.interrupt(); }
    VerifyReport verify(const std::optional<Seal>& seal) override { return m_inner.verify(seal); }
    Seal seal() override { return m_inner.seal(); }

private:
    [[noreturn]] void refuse()
    {
        ++refusedWrites;
        fail(ErrorKind::BadInput, "the test store is read-only");
    }
    EventStore& m_inner;
};

} // namespace

class TestProjectionRunner : public QObject
{
    Q_OBJECT

private slots:
    void oracles_data() { test::addBackendRows(); }
    void oracles()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        const auto planned = generate(3000, 40, 7);
        appendAll(*store, planned);
        const std::int64_t head = store->headPosition();
        const std::vector<std::tuple<std::string, const char*, Json>> projections {
            { "balances", scripts::kBalances, balancesOracle(planned) },
            { "actors", scripts::kPerActor, actorOracle(planned) }, { "types", scripts::kPerType, typeOracle(planned) }
        };
        for (const auto& [name, script, oracle] : projections) {
            RUN(result, run(*store, *store, options(name, script)));
            QCOMPARE(int(result.end), int(ProjectionRunResult::End::CaughtUp));
            QCOMPARE(result.eventsDone, std::int64_t(3000));
            QVERIFY(result.position >= head);
            COMPARE_STATES(statesOf(*store, name), oracle);
            const auto record = store->projection(name);
            QVERIFY(record);
            QCOMPARE(record->status, projection_status::stopped);
            QCOMPARE(ProjectionDetails::fromRecord(*record).eventsProcessed, std::int64_t(3000));
        }
        // Run again once caught up (what `projection run` does each time): nothing to do, nothing changes.
        for (const auto& [name, script, oracle] : projections) {
            RUN(again, run(*store, *store, options(name, script)));
            QCOMPARE(int(again.end), int(ProjectionRunResult::End::CaughtUp));
            QCOMPARE(again.eventsDone, std::int64_t(0));
            COMPARE_STATES(statesOf(*store, name), oracle);
        }
        QVERIFY(actorOracle(planned).contains("")); // the root partition is exercised
    }

    void cancelAndResume_data() { test::addBackendRows(); }
    void cancelAndResume()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        const auto planned = generate(2000, 30, 11);
        appendAll(*store, planned);
        const std::vector<Event> stored = readAll(*store);
        QCOMPARE(stored.size(), planned.size());

        ProjectionRunOptions o = options("bal", scripts::kBalances);
        o.batchEvents = 50;
        o.progressEvery = 0ms;
        {
            ProjectionRunner runner(*store, *store, o);
            ProjectionControl control;
            const auto result = runner.run(control, [&](const ProjectionProgress& p) {
                if (p.eventsDone >= 1000)
                    control.cancel();
            });
            QCOMPARE(int(result.end), int(ProjectionRunResult::End::Cancelled));
            QCOMPARE(result.eventsDone, std::int64_t(1000));
            QCOMPARE(result.position, stored[999].position);
        }
        // What was committed is exactly the events up to the checkpoint.
        QCOMPARE(store->projection("bal")->position, stored[999].position);
        COMPARE_STATES(statesOf(*store, "bal"), balancesOracle(std::span(planned).first(1000)));
        // The resumed run's estimate is what was left at its start (projection_runner.h), not the whole source.
        std::int64_t firstTotal = -1;
        ProjectionRunResult resumed;
        try {
            ProjectionRunner runner(*store, *store, o);
            ProjectionControl control;
            resumed = runner.run(control, [&](const ProjectionProgress& p) {
                if (firstTotal < 0)
                    firstTotal = p.eventsTotal;
            });
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        QCOMPARE(int(resumed.end), int(ProjectionRunResult::End::CaughtUp));
        QCOMPARE(resumed.eventsDone, std::int64_t(1000));
        COMPARE_STATES(statesOf(*store, "bal"), balancesOracle(planned));
        RUN(clean, run(*store, *store, options("clean", scripts::kBalances)));
        QCOMPARE(clean.eventsDone, std::int64_t(2000));
        COMPARE_STATES(statesOf(*store, "bal"), statesOf(*store, "clean"));
        QCOMPARE(firstTotal, std::int64_t(1000)); // last: a wrong estimate should not hide the checks above
    }

    void until_data() { test::addBackendRows(); }
    void until()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        const auto planned = generate(1500, 20, 13);
        appendAll(*store, planned);
        const std::vector<Event> stored = readAll(*store);
        ProjectionRunOptions o = options("bal", scripts::kBalances);
        o.batchEvents = 100;
        o.until = planned[1233].time; // inclusive: the run stops before event 1234
        RUN(first, run(*store, *store, o));
        QCOMPARE(int(first.end), int(ProjectionRunResult::End::Until));
        QCOMPARE(first.position, stored[1233].position);
        QCOMPARE(first.eventsDone, std::int64_t(1234));
        COMPARE_STATES(statesOf(*store, "bal"), balancesOracle(std::span(planned).first(1234)));
        o.until.reset();
        RUN(rest, run(*store, *store, o));
        QCOMPARE(int(rest.end), int(ProjectionRunResult::End::CaughtUp));
        QCOMPARE(rest.eventsDone, std::int64_t(266));
        COMPARE_STATES(statesOf(*store, "bal"), balancesOracle(planned));
    }

    void faultRetrySkip_data() { test::addBackendRows(); }
    void faultRetrySkip()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        const int poisonAt = 1777;
        const auto planned = generate(2500, 25, 17, poisonAt);
        appendAll(*store, planned);
        const std::vector<Event> stored = readAll(*store);
        const Event& poison = stored[poisonAt];
        ProjectionRunOptions o = options("types", scripts::kPerTypePoison);
        o.batchEvents = 300;
        QCOMPARE(kindOf([&] {
            auto skip = o;
            skip.skipFault = true;
            run(*store, *store, skip);
        }),
            int(ErrorKind::BadInput)); // nothing to skip yet

        for (int attempt = 0; attempt < 2; ++attempt) { // the first run, then a retry
            RUN(result, run(*store, *store, o));
            QCOMPARE(int(result.end), int(ProjectionRunResult::End::Faulted));
            QVERIFY(result.fault);
            QCOMPARE(result.fault->position, poison.position);
            QCOMPARE(result.fault->stream, poison.stream);
            QCOMPARE(result.fault->version, poison.version);
            QCOMPARE(result.fault->type, poison.type);
            QCOMPARE(result.fault->eventId, poison.id);
            QCOMPARE(result.fault->message, "poisoned event in " + poison.stream);
            QVERIFY2(
                QString::fromStdString(result.fault->stack).contains(u"projection.js"), result.fault->stack.c_str());
            const auto record = store->projection("types");
            QCOMPARE(record->position, stored[poisonAt - 1].position);
            QCOMPARE(record->status, projection_status::faulted);
            QVERIFY(ProjectionDetails::fromRecord(*record).fault);
            COMPARE_STATES(statesOf(*store, "types"), typeOracle(std::span(planned).first(poisonAt)));
        }

        o.skipFault = true;
        RUN(skipped, run(*store, *store, o));
        QCOMPARE(int(skipped.end), int(ProjectionRunResult::End::CaughtUp));
        std::vector<Planned> without = planned;
        without.erase(without.begin() + poisonAt);
        COMPARE_STATES(statesOf(*store, "types"), typeOracle(without));
        const ProjectionDetails details = ProjectionDetails::fromRecord(*store->projection("types"));
        QVERIFY(!details.fault);
        QCOMPARE(details.skipped.size(), std::size_t(1));
        QCOMPARE(details.skipped.front().position, poison.position);
        QCOMPARE(details.skipped.front().eventId, poison.id);
        QCOMPARE(details.eventsProcessed, std::int64_t(planned.size()));

        EventQuery audit;
        audit.stream = kAuditStream;
        int skipRecords = 0;
        for (const Event& e : readAll(*store, audit)) {
            const Json data = Json::parse(e.data);
            if (e.type == "ProjectionRun" && data.value("projection", "") == "types"
                && data.contains("skipped_position")) {
                QCOMPARE(data["skipped_position"].get<std::int64_t>(), poison.position);
                QCOMPARE(data["skipped_event"].get<std::string>(), poison.id);
                ++skipRecords;
            }
        }
        QCOMPARE(skipRecords, 1);
    }

    void emittedEvents_data() { test::addBackendRows(); }
    void emittedEvents()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        auto planned = generate(1200, 15, 19);
        appendAll(*store, planned);
        ProjectionRunOptions o = options("emitter", scripts::kPerTypeEmitting);
        o.batchEvents = 200;
        RUN(first, run(*store, *store, o));
        QCOMPARE(int(first.end), int(ProjectionRunResult::End::CaughtUp));
        const auto checkEmitted = [&] {
            std::set<std::string> deposits;
            for (const Event& e : readAll(*store))
                if (e.type == "MoneyDeposited")
                    deposits.insert(e.id);
            EventQuery derived;
            derived.stream = "derived-1";
            const std::vector<Event> emitted = readAll(*store, derived);
            std::set<std::string> causes;
            for (const Event& e : emitted) {
                const Json data = Json::parse(e.data), metadata = Json::parse(e.metadata);
                QCOMPARE(e.type, std::string("Derived"));
                QCOMPARE(metadata.value("$projection", ""), std::string("emitter"));
                QCOMPARE(metadata.value("$causationId", ""), data.value("from", "?"));
                QCOMPARE(metadata.value("note", ""), std::string("derived"));
                causes.insert(data["from"].get<std::string>());
            }
            QCOMPARE(emitted.size(), deposits.size()); // once each
            QVERIFY(causes == deposits);
        };
        checkEmitted();
        std::int64_t deposits = 0;
        for (const Planned& p : planned)
            deposits += p.type == "MoneyDeposited";
        QCOMPARE(first.eventsEmitted, deposits);
        COMPARE_STATES(statesOf(*store, "emitter"), typeOracle(planned)); // no "Derived" read back

        RUN(again, run(*store, *store, o));
        QCOMPARE(again.eventsEmitted, std::int64_t(0));
        checkEmitted();
        COMPARE_STATES(statesOf(*store, "emitter"), typeOracle(planned));

        const auto more = generate(60, 15, 23);
        appendAll(*store, more);
        planned.insert(planned.end(), more.begin(), more.end());
        RUN(third, run(*store, *store, o));
        QCOMPARE(int(third.end), int(ProjectionRunResult::End::CaughtUp));
        checkEmitted();
        COMPARE_STATES(statesOf(*store, "emitter"), typeOracle(planned));
    }

    void shadowRebuild_data() { test::addBackendRows(); }
    void shadowRebuild()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        auto planned = generate(300, 6, 29);
        for (Planned& p : planned)
            if (p.type == "MoneyWithdrawn" && (p.stream == "account-2" || p.stream == "account-5"))
                p.fee = 3;
        planned.push_back({ "note-1", "MoneyDeposited", 40, 0, "u-1", false, kStart + 999'000'000 });
        appendAll(*store, planned);
        const Json v1 = balancesOracle(planned), v2 = balancesOracle(planned, true);

        RUN(live, run(*store, *store, options("bal", scripts::kBalances)));
        QCOMPARE(int(live.end), int(ProjectionRunResult::End::CaughtUp));
        ProjectionRunOptions shadow = options(shadowName("bal"), scripts::kBalancesV2);
        shadow.reset = true;
        shadow.writeEmitted = false;
        shadow.status = projection_status::rebuilding;
        RUN(rebuilt, run(*store, *store, shadow));
        QCOMPARE(int(rebuilt.end), int(ProjectionRunResult::End::CaughtUp));
        COMPARE_STATES(statesOf(*store, "bal"), v1);
        COMPARE_STATES(statesOf(*store, shadowName("bal")), v2);
        QVERIFY(!store->streamHead("shadow-out")); // a shadow writes no emitted events

        const ProjectionComparison comparison = compareProjections(*store, "bal", shadowName("bal"));
        using K = PartitionDifference::Kind;
        const std::vector<std::pair<std::string, K>> expected { { "account-0", K::Removed },
            { "account-2", K::Changed }, { "account-5", K::Changed }, { "note-1", K::Added } };
        QCOMPARE(comparison.differences.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            const PartitionDifference& d = comparison.differences[i];
            QCOMPARE(d.partition, expected[i].first);
            QCOMPARE(int(d.kind), int(expected[i].second));
            if (d.kind != K::Added)
                QVERIFY(Json::parse(d.before) == v1[d.partition]);
            if (d.kind != K::Removed)
                QVERIFY(Json::parse(d.after) == v2[d.partition]);
            QCOMPARE(d.changes.empty(), d.kind != K::Changed);
        }
        QCOMPARE(comparison.unchanged, std::int64_t(3));

        swapShadow(*store, "bal", AuditTool::CommandLine);
        COMPARE_STATES(statesOf(*store, "bal"), v2);
        COMPARE_STATES(statesOf(*store, previousName("bal")), v1);
        QVERIFY(!store->projection(shadowName("bal")));
        rollbackSwap(*store, "bal", AuditTool::CommandLine);
        COMPARE_STATES(statesOf(*store, "bal"), v1);
        COMPARE_STATES(statesOf(*store, shadowName("bal")), v2);
        QVERIFY(!store->projection(previousName("bal")));
    }

    void workspace_data() { test::addBackendRows(); }
    void workspace()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto source = openStore(location.uri(), true);
        const auto planned = generate(800, 10, 31);
        appendAll(*source, planned);
        const std::int64_t head = source->headPosition();
        QTemporaryDir dir;
        auto workspace = openStore(QDir(dir.path()).filePath(QStringLiteral("workspace.db")).toStdString(), true);
        RUN(result, run(*source, *workspace, options("emitter", scripts::kPerTypeEmitting)));
        QCOMPARE(int(result.end), int(ProjectionRunResult::End::CaughtUp));
        QCOMPARE(source->headPosition(), head);
        QVERIFY(source->projections().empty());
        QVERIFY(!source->streamHead("derived-1"));
        QVERIFY(!source->streamHead(kAuditStream));
        COMPARE_STATES(statesOf(*workspace, "emitter"), typeOracle(planned));
        const auto derived = workspace->streamHead("derived-1");
        QVERIFY(derived);
        QCOMPARE(derived->count, result.eventsEmitted);
        QVERIFY(result.eventsEmitted > 0);
        QVERIFY(workspace->streamHead(kAuditStream)); // the run is recorded where it wrote
    }

    void readOnlySource_data() { test::addBackendRows(); }
    void readOnlySource()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        const auto planned = generate(600, 10, 37);
        appendAll(*store, planned);
        const std::int64_t head = store->headPosition();
        ReadOnlyStore readOnly(*store);
        QCOMPARE(kindOf([&] { ProjectionRunner runner(readOnly, readOnly, options("bal", scripts::kBalances)); }),
            int(ErrorKind::BadInput));
        QTemporaryDir dir;
        auto workspace = openStore(QDir(dir.path()).filePath(QStringLiteral("workspace.db")).toStdString(), true);
        RUN(result, run(readOnly, *workspace, options("bal", scripts::kBalances)));
        QCOMPARE(int(result.end), int(ProjectionRunResult::End::CaughtUp));
        COMPARE_STATES(statesOf(*workspace, "bal"), balancesOracle(planned));
        QCOMPARE(readOnly.refusedWrites, 0);
        QCOMPARE(store->headPosition(), head);
        QVERIFY(store->projections().empty());
    }

    void pauseAndResume_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<int>("pauseAt"); // 0: before the run starts; else from the progress callback
        for (const char* backend : { "sqlite", "postgresql" })
            for (const int at : { 0, 500 })
                QTest::addRow("%s, paused at %d", backend, at) << QString::fromLatin1(backend) << at;
    }
    void pauseAndResume()
    {
        QFETCH(QString, backend);
        QFETCH(int, pauseAt);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        const auto planned = generate(1000, 10, 41);
        appendAll(*store, planned);
        ProjectionRunOptions o = options("bal", scripts::kBalances);
        o.progressEvery = 0ms;
        o.batchEvents = 100;
        ProjectionControl control;
        std::thread resumer;
        std::atomic<bool> resumed { false };
        std::int64_t pausedAt = -1;
        int workWhilePaused = 0;
        std::vector<bool> reports; // paused, per report
        const auto pauseNow = [&](std::int64_t done) {
            pausedAt = done;
            control.pause();
            resumer = std::thread([&] {
                std::this_thread::sleep_for(100ms);
                resumed = true;
                control.resume();
            });
        };
        if (pauseAt == 0)
            pauseNow(0);
        QElapsedTimer timer;
        timer.start();
        ProjectionRunner runner(*store, *store, o);
        const auto result = runner.run(control, [&](const ProjectionProgress& p) {
            reports.push_back(p.paused);
            workWhilePaused += pausedAt >= 0 && !resumed && p.eventsDone > pausedAt;
            if (pauseAt > 0 && pausedAt < 0 && p.eventsDone >= pauseAt)
                pauseNow(p.eventsDone);
        });
        resumer.join();
        QVERIFY(timer.elapsed() >= 100);
        QCOMPARE(int(result.end), int(ProjectionRunResult::End::CaughtUp));
        QCOMPARE(pausedAt, std::int64_t(pauseAt));
        QCOMPARE(workWhilePaused, 0); // nothing was done until another thread resumed it
        const auto pausedReports = std::count(reports.begin(), reports.end(), true);
        QVERIFY2(pauseAt == 0 ? pausedReports >= 1 : pausedReports == 1, std::to_string(pausedReports).c_str());
        QVERIFY(!reports.back());
        COMPARE_STATES(statesOf(*store, "bal"), balancesOracle(planned));
    }

    void fromStreamsNamingNoStream_data() { test::addBackendRows(); }
    void fromStreamsNamingNoStream()
    {
        // fromStreams([]) names no stream: it must be refused, or read nothing; never every stream, system ones too.
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        appendAll(*store, generate(50, 5, 43));
        try {
            run(*store, *store,
                options("none", "fromStreams([]).when({ $any: function (s, e) { s[e.stream] = 1; } });"));
        } catch (const Error& e) {
            QCOMPARE(int(e.kind), int(ErrorKind::Script));
            return;
        }
        COMPARE_STATES(statesOf(*store, "none"), Json::object());
    }

    void boundedMemory_data() { test::addBackendRows(); }
    void boundedMemory()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        // 20500 streams, then a second event for the first 1500: those come after an eviction, from the store.
        constexpr int streams = 20500, again = 1500;
        std::vector<Planned> planned;
        for (int i = 0; i < streams + again; ++i)
            planned.push_back({ "s-" + std::to_string(i % streams), "T", 0, 0, {}, false, kStart + i });
        appendAll(*store, planned);
        ProjectionRunner runner(*store, *store, options("count", scripts::kCountPerStream));
        ProjectionControl control;
        const auto result = runner.run(control);
        QCOMPARE(int(result.end), int(ProjectionRunResult::End::CaughtUp));
        QVERIFY2(runner.runtime().heldPartitions() <= 20000, std::to_string(runner.runtime().heldPartitions()).c_str());
        QCOMPARE(store->projectionStateCount("count"), std::int64_t(streams));
        Json expected = Json::object();
        for (int i = 0; i < streams; ++i)
            expected["s-" + std::to_string(i)] = { { "n", i < again ? 2 : 1 } };
        COMPARE_STATES(statesOf(*store, "count"), expected);
    }
};

QTEST_GUILESS_MAIN(TestProjectionRunner)
#include "tst_projection_runner.moc"
