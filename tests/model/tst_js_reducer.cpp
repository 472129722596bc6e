// The JavaScript reducer of DESIGN §4: KurrentDB's handler semantics, the event's fields under both names,
// failures that leave the state just before the failing event, the time limit, the sandbox, and a bank whose
// balance is known.

#include "model/js_reducer.h"
#include "storage/error.h"
#include "storage/time_format.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTest>

#include <nlohmann/json.hpp>

#include <random>

using namespace eventscope;
using namespace std::chrono_literals;
using Json = nlohmann::ordered_json;

namespace {

Event makeEvent(
    std::int64_t version, const std::string& type, const std::string& data = "{}", const std::string& metadata = "{}")
{
    Event e;
    e.position = 100 + version;
    e.stream = "account-1";
    e.version = version;
    e.id = "id-" + std::to_string(version);
    e.type = type;
    e.time = parseTime("2024-01-15T14:00:00Z") + version * 1000001;
    e.data = data;
    e.metadata = metadata;
    return e;
}

// "Type data" per entry, numbered from version 1.
std::vector<Event> events(const QByteArrayList& specs)
{
    std::vector<Event> list;
    for (const QByteArray& spec : specs) {
        const qsizetype space = spec.indexOf(' ');
        const QByteArray type = space < 0 ? spec : spec.left(space);
        const QByteArray data = space < 0 ? QByteArray("{}") : spec.mid(space + 1);
        list.push_back(makeEvent(static_cast<std::int64_t>(list.size()) + 1, type.toStdString(), data.toStdString()));
    }
    return list;
}

Json parsed(const std::string& text)
{
    return Json::parse(text);
}

// The error a throwing call raised, or an empty message when it did not throw.
template <typename F> std::pair<std::optional<ErrorKind>, std::string> errorOf(F&& call)
{
    try {
        call();
    } catch (const Error& e) {
        return { e.kind, e.what() };
    }
    return { std::nullopt, {} };
}

const char* const kBank = R"(({
    $init: () => ({ balance: 0 }),
    MoneyDeposited: (s, e) => { s.balance += e.data.amount; },
    MoneyWithdrawn: (s, e) => {
        s.balance -= e.data.amount;
        if (s.balance < 0) throw new Error('insufficient funds');
    },
}))";

} // namespace

