#pragma once
// Writes to the test server's Message DB with Message DB's own SQL functions (write_message), through psql: the
// model and window tests seed their streams this way. The server is EVENTSCOPE_TEST_MESSAGEDB (empty: skip).

#include <QProcess>
#include <QString>
#include <QStringList>

namespace eventscope::test {

inline QString messageDbServer()
{
    return qEnvironmentVariable("EVENTSCOPE_TEST_MESSAGEDB");
}

// A SQL string literal of the text.
inline QString sqlText(const QString& text)
{
    return QLatin1Char('\'') + QString(text).replace(QLatin1Char('\''), QLatin1String("''")) + QLatin1Char('\'');
}

// Runs each statement in its own transaction of one psql session, with the search path Message DB's functions
// need. `output` gets what psql printed (and its errors, on failure).
inline bool runMessageDbSql(const QStringList& statements, QString* output)
{
    QStringList args { messageDbServer(), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
        QStringLiteral("-qAt"), QStringLiteral("-c"), QStringLiteral("SET search_path = message_store, public") };
    for (const QString& statement : statements)
        args << QStringLiteral("-c") << statement;
    QProcess psql;
    psql.start(QStringLiteral("psql"), args);
    const bool done = psql.waitForFinished(60000);
    *output = QString::fromUtf8(psql.readAllStandardOutput());
    if (!done || psql.exitStatus() != QProcess::NormalExit || psql.exitCode() != 0) {
        *output += QString::fromLocal8Bit(psql.readAllStandardError());
        return false;
    }
    return true;
}

} // namespace eventscope::test
