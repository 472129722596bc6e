#pragma once
// Stores for data-driven tests over both backends (STYLE.md): a SQLite file in a temporary folder, and a
// fresh schema in the PostgreSQL server named by EVENTSCOPE_TEST_PG. Under CI=true a missing server fails the
// test instead of skipping it, so a broken install step cannot hide.

#include <QDir>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>
#include <QtGlobal>

#include <string>

namespace eventscope::test {

inline bool runningInCi()
{
    return qEnvironmentVariable("CI") == QLatin1String("true");
}

inline QString postgresServer()
{
    return qEnvironmentVariable("EVENTSCOPE_TEST_PG");
}

// A postgresql:// URI with a schema no other test uses.
inline std::string freshPostgresUri()
{
    QString base = postgresServer();
    const QString schema = QLatin1String("t_") + QUuid::createUuid().toString(QUuid::Id128).left(16);
    base += base.contains(QLatin1Char('?')) ? QLatin1String("&schema=") : QLatin1String("?schema=");
    return QString(base + schema).toStdString();
}

// Adds the "sqlite" and "postgresql" rows with a column "backend".
inline void addBackendRows()
{
    QTest::addColumn<QString>("backend");
    QTest::addRow("sqlite") << QStringLiteral("sqlite");
    QTest::addRow("postgresql") << QStringLiteral("postgresql");
}

// Makes a fresh store URI for the backend, or returns "" after QSKIP/QFAIL has been recorded.
class StoreLocation
{
public:
    explicit StoreLocation(const QString& backend)
    {
        if (backend == QLatin1String("sqlite")) {
            m_uri = QDir(m_dir.path()).filePath(QStringLiteral("store.db")).toStdString();
        } else if (!postgresServer().isEmpty()) {
            m_uri = freshPostgresUri();
        }
    }
    const std::string& uri() const { return m_uri; }
    QString dir() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    std::string m_uri;
};

} // namespace eventscope::test

// Use at the top of a data-driven test function after QFETCH(QString, backend).
#define EVENTSCOPE_STORE_OR_SKIP(location, backend)                                                                    \
    eventscope::test::StoreLocation location(backend);                                                                 \
    if (location.uri().empty()) {                                                                                      \
        if (eventscope::test::runningInCi())                                                                           \
            QFAIL("EVENTSCOPE_TEST_PG is not set under CI=true: the PostgreSQL tests cannot run");                     \
        QSKIP("EVENTSCOPE_TEST_PG is not set: no PostgreSQL server to test against");                                  \
    }