class TestJsReducer : public QObject
{
    Q_OBJECT

private slots:
    void handlers_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QByteArrayList>("events");
        QTest::addColumn<QString>("expected");
        const QByteArrayList bank { R"(MoneyDeposited {"amount":10})", R"(MoneyWithdrawn {"amount":3})",
            R"(MoneyDeposited {"amount":5})" };
        QTest::addRow("type handlers") << kBank << bank << R"({"balance":12})";
        QTest::addRow("$any when no type handler")
            << "({ $init: () => ({ n: 0 }), $any: (s, e) => { s.n++; } })" << bank << R"({"n":3})";
        // KurrentDB's current engine (Jint): the type's handler if there is one, else $any, never both.
        QTest::addRow("a type handler wins over $any")
            << "({ $init: () => ({ typed: 0, any: 0 }), MoneyDeposited: (s) => { s.typed++; }, $any: (s) => { "
               "s.any++; } })"
            << bank << R"({"typed":2,"any":1})";
        QTest::addRow("without $init the state starts as {}")
            << "({ MoneyDeposited: (s, e) => { s.last = e.data.amount; } })" << bank << R"({"last":5})";
        QTest::addRow("$init returning nothing gives {}")
            << "({ $init: () => { balance: 0 }, MoneyDeposited: (s) => { s.seen = true; } })" << bank
            << R"({"seen":true})";
        QTest::addRow("an event without a handler is skipped")
            << "({ $init: () => ({ n: 0 }), Other: (s) => { s.n++; } })" << bank << R"({"n":0})";
        QTest::addRow("a returned value replaces the state")
            << "({ MoneyDeposited: (s, e) => ({ only: e.data.amount }) })" << bank << R"({"only":5})";
        QTest::addRow("undefined keeps the mutated state")
            << "({ $init: () => ({ n: 0 }), $any: (s) => { s.n += 2; return undefined; } })" << bank << R"({"n":6})";
        QTest::addRow("the state may be any JSON value")
            << "({ $init: () => 0, $any: (s, e) => s + e.version })" << bank << "6";
        QTest::addRow("key order is the script's")
            << "({ $init: () => ({ z: 1, a: 2 }), $any: (s) => { s.m = 3; } })" << bank << R"({"z":1,"a":2,"m":3})";
        // The dispatch table has no prototype: these types find no handler rather than Object.prototype's.
        QTest::addRow("types named like Object.prototype members")
            << "({ $init: () => ({ n: 0 }), Other: (s) => { s.n += 100; }, $any: (s) => { s.n++; } })"
            << QByteArrayList { "constructor", "toString", "__proto__", "hasOwnProperty", "valueOf" } << R"({"n":5})";
        QTest::addRow("$init and $any are not event types") << "({ $init: () => ({ n: 0 }), $any: (s) => { s.n++; } })"
                                                            << QByteArrayList { "$init", "$any" } << R"({"n":2})";
        QTest::addRow("no events") << kBank << QByteArrayList {} << R"({"balance":0})";
    }
    void handlers()
    {
        QFETCH(QString, script);
        QFETCH(QByteArrayList, events);
        QFETCH(QString, expected);
        auto reducer = makeJsReducer(script.toStdString());
        const auto list = ::events(events);
        QVERIFY(!reducer->apply(list));
        QCOMPARE(QString::fromStdString(reducer->state()), expected);
    }

    void eventFields()
    {
        Event e = makeEvent(3, "Placed", R"({"lines":[1,2]})", R"({"userId":"u-1","correlationId":"c-9"})");
        e.position = 7;
        e.stream = "order-12";
        e.id = "6f1c2a4e-0000-4000-8000-000000000001";
        e.time = parseTime("2024-02-29T23:59:59.123456Z");
        e.correlation = "c-9";
        e.causation = "k-1";
        e.actor = "u-1";
        e.schemaVersion = 2;
        auto reducer = makeJsReducer(R"(({ $any: (s, e) => ({
            ours: { position: e.position, stream: e.stream, version: e.version, id: e.id, type: e.type,
                    time: e.time, data: e.data, metadata: e.metadata, correlation: e.correlation,
                    causation: e.causation, actor: e.actor, schemaVersion: e.schemaVersion },
            kurrent: { eventType: e.eventType, streamId: e.streamId, sequenceNumber: e.sequenceNumber,
                       body: e.body, bodyRaw: e.bodyRaw, metadataRaw: e.metadataRaw, isJson: e.isJson,
                       partition: e.partition, eventId: e.eventId, category: e.category },
            stringified: JSON.parse(JSON.stringify(e)),
            sameMetadata: e.metadata === e.metadata,
        }) }))");
        QVERIFY(!reducer->apply(std::span(&e, 1)));
        const Json ours = {
            { "position", 7 },
            { "stream", "order-12" },
            { "version", 3 },
            { "id", e.id },
            { "type", "Placed" },
            { "time", "2024-02-29T23:59:59.123456Z" },
            { "data", parsed(e.data) },
            { "metadata", parsed(e.metadata) },
            { "correlation", "c-9" },
            { "causation", "k-1" },
            { "actor", "u-1" },
        };
        Json withSchema = ours;
        withSchema["schemaVersion"] = 2;
        const Json expected = {
            { "ours", withSchema },
            { "kurrent",
                {
                    { "eventType", "Placed" },
                    { "streamId", "order-12" },
                    { "sequenceNumber", 2 }, // KurrentDB counts from 0
                    { "body", parsed(e.data) },
                    { "bodyRaw", e.data },
                    { "metadataRaw", e.metadata },
                    { "isJson", true },
                    { "partition", "order-12" },
                    { "eventId", e.id },
                    { "category", "order" },
                } },
            { "stringified", ours },
            { "sameMetadata", true },
        };
        QCOMPARE(
            QByteArray::fromStdString(parsed(reducer->state()).dump(2)), QByteArray::fromStdString(expected.dump(2)));
    }

    void dataThatIsNotJson_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QByteArray>("expected"); // what the handler saw: [data, isJson, body, bodyRaw]
        QTest::addRow("text") << QByteArray("not json") << QByteArray(R"(["not json",false,null,"not json"])");
        QTest::addRow("empty") << QByteArray("") << QByteArray(R"(["",false,null,""])");
        QTest::addRow("quotes and controls")
            << QByteArray("a\"b\\c\n\x01")
            << QByteArray::fromStdString(Json::array({ "a\"b\\c\n\x01", false, nullptr, "a\"b\\c\n\x01" }).dump());
        QTest::addRow("bytes that are not UTF-8")
            << QByteArray("\xff\xfe")
            << QByteArray::fromStdString(Json::array({ "\uFFFD\uFFFD", false, nullptr, "\uFFFD\uFFFD" }).dump());
        QTest::addRow("a JSON scalar is JSON") << QByteArray("42") << QByteArray(R"([42,true,42,"42"])");
    }
    void dataThatIsNotJson()
    {
        QFETCH(QByteArray, data);
        QFETCH(QByteArray, expected);
        auto reducer = makeJsReducer(
            "({ $any: (s, e) => [e.data, e.isJson, e.body === undefined ? null : e.body, e.bodyRaw] })");
        const Event e = makeEvent(1, "Noted", data.toStdString());
        QVERIFY(!reducer->apply(std::span(&e, 1)));
        QCOMPARE(QByteArray::fromStdString(reducer->state()), expected);
    }

    // Each event's data goes into one JSON text per batch; what is not JSON must stay a string and never bleed
    // into its neighbours.
    void jsonDetection_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<bool>("json");
        for (const char* valid : { "{}", "[]", "0", "-1.5e+3", "\"s\"", "true", "false", "null",
                 " {\"a\" : [1, {\"b\": null}], \"c\": \"\\u00e9\\n\\/\"} ", "[[[[1]]]]" })
            QTest::addRow("valid %s", valid) << QByteArray(valid) << true;
        for (const char* invalid : { "{", "}", "{\"a\":1,}", "[1,]", "01", "1.", ".5", "+1", "-", "1e", "\"\\x\"",
                 "tru", "nul", "{\"a\" 1}", "{1:2}", "{} {}", "NaN", "'s'", "\"a", "{\"a\":1}],[{\"b\":2}", "\"a\",\"b",
                 "[1]\n]", "\"tab\there\"" })
            QTest::addRow("invalid %s", QByteArray(invalid).replace('\n', "\\n").replace('\t', "\\t").constData())
                << QByteArray(invalid) << false;
        QTest::addRow("100 deep") << QByteArray(100, '[') + QByteArray(100, ']') << true;
        QTest::addRow("2000 deep is kept as text") << QByteArray(2000, '[') + QByteArray(2000, ']') << false;
    }
    void jsonDetection()
    {
        QFETCH(QByteArray, data);
        QFETCH(bool, json);
        auto reducer = makeJsReducer(R"(({ $init: () => [], $any: (s, e) => { s.push(e.isJson ?
            [true, JSON.stringify(e.data) === JSON.stringify(JSON.parse(e.bodyRaw))] :
            [false, e.data === e.bodyRaw]); } }))");
        // Neighbours that would turn "a","b + c" into two strings if the texts were pasted unchecked.
        const std::vector<Event> list { makeEvent(1, "A", data.toStdString()), makeEvent(2, "B", "c\""),
            makeEvent(3, "C", R"({"after":true})") };
        QVERIFY(!reducer->apply(list));
        const Json expected = Json::array({ { json, true }, { false, true }, { true, true } });
        QCOMPARE(QByteArray::fromStdString(reducer->state()), QByteArray::fromStdString(expected.dump()));
    }

    void textsOutsideAscii()
    {
        // Texts are cut out of one string by offsets: UTF-16 offsets must follow multi-byte characters.
        Event first = makeEvent(1, "Named", R"({"name":"Ωmega 😀"})", R"({"note":"Zoë 😀"})");
        first.actor = "Zoë";
        first.id = "ü-1";
        Event second = makeEvent(2, "Named", R"({"name":"plain"})", R"({"note":"plain"})");
        second.actor = "bob";
        const std::vector<Event> list { first, second };
        auto reducer = makeJsReducer(
            "({ $init: () => [], $any: (s, e) => { s.push([e.id, e.actor, e.data.name, e.metadata.note, e.bodyRaw, "
            "e.time]); } })");
        QVERIFY(!reducer->apply(list));
        const Json expected = Json::array({
            { "ü-1", "Zoë", "Ωmega 😀", "Zoë 😀", R"({"name":"Ωmega 😀"})", formatTime(first.time) },
            { "id-2", "bob", "plain", "plain", R"({"name":"plain"})", formatTime(second.time) },
        });
        QCOMPARE(QByteArray::fromStdString(reducer->state()), QByteArray::fromStdString(expected.dump()));
    }

    void skippedEventsKeepTheirNeighboursIntact()
    {
        // Events no handler takes are not written out; the texts of those around them must still line up.
        Event skipped = makeEvent(2, "Unhandled", R"({"note":"ünïcode"})", R"({"who":"Zoë"})");
        skipped.actor = "Zoë";
        skipped.id = "ü-2";
        const std::vector<Event> list { makeEvent(1, "Seen", R"({"n":1})", R"({"m":1})"), skipped,
            makeEvent(3, "Seen", R"({"n":3})", R"({"m":3})") };
        auto reducer = makeJsReducer("({ $init: () => [], Seen: (s, e) => { s.push([e.version, e.id, e.data.n, "
                                     "e.metadata.m, e.bodyRaw, e.time]); } })");
        QVERIFY(!reducer->apply(list));
        const Json expected = Json::array({
            { 1, "id-1", 1, 1, R"({"n":1})", formatTime(list[0].time) },
            { 3, "id-3", 3, 3, R"({"n":3})", formatTime(list[2].time) },
        });
        QCOMPARE(QByteArray::fromStdString(reducer->state()), QByteArray::fromStdString(expected.dump()));
    }

    void timeIsRfc3339_data()
    {
        QTest::addColumn<qint64>("time");
        for (const char* text : { "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999Z", "2024-02-29T12:34:56.000001Z",
                 "1900-03-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "2000-01-01T00:00:00.5Z" })
            QTest::addRow("%s", text) << qint64(parseTime(text));
        QTest::addRow("a day later in the same batch") << qint64(parseTime("2024-01-02T00:00:00Z"));
    }
    void timeIsRfc3339()
    {
        QFETCH(qint64, time);
        // Two events a day apart in one batch: the date part is cached per day.
        Event e = makeEvent(1, "T");
        e.time = time;
        Event later = makeEvent(2, "T");
        later.time = time + 86400000000LL + 1;
        const std::vector<Event> list { e, later };
        auto reducer = makeJsReducer("({ $init: () => [], $any: (s, e) => { s.push(e.time); } })");
        QVERIFY(!reducer->apply(list));
        QCOMPARE(QByteArray::fromStdString(reducer->state()),
            QByteArray::fromStdString(Json::array({ formatTime(e.time), formatTime(later.time) }).dump()));
    }

    void throwingHandler_data()
    {
        QTest::addColumn<QString>("statement");
        QTest::addColumn<QString>("message");
        QTest::addRow("Error") << "throw new Error('insufficient funds');"
                               << "insufficient funds";
        QTest::addRow("TypeError") << "throw new TypeError('bad amount');"
                                   << "TypeError: bad amount";
        QTest::addRow("a string") << "throw 'plain';"
                                  << "plain";
        QTest::addRow("an object") << "throw { code: 7 };"
                                   << "[object Object]";
        QTest::addRow("a runtime error") << "null.x;"
                                         << "TypeError: Cannot read property 'x' of null";
    }
    void throwingHandler()
    {
        QFETCH(QString, statement);
        QFETCH(QString, message);
        // The handler mutates the state before it throws: the state must still hold only the events before it.
        const std::string script = "({\n"
                                   "  $init: () => ({ balance: 0, n: 0 }),\n"
                                   "  $any: (s, e) => { s.n++; s.balance += e.data.amount; },\n"
                                   "  Fails: (s, e) => {\n"
                                   "    s.balance = -1000;\n"
                                   "    "
            + statement.toStdString()
            + "\n"
              "  },\n"
              "})";
        auto reducer = makeJsReducer(script);
        const std::vector<Event> list { makeEvent(1, "Deposit", R"({"amount":10})"),
            makeEvent(2, "Deposit", R"({"amount":5})"), makeEvent(3, "Fails"),
            makeEvent(4, "Deposit", R"({"amount":1})") };
        const auto failure = reducer->apply(list);
        QVERIFY(failure);
        QCOMPARE(failure->version, std::int64_t { 3 });
        QCOMPARE(QByteArray::fromStdString(failure->type), "Fails");
        QCOMPARE(QString::fromStdString(failure->message), message);
        if (message.contains(u':') || message == QStringLiteral("insufficient funds")) {
            // The stack names the script's line 6 and none of the reducer's own machinery.
            QVERIFY2(QByteArray::fromStdString(failure->stack).contains("reducer.js:6"), failure->stack.c_str());
            QVERIFY2(!QByteArray::fromStdString(failure->stack).contains("driver"), failure->stack.c_str());
        }
        QCOMPARE(QByteArray::fromStdString(reducer->state()), R"({"balance":15,"n":2})");
        // Usable again: the caller may skip the event and go on.
        QVERIFY(!reducer->apply(std::span(list).subspan(3)));
        QCOMPARE(QByteArray::fromStdString(reducer->state()), R"({"balance":16,"n":3})");
    }

    void failureInALaterChunk()
    {
        // More events than one internal chunk: the failure's version and the state still line up.
        std::vector<Event> list;
        for (int v = 1; v <= 9000; ++v)
            list.push_back(makeEvent(v, v == 7000 ? "Fails" : "Deposit", R"({"amount":1})"));
        auto reducer = makeJsReducer("({ $init: () => ({ n: 0 }), Deposit: (s) => { s.n++; }, Fails: (s) => { "
                                     "s.n = -1; throw new Error('no'); } })");
        const auto failure = reducer->apply(list);
        QVERIFY(failure);
        QCOMPARE(failure->version, std::int64_t { 7000 });
        QCOMPARE(QByteArray::fromStdString(reducer->state()), R"({"n":6999})");
    }

    void endlessLoopIsInterrupted()
    {
        auto reducer = makeJsReducer(
            "({ $init: () => ({ n: 0 }), Step: (s) => { s.n++; }, Spin: (s) => { s.n = -1; while (true) {} } })",
            200ms);
        const std::vector<Event> list { makeEvent(1, "Step"), makeEvent(2, "Spin"), makeEvent(3, "Step") };
        QElapsedTimer timer;
        timer.start();
        const auto failure = reducer->apply(list);
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY(failure);
        QCOMPARE(failure->version, std::int64_t { 2 });
        QCOMPARE(QByteArray::fromStdString(failure->type), "Spin");
        QCOMPARE(QByteArray::fromStdString(failure->message), "the reducer ran past its time limit of 0.2 s");
        QCOMPARE(QByteArray::fromStdString(reducer->state()), R"({"n":1})");
        // The engine runs again after the interrupt, and the watchdog still watches.
        QVERIFY(!reducer->apply(std::span(list).subspan(2)));
        QCOMPARE(QByteArray::fromStdString(reducer->state()), R"({"n":2})");
        const Event again = makeEvent(4, "Spin");
        timer.restart();
        const auto second = reducer->apply(std::span(&again, 1));
        QVERIFY(timer.elapsed() < 5000);
        QVERIFY(second);
        QCOMPARE(second->version, std::int64_t { 4 });
        QCOMPARE(QByteArray::fromStdString(reducer->state()), R"({"n":2})");
    }

    void timeLimitIsPerCall()
    {
        // Five calls of ~60 ms each under a 200 ms limit: together past it, each within it.
        auto reducer = makeJsReducer("({ $init: () => ({ n: 0 }), $any: (s) => { var t = Date.now(); "
                                     "while (Date.now() - t < 60) {} s.n++; } })",
            200ms);
        for (int v = 1; v <= 5; ++v) {
            const Event e = makeEvent(v, "Slow");
            const auto failure = reducer->apply(std::span(&e, 1));
            QVERIFY2(!failure, failure ? failure->message.c_str() : "");
        }
        QCOMPARE(QByteArray::fromStdString(reducer->state()), R"({"n":5})");
    }

    void endlessScriptOrInit_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("message");
        QTest::addRow("evaluation") << "(function () { while (true) {} })()"
                                    << "the reducer ran past its time limit of 0.2 s while it was evaluated";
        QTest::addRow("$init") << "({ $init: () => { while (true) {} } })"
                               << "the reducer's $init ran past its time limit of 0.2 s";
    }
    void endlessScriptOrInit()
    {
        QFETCH(QString, script);
        QFETCH(QString, message);
        QElapsedTimer timer;
        timer.start();
        const auto [kind, what] = errorOf([&] { makeJsReducer(script.toStdString(), 200ms); });
        QVERIFY(timer.elapsed() < 5000);
        QVERIFY2(kind == ErrorKind::Script, what.c_str());
        QCOMPARE(QString::fromStdString(what), message);
    }

    void brokenScripts_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("message");
        QTest::addRow("syntax error on line 3") << "({\n  A: (s, e) => {},\n  B: (s, e) => { s.x = ; },\n})"
                                                << "the reducer does not compile: SyntaxError: .+ at line 3";
        QTest::addRow("unknown name") << "({ A: undefinedName })"
                                      << "the reducer does not compile: ReferenceError: undefinedName is not defined "
                                         "at line 1";
        QTest::addRow("a number") << "42"
                                  << "the reducer does not compile: it must evaluate to an object of handlers, not "
                                     "a number";
        QTest::addRow("an array") << "[(s) => s]"
                                  << "the reducer does not compile: it must evaluate to an object of handlers, not "
                                     "an array";
        QTest::addRow("null") << "null"
                              << "the reducer does not compile: it must evaluate to an object of handlers, not null";
        QTest::addRow("a function") << "(s, e) => s"
                                    << "the reducer does not compile: it must evaluate to an object of handlers, not "
                                       "a function";
        QTest::addRow("empty") << ""
                               << "the reducer does not compile: it must evaluate to an object of handlers, not "
                                  "undefined";
        QTest::addRow("a handler that is a number")
            << "({ MoneyDeposited: 5 })"
            << "the reducer does not compile: the handler MoneyDeposited is not a function but a number";
        QTest::addRow("$init that is an object")
            << "({ $init: { balance: 0 } })"
            << "the reducer does not compile: the handler $init is not a function but an object";
        QTest::addRow("$init that throws") << "({ $init: () => { throw new Error('no start'); } })"
                                           << "the reducer's $init failed: no start";
    }
    void brokenScripts()
    {
        QFETCH(QString, script);
        QFETCH(QString, message);
        const auto [kind, what] = errorOf([&] { makeJsReducer(script.toStdString()); });
        QVERIFY2(kind == ErrorKind::Script, what.c_str());
        // The engine's own words for a syntax error vary between Qt versions: that row matches a pattern.
        if (message.contains(u".+"))
            QVERIFY2(
                QRegularExpression(u'^' + message + u'$').match(QString::fromStdString(what)).hasMatch(), what.c_str());
        else
            QCOMPARE(QString::fromStdString(what), message);
    }

    void scriptShapes_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addRow("bare object") << "{ A: (s) => { s.n = 1; } }";
        QTest::addRow("parenthesised") << "({ A: (s) => { s.n = 1; } })";
        QTest::addRow("trailing semicolon") << "({ A: (s) => { s.n = 1; } });\n";
        QTest::addRow("trailing comment") << "({ A: (s) => { s.n = 1; } }); // the end";
        QTest::addRow("a program ending in the object") << "const when = { A: (s) => { s.n = 1; } };\nwhen";
        QTest::addRow("methods") << "({ A(s) { s.n = 1; } })";
    }
    void scriptShapes()
    {
        QFETCH(QString, script);
        auto reducer = makeJsReducer(script.toStdString());
        const Event e = makeEvent(1, "A");
        QVERIFY(!reducer->apply(std::span(&e, 1)));
        QCOMPARE(QByteArray::fromStdString(reducer->state()), R"({"n":1})");
    }

    void sandbox_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* name : { "XMLHttpRequest", "require", "fetch", "Qt", "console", "print", "importScripts",
                 "setTimeout", "WebSocket", "process", "gc" })
            QTest::addRow("%s", name) << QString::fromLatin1(name);
    }
    void sandbox()
    {
        QFETCH(QString, name);
        auto reducer = makeJsReducer("({ $init: () => ({ t: typeof " + name.toStdString() + " }) })");
        QCOMPARE(QByteArray::fromStdString(reducer->state()), R"({"t":"undefined"})");
    }

    void aScriptCannotBreakTheFold()
    {
        // The driver took JSON and Object's functions before the script ran.
        auto reducer
            = makeJsReducer("JSON.parse = () => { throw new Error('gone'); }; JSON.stringify = () => 'x';\n"
                            "Object.setPrototypeOf = () => {};\n"
                            "({ $init: () => ({ n: 0 }), A: (s, e) => { s.n += e.data.v; s.t = e.eventType; } })");
        const auto list = events({ R"(A {"v":2})", R"(A {"v":3})" });
        QVERIFY(!reducer->apply(list));
        QCOMPARE(QByteArray::fromStdString(reducer->state()), R"({"n":5,"t":"A"})");
    }

    void name()
    {
        const std::string script = kBank;
        const std::string expected = "js:"
            + QCryptographicHash::hash(QByteArray::fromStdString(script), QCryptographicHash::Sha256)
                  .toHex()
                  .toStdString();
        QCOMPARE(QByteArray::fromStdString(makeJsReducer(script)->name()), QByteArray::fromStdString(expected));
        QCOMPARE(QByteArray::fromStdString(makeJsReducer(script)->name()),
            QByteArray::fromStdString(makeJsReducer(script)->name()));
        QVERIFY(makeJsReducer(script + " ")->name() != expected);
        const QString name = QString::fromStdString(makeJsReducer("({})")->name());
        QVERIFY2(QRegularExpression(QStringLiteral("^js:[0-9a-f]{64}$")).match(name).hasMatch(), qPrintable(name));
    }

    void stateRoundTrip()
    {
        const auto list = events({ R"(MoneyDeposited {"amount":10})", R"(MoneyDeposited {"amount":7})",
            R"(MoneyWithdrawn {"amount":4})", R"(MoneyDeposited {"amount":1})" });
        auto whole = makeJsReducer(kBank);
        QVERIFY(!whole->apply(list));

        auto first = makeJsReducer(kBank);
        QVERIFY(!first->apply(std::span(list).first(2)));
        const std::string kept = first->state();
        QCOMPARE(QByteArray::fromStdString(kept), R"({"balance":17})");
        auto second = makeJsReducer(kBank);
        second->restore(kept);
        QVERIFY(!second->apply(std::span(list).subspan(2)));
        QCOMPARE(QByteArray::fromStdString(second->state()), QByteArray::fromStdString(whole->state()));

        // A kept state written by hand comes back compact, in its own key order.
        second->restore("{ \"z\" : [1, 2],\n \"balance\": 3 }");
        QCOMPARE(QByteArray::fromStdString(second->state()), R"({"z":[1,2],"balance":3})");
        second->reset();
        QCOMPARE(QByteArray::fromStdString(second->state()), R"({"balance":0})");
    }

    void restoreRejectsWhatIsNotJson_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addRow("empty") << "";
        QTest::addRow("truncated") << R"({"balance":)";
        QTest::addRow("javascript, not JSON") << "{ balance: 1 }";
    }
    void restoreRejectsWhatIsNotJson()
    {
        QFETCH(QString, text);
        auto reducer = makeJsReducer(kBank);
        const auto [kind, what] = errorOf([&] { reducer->restore(text.toStdString()); });
        QVERIFY2(kind == ErrorKind::BadInput, what.c_str());
        QVERIFY2(
            QByteArray::fromStdString(what).startsWith("the reducer's state to restore is not JSON: "), what.c_str());
        QCOMPARE(QByteArray::fromStdString(reducer->state()), R"({"balance":0})"); // untouched
    }

    void stateThatIsNotJson()
    {
        auto reducer = makeJsReducer("({ $init: () => ({}), Loop: (s) => { s.self = s; }, A: (s) => { s.a = 1; } })");
        const auto list = events({ "Loop", "A" });
        QVERIFY(!reducer->apply(std::span(list).first(1)));
        const auto [kind, what] = errorOf([&] { reducer->state(); });
        QVERIFY2(kind == ErrorKind::Script, what.c_str());
        QVERIFY2(QByteArray::fromStdString(what).startsWith("the reducer's state cannot be written as JSON: "),
            what.c_str());
        // The next batch cannot keep a state to roll back to: it stops at its first event, before running it.
        const auto failure = reducer->apply(std::span(list).subspan(1));
        QVERIFY(failure);
        QCOMPARE(failure->version, std::int64_t { 2 });
        QVERIFY(
            QByteArray::fromStdString(failure->message).startsWith("the reducer's state cannot be written as JSON"));
    }

    void bankOracle()
    {
        std::mt19937 random(20240115);
        std::vector<Event> list;
        std::int64_t balance = 0;
        std::int64_t deposits = 0;
        for (int v = 1; v <= 20000; ++v) {
            const std::int64_t amount = random() % 1000;
            const bool deposit = balance < amount || random() % 3 != 0;
            balance += deposit ? amount : -amount;
            deposits += deposit;
            list.push_back(makeEvent(v, deposit ? "MoneyDeposited" : "MoneyWithdrawn",
                R"({"amount":)" + std::to_string(amount) + R"(,"currency":"EUR"})"));
        }
        auto ours = makeJsReducer(R"(({ $init: () => ({ balance: 0, deposits: 0 }),
            MoneyDeposited: (s, e) => { s.balance += e.data.amount; s.deposits++; },
            MoneyWithdrawn: (s, e) => { s.balance -= e.data.amount; if (s.balance < 0) throw new Error('overdrawn'); },
        }))");
        auto theirs = makeJsReducer(R"(({ $init: () => ({ balance: 0, deposits: 0 }),
            $any: (s, e) => { s.balance += e.eventType === 'MoneyDeposited' ? e.body.amount : -e.body.amount;
                              if (e.eventType === 'MoneyDeposited') s.deposits++; },
        }))");
        // Batches of random sizes, as a reader's pages and a slider's steps give them.
        for (std::size_t at = 0; at < list.size();) {
            const std::size_t n = std::min<std::size_t>(1 + random() % 3000, list.size() - at);
            QVERIFY(!ours->apply(std::span(list).subspan(at, n)));
            QVERIFY(!theirs->apply(std::span(list).subspan(at, n)));
            at += n;
        }
        const std::string expected
            = R"({"balance":)" + std::to_string(balance) + R"(,"deposits":)" + std::to_string(deposits) + "}";
        QCOMPARE(QByteArray::fromStdString(ours->state()), QByteArray::fromStdString(expected));
        QCOMPARE(QByteArray::fromStdString(theirs->state()), QByteArray::fromStdString(expected));
    }
};

QTEST_GUILESS_MAIN(TestJsReducer)
#include "tst_js_reducer.moc"
