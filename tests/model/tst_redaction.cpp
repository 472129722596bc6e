// Redaction rules of audit exports (DESIGN §7): which paths are accepted, what each one masks, that the masked
// values leave no trace in the event (derived fields included), and that an event the rules do not touch comes
// back byte for byte.

#include "model/redaction.h"
#include "storage/error.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <random>
#include <span>

using namespace eventscope;
using namespace Qt::Literals::StringLiterals;

namespace {

// JSON written with ' for " (the moc of Qt 6.4 mis-reads raw strings holding quotes).
QByteArray j(const char* text)
{
    return QByteArray(text).replace('\'', '"');
}

std::vector<std::string> toPaths(const QStringList& paths)
{
    std::vector<std::string> result;
    for (const QString& path : paths)
        result.push_back(path.toStdString());
    return result;
}

Event sampleEvent(const QByteArray& data, const QByteArray& metadata)
{
    Event event;
    event.position = 42;
    event.stream = "order-7";
    event.version = 3;
    event.id = "0190c7a2-0000-7000-8000-000000000001";
    event.type = "OrderPaid";
    event.time = 1'709'287'200'000'001;
    event.data = data.toStdString();
    event.metadata = metadata.toStdString();
    event.hash = "abc123";
    event.schemaVersion = 2;
    return event;
}

// Equal as JSON values (key order aside); text that is not JSON is never equal.
bool sameJson(const std::string& text, const QByteArray& expected)
{
    const auto value = nlohmann::json::parse(text, nullptr, false);
    return !value.is_discarded() && value == nlohmann::json::parse(expected.toStdString());
}

// What a user relies on besides the payloads: nothing else about the event changes.
bool sameHeader(const Event& a, const Event& b)
{
    return a.position == b.position && a.stream == b.stream && a.version == b.version && a.id == b.id
        && a.type == b.type && a.time == b.time && a.hash == b.hash && a.schemaVersion == b.schemaVersion;
}

// The oracle for masking: the same paths applied to a parsed document, node by node.
void maskInDocument(nlohmann::json& value, std::span<const std::string> steps)
{
    if (steps.empty()) {
        value = "[redacted]";
        return;
    }
    const std::string& step = steps.front();
    if (step == "[*]") {
        if (value.is_array())
            for (auto& item : value)
                maskInDocument(item, steps.subspan(1));
    } else if (step.front() == '[') {
        const auto index = std::stoul(step.substr(1));
        if (value.is_array() && index < value.size())
            maskInDocument(value[index], steps.subspan(1));
    } else if (value.is_object() && value.contains(step)) {
        maskInDocument(value[step], steps.subspan(1));
    }
}

// A random document over a few keys, so that random paths often reach something.
nlohmann::json randomDocument(std::mt19937& random, int depth)
{
    static const std::vector<std::string> keys { "a", "card", "lines", "n" };
    switch (depth > 0 ? random() % 6 : 3 + random() % 3) {
    case 0:
    case 1: {
        nlohmann::json object = nlohmann::json::object();
        for (int i = 0, n = int(random() % 4); i < n; ++i)
            object[keys[random() % keys.size()]] = randomDocument(random, depth - 1);
        return object;
    }
    case 2: {
        nlohmann::json array = nlohmann::json::array();
        for (int i = 0, n = int(random() % 4); i < n; ++i)
            array.push_back(randomDocument(random, depth - 1));
        return array;
    }
    case 3:
        return "s-" + std::to_string(random() % 100) + (random() % 4 ? "" : " \"q\", \u00e9");
    case 4:
        return double(random() % 1000) / 8.0;
    default:
        return random() % 2 ? nlohmann::json(nullptr) : nlohmann::json(true);
    }
}

} // namespace

class TestRedaction : public QObject
{
    Q_OBJECT

private slots:
    void goodPaths_data()
    {
        QTest::addColumn<QString>("path");
        for (const auto* path : { "data", "metadata", "data.cardNumber", "metadata.ip", "$.data.cardNumber",
                 "data.lines[*].pan", "data.lines[0]", "data[3]", "data.a.b.c", "data.lines[*][*]", "data.x-y_z" })
            QTest::addRow("%s", path) << QString::fromLatin1(path);
    }
    void goodPaths()
    {
        QFETCH(QString, path);
        const Redaction redaction(toPaths({ path }));
        QVERIFY(!redaction.isEmpty());
        QCOMPARE(redaction.paths(), toPaths({ path }));
    }

