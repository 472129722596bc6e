// The JSON tree of the inspector: every stored payload shows, JSON or not, with exact numbers and the stored
// key order; paths, search marks and subtree copies are what a person copies out of the view.

#include "model/json_diff.h"
#include "model/json_tree_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <functional>

using namespace eventscope;
using namespace Qt::Literals::StringLiterals;

namespace {

QModelIndex walk(const QAbstractItemModel& model, const QList<int>& rows)
{
    QModelIndex index;
    for (const int row : rows) {
        index = model.index(row, 0, index);
        if (!index.isValid())
            return {};
    }
    return index;
}

QByteArray nested(int depth)
{
    return QByteArray(depth, '[') + QByteArray(depth, ']');
}

nlohmann::ordered_json parsed(const QByteArray& text)
{
    return nlohmann::ordered_json::parse(text.constData(), text.constData() + text.size());
}

QString markName(int mark)
{
    switch (mark) {
    case JsonTreeModel::Changed:
        return u"changed"_s;
    case JsonTreeModel::Added:
        return u"added"_s;
    case JsonTreeModel::ChangedBelow:
        return u"below"_s;
    default:
        return u"?"_s;
    }
}

// "path mark" for every marked row in document order; also checks that each row's cells agree.
QStringList marks(const QAbstractItemModel& model, const QModelIndex& parent = {})
{
    QStringList out;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, 0, parent);
        const int mark = index.data(JsonTreeModel::ChangeRole).toInt();
        if (index.siblingAtColumn(JsonTreeModel::Type).data(JsonTreeModel::ChangeRole).toInt() != mark)
            out << u"cells disagree at "_s + index.data(JsonTreeModel::PathRole).toString();
        if (mark != JsonTreeModel::Unchanged)
            out << index.data(JsonTreeModel::PathRole).toString() + u' ' + markName(mark);
        out << marks(model, index);
    }
    return out;
}

} // namespace

class TestJsonTreeModel : public QObject
{
    Q_OBJECT

private slots:
    void rows_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("topRows");
        QTest::addColumn<QList<int>>("rows");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("children");

