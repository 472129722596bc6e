// The audit question (DESIGN §7): what check() refuses, the line describe() prints at the top of a report, the store
// query it becomes, and the JSON it is saved as in the workspace, read back exactly or refused with the field named.

#include "model/audit_query.h"
#include "storage/error.h"
#include "storage/time_format.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace eventscope;
using namespace Qt::Literals::StringLiterals;

Q_DECLARE_METATYPE(eventscope::AuditQuery)

namespace {

Micros at(const char* text)
{
    return parseTime(text);
}

AuditQuery fullQuery()
{
    AuditQuery query;
    query.actor = "u-17";
    query.since = at("2024-01-01T00:00:00Z");
    query.until = at("2024-01-31T23:59:59.999999Z");
    query.category = "orders";
    query.types = { "OrderPlaced", "OrderPaid" };
    return query;
}

// The BadInput message of `call`, or "" when it did not throw one.
template <typename Call> QString badInputOf(Call call)
{
    try {
        call();
    } catch (const Error& error) {
        return error.kind == ErrorKind::BadInput ? QString::fromUtf8(error.what()) : u"(another kind)"_s;
    }
    return {};
}

} // namespace

class TestAuditQuery : public QObject
{
    Q_OBJECT

private slots:
    void check_data()
    {
        QTest::addColumn<AuditQuery>("query");
        QTest::addColumn<QStringList>("needles"); // empty: accepted
        AuditQuery query;
        QTest::addRow("empty") << query << QStringList();
        QTest::addRow("full") << fullQuery() << QStringList();
        query.since = query.until = at("2024-01-15T14:00:00Z");
        QTest::addRow("one instant") << query << QStringList();
        query.since = at("2024-01-15T14:00:00.000001Z");
        QTest::addRow("ends a microsecond early")
            << query << QStringList { u"2024-01-15T14:00:00.000000Z"_s, u"2024-01-15T14:00:00.000001Z"_s };
        query = {};
        query.since = at("2024-02-01T00:00:00Z");
        QTest::addRow("only since") << query << QStringList();
        query = {};
        query.until = at("1970-01-01T00:00:00Z");
        QTest::addRow("only until") << query << QStringList();
        query = {};
        query.stream = "order-1";
        query.category = "order";
        QTest::addRow("stream and category") << query << QStringList { u"stream"_s, u"category"_s };
        query.category.clear();
        query.includeSystem = true;
        QTest::addRow("stream and system") << query << QStringList();
    }
    void check()
    {
        QFETCH(AuditQuery, query);
        QFETCH(QStringList, needles);
        const QString message = badInputOf([&] { query.check(); });
        QCOMPARE(message.isEmpty(), needles.isEmpty());
        for (const QString& needle : needles)
            QVERIFY2(message.contains(needle), qPrintable(message));
    }

