#pragma once
// What the `eventscope audit` tests share (DESIGN §7, §8): events planned with their times, the oracle that filters
// them, and readers of what an export wrote (python3's csv module, pdftotext, sha256sum -c).

#include "tests/cli/projection_cli.h"

#include <QDateTime>
#include <QHash>
#include <QUuid>

#include <sqlite3.h>

#include <functional>

#ifdef Q_OS_UNIX
#include <pwd.h>
#include <unistd.h>
#endif

namespace audittest {

using namespace projtest;

// 2024-03-01T10:00:00Z in microseconds.
inline const qint64 kBase = QDateTime(QDate(2024, 3, 1), QTime(10, 0), Qt::UTC).toMSecsSinceEpoch() * 1000;
constexpr qint64 kSecond = 1000000;

// RFC 3339 as Eventscope prints it: UTC, six fraction digits, Z.
inline QString timeText(qint64 micros)
{
    return QDateTime::fromMSecsSinceEpoch(micros / 1000, Qt::UTC).toString(u"yyyy-MM-ddTHH:mm:ss"_s) + u"."_s
        + QStringLiteral("%1").arg(micros % kSecond, 6, 10, QLatin1Char('0')) + u"Z"_s;
}

struct Planned
{
    QString id;
    QString stream;
    QString type;
    qint64 time = 0;
    QJsonValue data;
    QJsonObject metadata;
};

// The actor convention of DESIGN §2: the first key present wins.
inline QString actorOf(const QJsonObject& metadata)
{
    for (const auto* key : { "userId", "user_id", "createdBy", "created_by", "user" })
        if (metadata.contains(QLatin1String(key)))
            return metadata.value(QLatin1String(key)).toString();
    return {};
}

inline QString categoryOf(const QString& stream)
{
    return stream.section(u'-', 0, 0);
}

// A JSON value of any kind from its text.
inline QJsonValue jsonValue(const QByteArray& text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson("[" + text + "]", &error);
    return error.error == QJsonParseError::NoError ? document.array().at(0) : QJsonValue(QJsonValue::Undefined);
}

inline const QStringList kColumns { u"position"_s, u"stream"_s, u"version"_s, u"id"_s, u"type"_s, u"time"_s, u"data"_s,
    u"metadata"_s };

inline const char* const kCsvReader = "import csv, sys, json\n"
                                      "with open(sys.argv[1], newline='', encoding='utf-8') as f:\n"
                                      "    print(json.dumps(list(csv.reader(f))))\n";

inline QString osUser()
{
#ifdef Q_OS_UNIX
    if (const passwd* entry = getpwuid(geteuid()); entry && entry->pw_name)
        return QString::fromLocal8Bit(entry->pw_name);
#endif
    return qEnvironmentVariable("USER");
}

} // namespace audittest

// Stop the test function at the first failure inside a helper.
#define AUDIT_CHECK(call)                                                                                              \
    do {                                                                                                               \
        call;                                                                                                          \
        if (QTest::currentTestFailed())                                                                                \
            return;                                                                                                    \
    } while (false)

namespace audittest {

class AuditCliTest : public ProjectionCliTest
{
protected:
    QString m_store;
    QString m_dir;
    QList<Planned> m_planned; // in the order appended, which is position order
    QHash<QString, QJsonObject> m_read; // event ID -> the line `read --system` prints
    QHash<QString, QByteArray> m_readLines;
    int m_files = 0;

    void open(const eventscope::test::StoreLocation& location)
    {
        m_store = remember(location.uri());
        m_dir = location.dir();
        m_planned.clear();
    }
    QString path(const QString& name) const { return QDir(m_dir).filePath(name); }
    QString freshFile(const QString& extension) { return path(u"audit-"_s + QString::number(++m_files) + extension); }

    Planned planned(const QString& stream, const QString& type, qint64 time, const QJsonValue& data,
        const QJsonObject& metadata = {})
    {
        return { QUuid::createUuid().toString(QUuid::WithoutBraces), stream, type, time, data, metadata };
    }
    void appendAll(const QList<Planned>& events)
    {
        QByteArray text;
        for (const Planned& p : events)
            text += compact({ { u"stream"_s, p.stream }, { u"type"_s, p.type }, { u"id"_s, p.id },
                        { u"time"_s, timeText(p.time) }, { u"data"_s, p.data }, { u"metadata"_s, p.metadata } })
                + '\n';
        const QString file = write(m_dir, u"input-"_s + QString::number(++m_files) + u".ndjson"_s, text);
        QVERIFY(ok({ u"append"_s, m_store, u"--input"_s, file }));
        m_planned += events;
        AUDIT_CHECK(refreshRead());
    }
    void refreshRead()
    {
        QVERIFY(ok({ u"read"_s, m_store, u"--system"_s, u"--limit"_s, u"1000000"_s }));
        m_read.clear();
        m_readLines.clear();
        for (const QByteArray& line : m_last.lines()) {
            const QJsonObject event = QJsonDocument::fromJson(line).object();
            m_read.insert(event.value(u"id"_s).toString(), event);
            m_readLines.insert(event.value(u"id"_s).toString(), line + '\n');
        }
    }