        const QByteArray order = R"({"order":{"id":7,"lines":[{"sku":"A-1","qty":2},{"sku":"B-2","qty":1}]}})";
        QTest::addRow("nested object") << order << 1 << QList<int> { 0, 1, 1, 0 } << u"sku"_s << u"B-2"_s << u"string"_s
                                       << u"data.order.lines[1].sku"_s << 0;
        QTest::addRow("array summary") << order << 1 << QList<int> { 0, 1 } << u"lines"_s << u"[2 items]"_s
                                       << u"array"_s << u"data.order.lines"_s << 2;
        QTest::addRow("object summary") << order << 1 << QList<int> { 0, 1, 0 } << u"[0]"_s << u"{2 keys}"_s
                                        << u"object"_s << u"data.order.lines[0]"_s << 2;
        QTest::addRow("one key, one item") << QByteArray(R"({"a":{"b":[true]}})") << 1 << QList<int> { 0 } << u"a"_s
                                           << u"{1 key}"_s << u"object"_s << u"data.a"_s << 1;
        QTest::addRow("array at the top") << QByteArray("[10, [20, 30]]") << 2 << QList<int> { 1, 1 } << u"[1]"_s
                                          << u"30"_s << u"number"_s << u"data[1][1]"_s << 0;
        QTest::addRow("empty object") << QByteArray("{}") << 1 << QList<int> { 0 } << u"data"_s << u"{}"_s
                                      << u"object"_s << u"data"_s << 0;
        QTest::addRow("empty array") << QByteArray(" [ ] ") << 1 << QList<int> { 0 } << u"data"_s << u"[]"_s
                                     << u"array"_s << u"data"_s << 0;
        QTest::addRow("empty containers inside") << QByteArray(R"({"a":{},"b":[]})") << 2 << QList<int> { 1 } << u"b"_s
                                                 << u"[]"_s << u"array"_s << u"data.b"_s << 0;
        QTest::addRow("scalar document") << QByteArray(R"("hello")") << 1 << QList<int> { 0 } << u"data"_s << u"hello"_s
                                         << u"string"_s << u"data"_s << 0;
        QTest::addRow("null") << QByteArray(R"({"gone":null})") << 1 << QList<int> { 0 } << u"gone"_s << u"null"_s
                              << u"null"_s << u"data.gone"_s << 0;
        QTest::addRow("boolean") << QByteArray(R"({"ok":false})") << 1 << QList<int> { 0 } << u"ok"_s << u"false"_s
                                 << u"boolean"_s << u"data.ok"_s << 0;
        QTest::addRow("unicode keys") << QByteArray(R"({"ключ":{"名前":"値 ✓"}})") << 1 << QList<int> { 0, 0 }
                                      << u"名前"_s << u"値 ✓"_s << u"string"_s << u"data[\"ключ\"][\"名前\"]"_s << 0;
        QTest::addRow("escaped key") << QByteArray("{\"caf\\u00e9\":1}") << 1 << QList<int> { 0 } << u"café"_s << u"1"_s
                                     << u"number"_s << u"data[\"café\"]"_s << 0;
        QTest::addRow("key with a dot and a quote")
            << QByteArray("{\"a.b \\\"c\\\"\":1}") << 1 << QList<int> { 0 } << u"a.b \"c\""_s << u"1"_s << u"number"_s
            << u"data[\"a.b \\\"c\\\"\"]"_s << 0;
        QTest::addRow("2^53 + 1 exact") << QByteArray(R"({"n":9007199254740993})") << 1 << QList<int> { 0 } << u"n"_s
                                        << u"9007199254740993"_s << u"number"_s << u"data.n"_s << 0;
        QTest::addRow("int64 min") << QByteArray(R"({"n":-9223372036854775808})") << 1 << QList<int> { 0 } << u"n"_s
                                   << u"-9223372036854775808"_s << u"number"_s << u"data.n"_s << 0;
        QTest::addRow("uint64 max") << QByteArray(R"({"n":18446744073709551615})") << 1 << QList<int> { 0 } << u"n"_s
                                    << u"18446744073709551615"_s << u"number"_s << u"data.n"_s << 0;
        QTest::addRow("beyond uint64") << QByteArray(R"([123456789012345678901234567890])") << 1 << QList<int> { 0 }
                                       << u"[0]"_s << u"123456789012345678901234567890"_s << u"number"_s << u"data[0]"_s
                                       << 0;
        QTest::addRow("float spelling kept") << QByteArray(R"({"x":1.50E3})") << 1 << QList<int> { 0 } << u"x"_s
                                             << u"1.50E3"_s << u"number"_s << u"data.x"_s << 0;
        QTest::addRow("line break in a string") << QByteArray("{\"s\":\"a\\nb\\t\\\"c\\\"\"}") << 1 << QList<int> { 0 }
                                                << u"s"_s << u"a\\nb\\t\"c\""_s << u"string"_s << u"data.s"_s << 0;
        QTest::addRow("duplicate keys both shown") << QByteArray(R"({"a":1,"a":2})") << 2 << QList<int> { 1 } << u"a"_s
                                                   << u"2"_s << u"number"_s << u"data.a"_s << 0;
        QTest::addRow("invalid JSON") << QByteArray(R"({"a":)") << 1 << QList<int> { 0 } << u"data"_s << u"{\"a\":"_s
                                      << u"text"_s << u"data"_s << 0;
        QTest::addRow("trailing garbage")
            << QByteArray("{} x") << 1 << QList<int> { 0 } << u"data"_s << u"{} x"_s << u"text"_s << u"data"_s << 0;
        QTest::addRow("plain text") << QByteArray("hello, world") << 1 << QList<int> { 0 } << u"data"_s
                                    << u"hello, world"_s << u"text"_s << u"data"_s << 0;
        QTest::addRow("empty payload") << QByteArray() << 1 << QList<int> { 0 } << u"data"_s << QString() << u"text"_s
                                       << u"data"_s << 0;
        QTest::addRow("not UTF-8") << QByteArray("\xff\xfe{}") << 1 << QList<int> { 0 } << u"data"_s << u"ff fe 7b 7d"_s
                                   << u"bytes"_s << u"data"_s << 0;
        QTest::addRow("invalid UTF-8 inside a string")
            << QByteArray("{\"a\":\"\xc3\x28\"}") << 1 << QList<int> { 0 } << u"data"_s
            << u"7b 22 61 22 3a 22 c3 28 22 7d"_s << u"bytes"_s << u"data"_s << 0;
        QTest::addRow("too deep to show")
            << nested(600) << 1 << QList<int> { 0 } << u"data"_s << QString::fromLatin1(nested(600)).left(400) + u'…'
            << u"text"_s << u"data"_s << 0;
        QTest::addRow("deep but fine") << nested(50) << 1 << QList<int>(49, 0) << u"[0]"_s << u"[]"_s << u"array"_s
                                       << u"data" + QString(u"[0]"_s).repeated(49) << 0;
    }
    void rows()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, topRows);
        QFETCH(QList<int>, rows);
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, type);
        QFETCH(QString, path);
        QFETCH(int, children);

        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRootName(u"data"_s);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setJson(json);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), topRows);
        const QModelIndex index = walk(model, rows);
        QVERIFY(index.isValid());
        QCOMPARE(index.data().toString(), key);
        QCOMPARE(index.siblingAtColumn(JsonTreeModel::Value).data().toString(), value);
        QCOMPARE(index.siblingAtColumn(JsonTreeModel::Type).data().toString(), type);
        QCOMPARE(index.data(JsonTreeModel::PathRole).toString(), path);
        QCOMPARE(model.path(index), path);
        QCOMPARE(model.rowCount(index), children);
        QCOMPARE(model.isJson(), type != u"text"_s && type != u"bytes"_s);
    }

    void emptyModelHasNoRows()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.index(0, 0).isValid());
        QCOMPARE(model.toJson(), QString());
        model.setJson(QByteArray(R"({"a":[1,2]})"));
        QCOMPARE(model.rowCount(), 1);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.isJson());
    }

    void pathsWithoutARootName()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setJson(QByteArray(R"({"a":{"b c":[0,{"d":1}]}})"));
        QCOMPARE(walk(model, { 0, 0, 1, 0 }).data(JsonTreeModel::PathRole).toString(), u"a[\"b c\"][1].d"_s);
        model.setRootName(u"metadata"_s);
        QCOMPARE(walk(model, { 0, 0, 1, 0 }).data(JsonTreeModel::PathRole).toString(), u"metadata.a[\"b c\"][1].d"_s);
    }

    void copy_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QList<int>>("rows"); // empty: the whole document
        QTest::addColumn<QString>("compact");
        QTest::addColumn<QString>("indented");

        const QByteArray doc
            = "{\"z\":1, "
              "\"a\":{\"big\":9007199254740993,\"f\":1.0e-7,\"s\":\"é\\\"\\\\\\n\",\"l\":[true,null,[]]},\"e\":{}}";
        QTest::addRow("whole document keeps order and numbers")
            << doc << QList<int> {}
            << u"{\"z\":1,\"a\":{\"big\":9007199254740993,\"f\":1.0e-7,\"s\":\"é\\\"\\\\\\n\",\"l\":[true,null,[]]},\"e\":{}}"_s
            << u"{\n  \"z\": 1,\n  \"a\": {\n    \"big\": 9007199254740993,\n    \"f\": 1.0e-7,\n    \"s\": \"é\\\"\\\\\\n\",\n    \"l\": [\n      true,\n      null,\n      []\n    ]\n  },\n  \"e\": {}\n}"_s;
        QTest::addRow("subtree") << doc << QList<int> { 1, 3 } << u"[true,null,[]]"_s
                                 << u"[\n  true,\n  null,\n  []\n]"_s;
        QTest::addRow("scalar") << doc << QList<int> { 1, 0 } << u"9007199254740993"_s << u"9007199254740993"_s;
        QTest::addRow("string scalar") << doc << QList<int> { 1, 2 } << u"\"é\\\"\\\\\\n\""_s << u"\"é\\\"\\\\\\n\""_s;
        QTest::addRow("control character")
            << QByteArray("[\"\\u0001\"]") << QList<int> {} << u"[\"\\u0001\"]"_s << u"[\n  \"\\u0001\"\n]"_s;
        QTest::addRow("text is a JSON string")
            << QByteArray("not \"json\"") << QList<int> {} << u"\"not \\\"json\\\"\""_s << u"\"not \\\"json\\\"\""_s;
        QTest::addRow("bytes as the export writes them")
            << QByteArray("\xff\x00", 2) << QList<int> {} << u"\"0xff00\""_s << u"\"0xff00\""_s;
    }
    void copy()
    {
        QFETCH(QByteArray, json);
        QFETCH(QList<int>, rows);
        QFETCH(QString, compact);
        QFETCH(QString, indented);

        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setJson(json);
        const QModelIndex index = walk(model, rows);
        QCOMPARE(index.isValid(), !rows.isEmpty());
        QCOMPARE(model.toJson(index, JsonTreeModel::Format::Compact), compact);
        QCOMPARE(model.toJson(index, JsonTreeModel::Format::Indented), indented);
        if (index.isValid())
            QCOMPARE(index.data(JsonTreeModel::JsonRole).toString(), compact);
    }

    void valueText()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setJson(QByteArray("{\"s\":\"two\\nlines\",\"n\":-0.5,\"o\":{\"k\":[1, 2]}}"));
        QCOMPARE(walk(model, { 0 }).data(JsonTreeModel::ValueTextRole).toString(), u"two\nlines"_s);
        QCOMPARE(walk(model, { 1 }).data(JsonTreeModel::ValueTextRole).toString(), u"-0.5"_s);
        QCOMPARE(walk(model, { 2 }).data(JsonTreeModel::ValueTextRole).toString(), uR"({"k":[1,2]})"_s);
        QCOMPARE(
            walk(model, { 0 }).siblingAtColumn(JsonTreeModel::Value).data(Qt::ToolTipRole).toString(), u"two\nlines"_s);
        QCOMPARE(walk(model, { 2 }).data(JsonTreeModel::KindRole).toInt(), int(JsonTreeModel::Object));
        model.setJson(QByteArray("\x80", 1));
        QCOMPARE(walk(model, { 0 }).data(JsonTreeModel::ValueTextRole).toString(), u"0x80"_s);
    }

    void longValuesAreCutForDisplayOnly()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString longText(5000, u'x');
        model.setJson(QByteArray("{\"s\":\"") + longText.toLatin1() + QByteArray("\"}"));
        const QModelIndex value = walk(model, { 0 }).siblingAtColumn(JsonTreeModel::Value);
        QVERIFY(value.data().toString().size() < 500);
        QVERIFY(value.data().toString().endsWith(u'…'));
        QCOMPARE(value.data(JsonTreeModel::ValueTextRole).toString(), longText);
    }

    void search_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("paths");

        QTest::addRow("value, ignoring case") << u"ALICE"_s << QStringList { u"d.user.name"_s, u"d.notes[1]"_s };
        QTest::addRow("key") << u"sku"_s << QStringList { u"d.lines[0].sku"_s, u"d.lines[1].sku"_s };
        QTest::addRow("key and value of one row") << u"qty"_s << QStringList { u"d.lines[0].qty"_s };
        QTest::addRow("number") << u"42"_s << QStringList { u"d.lines[1].sku"_s, u"d.total"_s };
        QTest::addRow("null and booleans") << u"null"_s << QStringList { u"d.gift"_s };
        QTest::addRow("unicode, ignoring case") << u"ÉTÉ"_s << QStringList { u"d.season"_s };
        QTest::addRow("container summaries do not match") << u"items"_s << QStringList {};
        QTest::addRow("array indexes do not match") << u"[0]"_s << QStringList {};
        QTest::addRow("nothing") << u"zebra"_s << QStringList {};
        QTest::addRow("empty clears") << QString() << QStringList {};
    }
    void search()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, paths);

        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRootName(u"d"_s);
        model.setMatchBackground(QVariant(u"highlight"_s));
        model.setJson(QByteArray(R"({"user":{"name":"Alice"},"lines":[{"sku":"A-1","qty":"qty?"},{"sku":"B-42"}],)"
                                 R"("notes":["x","alice again"],"total":42,"gift":null,"season":"été"})"));
        model.setSearch(u"a"_s); // a search before this one must not leave marks behind
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        const QModelIndexList matches = model.setSearch(text);
        QStringList found;
        for (const QModelIndex& index : matches) {
            QCOMPARE(index.column(), 0);
            found << index.data(JsonTreeModel::PathRole).toString();
        }
        QCOMPARE(found, paths);
        QCOMPARE(model.searchMatches(), matches);
        QCOMPARE(model.searchText(), text);
        QVERIFY(changed.count() > 0);

        int marked = 0;
        std::function<void(const QModelIndex&)> visit = [&](const QModelIndex& parent) {
            for (int row = 0; row < model.rowCount(parent); ++row) {
                const QModelIndex index = model.index(row, 0, parent);
                const bool match = index.data(JsonTreeModel::SearchMatchRole).toBool();
                QCOMPARE(match, matches.contains(index));
                QCOMPARE(index.siblingAtColumn(JsonTreeModel::Value).data(Qt::BackgroundRole),
                    match ? QVariant(u"highlight"_s) : QVariant());
                marked += match;
                visit(index);
            }
        };
        visit({});
        QCOMPARE(marked, paths.size());
    }

    void searchSurvivesANewDocument()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSearch(u"id"_s);
        model.setJson(QByteArray(R"({"orderId":"o-1","x":1})"));
        QCOMPARE(model.searchMatches().size(), 1);
        QVERIFY(model.index(0, 0).data(JsonTreeModel::SearchMatchRole).toBool());
        QVERIFY(!model.index(1, 0).data(JsonTreeModel::SearchMatchRole).toBool());
        model.setJson(QByteArray("not json, but an id"));
        QCOMPARE(model.searchMatches().size(), 1);
    }

    void foregroundPerKind()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setJson(QByteArray(R"({"s":"x","n":1})"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setKindForeground(JsonTreeModel::Number, QVariant(7));
        QVERIFY(changed.count() > 0);
        QCOMPARE(model.index(1, JsonTreeModel::Value).data(Qt::ForegroundRole), QVariant(7));
        QCOMPARE(model.index(1, JsonTreeModel::Key).data(Qt::ForegroundRole), QVariant());
        QCOMPARE(model.index(0, JsonTreeModel::Value).data(Qt::ForegroundRole), QVariant());
        QCOMPARE(model.index(1, JsonTreeModel::Type).data(Qt::ForegroundRole), QVariant());
        model.setTypeForeground(QVariant(3));
        QCOMPARE(model.index(1, JsonTreeModel::Type).data(Qt::ForegroundRole), QVariant(3));
        QCOMPARE(model.index(1, JsonTreeModel::Value).data(Qt::ForegroundRole), QVariant(7));
    }

    void changes_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        QTest::addColumn<QStringList>("marked");

        QTest::addRow("nested scalar marks its ancestors")
            << QByteArray(R"({"a":{"b":{"c":1,"d":1}},"z":1})") << QByteArray(R"({"a":{"b":{"c":2,"d":1}},"z":1})")
            << QStringList { u"a below"_s, u"a.b below"_s, u"a.b.c changed"_s };
        QTest::addRow("added array item")
            << QByteArray(R"({"lines":[{"sku":"A"}]})") << QByteArray(R"({"lines":[{"sku":"A"},{"sku":"B"}]})")
            << QStringList { u"lines below"_s, u"lines[1] added"_s };
        QTest::addRow("rows below an added row stay unmarked")
            << QByteArray("{}") << QByteArray(R"({"o":{"p":{"q":1}}})") << QStringList { u"o added"_s };
        QTest::addRow("removed member marks its parent")
            << QByteArray(R"({"o":{"keep":1,"gone":2}})") << QByteArray(R"({"o":{"keep":1}})")
            << QStringList { u"o below"_s };
        QTest::addRow("removed array items mark the array")
            << QByteArray(R"({"l":[1,2,3],"m":0})") << QByteArray(R"({"l":[1],"m":0})") << QStringList { u"l below"_s };
        QTest::addRow("removed at the top: the document is no row")
            << QByteArray(R"({"a":1,"b":2})") << QByteArray(R"({"a":1})") << QStringList {};
        QTest::addRow("changed kind") << QByteArray(R"({"x":{"y":1}})") << QByteArray(R"({"x":[1,2]})")
                                      << QStringList { u"x changed"_s };
        QTest::addRow("a changed row inside a changed subtree")
            << QByteArray(R"({"o":{"a":1,"b":{"c":1}}})") << QByteArray(R"({"o":{"a":2,"b":{"c":2},"n":0}})")
            << QStringList { u"o below"_s, u"o.a changed"_s, u"o.b below"_s, u"o.b.c changed"_s, u"o.n added"_s };
        QTest::addRow("bracketed keys") << QByteArray(R"({"a b":{"ключ":1}})") << QByteArray(R"({"a b":{"ключ":2}})")
                                        << QStringList { u"[\"a b\"] below"_s, u"[\"a b\"][\"ключ\"] changed"_s };
        QTest::addRow("document scalar") << QByteArray("1") << QByteArray("2") << QStringList { u" changed"_s };
        QTest::addRow("numbers equal by value")
            << QByteArray(R"({"n":1})") << QByteArray(R"({"n":1.0})") << QStringList {};
        QTest::addRow("nothing changed") << QByteArray(R"({"a":[1,{"b":2}]})") << QByteArray(R"({"a":[1,{"b":2}]})")
                                         << QStringList {};
    }
    void changes()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        QFETCH(QStringList, marked);

        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChangeBackground(JsonTreeModel::Changed, QVariant(1));
        model.setChangeBackground(JsonTreeModel::Added, QVariant(2));
        model.setChangeBackground(JsonTreeModel::ChangedBelow, QVariant(3));
        model.setJson(after);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setChanges(diffJson(parsed(before), parsed(after)));
        QCOMPARE(marks(model), marked);
        QCOMPARE(changed.count(), marked.size());
        for (const QList<QVariant>& signal : std::as_const(changed)) {
            QCOMPARE(signal.at(0).toModelIndex().column(), int(JsonTreeModel::Key));
            QCOMPARE(signal.at(1).toModelIndex().column(), int(JsonTreeModel::Type));
            QVERIFY(signal.at(2).value<QList<int>>().contains(JsonTreeModel::ChangeRole));
        }
        for (const QString& line : std::as_const(marked)) {
            const QModelIndex index = model.indexForPath(line.section(u' ', 0, -2));
            QVERIFY(index.isValid());
            const int mark = index.data(JsonTreeModel::ChangeRole).toInt();
            QCOMPARE(index.siblingAtColumn(JsonTreeModel::Value).data(Qt::BackgroundRole), QVariant(mark));
        }
        // A new document is a new comparison: nothing stays marked.
        model.setJson(after);
        QCOMPARE(marks(model), QStringList {});
    }

    void changedPaths()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRootName(u"state"_s);
        model.setJson(QByteArray(R"({"a":{"b":{"c":1},"d":[0,1]},"z":1})"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setChangedPaths({ u"a.b.c"_s, u"a.d[1]"_s });
        QCOMPARE(marks(model),
            (QStringList { u"state.a below"_s, u"state.a.b below"_s, u"state.a.b.c changed"_s, u"state.a.d below"_s,
                u"state.a.d[1] changed"_s }));
        QCOMPARE(changed.count(), 5);

        changed.clear();
        model.setChangedPaths({ u"a.b.c"_s, u"a.d[1]"_s });
        QCOMPARE(changed.count(), 0);

        // A named row keeps its own mark though something below it changed too.
        model.setChangedPaths({ u"a"_s, u"a.b.c"_s });
        QCOMPARE(marks(model), (QStringList { u"state.a changed"_s, u"state.a.b below"_s, u"state.a.b.c changed"_s }));

        // Paths that name no row, or are no path, mark nothing; the root name is not part of a path.
        changed.clear();
        model.setChangedPaths({ u"state.a"_s, u"a.x"_s, u"a.d[2]"_s, u"a..b"_s, u"z[0]"_s, u"[0]"_s });
        QCOMPARE(marks(model), QStringList {});
        QCOMPARE(changed.count(), 3);

        model.setChangedPaths({ u"z"_s });
        QCOMPARE(marks(model), QStringList { u"state.z changed"_s });
        changed.clear();
        model.setChangedPaths({});
        QCOMPARE(marks(model), QStringList {});
        QCOMPARE(changed.count(), 1);

        model.setChangedPaths({ u"z"_s });
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        model.setChangedPaths({ u"z"_s, QString() });
        model.setJson(QByteArray("not json"));
        model.setChangedPaths({ QString() });
        QCOMPARE(marks(model), QStringList { u"state changed"_s });
    }

    void searchAndChangesTogether()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMatchBackground(QVariant(u"match"_s));
        model.setChangeBackground(JsonTreeModel::Changed, QVariant(u"changed"_s));
        model.setJson(QByteArray(R"({"balance":95,"owner":"ann"})"));
        model.setChangedPaths({ u"balance"_s });
        model.setSearch(u"bal"_s);
        const QModelIndex balance = model.index(0, JsonTreeModel::Value);
        QCOMPARE(balance.data(Qt::BackgroundRole), QVariant(u"match"_s));
        QCOMPARE(balance.data(JsonTreeModel::ChangeRole).toInt(), int(JsonTreeModel::Changed));
        QVERIFY(balance.data(JsonTreeModel::SearchMatchRole).toBool());
        model.setSearch(QString());
        QCOMPARE(balance.data(Qt::BackgroundRole), QVariant(u"changed"_s));
        QCOMPARE(model.index(1, JsonTreeModel::Value).data(Qt::BackgroundRole), QVariant());
        model.setSearch(u"ann"_s);
        model.setChangedPaths({});
        QCOMPARE(model.index(1, JsonTreeModel::Value).data(Qt::BackgroundRole), QVariant(u"match"_s));
        QCOMPARE(balance.data(Qt::BackgroundRole), QVariant());
    }

    void indexForPath_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QList<int>>("rows"); // empty: no row

        const QByteArray doc = R"({"order":{"lines":[{"sku":"A"},{"sku":"B"}]},"a b":{"ключ":[[0,1]]},"":true})";
        QTest::addRow("nested") << doc << u"order.lines[1].sku"_s << QList<int> { 0, 0, 1, 0 };
        QTest::addRow("array") << doc << u"order.lines"_s << QList<int> { 0, 0 };
        QTest::addRow("brackets") << doc << u"[\"a b\"][\"ключ\"][0][1]"_s << QList<int> { 1, 0, 0, 1 };
        QTest::addRow("needless brackets") << doc << u"[\"order\"][\"lines\"][0]"_s << QList<int> { 0, 0, 0 };
        QTest::addRow("empty key") << doc << u"[\"\"]"_s << QList<int> { 2 };
        QTest::addRow("duplicate keys: the last") << QByteArray(R"({"a":1,"b":0,"a":2})") << u"a"_s << QList<int> { 2 };
        QTest::addRow("array document") << QByteArray("[[1],[2,3]]") << u"[1][1]"_s << QList<int> { 1, 1 };
        QTest::addRow("scalar document") << QByteArray("7") << QString() << QList<int> { 0 };
        QTest::addRow("empty object document") << QByteArray("{}") << QString() << QList<int> { 0 };
        QTest::addRow("text document") << QByteArray("plain text") << QString() << QList<int> { 0 };
        QTest::addRow("the document with rows is no row") << doc << QString() << QList<int> {};
        QTest::addRow("no such key") << doc << u"order.total"_s << QList<int> {};
        QTest::addRow("index past the end") << doc << u"order.lines[2]"_s << QList<int> {};
        QTest::addRow("key of an array") << doc << u"order.lines.sku"_s << QList<int> {};
        QTest::addRow("index of an object") << doc << u"order[0]"_s << QList<int> {};
        QTest::addRow("below a scalar") << doc << u"order.lines[0].sku.x"_s << QList<int> {};
        QTest::addRow("root name is no step") << doc << u"data.order"_s << QList<int> {};
        QTest::addRow("malformed") << doc << u"order..lines"_s << QList<int> {};
        QTest::addRow("unclosed bracket") << doc << u"order.lines[1"_s << QList<int> {};
        QTest::addRow("key of a text document") << QByteArray("plain text") << u"a"_s << QList<int> {};
    }
    void indexForPath()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, path);
        QFETCH(QList<int>, rows);

        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRootName(u"data"_s);
        QVERIFY(!model.indexForPath(path).isValid());
        model.setJson(json);
        const QModelIndex index = model.indexForPath(path);
        QCOMPARE(index, walk(model, rows));
        QCOMPARE(index.isValid(), !rows.isEmpty());
    }

    void everyPathLeadsBackToItsRow()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setJson(QByteArray("{\"a\":[{\"b c\":null,\"\u00e9\":[[]]}],\"q\\\"\\\\\":{\"t\\tab\":1,\"$v\":{}}}"));
        int rows = 0;
        std::function<void(const QModelIndex&)> visit = [&](const QModelIndex& parent) {
            for (int row = 0; row < model.rowCount(parent); ++row) {
                const QModelIndex index = model.index(row, 0, parent);
                QCOMPARE(model.indexForPath(index.data(JsonTreeModel::PathRole).toString()), index);
                ++rows;
                visit(index);
            }
        };
        visit({});
        QCOMPARE(rows, 8);
    }

    void badIndexes()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setJson(QByteArray(R"({"a":[1]})"));
        QVERIFY(!model.index(1, 0).isValid());
        QVERIFY(!model.index(0, 3).isValid());
        QVERIFY(!model.index(-1, 0).isValid());
        QVERIFY(!model.index(1, 0, model.index(0, 0)).isValid());
        QCOMPARE(model.rowCount(model.index(0, 1)), 0);
        QCOMPARE(model.data({}), QVariant());
        QCOMPARE(model.headerData(JsonTreeModel::Type, Qt::Horizontal).toString(), u"Type"_s);
    }
};

QTEST_GUILESS_MAIN(TestJsonTreeModel)
#include "tst_json_tree_model.moc"
