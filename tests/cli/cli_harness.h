#pragma once
// Runs the built eventscope binary as a user would, with no display, and checks the shape of what it prints:
// machine-readable stdout, and on failure exactly one "eventscope: ..." sentence on stderr.

#include <QByteArray>
#include <QCryptographicHash>
#include <QDebug>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStringList>

namespace clitest {

struct Run
{
    int code = -1;
    bool crashed = false;
    QByteArray out;
    QByteArray err;

    QList<QByteArray> lines() const
    {
        QList<QByteArray> result = out.split('\n');
        if (!result.isEmpty() && result.constLast().isEmpty())
            result.removeLast();
        return result;
    }
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

inline Run run(const QStringList& arguments, const QByteArray& input = {})
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // Headless commands must not need a display: take every way to reach one away.
    for (const auto* name : { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM" })
        environment.remove(QString::fromLatin1(name));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(EVENTSCOPE_BINARY), arguments);
    Run result;
    if (!process.waitForStarted(30000)) {
        result.err = "could not start " EVENTSCOPE_BINARY;
        return result;
    }
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(300000)) {
        process.kill();
        process.waitForFinished();
        result.err = "timed out";
        result.crashed = true;
    }
    result.crashed = result.crashed || process.exitStatus() != QProcess::NormalExit;
    result.code = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err += process.readAllStandardError();
    return result;
}

inline QString describe(const QStringList& arguments, const Run& r)
{
    return QStringLiteral("eventscope %1\n  exit %2%3\n  stdout: %4\n  stderr: %5")
        .arg(arguments.join(u' '))
        .arg(r.code)
        .arg(r.crashed ? QStringLiteral(" (crashed)") : QString())
        .arg(QString::fromUtf8(r.out.left(600)), QString::fromUtf8(r.err.left(600)));
}

// A success: exit 0 and no crash.
inline bool succeeded(const QStringList& arguments, const Run& r)
{
    if (r.code == 0 && !r.crashed)
        return true;
    qWarning().noquote() << "expected success:" << describe(arguments, r);
    return false;
}

// A failure with `code`: nothing on stdout, exactly one line on stderr that starts with "eventscope: " and
// contains every needle.
inline bool failedWith(const QStringList& arguments, const Run& r, int code, const QStringList& needles = {})
{
    const QString err = QString::fromUtf8(r.err);
    bool ok = r.code == code && !r.crashed && r.out.isEmpty() && err.endsWith(u'\n') && err.count(u'\n') == 1
        && err.startsWith(QStringLiteral("eventscope: "));
    for (const QString& needle : needles)
        ok = ok && err.contains(needle);
    if (!ok)
        qWarning().noquote() << "expected exit" << code << "with one stderr line containing" << needles << ":"
                             << describe(arguments, r);
    return ok;
}

inline QString sha256Of(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return QString::fromLatin1(hash.result().toHex());
}

inline bool writeFile(const QString& path, const QByteArray& content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}

inline QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The "position" of every NDJSON line.
inline QList<qint64> positions(const Run& r)
{
    QList<qint64> result;
    for (const QByteArray& line : r.lines())
        result << QJsonDocument::fromJson(line).object().value(QStringLiteral("position")).toInteger(-1);
    return result;
}

// One RFC 4180 record per CRLF-terminated row (quoted fields may hold CR, LF, commas and doubled quotes).
inline QList<QStringList> parseCsv(const QByteArray& text)
{
    QList<QStringList> rows;
    QStringList row;
    QByteArray field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text.at(i + 1) == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row << QString::fromUtf8(field);
            field.clear();
        } else if (c == '\r' && i + 1 < text.size() && text.at(i + 1) == '\n') {
            row << QString::fromUtf8(field);
            field.clear();
            rows << row;
            row.clear();
            ++i;
        } else {
            field += c;
        }
    }
    return rows;
}

} // namespace clitest
