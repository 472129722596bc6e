// The PDF report of an audit (DESIGN §7), read back as people and tools read it: the text pdftotext extracts.
// The header, the summary tables (against counts made here from the events fed in), every event once, the cap
// on huge payloads, pagination, non-ASCII text, and devices that refuse the bytes.

#include "model/audit_pdf_report.h"
#include "model/audit_summary.h"
#include "storage/error.h"

#include <QBuffer>
#include <QDateTime>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryFile>
#include <QTest>

#include <map>

using namespace eventscope;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr Micros kDay = 86'400'000'000LL;
constexpr Micros kBase = 1'704'067'200'000'000LL; // 2024-01-01T00:00:00Z

AuditReportHeader sampleHeader()
{
    AuditReportHeader header;
    header.query = "actor alice, since 2024-01-01T00:00:00.000000Z, category order";
    header.storeUri = "sqlite:audit-sample.db";
    header.storeKind = "sqlite";
    header.storeId = "5f0c2a1e-9b7d-4c1e-8a55-3f2b7d9e0c41";
    header.headPosition = 98765;
    header.generatedAt = kBase + 3 * kDay + 1234;
    header.generatedBy = "auditor@build-host";
    return header;
}

Event makeEvent(int i, const std::string& type, Micros time)
{
    Event event;
    event.position = 1000 + i;
    event.stream = "order-" + std::to_string(i % 17);
    event.version = i / 17 + 1;
    event.id = QStringLiteral("evt-%1").arg(i, 7, 10, QLatin1Char('0')).toStdString();
    event.type = type;
    event.time = time;
    event.data = "{\"n\":" + std::to_string(i) + "}";
    event.metadata = "{}";
    event.actor = i % 3 == 0 ? "" : "alice";
    return event;
}

QByteArray render(const AuditReportHeader& header, const std::vector<Event>& events)
{
    AuditSummary summary;
    for (const Event& event : events)
        summary.add(event);
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    AuditPdfReport report(buffer, header, summary);
    for (const Event& event : events)
        report.addEvent(event);
    report.finish();
    return buffer.data();
}

QString runTool(const QString& tool, const QStringList& arguments, const QByteArray& pdf)
{
    QTemporaryFile file;
    if (!file.open())
        return {};
    file.write(pdf);
    file.flush();
    QProcess process;
    process.start(tool,
        arguments + QStringList { file.fileName() }
            + (tool == u"pdftotext"_s ? QStringList { u"-"_s } : QStringList {}));
    if (!process.waitForFinished(120'000) || process.exitCode() != 0)
        return {};
    return QString::fromUtf8(process.readAllStandardOutput());
}

QString pdfText(const QByteArray& pdf)
{
    return runTool(u"pdftotext"_s, { u"-layout"_s }, pdf);
}

const QString kEventsHeading = u"Events in order of position"_s;

QString summaryPart(const QString& all)
{
    return all.left(all.indexOf(kEventsHeading));
}
QString eventsPart(const QString& all)
{
    const qsizetype at = all.indexOf(kEventsHeading);
    return at < 0 ? QString() : all.mid(at);
}

std::string oracleDay(Micros time)
{
    return QDateTime::fromMSecsSinceEpoch(time / 1000, Qt::UTC).date().toString(Qt::ISODate).toStdString();
}

// Accepts `limit` bytes, then refuses everything, like a full disk.
class LimitedDevice : public QIODevice
{
public:
    explicit LimitedDevice(qint64 limit)
        : m_limit(limit)
    {
    }

protected:
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char*, qint64 size) override
    {
        if (m_written + size > m_limit)
            return -1;
        m_written += size;
        return size;
    }

private:
    qint64 m_limit;
    qint64 m_written = 0;
};

} // namespace

