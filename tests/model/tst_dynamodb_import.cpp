// DynamoDB import (model/dynamodb_import.h; DESIGN §3; issue 7 part 4): typed values, both file formats, both
// attribute shapes, the mapping file, line numbers of bad input, versions and order, and flat memory on a large
// scan file. Expected values are written out by hand or built by this test's own encoder, never by the importer.

#include "model/dynamodb_import.h"
#include "storage/error.h"
#include "tests/test_stores.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

using namespace eventscope;
using Json = nlohmann::ordered_json;

namespace {

std::vector<DynamoDbItem> readAll(const std::string& text, DynamoDbFormat* format = nullptr)
{
    std::istringstream input(text);
    std::vector<DynamoDbItem> items;
    const DynamoDbFormat found
        = readDynamoDbItems(input, "in.json", [&](DynamoDbItem& item) { items.push_back(item); });
    if (format)
        *format = found;
    return items;
}

// The sentence of the BadInput that `run` throws, or "" when it throws nothing (or something else).
template <typename F> QString badInputOf(F run)
{
    try {
        run();
    } catch (const Error& error) {
        return error.kind == ErrorKind::BadInput ? QString::fromStdString(error.what()) : QStringLiteral("(other)");
    }
    return {};
}

// This test's own encoder: plain JSON to DynamoDB's typed JSON (strings S, numbers N, M, L, BOOL, NULL).
Json typed(const Json& plain)
{
    if (plain.is_string())
        return { { "S", plain } };
    if (plain.is_boolean())
        return { { "BOOL", plain } };
    if (plain.is_null())
        return { { "NULL", true } };
    if (plain.is_number())
        return { { "N", plain.dump() } };
    if (plain.is_array()) {
        Json list = Json::array();
        for (const auto& element : plain)
            list.push_back(typed(element));
        return { { "L", list } };
    }
    Json map = Json::object();
    for (const auto& [key, value] : plain.items())
        map[key] = typed(value);
    return { { "M", map } };
}

Json typedItem(const Json& plainAttributes)
{
    Json item = Json::object();
    for (const auto& [key, value] : plainAttributes.items())
        item[key] = typed(value);
    return item;
}

std::string exportLines(const std::vector<Json>& items)
{
    std::string text;
    for (const auto& item : items)
        text += Json { { "Item", item } }.dump() + "\n";
    return text;
}

std::string scanDocument(const std::vector<Json>& items)
{
    std::string text = "{\"Items\":[\n";
    for (std::size_t i = 0; i < items.size(); ++i)
        text += items[i].dump() + (i + 1 < items.size() ? ",\n" : "\n");
    return text + "],\"Count\":" + std::to_string(items.size()) + ",\"ScannedCount\":" + std::to_string(items.size())
        + "}\n";
}

// Equal as JSON values, whatever the order of members (a PostgreSQL store keeps jsonb's order).
bool sameJson(const std::string& actual, const Json& expected)
{
    const bool same = nlohmann::json::parse(actual) == nlohmann::json::parse(expected.dump());
    if (!same)
        qWarning("JSON differs: %s\n      expected: %s", actual.c_str(), expected.dump().c_str());
    return same;
}

std::int64_t statusKiB(const char* field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(static_cast<qsizetype>(std::strlen(field))).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

std::vector<Event> readStream(EventStore& store, const std::string& stream)
{
    EventQuery query;
    query.stream = stream;
    query.limit = 100000;
    return store.read(query).events;
}

} // namespace

class TestDynamoDbImport : public QObject
{
    Q_OBJECT

private slots:
    void numbers_data();
    void numbers();
    void notANumber();
    void everyType();
    void badTypedValues_data();
    void badTypedValues();
    void bothFormats();
    void shapeWithSortKey();
    void sortKeyShapes();
    void shapeWithEntityId();
    void times_data();
    void times();
    void mappingFile();
    void badMappingFiles_data();
    void badMappingFiles();
    void lineNumbers_data();
    void lineNumbers();
    void gzipRefused();
    void importInOrder_data();
    void importInOrder();
    void badVersions_data();
    void badVersions();
    void conflictingStore();
    void flatMemory();
    void flatMemoryStaging();
};

void TestDynamoDbImport::numbers_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("json"); // the expected plain JSON, as text
    QTest::addRow("integer") << QByteArray("42") << QByteArray("42");
    QTest::addRow("negative") << QByteArray("-7") << QByteArray("-7");
    QTest::addRow("minus zero") << QByteArray("-0") << QByteArray("0");
    QTest::addRow("whole decimal") << QByteArray("1.0") << QByteArray("1");
    QTest::addRow("exponent") << QByteArray("1E+3") << QByteArray("1000");
    QTest::addRow("int64 max") << QByteArray("9223372036854775807") << QByteArray("9223372036854775807");
    QTest::addRow("int64 min") << QByteArray("-9223372036854775808") << QByteArray("-9223372036854775808");
    QTest::addRow("uint64") << QByteArray("18446744073709551615") << QByteArray("18446744073709551615");
    QTest::addRow("past uint64") << QByteArray("18446744073709551616") << QByteArray("\"18446744073709551616\"");
    QTest::addRow("38 digits") << QByteArray("12345678901234567890123456789012345678")
                               << QByteArray("\"12345678901234567890123456789012345678\"");
    QTest::addRow("quarter") << QByteArray("0.25") << QByteArray("0.25");
    QTest::addRow("tenth") << QByteArray("0.1") << QByteArray("0.1");
    QTest::addRow("small") << QByteArray("1.5E-7") << QByteArray("1.5e-07");
    QTest::addRow("long decimal") << QByteArray("3.14159265358979323846") << QByteArray("\"3.14159265358979323846\"");
    QTest::addRow("tail digit") << QByteArray("0.1000000000000000000001") << QByteArray("\"0.1000000000000000000001\"");
    QTest::addRow("huge") << QByteArray("1E+400") << QByteArray("\"1E+400\"");
}