    void badPaths_data()
    {
        QTest::addColumn<QString>("path");
        for (const auto* path : { "", "cardNumber", "$.cardNumber", "Data.card", "$data.card", " data.card", "datax",
                 "metadatax.ip", "data.", "data..card", "data.card.", "data[", "data[x]", "data[-1]", "data[]",
                 "data.lines[*]pan", "data.lines[1", "$.", "data.a[*", "data.a[1.5]" })
            QTest::addRow("'%s'", path) << QString::fromLatin1(path);
    }
    void badPaths()
    {
        QFETCH(QString, path);
        try {
            const Redaction redaction(toPaths({ u"data.fine"_s, path, u"also bad"_s }));
            QFAIL("a bad path was accepted");
        } catch (const Error& error) {
            QCOMPARE(error.kind, ErrorKind::BadInput);
            // The first bad path is named, quoted, so that an empty or spaced one is visible.
            QVERIFY2(QString::fromUtf8(error.what()).contains(u"'"_s + path + u"'"_s), error.what());
            QVERIFY2(!QString::fromUtf8(error.what()).contains(u"also bad"_s), error.what());
        }
    }

    void apply_data()
    {
        QTest::addColumn<QStringList>("paths");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QByteArray>("metadata");
        QTest::addColumn<QByteArray>("expectedData"); // empty: byte-identical to data
        QTest::addColumn<QByteArray>("expectedMetadata"); // empty: byte-identical to metadata
        QTest::addColumn<QStringList>("gone"); // values that must appear nowhere in the result

        const QByteArray meta = j("{'ip':'203.0.113.7','source':'web'}");
        QTest::addRow("top-level key") << QStringList { u"data.cardNumber"_s }
                                       << j("{'cardNumber':'4111111111111111','amount':12.5}") << meta
                                       << j("{'cardNumber':'[redacted]','amount':12.5}") << QByteArray()
                                       << QStringList { u"4111111111111111"_s };
        QTest::addRow("nested key") << QStringList { u"data.card.number"_s }
                                    << j("{'card':{'number':'4111','exp':'12/30'},'number':'keep'}") << meta
                                    << j("{'card':{'number':'[redacted]','exp':'12/30'},'number':'keep'}")
                                    << QByteArray() << QStringList { u"4111"_s };
        QTest::addRow("whole object") << QStringList { u"data.card"_s }
                                      << j("{'card':{'number':'4111','exp':'12/30'},'n':1}") << meta
                                      << j("{'card':'[redacted]','n':1}") << QByteArray()
                                      << QStringList { u"4111"_s, u"12/30"_s };
        QTest::addRow("index") << QStringList { u"data.lines[1].pan"_s }
                               << j("{'lines':[{'pan':'5500'},{'pan':'3400'},{'pan':'6011'}]}") << meta
                               << j("{'lines':[{'pan':'5500'},{'pan':'[redacted]'},{'pan':'6011'}]}") << QByteArray()
                               << QStringList { u"3400"_s };
        QTest::addRow("every element") << QStringList { u"data.lines[*].pan"_s }
                                       << j("{'lines':[{'pan':'5500','qty':1},{'qty':2},7,{'pan':{'x':'3400'}}]}")
                                       << meta
                                       << j("{'lines':[{'pan':'[redacted]','qty':1},{'qty':2},7,{'pan':'[redacted]'}]}")
                                       << QByteArray() << QStringList { u"5500"_s, u"3400"_s };
        QTest::addRow("array root") << QStringList { u"data[0]"_s } << j("['secret-1',2]") << meta
                                    << j("['[redacted]',2]") << QByteArray() << QStringList { u"secret-1"_s };
        QTest::addRow("number value") << QStringList { u"data.amount"_s } << j("{'amount':98765}") << meta
                                      << j("{'amount':'[redacted]'}") << QByteArray() << QStringList { u"98765"_s };
        QTest::addRow("whole data") << QStringList { u"data"_s } << j("{'cardNumber':'4111','a':[1]}") << meta
                                    << j("'[redacted]'") << QByteArray() << QStringList { u"4111"_s, u"cardNumber"_s };
        QTest::addRow("metadata key") << QStringList { u"metadata.ip"_s } << j("{'ip':'data-ip'}") << meta
                                      << QByteArray() << j("{'ip':'[redacted]','source':'web'}")
                                      << QStringList { u"203.0.113.7"_s };
        QTest::addRow("dollar prefix") << QStringList { u"$.metadata.ip"_s } << QByteArray("{}") << meta << QByteArray()
                                       << j("{'ip':'[redacted]','source':'web'}") << QStringList { u"203.0.113.7"_s };
        QTest::addRow("key written with \\u escapes")
            << QStringList { u"data.card"_s } << QByteArray("{\"c\\u0061rd\":\"4111\"}") << meta
            << j("{'card':'[redacted]'}") << QByteArray() << QStringList { u"4111"_s };
        QTest::addRow("key written with an escaped slash")
            << QStringList { u"data.a/b"_s } << QByteArray("{\"a\\/b\":\"secret-slash\"}") << meta
            << j("{'a/b':'[redacted]'}") << QByteArray() << QStringList { u"secret-slash"_s };
        QTest::addRow("key holding a quote")
            << QStringList { u"data.q\"k"_s } << QByteArray("{\"q\\\"k\":\"secret-quote\"}") << meta
            << QByteArray("{\"q\\\"k\":\"[redacted]\"}") << QByteArray() << QStringList { u"secret-quote"_s };
        QTest::addRow("non-ASCII value") << QStringList { u"data.name"_s } << j("{'name':'Zoë 日本','n':'é'}") << meta
                                         << j("{'name':'[redacted]','n':'é'}") << QByteArray()
                                         << QStringList { u"Zoë 日本"_s };
        QTest::addRow("several rules") << QStringList { u"data.cardNumber"_s, u"metadata.ip"_s, u"data.lines[*].pan"_s }
                                       << j("{'cardNumber':'4111','lines':[{'pan':'5500'}],'note':'keep'}") << meta
                                       << j("{'cardNumber':'[redacted]','lines':[{'pan':'[redacted]'}],'note':'keep'}")
                                       << j("{'ip':'[redacted]','source':'web'}")
                                       << QStringList { u"4111"_s, u"5500"_s, u"203.0.113.7"_s };

        // Paths that are not there: the event comes back byte for byte (spacing and key order kept).
        const QByteArray spaced = "{ \"card\" : {\"exp\":\"12/30\"},\n \"lines\": [ {\"qty\": 1.50} ], \"z\":1 }";
        for (const auto* path : { "data.cardNumber", "data.card.number", "data.lines[3].pan", "data.lines[*].pan",
                 "data.z.card", "data.card[0]", "data.lines.qty", "data[0]", "metadata.ip" })
            QTest::addRow("absent %s", path)
                << QStringList { QString::fromLatin1(path) } << spaced << QByteArray("{ \"source\" : \"web\" }")
                << QByteArray() << QByteArray() << QStringList();
        QTest::addRow("not JSON") << QStringList { u"data.card"_s, u"metadata.ip"_s }
                                  << QByteArray("card=4111; \"ip\": 1") << QByteArray("ip=203.0.113.7") << QByteArray()
                                  << QByteArray() << QStringList();
        QTest::addRow("empty payload") << QStringList { u"data.card"_s } << QByteArray() << QByteArray() << QByteArray()
                                       << QByteArray() << QStringList();
    }
    void apply()
    {
        QFETCH(QStringList, paths);
        QFETCH(QByteArray, data);
        QFETCH(QByteArray, metadata);
        QFETCH(QByteArray, expectedData);
        QFETCH(QByteArray, expectedMetadata);
        QFETCH(QStringList, gone);

        const Event event = sampleEvent(data, metadata);
        const Event shown = Redaction(toPaths(paths)).apply(event);
        QVERIFY(sameHeader(shown, event));
        if (expectedData.isEmpty())
            QCOMPARE(QByteArray::fromStdString(shown.data), data);
        else
            QVERIFY2(sameJson(shown.data, expectedData), shown.data.c_str());
        if (expectedMetadata.isEmpty())
            QCOMPARE(QByteArray::fromStdString(shown.metadata), metadata);
        else
            QVERIFY2(sameJson(shown.metadata, expectedMetadata), shown.metadata.c_str());
        for (const QString& value : gone) {
            QVERIFY2(!QString::fromStdString(shown.data).contains(value), shown.data.c_str());
            QVERIFY2(!QString::fromStdString(shown.metadata).contains(value), shown.metadata.c_str());
        }
    }