class TestAuditPdfReport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(u"pdftotext"_s).isEmpty())
            QSKIP("pdftotext is not installed");
    }

    void header_data()
    {
        QTest::addColumn<bool>("sealed");
        QTest::addColumn<QStringList>("redactions");
        QTest::addRow("not sealed, no redaction") << false << QStringList {};
        QTest::addRow("sealed, two rules") << true << QStringList { u"data.cardNumber"_s, u"metadata.ip"_s };
    }

    void header()
    {
        QFETCH(bool, sealed);
        QFETCH(QStringList, redactions);
        AuditReportHeader header = sampleHeader();
        for (const QString& path : redactions)
            header.redactions.push_back(path.toStdString());
        const std::string digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        if (sealed) {
            header.sealDigest = digest;
            header.sealHeadPosition = 4321;
            header.sealTime = kBase + kDay;
        }
        const QString all = pdfText(render(header, { makeEvent(1, "OrderPlaced", kBase) }));
        const QString first = summaryPart(all);
        QVERIFY2(first.contains(u"Eventscope audit report"_s), qPrintable(all));
        QVERIFY(first.contains(QString::fromStdString(header.query)));
        QVERIFY(first.contains(u"Store ID: 5f0c2a1e-9b7d-4c1e-8a55-3f2b7d9e0c41"_s));
        QVERIFY(first.contains(u"sqlite"_s) && first.contains(u"sqlite:audit-sample.db"_s));
        QVERIFY(first.contains(u"Head position: 98765"_s));
        QVERIFY(first.contains(u"Generated at 2024-01-04T00:00:00.001234Z by auditor@build-host"_s));
        QVERIFY(first.contains(u"Redaction rules: "_s + (redactions.isEmpty() ? u"none"_s : redactions.join(u", "_s))));
        QCOMPARE(first.contains(QString::fromStdString(digest)), sealed);
        QCOMPARE(first.contains(u"head position 4321"_s), sealed);
        QCOMPARE(first.contains(u"2024-01-02T00:00:00.000000Z"_s), sealed);
        QCOMPARE(first.contains(u"the store has not been sealed"_s), !sealed);
        // The footer names the store on every page.
        QVERIFY(all.count(u"store 5f0c2a1e-9b7d-4c1e-8a55-3f2b7d9e0c41"_s) >= 2);
    }

    void summary_data()
    {
        QTest::addColumn<int>("types");
        QTest::addColumn<int>("days");
        QTest::addColumn<int>("events");
        QTest::addRow("3 types over 5 days") << 3 << 5 << 200;
        QTest::addRow("9 types: day totals only") << 9 << 4 << 150;
        QTest::addRow("90 days: the day table continues") << 2 << 90 << 400;
        QTest::addRow("one event") << 1 << 1 << 1;
    }

    void summary()
    {
        QFETCH(int, types);
        QFETCH(int, days);
        QFETCH(int, events);
        std::vector<Event> fed;
        std::map<std::string, std::int64_t> byType;
        std::map<std::string, std::map<std::string, std::int64_t>> byDay;
        std::map<std::string, int> typeNames;
        for (int i = 0; i < events; ++i) {
            const std::string type = "Type" + std::string(1, char('A' + (i * 5) % types)) + "Happened";
            const Micros time = kBase + Micros((i * 7) % days) * kDay + Micros(i) * 1'000'000;
            fed.push_back(makeEvent(i, type, time));
            ++byType[type];
            ++byDay[oracleDay(time)][type];
        }
        const QString all = pdfText(render(sampleHeader(), fed));
        const QString first = summaryPart(all);
        QVERIFY2(first.contains(u"Total events: "_s + QString::number(events)), qPrintable(first));

        for (const auto& [type, count] : byType) {
            const QRegularExpression row(
                u"^\\s*"_s + QString::fromStdString(type) + u"\\s+(\\d+)\\s+([\\d.]+) %\\s*$"_s,
                QRegularExpression::MultilineOption);
            const auto match = row.match(first);
            QVERIFY2(match.hasMatch(), type.c_str());
            QCOMPARE(match.captured(1).toLongLong(), count);
            QCOMPARE(match.captured(2), QString::number(100.0 * double(count) / events, 'f', 1));
        }

        const bool perType = types <= 6;
        std::map<std::string, std::vector<std::int64_t>> seen;
        const QRegularExpression dayRow(
            u"^\\s*(\\d{4}-\\d{2}-\\d{2})((?:\\s+\\d+)+)\\s*$"_s, QRegularExpression::MultilineOption);
        for (auto it = dayRow.globalMatch(first); it.hasNext();) {
            const auto match = it.next();
            const std::string day = match.captured(1).toStdString();
            QVERIFY2(!seen.count(day), day.c_str());
            for (const QString& n : match.captured(2).split(u' ', Qt::SkipEmptyParts))
                seen[day].push_back(n.toLongLong());
        }
        QCOMPARE(seen.size(), byDay.size());
        for (const auto& [day, counts] : byDay) {
            std::vector<std::int64_t> expected { 0 };
            for (const auto& [type, n] : counts)
                expected[0] += n;
            if (perType) {
                for (const auto& [type, total] : byType)
                    expected.push_back(counts.count(type) ? counts.at(type) : 0);
            }
            QVERIFY2(seen.count(day), day.c_str());
            QCOMPARE(seen.at(day), expected);
        }
        // A long day table goes on over pages, with its header again.
        QCOMPARE(first.contains(u"Events by day (UTC) (continued)"_s), days > 60);
    }

    void events()
    {
        std::vector<Event> fed;
        for (int i = 0; i < 60; ++i)
            fed.push_back(makeEvent(i, i % 2 ? "OrderPlaced" : "OrderShipped", kBase + i * 60'000'000LL));
        fed[7].data = "{\"cardNumber\":\"[redacted]\",\"amount\":12}";
        fed[8].metadata = "{\"ip\":\"203.0.113.9\",\"note\":\"kept\"}";
        const QString part = eventsPart(pdfText(render(sampleHeader(), fed)));
        QVERIFY(!part.isEmpty());
        for (const Event& event : fed) {
            const QString id = QString::fromStdString(event.id);
            QCOMPARE(part.count(id), 1);
            QVERIFY2(part.contains(u"id "_s + id + u" \u00b7 actor "_s
                         + (event.actor.empty() ? u"-"_s : QString::fromStdString(event.actor))),
                qPrintable(id));
            QVERIFY(part.contains(u"position "_s + QString::number(event.position) + u" \u00b7 "_s));
        }
        QVERIFY(
            part.contains(u"position 1007 \u00b7 2024-01-01T00:07:00.000000Z \u00b7 order-7@1 \u00b7 OrderPlaced"_s));
        QVERIFY(part.contains(u"data: {\"cardNumber\":\"[redacted]\",\"amount\":12}"_s));
        QVERIFY(part.contains(u"metadata: {\"ip\":\"203.0.113.9\",\"note\":\"kept\"}"_s));
        QVERIFY(!part.contains(u"more characters"_s));
    }

    void hugePayload_data()
    {
        QTest::addColumn<QString>("filler");
        QTest::addColumn<int>("length");
        QTest::addRow("one long token") << u"q"_s << 300'000;
        QTest::addRow("CJK") << u"\u6771"_s << 50'000;
        QTest::addRow("words") << u"q "_s << 20'000;
    }

    // The payload is cut after about 40 lines, and the note counts exactly what was left out.
    void hugePayload()
    {
        QFETCH(QString, filler);
        QFETCH(int, length);
        const QString head = u"{\"blob\":\""_s;
        const QString payload = head + filler.repeated(length / filler.size()) + u"END-OF-BLOB\"}"_s;
        Event event = makeEvent(1, "Huge", kBase);
        event.data = payload.toStdString();
        const QByteArray pdf = render(sampleHeader(), { event, makeEvent(2, "Small", kBase) });
        const QString part = eventsPart(pdfText(pdf));
        const QRegularExpression note(
            u"\u2026 \\((\\d+) more characters; the CSV and NDJSON exports hold it whole\\)"_s);
        const auto match = note.match(part);
        QVERIFY2(match.hasMatch(), qPrintable(part.left(3000)));
        QVERIFY(!part.contains(u"END-OF-BLOB"_s));
        QCOMPARE(part.count(note), 1);
        const qsizetype shownFiller = part.count(filler.at(0));
        QVERIFY(shownFiller > 200);
        const std::int64_t characters = payload.toUcs4().size();
        const std::int64_t shown = head.size() + shownFiller * filler.size();
        // "words": a trailing space at a line end may be shown or not.
        QVERIFY2(std::abs(match.captured(1).toLongLong() - (characters - shown)) <= (filler.size() > 1 ? 40 : 0),
            qPrintable(match.captured(1) + u" vs "_s + QString::number(characters - shown)));
        QCOMPARE(part.count(u"evt-0000002"_s), 1);
        QVERIFY2(part.count(QRegularExpression(u"page \\d+"_s)) <= 3, "a huge event stays within a page or two");
    }

    void manyEvents()
    {
        constexpr int count = 3000;
        std::vector<Event> fed;
        for (int i = 0; i < count; ++i)
            fed.push_back(makeEvent(i, "Tick", kBase + i * 1'000'000LL));
        const QByteArray pdf = render(sampleHeader(), fed);
        QVERIFY(pdf.startsWith("%PDF-"));
        QVERIFY(pdf.trimmed().endsWith("%%EOF"));
        const QString all = pdfText(pdf);
        const QRegularExpression footer(u"^\\s*page (\\d+)\\s"_s, QRegularExpression::MultilineOption);
        int pages = 0;
        for (auto it = footer.globalMatch(all); it.hasNext();)
            QCOMPARE(it.next().captured(1).toInt(), ++pages);
        QVERIFY2(pages > 20, qPrintable(QString::number(pages)));
        QCOMPARE(all.count(u'\f'), pages);
        if (!QStandardPaths::findExecutable(u"pdfinfo"_s).isEmpty()) {
            const QString info = runTool(u"pdfinfo"_s, {}, pdf);
            QVERIFY(info.contains(QRegularExpression(
                u"^Pages:\\s+"_s + QString::number(pages) + u"$"_s, QRegularExpression::MultilineOption)));
            QVERIFY(info.contains(
                QRegularExpression(u"^Title:\\s+Eventscope audit report$"_s, QRegularExpression::MultilineOption)));
            QVERIFY(info.contains(u"Eventscope"_s));
            QVERIFY(info.contains(QRegularExpression(u"^Page size:.*\\(A4\\)"_s, QRegularExpression::MultilineOption)));
        }
        const QString part = eventsPart(all);
        for (int i = 0; i < count; ++i)
            QCOMPARE(part.count(QString::fromStdString(fed[i].id)), 1);
    }

    void nonAscii()
    {
        AuditReportHeader header = sampleHeader();
        header.query = "actor Zürich-Team, stream 東京-1";
        header.generatedBy = "josé@host";
        Event event = makeEvent(1, "Zürich", kBase);
        event.stream = "東京-1";
        event.actor = "Zürich-Team";
        event.data = "{\"city\":\"東京\",\"street\":\"Bahnhofstraße\"}";
        const QString all = pdfText(render(header, { event }));
        const QString first = summaryPart(all);
        const QString part = eventsPart(all);
        QVERIFY2(first.contains(u"actor Z\u00fcrich-Team, stream \u6771\u4eac-1"_s), qPrintable(first));
        QVERIFY(first.contains(u"by jos\u00e9@host"_s));
        QVERIFY(first.contains(
            QRegularExpression(u"^\\s*Z\u00fcrich\\s+1\\s+100.0 %"_s, QRegularExpression::MultilineOption)));
        QVERIFY2(part.contains(u"\u6771\u4eac-1@1 \u00b7 Z\u00fcrich"_s), qPrintable(part));
        QVERIFY(part.contains(u"actor Z\u00fcrich-Team"_s));
        QVERIFY(part.contains(u"{\"city\":\"\u6771\u4eac\",\"street\":\"Bahnhofstra\u00dfe\"}"_s));
    }

    void empty()
    {
        const QByteArray pdf = render(sampleHeader(), {});
        QVERIFY(pdf.startsWith("%PDF-") && pdf.trimmed().endsWith("%%EOF"));
        const QString all = pdfText(pdf);
        QVERIFY(all.contains(u"Total events: 0"_s));
        QVERIFY(!all.contains(u"Events by type"_s));
        QVERIFY(eventsPart(all).contains(u"No events."_s));
    }

    void deviceNotWritable_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addRow("not open") << int(QIODevice::NotOpen);
        QTest::addRow("read only") << int(QIODevice::ReadOnly);
    }

    void deviceNotWritable()
    {
        QFETCH(int, mode);
        QBuffer buffer;
        if (mode != QIODevice::NotOpen)
            buffer.open(QIODevice::OpenMode(mode));
        try {
            AuditPdfReport report(buffer, sampleHeader(), AuditSummary {});
            QFAIL("a report on a device that cannot be written must not start");
        } catch (const Error& error) {
            QCOMPARE(error.kind, ErrorKind::BadInput);
        }
        QCOMPARE(buffer.size(), 0);
    }

    void deviceRefusesBytes_data()
    {
        QTest::addColumn<qint64>("accepted");
        QTest::addRow("refuses all") << qint64(0);
        QTest::addRow("full after 2 KB") << qint64(2048);
    }

    void deviceRefusesBytes()
    {
        QFETCH(qint64, accepted);
        LimitedDevice device(accepted);
        device.open(QIODevice::WriteOnly);
        AuditSummary summary;
        std::vector<Event> fed;
        for (int i = 0; i < 100; ++i) {
            fed.push_back(makeEvent(i, "Tick", kBase + i));
            summary.add(fed.back());
        }
        AuditPdfReport report(device, sampleHeader(), summary);
        for (const Event& event : fed)
            report.addEvent(event);
        try {
            report.finish();
            QFAIL("finish must report the refused bytes");
        } catch (const Error& error) {
            QCOMPARE(error.kind, ErrorKind::BadInput);
        }
    }
};

QTEST_MAIN(TestAuditPdfReport)
#include "tst_audit_pdf_report.moc"
