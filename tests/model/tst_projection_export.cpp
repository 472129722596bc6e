// A projection's states exported as a person would open them: CSV that a strict RFC 4180 reader reads back intact
// (quotes, commas and line breaks inside the JSON states), NDJSON a line at a time, and bad input that leaves no
// file behind.

#include "model/projection_export.h"
#include "storage/error.h"
#include "storage/event_store.h"
#include "tests/model/projection_model_fixtures.h"
#include "tests/test_stores.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <optional>
#include <set>

using namespace eventscope;
using namespace eventscope::test;
using namespace Qt::Literals::StringLiterals;

namespace {

// RFC 4180, read as a strict reader would: quoted fields may hold commas, doubled quotes and line breaks.
std::optional<std::vector<std::vector<std::string>>> parseCsv(const std::string& text)
{
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    bool wasQuoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c != '"') {
                field += c;
            } else if (i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else {
                quoted = false;
            }
            continue;
        }
        if (c == '"') {
            if (!field.empty() || wasQuoted)
                return std::nullopt; // a quote inside an unquoted field
            quoted = wasQuoted = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
            wasQuoted = false;
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            row.push_back(std::move(field));
            rows.push_back(std::move(row));
            row.clear();
            field.clear();
            wasQuoted = false;
            ++i;
        } else if (c == '\n' || c == '\r') {
            return std::nullopt; // a bare line break outside quotes
        } else {
            if (wasQuoted)
                return std::nullopt; // text after a closing quote
            field += c;
        }
    }
    if (quoted || !field.empty() || !row.empty())
        return std::nullopt; // the last record must end with CRLF
    return rows;
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestProjectionExport : public QObject
{
    Q_OBJECT

private slots:
    void exportsCsvAndNdjson_data() { test::addBackendRows(); }
    void exportsCsvAndNdjson()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        Written written;
        fill(location.uri(), 1500, written); // more than one chunk of a thousand
        QCOMPARE(runNow(location.uri(), "counts", kCountScript).end, ProjectionRunResult::End::CaughtUp);
        auto store = openStore(location.uri());

        const QString csv = location.dir() + QStringLiteral("/states.CSV");
        QCOMPARE(projectionExportFormatFor(csv), ProjectionExportFormat::Csv);
        QCOMPARE(exportProjectionStates(*store, "counts", csv, projectionExportFormatFor(csv)),
            std::int64_t(written.streams.size()));
        const auto rows = parseCsv(readAll(csv).toStdString());
        QVERIFY(rows);
        QCOMPARE(rows->size(), written.streams.size() + 1);
        QCOMPARE(rows->front(), (std::vector<std::string> { "partition", "state" }));
        std::set<std::string> seen;
        for (std::size_t i = 1; i < rows->size(); ++i) {
            const auto& row = (*rows)[i];
            QCOMPARE(row.size(), std::size_t(2));
            QVERIFY2(written.streams.count(row[0]), row[0].c_str());
            const auto state = nlohmann::json::parse(row[1]);
            QCOMPARE(state["count"].get<int>(), written.streams.at(row[0]).count);
            QCOMPARE(state["note"].get<std::string>(), written.streams.at(row[0]).note);
            seen.insert(row[0]);
        }
        QCOMPARE(seen.size(), written.streams.size());

        const QString ndjson = location.dir() + QStringLiteral("/states.ndjson");
        QCOMPARE(projectionExportFormatFor(ndjson), ProjectionExportFormat::Ndjson);
        QCOMPARE(exportProjectionStates(*store, "counts", ndjson, ProjectionExportFormat::Ndjson),
            std::int64_t(written.streams.size()));
        const QList<QByteArray> lines = readAll(ndjson).split('\n');
        QCOMPARE(lines.size(), qsizetype(written.streams.size() + 1));
        QVERIFY(lines.back().isEmpty()); // every line ends with a newline
        seen.clear();
        for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
            QJsonParseError error;
            const QJsonObject line = QJsonDocument::fromJson(lines[i], &error).object();
            QCOMPARE(error.error, QJsonParseError::NoError);
            QCOMPARE(line.size(), 2);
            const std::string partition = line.value(u"partition"_s).toString().toStdString();
            QVERIFY(written.streams.count(partition));
            const QJsonObject state = line.value(u"state"_s).toObject(); // a value, not text
            QCOMPARE(state.value(u"count"_s).toInt(), written.streams.at(partition).count);
            QCOMPARE(state.value(u"note"_s).toString().toStdString(), written.streams.at(partition).note);
            seen.insert(partition);
        }
        QCOMPARE(seen.size(), written.streams.size());

        // Bad input leaves no file behind and the old file untouched.
        const QByteArray before = readAll(csv);
        const auto refused = [&](const std::string& name, const QString& path) {
            try {
                exportProjectionStates(*store, name, path, ProjectionExportFormat::Csv);
            } catch (const Error& e) {
                return e.kind == ErrorKind::BadInput;
            }
            return false;
        };
        QVERIFY(refused("nothing", csv));
        QCOMPARE(readAll(csv), before);
        QVERIFY(refused("counts", location.dir() + QStringLiteral("/no/such/folder/x.csv")));
        QVERIFY(!QFile::exists(location.dir() + QStringLiteral("/no/such/folder/x.csv")));
        std::atomic<bool> cancel { true };
        try {
            exportProjectionStates(*store, "counts", csv, ProjectionExportFormat::Csv, &cancel);
            QFAIL("a cancelled export finished");
        } catch (const Error& e) {
            QCOMPARE(e.kind, ErrorKind::Cancelled);
        }
        QCOMPARE(readAll(csv), before);
    }

    void csvFields_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("field");
        QTest::addRow("plain") << QStringLiteral("order-1") << QStringLiteral("order-1");
        QTest::addRow("empty") << QString() << QString();
        QTest::addRow("comma") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"");
        QTest::addRow("quote") << QStringLiteral("{\"a\":1}") << QStringLiteral("\"{\"\"a\"\":1}\"");
        QTest::addRow("newline") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"");
        QTest::addRow("carriage return") << QStringLiteral("a\rb") << QStringLiteral("\"a\rb\"");
        QTest::addRow("spaces kept") << QStringLiteral(" a ") << QStringLiteral(" a ");
    }
    void csvFields()
    {
        QFETCH(QString, text);
        QFETCH(QString, field);
        QCOMPARE(QString::fromStdString(csvField(text.toStdString())), field);
        const auto parsed = parseCsv(csvField(text.toStdString()) + "\r\n");
        QVERIFY(parsed);
        QCOMPARE(QString::fromStdString(parsed->front().front()), text);
    }
};

QTEST_GUILESS_MAIN(TestProjectionExport)
#include "tst_projection_export.moc"