void TestDynamoDbImport::numbers()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, json);
    const Json value = dynamoDbNumber(text.toStdString());
    QCOMPARE(QByteArray::fromStdString(value.dump()), json);
    // A number that became a double must be that same decimal value.
    if (value.is_number_float())
        QCOMPARE(value.get<double>(), std::stod(text.toStdString()));
}

void TestDynamoDbImport::notANumber()
{
    for (const char* text : { "", "abc", "1.2.3", "1e", "--1", "0x10", " 1" })
        QVERIFY2(badInputOf([&] { dynamoDbNumber(text); }).contains(QStringLiteral("not a number")), text);
}

void TestDynamoDbImport::everyType()
{
    const Json typedValue = Json::parse(R"({"M":{
        "s":{"S":"text"}, "n":{"N":"12"}, "f":{"N":"-2.5"}, "t":{"BOOL":true}, "no":{"BOOL":false},
        "z":{"NULL":true}, "l":{"L":[{"S":"a"},{"N":"1"},{"L":[]},{"M":{}}]},
        "ss":{"SS":["x","y"]}, "ns":{"NS":["1","2.5","99999999999999999999999"]}, "bs":{"BS":["AAE=","/w=="]},
        "b":{"B":"aGVsbG8="}, "m":{"M":{"deep":{"M":{"n":{"N":"7"}}}}}}})");
    const Json expected = Json::parse(R"({
        "s":"text", "n":12, "f":-2.5, "t":true, "no":false, "z":null, "l":["a",1,[],{}],
        "ss":["x","y"], "ns":[1,2.5,"99999999999999999999999"], "bs":["AAE=","/w=="],
        "b":"aGVsbG8=", "m":{"deep":{"n":7}}})");
    QCOMPARE(QString::fromStdString(dynamoDbPlainValue(typedValue).dump()), QString::fromStdString(expected.dump()));
}

void TestDynamoDbImport::badTypedValues_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("needle");
    QTest::addRow("unknown type") << QByteArray(R"({"X":"a"})") << QByteArray("\"X\" is not a DynamoDB type");
    QTest::addRow("two types") << QByteArray(R"({"S":"a","N":"1"})") << QByteArray("not a DynamoDB typed value");
    QTest::addRow("plain") << QByteArray(R"("a")") << QByteArray("not a DynamoDB typed value");
    QTest::addRow("S not a string") << QByteArray(R"({"S":1})") << QByteArray("not a string");
    QTest::addRow("N not a number") << QByteArray(R"({"N":"x1"})") << QByteArray("not a number");
    QTest::addRow("BOOL text") << QByteArray(R"({"BOOL":"true"})") << QByteArray("not true or false");
    QTest::addRow("L not an array") << QByteArray(R"({"L":{}})") << QByteArray("not an array");
    QTest::addRow("SS of numbers") << QByteArray(R"({"SS":[1]})") << QByteArray("not a string");
    QTest::addRow("nested") << QByteArray(R"({"M":{"a":{"L":[{"Q":1}]}}})")
                            << QByteArray("\"Q\" is not a DynamoDB type");
}

void TestDynamoDbImport::badTypedValues()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, needle);
    const QString error = badInputOf([&] { dynamoDbPlainValue(Json::parse(value.toStdString())); });
    QVERIFY2(error.contains(QString::fromUtf8(needle)), qPrintable(error));
}

