// The projection runtime of DESIGN §5 on its own: each KurrentDB API function gives the result KurrentDB documents,
// events carry both field name sets, a fault leaves exactly the events before it, an endless loop is interrupted,
// bad scripts say what is wrong, the sandbox has no way out, and evicted states come back through the loader.

#include "model/js_projection.h"
#include "storage/error.h"
#include "storage/time_format.h"
#include "tests/model/projection_test_scripts.h"

#include <QElapsedTimer>
#include <QTest>

#include <nlohmann/json.hpp>

#include <map>
#include <set>

using namespace eventscope;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;
namespace scripts = eventscope::test_scripts;
using Json = nlohmann::json; // sorted keys: compares values, not key order

namespace {

// Events in store order: positions from 1, versions counted per stream.
class Events
{
public:
    Events& add(const std::string& stream, const std::string& type, const std::string& data = "{}",
        const std::string& metadata = "{}")
    {
        Event e;
        e.position = static_cast<std::int64_t>(list.size()) + 1;
        e.stream = stream;
        e.version = ++m_versions[stream];
        e.id = "id-" + std::to_string(e.position);
        e.type = type;
        e.time = parseTime("2024-01-15T14:00:00Z") + e.position * 1000000;
        e.data = data;
        e.metadata = metadata;
        list.push_back(std::move(e));
        return *this;
    }
    std::vector<Event> list;

private:
    std::map<std::string, std::int64_t> m_versions;
};

// The committed states a runner would keep in its store, and what the runtime asked of them.
struct Store
{
    std::map<std::string, std::string> states;
    std::vector<std::set<std::string>> asked;

    JsProjection::Loader loader()
    {
        return [this](const std::vector<std::string>& partitions) {
            asked.emplace_back(partitions.begin(), partitions.end());
            std::vector<PartitionState> out;
            for (const auto& p : partitions)
                if (const auto it = states.find(p); it != states.end())
                    out.push_back({ p, it->second });
            return out;
        };
    }
    // take() and keep what changed, as the runner's commit does.
    ProjectionChanges commit(JsProjection& projection)
    {
        ProjectionChanges changes = projection.take();
        for (const auto& s : changes.states)
            states[s.partition] = s.state;
        return changes;
    }
    std::string dump() const { return toJson().dump(); }
    Json toJson() const
    {
        Json out = Json::object();
        for (const auto& [p, s] : states)
            out[p] = Json::parse(s);
        return out;
    }
};

Json statesOf(const ProjectionChanges& changes)
{
    Json out = Json::object();
    for (const auto& s : changes.states)
        out[s.partition] = Json::parse(s.state);
    return out;
}

std::pair<std::optional<ErrorKind>, std::string> errorOf(const std::function<void()>& call)
{
    try {
        call();
    } catch (const Error& e) {
        return { e.kind, e.what() };
    }
    return { std::nullopt, {} };
}

// The oracle of kPoisonBank: balance and count per stream over events that do not throw.
Json bankOracle(std::span<const Event> events)
{
    Json out = Json::object();
    for (const Event& e : events) {
        const Json data = Json::parse(e.data);
        Json& s = out[e.stream];
        if (s.is_null())
            s = { { "balance", 0 }, { "n", 0 } };
        const int amount = data.value("amount", 0);
        s["balance"] = s["balance"].get<int>() + (e.type == "MoneyDeposited" ? amount : -amount);
        s["n"] = s["n"].get<int>() + 1;
    }
    return out;
}

#define COMPARE_JSON(actual, expected)                                                                                 \
    QCOMPARE(QByteArray::fromStdString((actual).dump()), QByteArray::fromStdString((expected).dump()))

} // namespace

