// The JSON diff behind the Stream tab's before/after view: document order, paths spelled as the JSON tree spells
// them, numbers compared by value, and the one-line-a-change text of the command line and tooltips.

#include "model/json_diff.h"

#include <QTest>

using namespace eventscope;
using namespace Qt::Literals::StringLiterals;

namespace {

using Json = nlohmann::ordered_json;

Json parsed(const QByteArray& text)
{
    return Json::parse(text.constData(), text.constData() + text.size());
}

QString fromStd(const std::string& text)
{
    return QString::fromStdString(text);
}

// "~ path: before -> after", "+ path: after", "- path: before": every field of a change, in one comparable line.
QStringList lines(const std::vector<JsonChange>& changes)
{
    QStringList out;
    for (const JsonChange& change : changes) {
        switch (change.kind) {
        case JsonChange::Kind::Changed:
            out << u"~ "_s + fromStd(change.path) + u": "_s + fromStd(change.before.dump()) + u" -> "_s
                    + fromStd(change.after.dump());
            break;
        case JsonChange::Kind::Added:
            out << u"+ "_s + fromStd(change.path) + u": "_s + fromStd(change.after.dump());
            if (!change.before.is_null())
                out.last() += u" but before "_s + fromStd(change.before.dump());
            break;
        case JsonChange::Kind::Removed:
            out << u"- "_s + fromStd(change.path) + u": "_s + fromStd(change.before.dump());
            if (!change.after.is_null())
                out.last() += u" but after "_s + fromStd(change.after.dump());
            break;
        }
    }
    return out;
}

} // namespace

class TestJsonDiff : public QObject
{
    Q_OBJECT

private slots:
    void diff_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        QTest::addColumn<QStringList>("changes");