void TestDynamoDbImport::bothFormats()
{
    std::vector<Json> items;
    for (int i = 1; i <= 3; ++i)
        items.push_back(typedItem({ { "entityId", "e-" + std::to_string(i) }, { "version", i }, { "eventType", "T" },
            { "list", Json::array({ i, "x" }) } }));
    DynamoDbFormat format {};
    const auto exported = readAll(exportLines(items), &format);
    QCOMPARE(format, DynamoDbFormat::Export);
    const auto scanned = readAll(scanDocument(items), &format);
    QCOMPARE(format, DynamoDbFormat::Scan);
    QCOMPARE(exported.size(), std::size_t(3));
    QCOMPARE(scanned.size(), std::size_t(3));
    for (int i = 0; i < 3; ++i) {
        const Json plain { { "entityId", "e-" + std::to_string(i + 1) }, { "version", i + 1 }, { "eventType", "T" },
            { "list", Json::array({ i + 1, "x" }) } };
        QCOMPARE(QString::fromStdString(exported[i].attributes.dump()), QString::fromStdString(plain.dump()));
        QCOMPARE(QString::fromStdString(scanned[i].attributes.dump()), QString::fromStdString(plain.dump()));
        QCOMPARE(exported[i].line, std::int64_t(i + 1));
        QCOMPARE(scanned[i].line, std::int64_t(i + 2)); // the scan's items start on lines 2, 3, 4
    }
    // Blank lines and a scan's other members (in any order, nested) are skipped; an empty file has no items.
    QCOMPARE(readAll("\n" + exportLines(items) + "\n\n").size(), std::size_t(3));
    QCOMPARE(readAll("{\"Count\":1,\"LastEvaluatedKey\":{\"pk\":{\"S\":\"a\"}},\"Items\":[" + items[0].dump()
                 + "],\"ConsumedCapacity\":null}")
                 .size(),
        std::size_t(1));
    QCOMPARE(readAll("").size(), std::size_t(0));
    QCOMPARE(readAll("{\"Items\":[]}").size(), std::size_t(0));
}

void TestDynamoDbImport::shapeWithSortKey()
{
    const auto items = readAll(R"({"Item":{"pk":{"S":"acme#Order"},"sk":{"S":"Order#o-1@3"},"version":{"N":"3"},)"
                               R"("type":{"S":"OrderPaid"},"data":{"M":{"amount":{"N":"12.5"}}},)"
                               R"("createdAt":{"S":"2024-01-15T14:00:00.25Z"},"createdBy":{"S":"alice"},)"
                               R"("ttl":{"N":"1700000000"}}})");
    QCOMPARE(items.size(), std::size_t(1));
    const DynamoDbEvent event = dynamoDbEvent(items[0], "in.json", {});
    QCOMPARE(event.stream, std::string("Order#o-1"));
    QCOMPARE(event.version, std::optional<std::int64_t>(3));
    QCOMPARE(event.type, std::string("OrderPaid"));
    QVERIFY(sameJson(event.data, Json::parse(R"({"amount":12.5})")));
    QCOMPARE(event.time, std::optional<Micros>(1705327200250000));
    QVERIFY(event.id.empty());
    QVERIFY(sameJson(event.metadata,
        Json::parse(R"({"createdBy":"alice","aggregateType":"Order","tenant":"acme","dynamodb":{"ttl":1700000000}})")));
}

void TestDynamoDbImport::sortKeyShapes()
{
    // The sort key's @version alone gives the version; a numeric sort key is the version of stream pk.
    auto items
        = readAll(R"({"Item":{"pk":{"S":"t#Cart"},"sk":{"S":"Cart#c-9@12"},"type":{"S":"A"}}})"
                  "\n"
                  R"({"Item":{"pk":{"S":"cart-7"},"sk":{"N":"4"},"type":{"S":"B"}}})"
                  "\n"
                  R"({"Item":{"pk":{"S":"t#Cart"},"sk":{"S":"Cart#c-9"},"version":{"N":"2"},"type":{"S":"C"}}})"
                  "\n"
                  R"({"Item":{"pk":{"S":"t#Cart"},"sk":{"S":"Cart#c-9@2"},"version":{"N":"5"},"type":{"S":"D"}}})");
    QCOMPARE(items.size(), std::size_t(4));
    DynamoDbEvent event = dynamoDbEvent(items[0], "in.json", {});
    QCOMPARE(event.stream, std::string("Cart#c-9"));
    QCOMPARE(event.version, std::optional<std::int64_t>(12));
    event = dynamoDbEvent(items[1], "in.json", {});
    QCOMPARE(event.stream, std::string("cart-7"));
    QCOMPARE(event.version, std::optional<std::int64_t>(4));
    QVERIFY(sameJson(event.metadata, Json::object()));
    event = dynamoDbEvent(items[2], "in.json", {});
    QCOMPARE(event.stream, std::string("Cart#c-9"));
    QCOMPARE(event.version, std::optional<std::int64_t>(2));
    const QString error = badInputOf([&] { dynamoDbEvent(items[3], "in.json", {}); });
    QVERIFY2(error.startsWith(QStringLiteral("in.json line 4: ")) && error.contains(QStringLiteral("version 2"))
            && error.contains(QStringLiteral("says 5")),
        qPrintable(error));
}

void TestDynamoDbImport::shapeWithEntityId()
{
    const auto items
        = readAll(R"({"Items":[{"entityId":{"S":"account-1"},"sequenceNumber":{"N":"7"},)"
                  R"("eventId":{"S":"6F9619FF-8B86-D011-B42D-00C04FC964FF"},"eventType":{"S":"Deposited"},)"
                  R"("eventTime":{"N":"1705327200123"},"eventData":{"S":"{\"amount\":5,\"note\":\"x\"}"},)"
                  R"("userId":{"S":"u-1"},"correlationId":{"S":"corr-1"},"aggregateType":{"S":"Account"},)"
                  R"("causationId":{"S":"cause-1"},"schemaVersion":{"N":"2"},"region":{"S":"eu"}},)"
                  R"({"entityId":{"S":"account-1"},"sequenceNumber":{"N":"8"},"eventId":{"S":"evt-8"},)"
                  R"("eventType":{"S":"Noted"},"eventData":{"S":"plain text"}}]})");
    QCOMPARE(items.size(), std::size_t(2));
    DynamoDbEvent event = dynamoDbEvent(items[0], "in.json", {});
    QCOMPARE(event.stream, std::string("account-1"));
    QCOMPARE(event.version, std::optional<std::int64_t>(7));
    QCOMPARE(event.id, std::string("6f9619ff-8b86-d011-b42d-00c04fc964ff"));
    QCOMPARE(event.type, std::string("Deposited"));
    QCOMPARE(event.time, std::optional<Micros>(1705327200123000));
    QVERIFY(sameJson(event.data, Json::parse(R"({"amount":5,"note":"x"})")));
    QVERIFY(sameJson(event.metadata,
        Json::parse(R"({"userId":"u-1","correlationId":"corr-1","causationId":"cause-1","schemaVersion":2,)"
                    R"("aggregateType":"Account","dynamodb":{"region":"eu"}})")));
    // An ID that is no UUID becomes a UUID of its own, the same every time, and is kept in the metadata.
    event = dynamoDbEvent(items[1], "in.json", {});
    QVERIFY(QUuid::fromString(QString::fromStdString(event.id)).version() == QUuid::Sha1);
    QCOMPARE(dynamoDbEvent(items[1], "in.json", {}).id, event.id);
    QVERIFY(!event.time);
    QVERIFY(sameJson(event.data, Json("plain text")));
    QVERIFY(sameJson(event.metadata, Json::parse(R"({"dynamodb":{"eventId":"evt-8"}})")));
}