    void derivedFields_data()
    {
        QTest::addColumn<QStringList>("paths");
        QTest::addColumn<bool>("actorMasked");
        QTest::addColumn<bool>("correlationMasked");
        QTest::addColumn<bool>("causationMasked");
        QTest::addRow("actor's key") << QStringList { u"metadata.userId"_s } << true << false << false;
        QTest::addRow("correlation's key") << QStringList { u"metadata.correlationId"_s } << false << true << false;
        QTest::addRow("causation's key") << QStringList { u"metadata.causationId"_s } << false << false << true;
        QTest::addRow("whole metadata") << QStringList { u"metadata"_s } << true << true << true;
        QTest::addRow("another key") << QStringList { u"metadata.ip"_s } << false << false << false;
        QTest::addRow("data only") << QStringList { u"data.cardNumber"_s } << false << false << false;
        QTest::addRow("absent key") << QStringList { u"metadata.user_id"_s } << false << false << false;
    }
    void derivedFields()
    {
        QFETCH(QStringList, paths);
        QFETCH(bool, actorMasked);
        QFETCH(bool, correlationMasked);
        QFETCH(bool, causationMasked);
        Event event = sampleEvent(j("{'cardNumber':'4111'}"),
            j("{'userId':'u-secret-17','correlationId':'corr-secret','causationId':'cause-secret','ip':'203.0.113.7'"
              "}"));
        event.actor = "u-secret-17";
        event.correlation = "corr-secret";
        event.causation = "cause-secret";
        const Event shown = Redaction(toPaths(paths)).apply(event);
        QCOMPARE(shown.actor, actorMasked ? std::string(kRedactedText) : event.actor);
        QCOMPARE(shown.correlation, correlationMasked ? std::string(kRedactedText) : event.correlation);
        QCOMPARE(shown.causation, causationMasked ? std::string(kRedactedText) : event.causation);
    }