        QTest::addRow("equal documents") << QByteArray(R"({"a":{"b":[1,"x",null,true]}})")
                                         << QByteArray(R"({"a":{"b":[1,"x",null,true]}})") << QStringList {};
        QTest::addRow("member order is no change") << QByteArray(R"({"a":1,"b":{"c":2,"d":3}})")
                                                   << QByteArray(R"({"b":{"d":3,"c":2},"a":1})") << QStringList {};
        QTest::addRow("empty documents") << QByteArray("{}") << QByteArray("{}") << QStringList {};
        QTest::addRow("nested scalar") << QByteArray(R"({"a":{"b":{"c":1}},"z":0})")
                                       << QByteArray(R"({"a":{"b":{"c":2}},"z":0})")
                                       << QStringList { u"~ a.b.c: 1 -> 2"_s };
        QTest::addRow("after's order, then removals")
            << QByteArray(R"({"a":1,"r":2,"b":3,"s":{"t":1}})") << QByteArray(R"({"b":4,"n":{"m":[]},"a":1})")
            << QStringList { u"~ b: 3 -> 4"_s, u"+ n: {\"m\":[]}"_s, u"- r: 2"_s, u"- s: {\"t\":1}"_s };
        QTest::addRow("nested changes come before later siblings")
            << QByteArray(R"({"x":{"y":1,"gone":0},"z":1})") << QByteArray(R"({"x":{"y":2},"z":2})")
            << QStringList { u"~ x.y: 1 -> 2"_s, u"- x.gone: 0"_s, u"~ z: 1 -> 2"_s };
        QTest::addRow("array grows") << QByteArray("[1,2]") << QByteArray("[1,3,4,5]")
                                     << QStringList { u"~ [1]: 2 -> 3"_s, u"+ [2]: 4"_s, u"+ [3]: 5"_s };
        QTest::addRow("array shrinks") << QByteArray(R"({"lines":[{"sku":"A"},{"sku":"B"},{"sku":"C"}]})")
                                       << QByteArray(R"({"lines":[{"sku":"A","qty":1}]})")
                                       << QStringList { u"+ lines[0].qty: 1"_s, u"- lines[1]: {\"sku\":\"B\"}"_s,
                                              u"- lines[2]: {\"sku\":\"C\"}"_s };
        QTest::addRow("array emptied") << QByteArray(R"({"l":[true]})") << QByteArray(R"({"l":[]})")
                                       << QStringList { u"- l[0]: true"_s };
        QTest::addRow("arrays in arrays")
            << QByteArray("[[1],[2]]") << QByteArray("[[1],[2,3]]") << QStringList { u"+ [1][1]: 3"_s };
        QTest::addRow("an insertion shifts items: compared by index")
            << QByteArray(R"(["a","b"])") << QByteArray(R"(["x","a","b"])")
            << QStringList { u"~ [0]: \"a\" -> \"x\""_s, u"~ [1]: \"b\" -> \"a\""_s, u"+ [2]: \"b\""_s };
        QTest::addRow("object becomes a number")
            << QByteArray(R"({"x":{"y":1}})") << QByteArray(R"({"x":5})") << QStringList { u"~ x: {\"y\":1} -> 5"_s };
        QTest::addRow("array becomes an object") << QByteArray(R"({"x":[1]})") << QByteArray(R"({"x":{"0":1}})")
                                                 << QStringList { u"~ x: [1] -> {\"0\":1}"_s };
        QTest::addRow("string becomes a number")
            << QByteArray(R"({"n":"1"})") << QByteArray(R"({"n":1})") << QStringList { u"~ n: \"1\" -> 1"_s };
        QTest::addRow("boolean") << QByteArray(R"({"ok":true})") << QByteArray(R"({"ok":false})")
                                 << QStringList { u"~ ok: true -> false"_s };
        QTest::addRow("document scalar") << QByteArray("1") << QByteArray("2") << QStringList { u"~ : 1 -> 2"_s };
        QTest::addRow("document changes kind")
            << QByteArray("{}") << QByteArray("[]") << QStringList { u"~ : {} -> []"_s };
        QTest::addRow("unicode keys") << QByteArray(R"({"ключ":{"名前":"a"}})")
                                      << QByteArray(R"({"ключ":{"名前":"b"}})")
                                      << QStringList { u"~ [\"ключ\"][\"名前\"]: \"a\" -> \"b\""_s };
        // Ordinary literals: moc misreads backslashes in raw strings and then finds no test class at all.
        QTest::addRow("keys in brackets") << QByteArray(
            "{\"a b\":1,\"x.y\":1,\"1st\":1,\"q\\\"\":1,\"\":1,\"back\\\\slash\":1,\"t\\tab\":1,\"o\":{\"a-b\":1}}")
                                          << QByteArray("{\"a "
                                                        "b\":2,\"x.y\":2,\"1st\":2,\"q\\\"\":2,\"\":2,"
                                                        "\"back\\\\slash\":2,\"t\\tab\":2,\"o\":{\"a-b\":2}}")
                                          << QStringList { u"~ [\"a b\"]: 1 -> 2"_s, u"~ [\"x.y\"]: 1 -> 2"_s,
                                                 u"~ [\"1st\"]: 1 -> 2"_s, u"~ [\"q\\\"\"]: 1 -> 2"_s,
                                                 u"~ [\"\"]: 1 -> 2"_s, u"~ [\"back\\\\slash\"]: 1 -> 2"_s,
                                                 u"~ [\"t\\tab\"]: 1 -> 2"_s, u"~ o[\"a-b\"]: 1 -> 2"_s };
        QTest::addRow("identifiers keep dots")
            << QByteArray(R"({"$version":1,"_a":{"b2":1}})") << QByteArray(R"({"$version":2,"_a":{"b2":0}})")
            << QStringList { u"~ $version: 1 -> 2"_s, u"~ _a.b2: 1 -> 0"_s };
        QTest::addRow("null member removed")
            << QByteArray(R"({"a":null})") << QByteArray("{}") << QStringList { u"- a: null"_s };
        QTest::addRow("null member added")
            << QByteArray("{}") << QByteArray(R"({"a":null})") << QStringList { u"+ a: null"_s };
        QTest::addRow("null stays null") << QByteArray(R"({"a":null})") << QByteArray(R"({"a":null})")
                                         << QStringList {};
        QTest::addRow("null becomes zero")
            << QByteArray(R"({"a":null})") << QByteArray(R"({"a":0})") << QStringList { u"~ a: null -> 0"_s };
        QTest::addRow("1 and 1.0 are equal")
            << QByteArray(R"({"n":1})") << QByteArray(R"({"n":1.0})") << QStringList {};
        QTest::addRow("1.0 and 1 are equal") << QByteArray("[1.0]") << QByteArray("[1]") << QStringList {};
        QTest::addRow("1e2 and 100") << QByteArray("[1e2]") << QByteArray("[100]") << QStringList {};
        QTest::addRow("-5 and -5.0") << QByteArray("[-5]") << QByteArray("[-5.0]") << QStringList {};
        QTest::addRow("-0.0 and 0") << QByteArray("[-0.0]") << QByteArray("[0]") << QStringList {};
        QTest::addRow("1 and 1.5") << QByteArray("[1]") << QByteArray("[1.5]") << QStringList { u"~ [0]: 1 -> 1.5"_s };
        QTest::addRow("-1 and 1") << QByteArray("[-1]") << QByteArray("[1]") << QStringList { u"~ [0]: -1 -> 1"_s };
        QTest::addRow("-1 and uint64 max") << QByteArray("[-1]") << QByteArray("[18446744073709551615]")
                                           << QStringList { u"~ [0]: -1 -> 18446744073709551615"_s };
        QTest::addRow("2^53 + 1 is not 2^53 as a float")
            << QByteArray("[9007199254740993]") << QByteArray("[9007199254740992.0]")
            << QStringList { u"~ [0]: 9007199254740993 -> 9.007199254740992e+15"_s };
        QTest::addRow("uint64 max is not 2^64 as a float")
            << QByteArray("[18446744073709551615]") << QByteArray("[18446744073709551615.0]")
            << QStringList { u"~ [0]: 18446744073709551615 -> 1.8446744073709552e+19"_s };
        QTest::addRow("2^63 as a float equals the unsigned integer")
            << QByteArray("[9223372036854775808]") << QByteArray("[9223372036854775808.0]") << QStringList {};
        QTest::addRow("floats") << QByteArray("[0.1, 2.5]") << QByteArray("[0.1, 2.50000001]")
                                << QStringList { u"~ [1]: 2.5 -> 2.50000001"_s };
    }
    void diff()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        QFETCH(QStringList, changes);

        const std::vector<JsonChange> found = diffJson(parsed(before), parsed(after));
        QCOMPARE(lines(found), changes);
        // Every path reads back to the same steps: the JSON tree finds its row from it.
        for (const JsonChange& change : found) {
            const auto steps = parseJsonPath(change.path);
            QVERIFY2(steps.has_value(), change.path.c_str());
            QCOMPARE(fromStd(formatJsonPath(*steps)), fromStd(change.path));
        }
        // Swapping the sides swaps added and removed and nothing else: the diff has no preferred direction.
        auto kindsByPath = [](const std::vector<JsonChange>& list, bool swap) {
            QStringList out;
            for (const JsonChange& change : list) {
                QChar kind = u'~';
                if (change.kind != JsonChange::Kind::Changed)
                    kind = (change.kind == JsonChange::Kind::Added) != swap ? u'+' : u'-';
                out << fromStd(change.path) + u' ' + kind;
            }
            out.sort();
            return out;
        };
        QCOMPARE(kindsByPath(diffJson(parsed(after), parsed(before)), true), kindsByPath(found, false));
    }

    void deepDocumentsDoNotExhaustTheStack()
    {
        constexpr int depth = 20000;
        const QByteArray before = QByteArray(depth, '[') + "1" + QByteArray(depth, ']');
        const QByteArray after = QByteArray(depth, '[') + "2" + QByteArray(depth, ']');
        const std::vector<JsonChange> changes = diffJson(parsed(before), parsed(after));
        QCOMPARE(changes.size(), std::size_t(1));
        QCOMPARE(changes.front().path.size(), std::size_t(3 * depth));
        QVERIFY(diffJson(parsed(before), parsed(before)).empty());
    }

    void paths_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("canonical");

        QTest::addRow("document") << QString() << true << QString();
        QTest::addRow("key") << u"a"_s << true << u"a"_s;
        QTest::addRow("dollar key") << u"$version"_s << true << u"$version"_s;
        QTest::addRow("nested") << u"a.b[2].c"_s << true << u"a.b[2].c"_s;
        QTest::addRow("brackets first") << u"[\"a b\"].c"_s << true << u"[\"a b\"].c"_s;
        QTest::addRow("array document") << u"[0][10]"_s << true << u"[0][10]"_s;
        QTest::addRow("needless brackets") << u"[\"abc\"][\"d\"]"_s << true << u"abc.d"_s;
        QTest::addRow("escapes decoded") << u"[\"\\u00e9\"]"_s << true << u"[\"é\"]"_s;
        QTest::addRow("bracket characters in a key") << u"[\"a]\\\"[b\"].c"_s << true << u"[\"a]\\\"[b\"].c"_s;
        QTest::addRow("empty key") << u"[\"\"]"_s << true << u"[\"\"]"_s;
        QTest::addRow("double dot") << u"a..b"_s << false << QString();
        QTest::addRow("leading dot") << u".a"_s << false << QString();
        QTest::addRow("trailing dot") << u"a."_s << false << QString();
        QTest::addRow("lone bracket") << u"["_s << false << QString();
        QTest::addRow("empty brackets") << u"a[]"_s << false << QString();
        QTest::addRow("leading zero") << u"a[01]"_s << false << QString();
        QTest::addRow("negative index") << u"a[-1]"_s << false << QString();
        QTest::addRow("plus sign") << u"a[+1]"_s << false << QString();
        QTest::addRow("index too large") << u"a[99999999999999999999999]"_s << false << QString();
        QTest::addRow("unclosed index") << u"a[1"_s << false << QString();
        QTest::addRow("unclosed string") << u"[\"a"_s << false << QString();
        QTest::addRow("string without bracket") << u"[\"a\""_s << false << QString();
        QTest::addRow("space before bracket") << u"[\"a\" ]"_s << false << QString();
        QTest::addRow("bad escape") << u"[\"\\x\"]"_s << false << QString();
        QTest::addRow("space in a bare key") << u"a b"_s << false << QString();
        QTest::addRow("digit first") << u"1a"_s << false << QString();
        QTest::addRow("text after a step") << u"a[1]x"_s << false << QString();
        QTest::addRow("single quotes") << u"['a']"_s << false << QString();
    }
    void paths()
    {
        QFETCH(QString, path);
        QFETCH(bool, valid);
        QFETCH(QString, canonical);

        const auto steps = parseJsonPath(path.toStdString());
        QCOMPARE(steps.has_value(), valid);
        if (steps)
            QCOMPARE(fromStd(formatJsonPath(*steps)), canonical);
    }

    void pathSteps()
    {
        QCOMPARE(fromStd(appendJsonPathKey({}, "a")), u"a"_s);
        QCOMPARE(fromStd(appendJsonPathKey("data", "a")), u"data.a"_s);
        QCOMPARE(fromStd(appendJsonPathKey({}, "a b")), u"[\"a b\"]"_s);
        QCOMPARE(fromStd(appendJsonPathKey("data", "a b")), u"data[\"a b\"]"_s);
        QCOMPARE(fromStd(appendJsonPathIndex({}, 3)), u"[3]"_s);
        QCOMPARE(fromStd(appendJsonPathIndex("a", 0)), u"a[0]"_s);
        QCOMPARE(fromStd(jsonStringLiteral(std::string("\x01\x1f\x7f", 3))), u"\"\\u0001\\u001f\x7f\""_s);
    }

    void describe_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        QTest::addColumn<int>("maxLines");
        QTest::addColumn<QString>("text");

        QTest::addRow("no changes") << QByteArray(R"({"a":1})") << QByteArray(R"({"a":1.0})") << 20 << QString();
        QTest::addRow("each kind") << QByteArray(R"({"balance":120,"note":"x","lines":[1,2,3]})")
                                   << QByteArray(R"({"balance":95,"lines":[1,2,3,{"sku":"C-3"}]})") << 20
                                   << u"~ balance: 120 → 95\n+ lines[3]: {\"sku\":\"C-3\"}\n- note"_s;
        QTest::addRow("the document itself")
            << QByteArray("1") << QByteArray("\"one\"") << 20 << u"~ (document): 1 → \"one\""_s;
        QTest::addRow("unicode kept") << QByteArray(R"({"name":"Zoë"})") << QByteArray(R"({"name":"Zoë ✓"})") << 20
                                      << u"~ name: \"Zoë\" → \"Zoë ✓\""_s;
        QTest::addRow("exactly the limit")
            << QByteArray("[0,0,0]") << QByteArray("[1,1,1]") << 3 << u"~ [0]: 0 → 1\n~ [1]: 0 → 1\n~ [2]: 0 → 1"_s;
        QTest::addRow("one over the limit")
            << QByteArray("[0,0,0]") << QByteArray("[1,1,1]") << 2 << u"~ [0]: 0 → 1\n… 2 more changes"_s;
        QTest::addRow("one line left") << QByteArray("[0,0]") << QByteArray("[1,1]") << 1 << u"… 2 more changes"_s;
        QTest::addRow("no lines") << QByteArray("[0]") << QByteArray("[1]") << 0 << QString();
        QTest::addRow("one more change") << QByteArray("[0,0,0]") << QByteArray("[1,1,1,1]") << 3
                                         << u"~ [0]: 0 → 1\n~ [1]: 0 → 1\n… 2 more changes"_s;
    }
    void describe()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        QFETCH(int, maxLines);
        QFETCH(QString, text);

        QCOMPARE(fromStd(describeChanges(diffJson(parsed(before), parsed(after)), std::size_t(maxLines))), text);
    }

    void describeCutsLongValues()
    {
        // Two-byte characters: a cut in the middle of one would leave invalid UTF-8.
        const QString longText = QString(100, u'é');
        Json after = Json::object();
        after["s"] = longText.toStdString();
        const std::string text = describeChanges(diffJson(Json::object(), after));
        const QString shown = QString::fromStdString(text);
        QCOMPARE(shown.toUtf8(), QByteArray::fromStdString(text));
        QVERIFY(shown.startsWith(u"+ s: \"éé"_s));
        QVERIFY(shown.endsWith(u'…'));
        QVERIFY(shown.size() < 80);
        QVERIFY(!shown.contains(QChar::ReplacementCharacter));

        QCOMPARE(QString::fromStdString(describeChanges({})), QString());
        std::vector<JsonChange> many(25, JsonChange { JsonChange::Kind::Removed, "x", 1, nullptr });
        const QStringList rows = QString::fromStdString(describeChanges(many)).split(u'\n');
        QCOMPARE(rows.size(), 20);
        QCOMPARE(rows.last(), u"… 6 more changes"_s);
        QCOMPARE(rows.first(), u"- x"_s);
    }
};

QTEST_GUILESS_MAIN(TestJsonDiff)
#include "tst_json_diff.moc"