void TestDynamoDbImport::times_data()
{
    QTest::addColumn<QByteArray>("attribute"); // typed JSON
    QTest::addColumn<qint64>("micros");
    const qint64 t = 1705327200LL * 1000000; // 2024-01-15T14:00:00Z
    QTest::addRow("RFC 3339") << QByteArray(R"({"S":"2024-01-15T14:00:00Z"})") << t;
    QTest::addRow("offset") << QByteArray(R"({"S":"2024-01-15T15:30:00.5+01:30"})") << t + 500000;
    QTest::addRow("no offset is UTC") << QByteArray(R"({"S":"2024-01-15T14:00:00.000123"})") << t + 123;
    QTest::addRow("seconds") << QByteArray(R"({"N":"1705327200"})") << t;
    QTest::addRow("fractional seconds") << QByteArray(R"({"N":"1705327200.25"})") << t + 250000;
    QTest::addRow("milliseconds") << QByteArray(R"({"N":"1705327200007"})") << t + 7000;
    QTest::addRow("microseconds") << QByteArray(R"({"N":"1705327200000009"})") << t + 9;
    QTest::addRow("seconds as text") << QByteArray(R"({"S":"1705327200"})") << t;
}

void TestDynamoDbImport::times()
{
    QFETCH(QByteArray, attribute);
    QFETCH(qint64, micros);
    const auto items
        = readAll(R"({"Item":{"stream":{"S":"s-1"},"type":{"S":"T"},"time":)" + attribute.toStdString() + "}}");
    QCOMPARE(dynamoDbEvent(items.at(0), "in.json", {}).time, std::optional<Micros>(micros));
    const auto bad = readAll(R"({"Item":{"stream":{"S":"s-1"},"type":{"S":"T"},"time":{"S":"yesterday"}}})");
    const QString error = badInputOf([&] { dynamoDbEvent(bad.at(0), "in.json", {}); });
    QVERIFY2(error.startsWith(QStringLiteral("in.json line 1: the time attribute time")), qPrintable(error));
}

