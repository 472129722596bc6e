#pragma once
// Changes a store behind Eventscope's back, as an attacker or a careless operator with a SQL shell would: the
// integrity tests then check that verify names what changed. SQLite through its C API, PostgreSQL through psql
// in the store's schema. Link SQLite::SQLite3 to use it.

#include "storage/store_uri.h"

#include <QProcess>
#include <QTest>

#include <sqlite3.h>

#include <string>

namespace eventscope::test {

inline void tamper(const std::string& uri, const std::string& sql)
{
    const StoreUri parsed = StoreUri::parse(uri);
    if (parsed.kind == StoreUri::Kind::Sqlite) {
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(parsed.path.c_str(), &db), SQLITE_OK);
        char* error = nullptr;
        const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
        const QByteArray message = error ? error : "";
        sqlite3_free(error);
        sqlite3_close(db);
        QVERIFY2(rc == SQLITE_OK, message.constData());
        return;
    }
    QProcess psql;
    const std::string statement = "SET search_path TO " + parsed.schema + "; " + sql;
    psql.start(QStringLiteral("psql"),
        { QString::fromStdString(parsed.connection), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
            QStringLiteral("-q"), QStringLiteral("-c"), QString::fromStdString(statement) });
    QVERIFY(psql.waitForFinished(30000));
    QVERIFY2(psql.exitCode() == 0, psql.readAllStandardError().constData());
}

} // namespace eventscope::test
