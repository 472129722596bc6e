// isJsonText() (model/json_text.h) against nlohmann::json::accept, which it replaces in exports and the JavaScript
// runtime: the same answer for hand-picked texts at every edge of RFC 8259, and for thousands of random mutations
// of valid documents.

#include "model/event_text.h"
#include "model/json_text.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <random>
#include <string>

using namespace eventscope;

class TestJsonTextValidation : public QObject
{
    Q_OBJECT

private slots:
    void agreesWithNlohmann_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("valid");
        const auto row
            = [](const char* name, const QByteArray& text, bool valid) { QTest::addRow("%s", name) << text << valid; };
        row("object", "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}", true);
        row("empty object", "{}", true);
        row("empty array", "[]", true);
        row("nested empties", "[{},[],[[]],{\"a\":{}}]", true);
        row("scalar string", "\"x\"", true);
        row("scalar number", "-0.5e+10", true);
        row("whitespace around", " \t\r\n{\"a\" : [ 1 , 2 ] }\n", true);
        row("line breaks between tokens", "{\r\n\"a\":\r\n1\r\n}", true);
        row("escapes", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"", true);
        row("surrogate pair", "\"\\ud83d\\ude00\"", true);
        row("utf-8", "\"Z\xC3\xBCrich \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x98\x80\"", true);
        row("empty", "", false);
        row("only space", "  ", false);
        row("trailing comma array", "[1,]", false);
        row("trailing comma object", "{\"a\":1,}", false);
        row("missing colon", "{\"a\" 1}", false);
        row("unquoted key", "{a:1}", false);
        row("two values", "{} {}", false);
        row("leading zero", "01", false);
        row("bare minus", "-", false);
        row("dot without digits", "1.", false);
        row("exponent without digits", "1e", false);
        row("plus sign", "+1", false);
        row("raw newline in string", "\"a\nb\"", false);
        row("raw tab in string", "\"a\tb\"", false);
        row("bad escape", "\"\\x\"", false);
        row("short unicode escape", "\"\\u12\"", false);
        row("lone high surrogate", "\"\\ud83d\"", false);
        row("lone low surrogate", "\"\\ude00\"", false);
        row("high surrogate then letter", "\"\\ud83dx\"", false);
        row("unterminated string", "\"abc", false);
        row("unclosed array", "[1,2", false);
        row("unclosed object", "{\"a\":1", false);
        row("mismatched close", "[1}", false);
        row("truncated true", "tru", false);
        row("capital True", "True", false);
        row("overlong utf-8", "\"\xC0\xAF\"", false);
        row("utf-8 surrogate", "\"\xED\xA0\x80\"", false);
        row("truncated utf-8", "\"\xE6\x9D\"", false);
        row("latin-1 byte", "\"caf\xE9\"", false);
        row("above U+10FFFF", "\"\xF4\x90\x80\x80\"", false);
        row("nesting 500 deep", QByteArray(500, '[') + QByteArray(500, ']'), true);
    }

    void agreesWithNlohmann()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, valid);
        const std::string_view view(text.constData(), static_cast<std::size_t>(text.size()));
        QCOMPARE(isJsonText(view), valid);
        QCOMPARE(nlohmann::json::accept(view), valid); // the oracle agrees with the expectation
    }

    // The JavaScript runtime stops at 512 levels; an export still writes deeper data as JSON, not as a string.
    void exportsKeepDeepJson()
    {
        const std::string deep = std::string(5000, '[') + std::string(5000, ']');
        QVERIFY(!isJsonText(deep));
        QVERIFY(isJsonPayload(deep));
        QCOMPARE(jsonValueText(deep), deep);
        QVERIFY(!isJsonPayload("\"caf\xE9\""));
        QCOMPARE(jsonValueText("{\r\n\"a\": 1}\n"), std::string("{  \"a\": 1}"));
    }

    // Random single-byte changes, deletions and cuts of valid documents: both must say the same every time.
    void agreesOnMutations()
    {
        const std::vector<std::string> seeds {
            "{\"orderId\":\"o-1\",\"amount\":12.50,\"lines\":[{\"sku\":\"a\",\"qty\":2}],\"note\":\"caf\xC3\xA9 "
            "\\\"x\\\"\"}",
            "[1,-2.5e3,true,false,null,\"\\u00e9\\ud83d\\ude00\",{\"k\":[]}]",
            "{\"a\":{\"b\":{\"c\":[0.1,1E+2,\"\xE6\x9D\xB1\"]}}}",
        };
        const std::string alphabet = "{}[]\":,.-+eE0123456789 \\/utrfnalsx\t\n\x80\xC3\xA9\xED\xF0";
        std::mt19937 random(20261123);
        int valid = 0;
        for (int i = 0; i < 30000; ++i) {
            std::string text = seeds[random() % seeds.size()];
            const int edits = 1 + static_cast<int>(random() % 3);
            for (int e = 0; e < edits && !text.empty(); ++e) {
                const std::size_t at = random() % text.size();
                switch (random() % 3) {
                case 0:
                    text[at] = alphabet[random() % alphabet.size()];
                    break;
                case 1:
                    text.erase(at, 1);
                    break;
                default:
                    text.resize(at);
                }
            }
            const bool expected = nlohmann::json::accept(text);
            valid += expected ? 1 : 0;
            if (isJsonText(text) != expected)
                QFAIL(qPrintable(QStringLiteral("differs from nlohmann on: ") + QString::fromUtf8(text)));
        }
        QVERIFY(valid > 100); // the mutations reach both answers
    }
};

QTEST_GUILESS_MAIN(TestJsonTextValidation)
#include "tst_json_text_validation.moc"