void TestDynamoDbImport::mappingFile()
{
    const DynamoDbMapping mapping = DynamoDbMapping::fromJson(R"({"stream":"agg","version":"seq","type":"kind",)"
                                                              R"("data":"body2","time":"at","id":"key","actor":"who",)"
                                                              R"("correlation":"flow","tenant":"org",)"
                                                              R"("snapshots":{"state":"blob","version":"v"}})");
    const auto items = readAll(R"({"Item":{"agg":{"S":"order-1"},"seq":{"N":"2"},"kind":{"S":"Placed"},)"
                               R"("body2":{"M":{"a":{"N":"1"}}},"at":{"N":"1705327200"},"who":{"S":"bob"},)"
                               R"("flow":{"S":"f-1"},"org":{"S":"acme"},"type":{"S":"not the type"},)"
                               R"("key":{"S":"0f8fad5b-d9cb-469f-a165-70867728950e"}}})");
    const DynamoDbEvent event = dynamoDbEvent(items.at(0), "in.json", mapping);
    QCOMPARE(event.stream, std::string("order-1"));
    QCOMPARE(event.version, std::optional<std::int64_t>(2));
    QCOMPARE(event.type, std::string("Placed"));
    QCOMPARE(event.id, std::string("0f8fad5b-d9cb-469f-a165-70867728950e"));
    QVERIFY(sameJson(event.data, Json::parse(R"({"a":1})")));
    QCOMPARE(event.time, std::optional<Micros>(1705327200000000));
    QVERIFY(sameJson(event.metadata,
        Json::parse(R"({"userId":"bob","correlationId":"f-1","tenant":"acme","dynamodb":{"type":"not the type"}})")));
    // A mapped attribute that an item lacks is not looked for elsewhere.
    const auto lacking = readAll(R"({"Item":{"entityId":{"S":"x"},"kind":{"S":"T"}}})");
    const QString error = badInputOf([&] { dynamoDbEvent(lacking.at(0), "in.json", mapping); });
    QVERIFY2(error
            == QStringLiteral("in.json line 1: the item has no stream (looked for agg (as the mapping file's "
                              "\"stream\" says))"),
        qPrintable(error));
    const auto snapshot = readAll(R"({"Item":{"entityId":{"S":"x"},"v":{"N":"3"},"blob":{"S":"{\"n\":1}"}}})");
    const DynamoDbSnapshot parsed = dynamoDbSnapshot(snapshot.at(0), "snap.json", mapping);
    QCOMPARE(parsed.stream, std::string("x"));
    QCOMPARE(parsed.version, std::int64_t(3));
    QVERIFY(sameJson(parsed.state, Json::parse(R"({"n":1})")));
}

void TestDynamoDbImport::badMappingFiles_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("needle");
    QTest::addRow("not JSON") << QByteArray("{") << QByteArray("not a JSON object");
    QTest::addRow("array") << QByteArray("[]") << QByteArray("not a JSON object");
    QTest::addRow("unknown") << QByteArray(R"({"strem":"a"})") << QByteArray("unknown member \"strem\"");
    QTest::addRow("not a name") << QByteArray(R"({"stream":1})") << QByteArray("\"stream\" is not an attribute name");
    QTest::addRow("empty") << QByteArray(R"({"type":""})") << QByteArray("\"type\" is not an attribute name");
    QTest::addRow("snapshot member") << QByteArray(R"({"snapshots":{"stat":"a"}})")
                                     << QByteArray("unknown member \"snapshots.stat\"");
}

void TestDynamoDbImport::badMappingFiles()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, needle);
    const QString error = badInputOf([&] { DynamoDbMapping::fromJson(text.toStdString()); });
    QVERIFY2(error.contains(QString::fromUtf8(needle)), qPrintable(error));
}

void TestDynamoDbImport::lineNumbers_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("expected"); // the start of the sentence
    const QByteArray good = R"({"Item":{"stream":{"S":"s-1"},"type":{"S":"T"}}})";
    QTest::addRow("export: broken JSON") << good + "\n\n" + good + "\n{\"Item\":{\"stream\":{\"S\":\"s\"}\n"
                                         << QByteArray("in.json line 4: not valid JSON at column");
    QTest::addRow("export: not an item") << good + "\n" + R"({"Items":[]})" + "\n"
                                         << QByteArray("in.json line 2: expected an export line");
    QTest::addRow("export: bad type") << good + "\n" + R"({"Item":{"stream":{"S":"s"},"type":{"SX":"T"}}})"
                                      << QByteArray("in.json line 2: attribute type: \"SX\" is not a DynamoDB type");
    QTest::addRow("export: no stream") << good + "\n" + good + "\n" + R"({"Item":{"type":{"S":"T"}}})"
                                       << QByteArray(
                                              "in.json line 3: the item has no stream (looked for pk/sk, streamName, "
                                              "streamId, aggregateId, entityId");
    QTest::addRow("export: no type") << QByteArray(R"({"Item":{"stream":{"S":"s"}}})")
                                     << QByteArray(
                                            "in.json line 1: the item has no event type (looked for type, eventType");
    QTest::addRow("scan: broken JSON") << "{\"Items\":[\n" + good.mid(8, good.size() - 9) + ",\n\n{\"stream\" x}]}"
                                       << QByteArray("in.json line 4: not valid JSON at column");
    QTest::addRow("scan: no stream") << "{\"Count\":2,\n\"Items\":[\n" + good.mid(8, good.size() - 9)
            + ",\n{\"type\":\n{\"S\":\"T\"}}]}"
                                     << QByteArray("in.json line 4: the item has no stream");
    QTest::addRow("scan: bad value") << "{\"Items\":[" + good.mid(8, good.size() - 9)
            + ",\n\n {\"stream\":{\"N\":\"x\"}}]}"
                                     << QByteArray("in.json line 3: attribute stream: the number 'x' is not a number");
    QTest::addRow("scan: Items not an array")
        << QByteArray("{\"Items\":\n{}}") << QByteArray("in.json line 2: \"Items\" is not an array");
    QTest::addRow("scan: element not an item")
        << QByteArray("{\"Items\":[\n1]}") << QByteArray("in.json line 2: an element of \"Items\"");
    QTest::addRow("scan: no Items") << QByteArray("{\"Count\":0}") << QByteArray("in.json holds no \"Items\" array");
    QTest::addRow("neither") << QByteArray("[1,2]") << QByteArray("in.json line 1: expected a scan's");
    QTest::addRow("negative version") << QByteArray(
        R"({"Item":{"stream":{"S":"s"},"version":{"N":"-1"},"type":{"S":"T"}}})")
                                      << QByteArray("in.json line 1: the version attribute version is -1");
    QTest::addRow("control character") << QByteArray(R"({"Item":{"stream":{"S":"s\u0001"},"type":{"S":"T"}}})")
                                       << QByteArray("in.json line 1: the stream name");
}