    // Runs audit into a new file of `format`; checks the summary line and the digest beside the file.
    QString runAudit(const QStringList& filters, const QString& format, qint64 expectedEvents = -1)
    {
        const QString out = freshFile(u"."_s + format);
        if (!ok(QStringList { u"audit"_s, m_store } + filters + QStringList { u"--format"_s, format, u"--out"_s, out }))
            return {};
        const QJsonObject summary = m_last.json();
        const QStringList keys { u"events"_s, u"format"_s, u"out"_s, u"sha256"_s, u"sha256_file"_s };
        bool good = summary.keys() == keys && summary[u"out"_s].toString() == out
            && summary[u"format"_s].toString() == format && summary[u"sha256"_s].toString() == clitest::sha256Of(out)
            && summary[u"sha256_file"_s].toString() == out + u".sha256"_s
            && (expectedEvents < 0 || summary[u"events"_s].toInteger() == expectedEvents) && m_last.err.isEmpty()
            && clitest::readFile(out + u".sha256"_s)
                == (clitest::sha256Of(out) + u"  "_s + QFileInfo(out).fileName() + u"\n"_s).toUtf8();
        if (!good) {
            qWarning().noquote() << "unexpected summary or digest file:" << m_last.out << m_last.err
                                 << clitest::readFile(out + u".sha256"_s) << "expected events" << expectedEvents;
            return {};
        }
        return out;
    }

    // The planned events that pass, in position order, as IDs.
    QStringList oracle(const std::function<bool(const Planned&)>& passes) const
    {
        QStringList ids;
        for (const Planned& p : m_planned)
            if (passes(p))
                ids << p.id;
        return ids;
    }
    // The IDs of an NDJSON export, checking each line is exactly the line `read` prints for it.
    QStringList ndjsonIds(const QString& file)
    {
        QStringList ids;
        qint64 last = 0;
        const QByteArray content = clitest::readFile(file);
        for (const QByteArray& line : content.split('\n')) {
            if (line.isEmpty())
                continue;
            const QJsonObject event = QJsonDocument::fromJson(line).object();
            const QString id = event[u"id"_s].toString();
            if (m_readLines.value(id) != line + '\n' || event[u"position"_s].toInteger() <= last) {
                qWarning() << "not the line read prints, or out of order:" << line;
                return { u"(bad line)"_s };
            }
            last = event[u"position"_s].toInteger();
            ids << id;
        }
        if (!content.isEmpty() && !content.endsWith('\n'))
            ids << u"(no final newline)"_s;
        return ids;
    }

    static QList<QStringList> csvRows(const QString& file)
    {
        QProcess python;
        python.start(u"python3"_s, { u"-c"_s, QString::fromLatin1(kCsvReader), file });
        if (!python.waitForFinished(60000) || python.exitCode() != 0) {
            qWarning() << "python3 could not read" << file << python.readAllStandardError();
            return {};
        }
        QList<QStringList> rows;
        for (const QJsonValue& row : QJsonDocument::fromJson(python.readAllStandardOutput()).array()) {
            QStringList fields;
            for (const QJsonValue& field : row.toArray())
                fields << field.toString();
            rows << fields;
        }
        return rows;
    }
    static QString pdfText(const QString& file)
    {
        QProcess pdftotext;
        pdftotext.start(u"pdftotext"_s, { u"-enc"_s, u"UTF-8"_s, file, u"-"_s });
        if (!pdftotext.waitForFinished(60000) || pdftotext.exitCode() != 0) {
            qWarning() << "pdftotext could not read" << file << pdftotext.readAllStandardError();
            return {};
        }
        return QString::fromUtf8(pdftotext.readAllStandardOutput());
    }
    // `sha256sum -c FILE.sha256` in the file's folder.
    static bool digestChecks(const QString& file)
    {
        QProcess sum;
        sum.setWorkingDirectory(QFileInfo(file).absolutePath());
        sum.start(u"sha256sum"_s, { u"-c"_s, QFileInfo(file).fileName() + u".sha256"_s });
        return sum.waitForFinished(60000) && sum.exitStatus() == QProcess::NormalExit && sum.exitCode() == 0;
    }

