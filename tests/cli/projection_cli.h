#pragma once
// What the `eventscope projection` tests share (DESIGN §5, §8): events whose projections' states the tests compute
// themselves, the scripts that fold them, and a base class that runs the binary and reads what it printed.

#include "tests/cli/cli_harness.h"
#include "tests/test_stores.h"

#include <QJsonArray>
#include <QMap>
#include <QObject>

namespace projtest {

using namespace Qt::Literals::StringLiterals;
using clitest::Run;

struct Posted
{
    QString stream;
    QString type;
    qint64 amount = 0;
};

// Deposits and withdrawals over five accounts, with a memo stream no handler reads; event i always looks the same.
inline QList<Posted> accountEvents(int first, int count)
{
    QList<Posted> events;
    for (int i = first; i < first + count; ++i) {
        if (i % 11 == 0)
            events.append({ u"memo-1"_s, u"Noted"_s, 0 });
        else
            events.append({ u"acct-"_s + QString::number(i * 7 % 5 + 1), i % 3 == 0 ? u"Withdrawn"_s : u"Deposited"_s,
                (i * 13) % 17 + 1 });
    }
    return events;
}

inline QByteArray ndjson(const QList<Posted>& events)
{
    QByteArray text;
    for (const Posted& e : events) {
        const QJsonObject line { { u"stream"_s, e.stream }, { u"type"_s, e.type },
            { u"data"_s, QJsonObject { { u"amount"_s, e.amount } } } };
        text += QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
    }
    return text;
}

// What kBalances must print: {"acct-N": {"balance", "events"}}.
inline QJsonObject balances(const QList<Posted>& events)
{
    QMap<QString, QPair<qint64, qint64>> sums;
    for (const Posted& e : events) {
        if (e.type == u"Deposited"_s)
            sums[e.stream] = { sums[e.stream].first + e.amount, sums[e.stream].second + 1 };
        else if (e.type == u"Withdrawn"_s)
            sums[e.stream] = { sums[e.stream].first - e.amount, sums[e.stream].second + 1 };
    }
    QJsonObject out;
    for (auto it = sums.cbegin(); it != sums.cend(); ++it)
        out[it.key()] = QJsonObject { { u"balance"_s, it->first }, { u"events"_s, it->second } };
    return out;
}

inline QByteArray compact(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

inline const QByteArray kCountByType = "fromAll().when({\n"
                                       "  $init: function () { return {}; },\n"
                                       "  $any: function (s, e) { s[e.type] = (s[e.type] || 0) + 1; }\n"
                                       "});\n";
inline const QByteArray kBalances = "fromAll().foreachStream().when({\n"
                                    "  $init: function () { return { balance: 0, events: 0 }; },\n"
                                    "  Deposited: function (s, e) { s.balance += e.data.amount; s.events += 1; },\n"
                                    "  Withdrawn: function (s, e) { s.balance -= e.data.amount; s.events += 1; }\n"
                                    "})";
// Throws on the event whose data says so.
inline const QByteArray kFaulty = "fromAll().foreachStream().when({\n"
                                  "  $init: function () { return { n: 0 }; },\n"
                                  "  Tick: function (s, e) { if (e.data.bad) throw new Error('bad tick ' + e.data.i);"
                                  " s.n += e.data.i; }\n"
                                  "});\n";

inline QByteArray ticks(const QList<QPair<QString, int>>& events, int bad = -1)
{
    QByteArray text;
    for (const auto& [stream, i] : events) {
        QJsonObject data { { u"i"_s, i } };
        if (i == bad)
            data[u"bad"_s] = true;
        text += compact({ { u"stream"_s, stream }, { u"type"_s, u"Tick"_s }, { u"data"_s, data } }) + '\n';
    }
    return text;
}

// "eventscope: projection NAME: 3 of 4 events, position 3 of 9, 120 events/s, ETA 0.0 s"
inline const QRegularExpression kProgress(
    u"^eventscope: projection ([^ ]+): (\\d+) of (\\d+) events, position (\\d+) of "
    "\\d+, \\d+ events/s(, ETA \\d+\\.\\d s)?$"_s);

inline QStringList stderrLines(const Run& r)
{
    return QString::fromUtf8(r.err).split(u'\n', Qt::SkipEmptyParts);
}

class ProjectionCliTest : public QObject
{
protected:
    Run m_last;
    QStringList m_schemas;

    bool ok(const QStringList& arguments, const QByteArray& input = {})
    {
        m_last = clitest::run(arguments, input);
        return clitest::succeeded(arguments, m_last);
    }
    // A failure before anything ran: exactly one stderr line.
    bool fails(const QStringList& arguments, int code, const QStringList& needles = {})
    {
        m_last = clitest::run(arguments);
        return clitest::failedWith(arguments, m_last, code, needles);
    }
    // A failure while running: progress lines, then exactly one error sentence, and nothing on stdout.
    bool failsRunning(const QStringList& arguments, int code, const QStringList& needles)
    {
        m_last = clitest::run(arguments);
        QStringList errors;
        for (const QString& line : stderrLines(m_last))
            if (!kProgress.match(line).hasMatch())
                errors << line;
        bool good = m_last.code == code && !m_last.crashed && m_last.out.isEmpty() && errors.size() == 1
            && stderrLines(m_last).constLast() == errors.constFirst()
            && errors.constFirst().startsWith(u"eventscope: "_s);
        for (const QString& needle : needles)
            good = good && errors.value(0).contains(needle);
        if (!good)
            qWarning().noquote() << "expected exit" << code << "with one error line containing" << needles << ":"
                                 << clitest::describe(arguments, m_last);
        return good;
    }
    QString remember(const std::string& uri)
    {
        const QString store = QString::fromStdString(uri);
        if (store.startsWith(u"postgresql://"_s))
            m_schemas << store.mid(store.indexOf(u"schema="_s) + 7).section(u'&', 0, 0);
        return store;
    }
    static QString write(const QString& dir, const QString& name, const QByteArray& content)
    {
        const QString path = QDir(dir).filePath(name);
        return clitest::writeFile(path, content) ? path : QString();
    }
    // The {"partition","state"} lines of the last run as {partition: state}; false when a line is anything else.
    bool states(QJsonObject& out)
    {
        out = {};
        for (const QByteArray& line : m_last.lines()) {
            QJsonParseError error;
            const QJsonObject object = QJsonDocument::fromJson(line, &error).object();
            const QString partition = object.value(u"partition"_s).toString();
            if (error.error != QJsonParseError::NoError || object.size() != 2 || !object.contains(u"state"_s)
                || !object.value(u"partition"_s).isString() || out.contains(partition)) {
                qWarning() << "not a partition line:" << line;
                return false;
            }
            out[partition] = object.value(u"state"_s);
        }
        return true;
    }
    // Whether stderr holds only progress lines of `name`, the last one a run that caught up.
    bool onlyProgress(const QString& name)
    {
        const QStringList lines = stderrLines(m_last);
        for (const QString& line : lines) {
            const auto match = kProgress.match(line);
            if (!match.hasMatch() || match.captured(1) != name) {
                qWarning() << "not a progress line of" << name << ":" << line;
                return false;
            }
        }
        const auto last = kProgress.match(lines.value(lines.size() - 1));
        if (!last.hasMatch() || last.captured(2) != last.captured(3)) {
            qWarning() << "the last progress line does not say the run caught up:" << lines;
            return false;
        }
        return true;
    }
    QJsonObject status(const QString& store, const QString& name, const QStringList& extra = {})
    {
        if (!ok(QStringList { u"projection"_s, u"status"_s, store, u"--name"_s, name } + extra))
            return {};
        return m_last.json();
    }
    qint64 headPosition(const QString& store)
    {
        const Run r = clitest::run({ u"read"_s, store, u"--system"_s, u"--backward"_s, u"--limit"_s, u"1"_s });
        return r.code == 0 ? clitest::positions(r).value(0, -1) : -1;
    }
    // The newest event outside the system streams.
    qint64 lastEventPosition(const QString& store)
    {
        const Run r = clitest::run({ u"read"_s, store, u"--backward"_s, u"--limit"_s, u"1"_s });
        return r.code == 0 ? clitest::positions(r).value(0, -1) : -1;
    }
    qint64 eventCount(const QString& store, const QString& stream = {})
    {
        QStringList arguments { u"read"_s, store, u"--system"_s, u"--limit"_s, u"1000000"_s };
        if (!stream.isEmpty())
            arguments << u"--stream"_s << stream;
        const Run r = clitest::run(arguments);
        return r.code == 0 ? r.lines().size() : -1;
    }
    // Call from each test class's cleanup().
    void dropSchemas()
    {
        for (const QString& schema : std::as_const(m_schemas)) {
            QProcess psql;
            psql.start(u"psql"_s,
                { eventscope::test::postgresServer(), u"-q"_s, u"-c"_s,
                    u"DROP SCHEMA IF EXISTS "_s + schema + u" CASCADE"_s });
            psql.waitForFinished(30000);
        }
        m_schemas.clear();
    }
};

} // namespace projtest