void TestDynamoDbImport::lineNumbers()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, expected);
    const QString error = badInputOf([&] {
        std::istringstream input(text.toStdString());
        readDynamoDbItems(input, "in.json", [](DynamoDbItem& item) { dynamoDbEvent(item, "in.json", {}); });
    });
    QVERIFY2(error.startsWith(QString::fromUtf8(expected)), qPrintable(error));
    QVERIFY2(!error.contains(u'\n'), qPrintable(error));
}

void TestDynamoDbImport::gzipRefused()
{
    const QString error = badInputOf([] { readAll(std::string("\x1f\x8b\x08\x00", 4)); });
    QVERIFY2(error.contains(QStringLiteral("gzip")), qPrintable(error));
}

void TestDynamoDbImport::importInOrder_data()
{
    test::addBackendRows();
}

void TestDynamoDbImport::importInOrder()
{
    QFETCH(QString, backend);
    EVENTSCOPE_STORE_OR_SKIP(location, backend);

    // The oracle: two streams numbered from 0 in the source (so 1.. in the store), one without versions that is
    // numbered by time, shuffled, split over an export file and a scan file.
    struct Expected
    {
        std::string stream;
        std::int64_t version; // in the store
        std::string id; // empty: derived
        std::string type;
        Micros time;
        Json data;
    };
    std::vector<Expected> expected;
    std::vector<Json> items;
    const Micros t0 = 1705327200LL * 1000000;
    for (int s = 0; s < 2; ++s) {
        const std::string stream = "acct-" + std::to_string(s);
        for (int v = 0; v < 2500; ++v) { // more than one batch of 1000
            const std::string id = v % 2 ? QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString() : "";
            const Json data { { "n", v }, { "s", stream } };
            expected.push_back({ stream, v + 1, id, v % 3 ? "Deposited" : "Withdrawn", t0 + v * 1000, data });
            Json plain { { "entityId", stream }, { "sequenceNumber", v }, { "eventType", expected.back().type },
                { "eventTime", std::to_string((t0 + v * 1000) / 1000) }, { "eventData", data.dump() } };
            if (!id.empty())
                plain["eventId"] = id;
            items.push_back(typedItem(plain));
        }
    }
    for (int i = 0; i < 5; ++i) {
        const Json data { { "i", i } };
        expected.push_back({ "log-1", i + 1, "", "Logged", t0 + (i + 1) * 1000000, data });
        items.push_back(typedItem({ { "stream", "log-1" }, { "type", "Logged" },
            { "time", (t0 + (i + 1) * 1000000) / 1000000 }, { "data", data } }));
    }
    std::mt19937 random(7);
    std::shuffle(items.begin(), items.end(), random);
    const std::vector<Json> firstHalf(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(items.size() / 2));
    const std::vector<Json> secondHalf(items.begin() + static_cast<std::ptrdiff_t>(items.size() / 2), items.end());
    const std::string exportText = exportLines(firstHalf);
    const std::string scanText = scanDocument(secondHalf);
    const std::string snapshotText
        = exportLines({ typedItem({ { "entityId", "acct-1" }, { "version", 9 }, { "state", R"({"balance":9})" } }) });

    std::vector<std::string> notes;
    std::vector<std::string> firstIds;
    for (int run = 0; run < 2; ++run) {
        DynamoDbImportOptions options;
        options.note = [&](const std::string& text) { notes.push_back(text); };
        DynamoDbImport import(options);
        std::istringstream exportInput(exportText), scanInput(scanText), snapshotInput(snapshotText);
        import.addEvents(exportInput, "export.json");
        import.addEvents(scanInput, "scan.json");
        import.addSnapshots(snapshotInput, "snapshots.json");
        import.check();
        auto store = openStore(location.uri(), true);
        const std::int64_t headBefore = store->headPosition();
        const DynamoDbImportSummary summary = import.writeTo(*store, location.uri());
        QCOMPARE(summary.items, std::int64_t(items.size()));
        QCOMPARE(summary.events, std::int64_t(items.size()));
        QCOMPARE(summary.streams, std::int64_t(3));
        QCOMPARE(summary.snapshots, std::int64_t(1));
        QVERIFY(summary.shifted);
        QCOMPARE(summary.written, run == 0 ? std::int64_t(items.size()) : std::int64_t(0));
        if (run == 1)
            QCOMPARE(store->headPosition(), headBefore); // running it again wrote nothing, not even an audit record

        std::size_t next = 0;
        std::vector<std::string> ids;
        for (const std::string stream : { "acct-0", "acct-1", "log-1" }) {
            const auto events = readStream(*store, stream);
            for (const Event& event : events) {
                QVERIFY(next < expected.size());
                const Expected& want = expected[next++];
                QCOMPARE(event.stream, want.stream);
                QCOMPARE(event.version, want.version);
                QCOMPARE(event.type, want.type);
                QCOMPARE(event.time, want.time);
                QVERIFY(sameJson(event.data, want.data));
                if (!want.id.empty())
                    QCOMPARE(event.id, want.id);
                else
                    QCOMPARE(QUuid::fromString(QString::fromStdString(event.id)).version(), QUuid::Sha1);
                ids.push_back(event.id);
            }
        }
        QCOMPARE(next, expected.size());
        if (run == 0)
            firstIds = ids;
        else
            QCOMPARE(ids, firstIds);
        const auto snapshot = store->loadSnapshot("acct-1", 100, "dynamodb-import");
        QVERIFY(snapshot);
        QCOMPARE(snapshot->version, std::int64_t(10)); // version 9 counted from 0
        QVERIFY(sameJson(snapshot->state, Json::parse(R"({"balance":9})")));
    }
    QCOMPARE(notes.size(), std::size_t(2));
    QVERIFY(QString::fromStdString(notes[0]).contains(QStringLiteral("start at 0")));
}