    // The CSV export's rows equal the oracle: header, then each event's fields, data and metadata as JSON values.
    void checkCsv(const QString& file, const QStringList& ids, const QHash<QString, Planned>& expected)
    {
        const QList<QStringList> rows = csvRows(file);
        QCOMPARE(rows.value(0), kColumns);
        QCOMPARE(rows.size(), ids.size() + 1);
        for (qsizetype i = 0; i < ids.size(); ++i) {
            const QStringList& row = rows.at(i + 1);
            const Planned& p = expected[ids.at(i)];
            const QJsonObject stored = m_read.value(p.id);
            QCOMPARE(row.size(), kColumns.size());
            QCOMPARE(row.at(0), QString::number(stored[u"position"_s].toInteger()));
            QCOMPARE(row.at(1), p.stream);
            QCOMPARE(row.at(2), QString::number(stored[u"version"_s].toInteger()));
            QCOMPARE(row.at(3), p.id);
            QCOMPARE(row.at(4), p.type);
            QCOMPARE(row.at(5), timeText(p.time));
            QCOMPARE(jsonValue(row.at(6).toUtf8()), p.data);
            QCOMPARE(jsonValue(row.at(7).toUtf8()), QJsonValue(p.metadata));
        }
    }
    // The NDJSON export's lines equal the oracle field by field.
    void checkNdjson(const QString& file, const QStringList& ids, const QHash<QString, Planned>& expected)
    {
        const QList<QByteArray> lines = clitest::readFile(file).split('\n');
        QCOMPARE(lines.size(), ids.size() + 1); // the last line ends with a newline too
        QVERIFY(lines.constLast().isEmpty());
        for (qsizetype i = 0; i < ids.size(); ++i) {
            QVERIFY(lines.at(i).startsWith("{\"position\":"));
            QJsonParseError error;
            const QJsonObject event = QJsonDocument::fromJson(lines.at(i), &error).object();
            QVERIFY2(error.error == QJsonParseError::NoError, lines.at(i).constData());
            QCOMPARE(event.size(), kColumns.size());
            const Planned& p = expected[ids.at(i)];
            const QJsonObject stored = m_read.value(p.id);
            QCOMPARE(event[u"position"_s], stored[u"position"_s]);
            QCOMPARE(event[u"stream"_s].toString(), p.stream);
            QCOMPARE(event[u"version"_s], stored[u"version"_s]);
            QCOMPARE(event[u"id"_s].toString(), p.id);
            QCOMPARE(event[u"type"_s].toString(), p.type);
            QCOMPARE(event[u"time"_s].toString(), timeText(p.time));
            QCOMPARE(event[u"data"_s], p.data);
            QCOMPARE(event[u"metadata"_s], QJsonValue(p.metadata));
        }
    }
    // sha256sum accepts the file, then refuses it once one byte has changed.
    void checkDigest(const QString& file)
    {
        QVERIFY2(digestChecks(file), qPrintable(file));
        QByteArray bytes = clitest::readFile(file);
        QVERIFY(!bytes.isEmpty());
        const qsizetype middle = bytes.size() / 2;
        bytes[middle] = static_cast<char>(bytes.at(middle) ^ 0x01);
        QVERIFY(clitest::writeFile(file, bytes));
        QVERIFY2(!digestChecks(file), "sha256sum accepted a changed file");
    }

    bool tamper(const QString& sql)
    {
        if (!m_store.startsWith(u"postgresql://"_s)) {
            sqlite3* db = nullptr;
            const bool done = sqlite3_open(m_store.toUtf8().constData(), &db) == SQLITE_OK
                && sqlite3_exec(db, sql.toUtf8().constData(), nullptr, nullptr, nullptr) == SQLITE_OK;
            sqlite3_close(db);
            return done;
        }
        const QString schema = m_store.mid(m_store.indexOf(u"schema="_s) + 7).section(u'&', 0, 0);
        QProcess psql;
        psql.start(u"psql"_s,
            { eventscope::test::postgresServer(), u"-v"_s, u"ON_ERROR_STOP=1"_s, u"-q"_s, u"-c"_s,
                u"SET search_path TO "_s + schema + u"; "_s + sql });
        return psql.waitForFinished(30000) && psql.exitStatus() == QProcess::NormalExit && psql.exitCode() == 0;
    }
};

} // namespace audittest