class TestJsProjection : public QObject
{
    Q_OBJECT

private slots:
    void sources_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QStringList>("streams");
        QTest::addColumn<QString>("category");
        QTest::addColumn<bool>("matching");
        QTest::addColumn<QString>("describe");
        const QString when = QStringLiteral(".when({ $any: function (s) { s.n = 1; } });");
        using K = ProjectionSource::Kind;
        QTest::addRow("fromAll") << u"fromAll()"_s + when << int(K::All) << QStringList() << QString() << false
                                 << u"fromAll()"_s;
        QTest::addRow("fromStream") << u"fromStream('account-1')"_s + when << int(K::Stream)
                                    << QStringList { u"account-1"_s } << QString() << false
                                    << u"fromStream('account-1')"_s;
        QTest::addRow("fromStreams array")
            << u"fromStreams(['a-1', 'b-2'])"_s + when << int(K::Streams) << QStringList { u"a-1"_s, u"b-2"_s }
            << QString() << false << u"fromStreams(['a-1', 'b-2'])"_s;
        QTest::addRow("fromStreams varargs")
            << u"fromStreams('a-1', 'b-2')"_s + when << int(K::Streams) << QStringList { u"a-1"_s, u"b-2"_s }
            << QString() << false << u"fromStreams(['a-1', 'b-2'])"_s;
        QTest::addRow("fromCategory") << u"fromCategory('account')"_s + when << int(K::Category) << QStringList()
                                      << u"account"_s << false << u"fromCategory('account')"_s;
        QTest::addRow("fromStreamsMatching")
            << u"fromStreamsMatching(function (s) { return true; })"_s + when << int(K::All) << QStringList()
            << QString() << true << u"fromStreamsMatching(...)"_s;
    }
    void sources()
    {
        QFETCH(QString, script);
        QFETCH(int, kind);
        QFETCH(QStringList, streams);
        QFETCH(QString, category);
        QFETCH(bool, matching);
        QFETCH(QString, describe);
        JsProjection projection(script.toStdString());
        const ProjectionSource& source = projection.definition().source;
        QCOMPARE(int(source.kind), kind);
        QStringList actual;
        for (const auto& s : source.streams)
            actual << QString::fromStdString(s);
        QCOMPARE(actual, streams);
        QCOMPARE(QString::fromStdString(source.category), category);
        QCOMPARE(source.matching, matching);
        QCOMPARE(QString::fromStdString(source.describe()), describe);
        QCOMPARE(projection.definition().partitioning, ProjectionDefinition::Partitioning::None);
        QVERIFY(!projection.definition().partitioned());
    }

    void fromStreamsMatchingFilters()
    {
        JsProjection projection("fromStreamsMatching(function (s) { return s.indexOf('a-') === 0; })"
                                ".foreachStream().when({ $any: function (s) { s.n = (s.n || 0) + 1; } });");
        Events events;
        events.add("a-1", "T").add("b-1", "T").add("a-2", "T").add("a-1", "T").add("ba-1", "T");
        Store store;
        QVERIFY(!projection.apply(events.list, store.loader()));
        COMPARE_JSON(statesOf(store.commit(projection)), Json::parse(R"({"a-1":{"n":2},"a-2":{"n":1}})"));
    }

    void foreachStream()
    {
        JsProjection projection(scripts::kPerStream);
        QCOMPARE(projection.definition().partitioning, ProjectionDefinition::Partitioning::ByStream);
        Events events;
        events.add("account-1", "A").add("account-2", "B").add("account-1", "C").add("order-9", "A");
        events.add("account-1", "D");
        Store store;
        QVERIFY(!projection.apply(events.list, store.loader()));
        COMPARE_JSON(statesOf(store.commit(projection)), Json::parse(R"({
            "account-1": {"n":3,"versions":[1,2,3],"partition":"account-1"},
            "account-2": {"n":1,"versions":[1],"partition":"account-2"},
            "order-9": {"n":1,"versions":[1],"partition":"order-9"}})"));
        QCOMPARE(projection.heldPartitions(), std::size_t(3));
    }

    void partitionBy()
    {
        JsProjection projection(scripts::kByKey);
        QCOMPARE(projection.definition().partitioning, ProjectionDefinition::Partitioning::ByFunction);
        Events events;
        for (const char* data : { R"({"k":"x"})", R"({"k":"y"})", "{}", R"({"k":null})", R"({"k":"x"})", R"({"k":5})" })
            events.add("s-1", "T", data);
        Store store;
        QVERIFY(!projection.apply(events.list, store.loader()));
        // KurrentDB: a partitionBy that gives undefined or null puts the event in the root partition.
        COMPARE_JSON(statesOf(store.commit(projection)), Json::parse(R"({
            "x": {"n":2,"partition":"x"}, "y": {"n":1,"partition":"y"},
            "": {"n":2,"partition":""}, "5": {"n":1,"partition":"5"}})"));
    }

    void when()
    {
        JsProjection projection(scripts::kWhen);
        QVERIFY(!projection.definition().types); // $any takes every type
        Events events;
        events.add("s1", "Typed").add("s1", "Other").add("s2", "Other").add("s1", "Typed");
        events.add("s2", "Replace", R"({"v":7})");
        Store store;
        QVERIFY(!projection.apply(events.list, store.loader()));
        COMPARE_JSON(statesOf(store.commit(projection)), Json::parse(R"({
            "s1": {"n":103,"typed":2,"any":1,"created":1,"createdAt":1},
            "s2": {"replaced":7,"created":1}})"));
        // A second batch: held partitions are not created again, a new one is, and only it is asked of the store.
        Events more = events;
        more.add("s1", "Typed").add("s3", "Other", "{}");
        store.asked.clear();
        QVERIFY(!projection.apply(std::span(more.list).subspan(5), store.loader()));
        COMPARE_JSON(statesOf(store.commit(projection)), Json::parse(R"({
            "s1": {"n":104,"typed":3,"any":1,"created":1,"createdAt":1},
            "s3": {"n":101,"typed":0,"any":1,"created":1,"createdAt":1}})"));
        QCOMPARE(store.asked.size(), std::size_t(1));
        QCOMPARE(store.asked.front(), std::set<std::string> { "s3" });
    }

    void typesWithHandlers()
    {
        JsProjection projection(scripts::kPoisonBank);
        QVERIFY(projection.definition().types);
        auto types = *projection.definition().types;
        std::sort(types.begin(), types.end());
        QCOMPARE(types, (std::vector<std::string> { "MoneyDeposited", "MoneyWithdrawn" }));
        // An event of another type is not handled and makes no partition.
        Events events;
        events.add("account-1", "AccountOpened").add("account-2", "MoneyDeposited", R"({"amount":4})");
        Store store;
        QVERIFY(!projection.apply(events.list, store.loader()));
        COMPARE_JSON(statesOf(store.commit(projection)), Json::parse(R"({"account-2":{"balance":4,"n":1}})"));
    }

    void initShared()
    {
        JsProjection projection(scripts::kBiState);
        QVERIFY(projection.definition().biState);
        Events events;
        events.add("a-1", "Count").add("a-1", "Count").add("b-1", "Count").add("b-1", "Replace");
        Store store;
        QVERIFY(!projection.apply(events.list, store.loader()));
        const Json expected = Json::parse(R"({"a-1":{"n":2},"b-1":{"n":11},"$shared":{"total":13,"arrays":3}})");
        COMPARE_JSON(statesOf(store.commit(projection)), expected);
        QVERIFY(expected.contains(kSharedPartition));
        // The shared state comes back from the store like any partition's.
        projection.evict();
        store.asked.clear();
        events.add("a-1", "Count");
        QVERIFY(!projection.apply(std::span(events.list).subspan(4), store.loader()));
        QCOMPARE(store.asked.size(), std::size_t(1));
        QCOMPARE(store.asked.front(), (std::set<std::string> { kSharedPartition, "a-1" }));
        COMPARE_JSON(
            statesOf(store.commit(projection)), Json::parse(R"({"a-1":{"n":3},"$shared":{"total":14,"arrays":4}})"));
    }

    void transformAndFilter()
    {
        JsProjection projection(scripts::kTransforms);
        QCOMPARE(projection.definition().transforms, 3);
        const std::vector<PartitionState> states { { "one", R"({"n":1})" }, { "three", R"({"n":3})" } };
        const auto results = projection.results(states);
        QCOMPARE(results.size(), std::size_t(2));
        QVERIFY(!results[0]); // KurrentDB: filterBy false gives a null result
        QVERIFY(results[1]);
        COMPARE_JSON(Json::parse(*results[1]), Json::parse(R"({"doubled":6,"tag":"kept"})"));
        // Without transforms, results are the states themselves.
        JsProjection plain(scripts::kPerType);
        QCOMPARE(plain.results(states)[1].value_or(""), std::string(R"({"n":3})"));
        // A transform that throws names the partition.
        JsProjection broken("fromAll().when({ $any: function () {} }).transformBy(function (s) { return s.x.y; });");
        const auto [kind, what] = errorOf([&] { broken.results(states); });
        QCOMPARE(kind, std::optional(ErrorKind::Script));
        QVERIFY2(QString::fromStdString(what).contains(u"partition 'one'"), what.c_str());
    }

    void outputStateAndOptions()
    {
        JsProjection projection(scripts::kOutput);
        const ProjectionDefinition& definition = projection.definition();
        QVERIFY(definition.outputState);
        QCOMPARE(definition.resultStreamName, std::string("totals"));
        COMPARE_JSON(
            Json::parse(definition.optionsJson), Json::parse(R"({"resultStreamName":"totals","reorderEvents":false})"));
        QCOMPARE(definition.source.kind, ProjectionSource::Kind::Category);
        JsProjection without(scripts::kPerType);
        QVERIFY(!without.definition().outputState);
        QVERIFY(without.definition().resultStreamName.empty());
    }

    void emitLinkToAndLog()
    {
        JsProjection projection(scripts::kEmitter);
        Events events;
        events.add("account-1", "A").add("order-9", "B");
        Store store;
        QVERIFY(!projection.apply(events.list, store.loader()));
        const ProjectionChanges changes = store.commit(projection);
        QCOMPARE(changes.emitted.size(), std::size_t(4));
        for (std::size_t i = 0; i < 2; ++i) {
            const Event& e = events.list[i];
            const ProjectionEmit& emitted = changes.emitted[2 * i];
            QCOMPARE(emitted.stream, "out-" + e.stream);
            QCOMPARE(emitted.type, std::string("Seen"));
            COMPARE_JSON(Json::parse(emitted.data), (Json { { "v", e.version }, { "from", e.id } }));
            COMPARE_JSON(Json::parse(emitted.metadata), (Json { { "cause", e.id } }));
            QCOMPARE(emitted.eventIndex, i);
            const ProjectionEmit& link = changes.emitted[2 * i + 1];
            QCOMPARE(link.stream, std::string("links"));
            QCOMPARE(link.type, std::string("$>"));
            // KurrentDB's link: "<sequenceNumber>@<streamId>", sequence numbers from 0.
            QCOMPARE(Json::parse(link.data).get<std::string>(), "0@" + e.stream);
            QCOMPARE(link.eventIndex, i);
        }
        QCOMPARE(changes.logs.size(), std::size_t(2));
        QCOMPARE(changes.logs[1].text, std::string(R"(event 2 {"type":"B"})"));
        QCOMPARE(changes.logs[1].eventIndex, std::size_t(1));
        // What was taken is not given again.
        const ProjectionChanges empty = projection.take();
        QVERIFY(empty.emitted.empty() && empty.logs.empty() && empty.states.empty());
    }

    // KurrentDB's $includeLinks (default false): link events are left out unless a projection asks for them.
    void includeLinks_data()
    {
        QTest::addColumn<QString>("options");
        QTest::addColumn<int>("seen");
        QTest::addRow("default") << QString() << 2;
        QTest::addRow("false") << u"options({ $includeLinks: false });"_s << 2;
        QTest::addRow("true") << u"options({ $includeLinks: true });"_s << 3;
    }
    void includeLinks()
    {
        QFETCH(QString, options);
        QFETCH(int, seen);
        const std::string script = options.toStdString()
            + "fromAll().when({ $init: function () { return { n: 0, links: 0 }; },"
              " $any: function (s, e) { s.n++; if (e.type === '$>') s.links++; } });";
        JsProjection projection(script);
        Events events;
        events.add("account-1", "A").add("links", "$>", "\"0@account-1\"").add("account-2", "B");
        Store store;
        QVERIFY(!projection.apply(events.list, store.loader()));
        store.commit(projection);
        const Json state = store.toJson()[""];
        QCOMPARE(state["n"].get<int>(), seen);
        QCOMPARE(state["links"].get<int>(), seen - 2);
    }

    void emitOutsideAHandler()
    {
        const auto [kind, what]
            = errorOf([] { JsProjection("emit('x', 'T', {}); fromAll().when({ $any: function () {} });"); });
        QCOMPARE(kind, std::optional(ErrorKind::Script));
        QVERIFY2(QString::fromStdString(what).contains(u"emit can only be called from a handler"), what.c_str());
    }

    void eventFields()
    {
        JsProjection projection(scripts::kFields);
        Events events;
        events.add("order-12", "Placed", R"({"lines":[1,2]})", R"({"userId":"u-1"})");
        events.add("order-12", "Noted", "plain text", R"({"a":1})");
        Store store;
        QVERIFY(!projection.apply(events.list, store.loader()));
        const Json state = statesOf(store.commit(projection))[""];
        COMPARE_JSON(state, Json::parse(scripts::kFieldsExpected));
    }

    void faultRollsBack()
    {
        JsProjection projection(scripts::kEmitter);
        Events events;
        events.add("account-1", "A").add("account-1", "A").add("account-1", "A", R"({"fail":true})");
        events.add("account-1", "A");
        Store store;
        const auto fault = projection.apply(events.list, store.loader());
        QVERIFY(fault);
        QCOMPARE(fault->eventIndex, std::size_t(2));
        QCOMPARE(fault->message, std::string("failed on account-1 version 3"));
        QVERIFY(!fault->timedOut);
        QVERIFY2(QString::fromStdString(fault->stack).contains(u"projection.js"), fault->stack.c_str());
        QVERIFY2(!QString::fromStdString(fault->stack).contains(u"driver"), fault->stack.c_str());
        const ProjectionChanges changes = store.commit(projection);
        COMPARE_JSON(statesOf(changes), Json::parse(R"({"":{"n":2}})"));
        QCOMPARE(changes.emitted.size(), std::size_t(4)); // two per event before the failing one
        for (const auto& e : changes.emitted)
            QVERIFY(e.eventIndex < 2);
        QCOMPARE(changes.logs.size(), std::size_t(2));
    }

    void faultAfterLoadedStates()
    {
        // The rollback goes back to the committed states (through the loader), then folds the events before the fault.
        JsProjection projection(scripts::kPoisonBank);
        Events events;
        events.add("account-1", "MoneyDeposited", R"({"amount":10})");
        events.add("account-2", "MoneyDeposited", R"({"amount":5})");
        events.add("account-1", "MoneyWithdrawn", R"({"amount":3})");
        events.add("account-2", "MoneyDeposited", R"({"amount":7})");
        events.add("account-1", "MoneyDeposited", R"({"amount":100,"poison":true})");
        events.add("account-2", "MoneyWithdrawn", R"({"amount":1})");
        Store store;
        QVERIFY(!projection.apply(std::span(events.list).first(2), store.loader()));
        store.commit(projection);
        const auto second = std::span(events.list).subspan(2);
        const auto fault = projection.apply(second, store.loader());
        QVERIFY(fault);
        QCOMPARE(fault->eventIndex, std::size_t(2));
        QCOMPARE(fault->message, std::string("poisoned deposit 100"));
        store.commit(projection);
        COMPARE_JSON(store.toJson(), bankOracle(std::span(events.list).first(4)));
        // Going on past the failing event (a skip) gives the oracle without it.
        QVERIFY(!projection.apply(second.subspan(3), store.loader()));
        store.commit(projection);
        std::vector<Event> withoutPoison = events.list;
        withoutPoison.erase(withoutPoison.begin() + 4);
        COMPARE_JSON(store.toJson(), bankOracle(withoutPoison));
    }

    void faultInPartitionBy()
    {
        JsProjection projection(scripts::kPoisonPartitionBy);
        Events events;
        for (int i = 0; i < 5; ++i)
            events.add(i % 2 ? "b-1" : "a-1", "T", i == 3 ? R"({"poison":true})" : "{}");
        Store store;
        const auto fault = projection.apply(events.list, store.loader());
        QVERIFY(fault);
        QCOMPARE(fault->eventIndex, std::size_t(3));
        QCOMPARE(fault->message, std::string("no partition for id-4"));
        COMPARE_JSON(statesOf(store.commit(projection)), Json::parse(R"({"a-1":{"n":2},"b-1":{"n":1}})"));
    }

    void endlessLoop()
    {
        JsProjection projection(scripts::kSpin, 200ms);
        Events events;
        events.add("s-1", "T").add("s-1", "T", R"({"spin":true})").add("s-1", "T");
        Store store;
        QElapsedTimer timer;
        timer.start();
        const auto fault = projection.apply(events.list, store.loader());
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY(fault);
        QVERIFY(fault->timedOut);
        QCOMPARE(fault->eventIndex, std::size_t(1));
        QCOMPARE(fault->message, std::string("the projection ran past its time limit of 0.2 s"));
        COMPARE_JSON(statesOf(store.commit(projection)), Json::parse(R"({"":{"n":1}})"));
        // The engine works again, and the watchdog still watches.
        QVERIFY(!projection.apply(std::span(events.list).subspan(2), store.loader()));
        COMPARE_JSON(statesOf(store.commit(projection)), Json::parse(R"({"":{"n":2}})"));
        timer.restart();
        const auto again = projection.apply(std::span(events.list).subspan(1, 1), store.loader());
        QVERIFY(again && again->timedOut);
        QVERIFY(timer.elapsed() < 5000);
    }

    void badScripts_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("message");
        QTest::addRow("syntax error") << u"fromAll()\n.when({ $any: function (s) { s.n = ; } });"_s
                                      << u"the projection does not compile: SyntaxError"_s;
        QTest::addRow("no source") << u"var x = 1;"_s << u"the projection names no source"_s;
        QTest::addRow("no when") << u"fromAll();"_s << u"the projection has no handlers: add .when({ ... })"_s;
        QTest::addRow("two sources") << u"fromAll();\nfromCategory('a').when({ $any: function () {} });"_s
                                     << u"the projection names a second source"_s;
        QTest::addRow("when(42)") << u"fromAll().when(42);"_s << u"when takes an object of handlers, not a number"_s;
        QTest::addRow("handler not a function")
            << u"fromAll().when({ Deposited: 42 });"_s << u"the handler Deposited is not a function but a number"_s;
        QTest::addRow("foreachStream on fromStream")
            << u"fromStream('a-1').foreachStream().when({ $any: function () {} });"_s
            << u"foreachStream() needs fromAll(), fromCategory() or fromStreams(), not fromStream()"_s;
        QTest::addRow("partitionBy(42)") << u"fromAll().partitionBy(42).when({});"_s
                                         << u"partitionBy takes a function, not a number"_s;
        QTest::addRow("options(42)") << u"options(42);\nfromAll().when({});"_s
                                     << u"options takes an object, not a number"_s;
        QTest::addRow("endless top level") << u"for (;;) {}"_s << u"the projection ran past its time limit"_s;
    }
    void badScripts()
    {
        QFETCH(QString, script);
        QFETCH(QString, message);
        const auto [kind, what] = errorOf([&] { JsProjection(script.toStdString(), 200ms); });
        QCOMPARE(kind, std::optional(ErrorKind::Script));
        QVERIFY2(QString::fromStdString(what).contains(message), what.c_str());
        const auto problem = projectionScriptProblem(script.toStdString());
        QVERIFY(problem);
        QVERIFY2(QString::fromStdString(problem->message).contains(message), problem->message.c_str());
    }

    void syntaxErrorLine()
    {
        const std::string script = "fromAll()\n.when({\n  $any: function (s) { s.n = ; }\n});";
        const auto [kind, what] = errorOf([&] { JsProjection projection(script); });
        QCOMPARE(kind, std::optional(ErrorKind::Script));
        QVERIFY2(QString::fromStdString(what).contains(u"does not compile"), what.c_str());
        QVERIFY2(QString::fromStdString(what).endsWith(u" at line 3"), what.c_str());
        const auto problem = projectionScriptProblem(script);
        QVERIFY(problem);
        QCOMPARE(problem->line, 3);
        QCOMPARE(problem->message, what);
        QVERIFY(!projectionScriptProblem(scripts::kPerStream));
    }

    void sandbox_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* name : { "require", "XMLHttpRequest", "Qt", "console", "fetch", "print", "setTimeout" })
            QTest::addRow("%s", name) << QString::fromLatin1(name);
    }
    void sandbox()
    {
        QFETCH(QString, name);
        const std::string n = name.toStdString();
        JsProjection projection("var top = typeof " + n
            + ";\nfromAll().when({ $any: function (s) { s.top = top; "
              "s.inside = typeof "
            + n + "; } });");
        Events events;
        events.add("s-1", "T");
        Store store;
        QVERIFY(!projection.apply(events.list, store.loader()));
        COMPARE_JSON(
            statesOf(store.commit(projection)), Json::parse(R"({"":{"top":"undefined","inside":"undefined"}})"));
    }

    void evict()
    {
        Events events;
        for (int i = 0; i < 30; ++i)
            events.add("s" + std::to_string(i % 3), i % 4 == 0 ? "Typed" : "Other");
        events.add("s9", "Typed");
        // The oracle: one runtime that folds everything without forgetting.
        JsProjection whole(scripts::kWhen);
        Store wholeStore;
        QVERIFY(!whole.apply(events.list, wholeStore.loader()));
        wholeStore.commit(whole);

        JsProjection projection(scripts::kWhen);
        Store store;
        QVERIFY(!projection.apply(std::span(events.list).first(12), store.loader()));
        store.commit(projection);
        QCOMPARE(projection.heldPartitions(), std::size_t(3));
        projection.evict();
        QCOMPARE(projection.heldPartitions(), std::size_t(0));
        store.asked.clear();
        QVERIFY(!projection.apply(std::span(events.list).subspan(12), store.loader()));
        QCOMPARE(store.asked.size(), std::size_t(1));
        QCOMPARE(store.asked.front(), (std::set<std::string> { "s0", "s1", "s2", "s9" }));
        store.commit(projection);
        QCOMPARE(store.dump(), wholeStore.dump());
        // $created ran once per partition, not again after the eviction.
        for (const auto& [partition, state] : store.states)
            QCOMPARE(Json::parse(state)["created"].get<int>(), 1);
    }

    void discard()
    {
        JsProjection projection(scripts::kPerStream);
        Events events;
        events.add("a-1", "T").add("a-1", "T");
        Store store;
        QVERIFY(!projection.apply(std::span(events.list).first(1), store.loader()));
        store.commit(projection);
        QVERIFY(!projection.apply(std::span(events.list).subspan(1), store.loader()));
        projection.discard(); // the second event's change is forgotten; the store's state comes back
        QVERIFY(projection.take().states.empty());
        QVERIFY(!projection.apply(std::span(events.list).subspan(1), store.loader()));
        store.commit(projection);
        QCOMPARE(Json::parse(store.states["a-1"])["n"].get<int>(), 2);
    }
};

QTEST_GUILESS_MAIN(TestJsProjection)
#include "tst_js_projection.moc"