void TestDynamoDbImport::badVersions_data()
{
    QTest::addColumn<QByteArray>("items"); // export lines with {S} for the stream attribute
    QTest::addColumn<QByteArray>("expected");
    const auto item = [](const char* stream, int version) {
        return QByteArray::fromStdString(R"({"Item":{"entityId":{"S":")" + std::string(stream)
            + R"("},"version":{"N":")" + std::to_string(version) + R"("},"type":{"S":"T"}}})" + "\n");
    };
    QTest::addRow("gap") << item("a", 2) + item("a", 1) + item("a", 5)
                         << QByteArray(
                                "stream a jumps from version 2 to 5 (in.json line 3): versions 3 to 4 are missing");
    QTest::addRow("duplicate") << item("b", 1) + item("a", 1) + item("a", 2) + item("a", 1)
                               << QByteArray("stream a has version 1 twice (in.json line 2 and in.json line 4)");
    QTest::addRow("late start") << item("a", 1) + item("b", 2) + item("b", 3)
                                << QByteArray("stream b has no version 1: its versions start at 2 (in.json line 2)");
    QTest::addRow("mixed bases") << item("a", 0) + item("b", 1)
                                 << QByteArray("stream b has no version 0: its versions start at 1 (in.json line 2)");
    QTest::addRow("mixed versioned") << item("a", 1) + R"({"Item":{"entityId":{"S":"a"},"type":{"S":"T"}}})" + "\n"
                                     << QByteArray("stream a mixes items with and without a version");
    QTest::addRow("same ID") << QByteArray(R"({"Item":{"entityId":{"S":"a"},"eventId":{"S":"x-1"},"type":{"S":"T"}}})"
                                           "\n"
                                           R"({"Item":{"entityId":{"S":"b"},"eventId":{"S":"x-1"},"type":{"S":"T"}}})")
                             << QByteArray("event ID ");
    QTest::addRow("snapshot past the end") << item("a", 1)
            + "SNAPSHOT" << QByteArray("the snapshot of stream a at version 2 is past the stream's last event");
}

void TestDynamoDbImport::badVersions()
{
    QFETCH(QByteArray, items);
    QFETCH(QByteArray, expected);
    QTemporaryDir dir;
    const std::string uri = QDir(dir.path()).filePath(QStringLiteral("store.db")).toStdString();
    DynamoDbImport import(DynamoDbImportOptions {});
    const qsizetype marker = items.indexOf("SNAPSHOT");
    std::istringstream input(items.left(marker < 0 ? items.size() : marker).toStdString());
    import.addEvents(input, "in.json");
    if (marker >= 0) {
        std::istringstream snapshots(R"({"Item":{"entityId":{"S":"a"},"version":{"N":"2"},"state":{"M":{}}}})");
        import.addSnapshots(snapshots, "snap.json");
    }
    const QString error = badInputOf([&] { import.check(); });
    QVERIFY2(error.startsWith(QString::fromUtf8(expected)), qPrintable(error));
    QVERIFY(!QFile::exists(QString::fromStdString(uri)));
}