    void describe_data()
    {
        QTest::addColumn<AuditQuery>("query");
        QTest::addColumn<QString>("text");
        AuditQuery query;
        QTest::addRow("everything") << query << u"every actor, all time, every stream, every type"_s;
        QTest::addRow("full") << fullQuery()
                              << u"actor u-17, 2024-01-01T00:00:00.000000Z to 2024-01-31T23:59:59.999999Z, category "
                                 "orders, types OrderPlaced, OrderPaid"_s;
        query.since = at("2024-03-01T10:00:00+01:00");
        query.stream = "order-1";
        query.types = { "OrderPaid" };
        QTest::addRow("since only")
            << query << u"every actor, 2024-03-01T09:00:00.000000Z to now, stream order-1, type OrderPaid"_s;
        query = {};
        query.until = at("2024-03-01T10:00:00Z");
        query.includeSystem = true;
        QTest::addRow("until only")
            << query
            << u"every actor, the beginning to 2024-03-01T10:00:00.000000Z, every stream, system "
               "streams included, every type"_s;
    }
    void describe()
    {
        QFETCH(AuditQuery, query);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(query.describe()), text);
    }

    void toEventQuery()
    {
        const AuditQuery audit = fullQuery();
        const EventQuery query = audit.toEventQuery(250);
        QVERIFY(!query.stream);
        QCOMPARE(query.category, std::optional<std::string>("orders"));
        QCOMPARE(query.actor, std::optional<std::string>("u-17"));
        QCOMPARE(query.types, audit.types);
        QCOMPARE(query.since, audit.since);
        QCOMPARE(query.until, audit.until);
        QCOMPARE(query.includeSystem, false);
        QCOMPARE(query.limit, std::size_t(250));
        QVERIFY(!query.fromPosition && !query.fromVersion && !query.backward);

        AuditQuery everything;
        everything.includeSystem = true;
        const EventQuery all = everything.toEventQuery();
        QVERIFY(all.isUnfiltered()); // no empty actor or category that would match nothing
        QVERIFY(all.includeSystem);

        AuditQuery one;
        one.stream = "$eventscope-audit";
        QCOMPARE(one.toEventQuery().stream, std::optional<std::string>("$eventscope-audit"));
        QVERIFY(!one.toEventQuery().category);
    }

    void roundTrip_data()
    {
        QTest::addColumn<AuditQuery>("query");
        QTest::addRow("empty") << AuditQuery();
        QTest::addRow("full") << fullQuery();
        AuditQuery query;
        query.stream = "$eventscope-audit";
        query.includeSystem = true;
        query.until = at("2024-06-30T12:00:00.123456Z");
        QTest::addRow("system stream") << query;
        query = {};
        query.actor = "Zoë \"the auditor\", 日本";
        query.types = { "A,B", "Ünïcode" };
        query.since = at("1999-12-31T23:59:59.000001Z");
        QTest::addRow("odd text") << query;
    }
    void roundTrip()
    {
        QFETCH(AuditQuery, query);
        const nlohmann::ordered_json json = query.toJson();
        QCOMPARE(AuditQuery::fromJson(nlohmann::json::parse(json.dump())), query);
        // What the workspace keeps is readable by people: times as RFC 3339 text.
        if (query.since)
            QCOMPARE(json["since"].get<std::string>(), formatTime(*query.since));
    }

    void missingFieldsAreDefaults()
    {
        QCOMPARE(AuditQuery::fromJson(nlohmann::json::object()), AuditQuery());
        const auto json = nlohmann::json::parse("{\"actor\":\"u-1\",\"since\":null,\"types\":null}");
        AuditQuery expected;
        expected.actor = "u-1";
        QCOMPARE(AuditQuery::fromJson(json), expected);
    }

    void badSavedJson_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("needle");
        QTest::addRow("array") << QByteArray("[1,2]") << u"not a JSON object"_s;
        QTest::addRow("string") << QByteArray("\"actor u-1\"") << u"not a JSON object"_s;
        QTest::addRow("null") << QByteArray("null") << u"not a JSON object"_s;
        QTest::addRow("actor number") << QByteArray("{\"actor\":17}") << u"\"actor\""_s;
        QTest::addRow("stream object") << QByteArray("{\"stream\":{}}") << u"\"stream\""_s;
        QTest::addRow("category list") << QByteArray("{\"category\":[\"a\"]}") << u"\"category\""_s;
        QTest::addRow("since not a time") << QByteArray("{\"since\":\"yesterday\"}") << u"\"since\""_s;
        QTest::addRow("until bad month") << QByteArray("{\"until\":\"2024-13-01T00:00:00Z\"}") << u"\"until\""_s;
        QTest::addRow("since number") << QByteArray("{\"since\":1700000000}") << u"\"since\""_s;
        QTest::addRow("types string") << QByteArray("{\"types\":\"A\"}") << u"\"types\""_s;
        QTest::addRow("types number inside") << QByteArray("{\"types\":[\"A\",2]}") << u"\"types\""_s;
        QTest::addRow("include_system text") << QByteArray("{\"include_system\":\"yes\"}") << u"\"include_system\""_s;
        QTest::addRow("stream and category")
            << QByteArray("{\"stream\":\"order-1\",\"category\":\"order\"}") << u"not both"_s;
        QTest::addRow("range backwards") << QByteArray(
            "{\"since\":\"2024-02-01T00:00:00Z\",\"until\":\"2024-01-01T00:00:00Z\"}")
                                         << u"before"_s;
    }
    void badSavedJson()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, needle);
        const auto parsed = nlohmann::json::parse(json.toStdString());
        const QString message = badInputOf([&] { AuditQuery::fromJson(parsed); });
        QVERIFY2(!message.isEmpty(), "a bad saved query was accepted");
        QVERIFY2(message.contains(needle), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestAuditQuery)
#include "tst_audit_query.moc"