    // An actor derived from a number keeps no trace of it either.
    void numericActor()
    {
        Event event = sampleEvent("{}", j("{'userId':90210,'other':1}"));
        event.actor = "90210";
        const Event shown = Redaction({ "metadata.userId" }).apply(event);
        QCOMPARE(shown.actor, std::string(kRedactedText));
        QVERIFY(shown.metadata.find("90210") == std::string::npos);
    }

    // Random documents and random paths: the masked text, parsed, equals the document masked node by node, and the
    // text around each masked value is the stored text's own.
    void agreesWithMaskingTheParsedDocument()
    {
        static const std::vector<std::string> steps { "a", "card", "lines", "n", "[*]", "[0]", "[1]" };
        std::mt19937 random(8);
        int changed = 0;
        for (int round = 0; round < 3000; ++round) {
            nlohmann::json document = nlohmann::json::object(); // data is an object, as events' data mostly is
            for (const char* key : { "a", "card", "lines", "n" })
                if (random() % 4)
                    document[key] = randomDocument(random, 3);
            std::vector<std::string> paths;
            nlohmann::json expected = document;
            for (int p = 0, n = 1 + int(random() % 2); p < n; ++p) {
                std::vector<std::string> path;
                std::string text = "data";
                for (int i = 0, length = 1 + int(random() % 3); i < length; ++i) {
                    path.push_back(steps[random() % steps.size()]);
                    text += (path.back().front() == '[' ? "" : ".") + path.back();
                }
                paths.push_back(text);
                maskInDocument(expected, path);
            }
            // Spaced and indented as people store it, so that the bytes kept around the masks are worth checking.
            const std::string stored = document.dump(round % 2 ? 2 : -1);
            const Event shown = Redaction(paths).apply(sampleEvent(QByteArray::fromStdString(stored), "{}"));
            QVERIFY2(nlohmann::json::parse(shown.data) == expected,
                qPrintable(QString::fromStdString(stored + "  masked by " + paths.front() + " gave " + shown.data)));
            if (expected == document)
                QCOMPARE(shown.data, stored); // nothing masked: byte for byte
            else
                ++changed;
        }
        QVERIFY2(changed > 400,
            qPrintable(
                QString::number(changed))); // the paths reached values often enough for the test to mean something
    }

    void emptyRulesChangeNothing()
    {
        const Redaction none;
        QVERIFY(none.isEmpty());
        Event event = sampleEvent(j("{'cardNumber':'4111'}"), j("{'userId':'u-1'}"));
        event.actor = "u-1";
        const Event shown = none.apply(event);
        QVERIFY(sameHeader(shown, event));
        QCOMPARE(shown.data, event.data);
        QCOMPARE(shown.metadata, event.metadata);
        QCOMPARE(shown.actor, event.actor);
    }
};

QTEST_GUILESS_MAIN(TestRedaction)
#include "tst_redaction.moc"