void TestDynamoDbImport::conflictingStore()
{
    QTemporaryDir dir;
    const std::string uri = QDir(dir.path()).filePath(QStringLiteral("store.db")).toStdString();
    auto store = openStore(uri, true);
    store->append("b-1", { NewEvent { {}, "Other", "{}", "{}", {} } });
    DynamoDbImport import(DynamoDbImportOptions {});
    std::istringstream input(R"({"Item":{"entityId":{"S":"a-1"},"type":{"S":"T"}}})"
                             "\n"
                             R"({"Item":{"entityId":{"S":"b-1"},"type":{"S":"T"}}})");
    import.addEvents(input, "in.json");
    const QString error = badInputOf([&] { import.writeTo(*store, "store.db"); });
    QVERIFY2(error.startsWith(QStringLiteral("stream b-1 already holds 1 events in store.db that this import did not "
                                             "write")),
        qPrintable(error));
    QCOMPARE(store->headPosition(), std::int64_t(1)); // a-1 was not written either
}

namespace {

// A scan file of about `megabytes` MB whose items spread over 1000 streams; returns the item count.
std::int64_t writeLargeScan(const QString& path, std::int64_t megabytes)
{
    const std::string filler(400, 'x');
    std::int64_t written = 0;
    std::int64_t count = 0;
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << "{\"Items\":[";
    while (written < megabytes << 20) {
        const std::string item = std::string(count ? "," : "") + "{\"entityId\":{\"S\":\"s-"
            + std::to_string(count % 1000) + "\"},\"version\":{\"N\":\"" + std::to_string(count / 1000 + 1)
            + "\"},\"type\":{\"S\":\"Happened\"},\"data\":{\"M\":{\"text\":{\"S\":\"" + filler + "\"},\"n\":{\"N\":\""
            + std::to_string(count) + "\"}}}}\n";
        out << item;
        written += static_cast<std::int64_t>(item.size());
        ++count;
    }
    out << "],\"Count\":" << count << "}";
    return out.good() ? count : -1;
}

// The resident memory now, and the most seen since: sampled, and the kernel's own peak where it can be reset.
class MemoryWatch
{
public:
    MemoryWatch()
    {
        QFile clear(QStringLiteral("/proc/self/clear_refs"));
        m_peakReset = clear.open(QIODevice::WriteOnly) && clear.write("5") == 1 && clear.flush();
        m_start = statusKiB("VmRSS:");
        m_peak = m_start;
    }
    void sample() { m_peak = std::max(m_peak, statusKiB("VmRSS:")); }
    std::int64_t growth() // in KiB
    {
        sample();
        return std::max(m_peak, m_peakReset ? statusKiB("VmHWM:") : 0) - m_start;
    }
    std::int64_t start() const { return m_start; }

private:
    bool m_peakReset = false;
    std::int64_t m_start = 0;
    std::int64_t m_peak = 0;
};

} // namespace

void TestDynamoDbImport::flatMemory()
{
    // A scan file of about 200 MB, streamed: the process's memory must not grow by more than 50 MB.
    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath(QStringLiteral("scan.json"));
    const std::int64_t count = writeLargeScan(path, 200);
    QVERIFY(count > 0);
    MemoryWatch memory;
    QVERIFY(memory.start() > 0);
    std::ifstream input(path.toStdString(), std::ios::binary);
    std::int64_t items = 0;
    std::int64_t sum = 0;
    readDynamoDbItems(input, "scan.json", [&](DynamoDbItem& item) {
        if (++items % 5000 == 0)
            memory.sample();
        sum += item.attributes["data"]["n"].get<std::int64_t>();
    });
    QCOMPARE(items, count);
    QCOMPARE(sum, count * (count - 1) / 2);
    const std::int64_t growth = memory.growth();
    qInfo("read %lld items, memory grew by %lld KiB", static_cast<long long>(items), static_cast<long long>(growth));
    QVERIFY2(growth < 50 * 1024, qPrintable(QStringLiteral("memory grew by %1 KiB").arg(growth)));
}

void TestDynamoDbImport::flatMemoryStaging()
{
    // The same through the import's staging and checks (the external sort): memory stays flat too.
    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath(QStringLiteral("scan.json"));
    const std::int64_t count = writeLargeScan(path, 200);
    QVERIFY(count > 0);
    MemoryWatch memory;
    DynamoDbImportOptions options;
    options.stagingDirectory = dir.path().toStdString();
    options.progress = [&](const DynamoDbImportProgress&) { memory.sample(); };
    DynamoDbImport import(options);
    std::ifstream input(path.toStdString(), std::ios::binary);
    import.addEvents(input, "scan.json");
    import.check();
    QCOMPARE(import.summary().events, count);
    QCOMPARE(import.summary().streams, std::int64_t(1000));
    const std::int64_t growth = memory.growth();
    qInfo("staged %lld items, memory grew by %lld KiB", static_cast<long long>(count), static_cast<long long>(growth));
    QVERIFY2(growth < 50 * 1024, qPrintable(QStringLiteral("memory grew by %1 KiB").arg(growth)));
}

QTEST_GUILESS_MAIN(TestDynamoDbImport)
#include "tst_dynamodb_import.moc"
