#pragma once
// Runs one of the Node scripts of tests/foreign/ that write events with a foreign system's own code (Message DB,
// Emmett): NDJSON lines in, one JSON object a stored event out. Define EVENTSCOPE_SOURCE_DIR to use it.

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QStringList>

namespace eventscope::test {

// `script` is a path under tests/foreign/; empty on failure, with `error` saying why.
inline QList<QJsonObject> writeWithForeignSystem(
    const QString& script, const QStringList& arguments, const QByteArray& lines, QString* error)
{
    QProcess node;
    node.start(QStringLiteral("node"),
        QStringList { QStringLiteral(EVENTSCOPE_SOURCE_DIR "/tests/foreign/") + script } + arguments);
    if (!node.waitForStarted(30000)) {
        *error = QStringLiteral("node did not start");
        return {};
    }
    node.write(lines);
    node.closeWriteChannel();
    node.waitForFinished(120000);
    if (node.exitStatus() != QProcess::NormalExit || node.exitCode() != 0) {
        *error = QString::fromUtf8(node.readAllStandardError());
        return {};
    }
    QList<QJsonObject> rows;
    for (const QByteArray& line : node.readAllStandardOutput().split('\n'))
        if (!line.trimmed().isEmpty())
            rows << QJsonDocument::fromJson(line).object();
    return rows;
}

} // namespace eventscope::test
