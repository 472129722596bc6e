// A PostgreSQL connection as the dialog edits it: the STORE URI it builds reads back to the same settings,
// a password with any characters survives the trip, bad URIs and fields are named, and testConnection
// reports a real server's store, or why it could not reach it.

#include "model/connection_settings.h"
#include "storage/event_store.h"
#include "storage/store_uri.h"
#include "tests/test_stores.h"

#include <QFutureWatcher>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>
#include <QUuid>

using namespace eventscope;

Q_DECLARE_METATYPE(eventscope::ConnectionSettings)

namespace {

ConnectionSettings sample()
{
    ConnectionSettings s;
    s.host = QStringLiteral("db.example.com");
    s.port = 5433;
    s.database = QStringLiteral("shop");
    s.user = QStringLiteral("app");
    s.password = QStringLiteral("pw");
    s.sslMode = QStringLiteral("require");
    s.schema = QStringLiteral("es");
    return s;
}

// Waits for the future the way the dialog does, through a watcher, and returns its result.
ConnectionTestResult await(const QFuture<ConnectionTestResult>& future)
{
    QFutureWatcher<ConnectionTestResult> watcher;
    QSignalSpy finished(&watcher, &QFutureWatcher<ConnectionTestResult>::finished);
    watcher.setFuture(future);
    if (!future.isFinished() && !finished.wait(30000))
        return {};
    return future.result();
}

} // namespace

class TestConnectionSettings : public QObject
{
    Q_OBJECT

private:
    // Settings for the test server, or nothing after QSKIP/QFAIL.
    std::optional<ConnectionSettings> server()
    {
        const QString uri = test::postgresServer();
        if (uri.isEmpty())
            return std::nullopt;
        return ConnectionSettings::fromStoreUri(uri);
    }

private slots:
    void buildsTheStoreUri()
    {
        QCOMPARE(sample().storeUri(),
            QStringLiteral("postgresql://app:pw@db.example.com:5433/shop?sslmode=require&schema=es"));
        QCOMPARE(sample().storeUriWithoutPassword(),
            QStringLiteral("postgresql://app@db.example.com:5433/shop?sslmode=require&schema=es"));
        QCOMPARE(sample().keychainKey(), QStringLiteral("db.example.com:5433/shop/app"));

        ConnectionSettings noUser = sample();
        noUser.user.clear();
        noUser.password.clear();
        QCOMPARE(noUser.storeUri(), QStringLiteral("postgresql://db.example.com:5433/shop?sslmode=require&schema=es"));

        // The storage layer reads it: the schema is Eventscope's, the rest goes to libpq.
        const StoreUri parsed = StoreUri::parse(sample().storeUri().toStdString());
        QCOMPARE(parsed.kind, StoreUri::Kind::Postgres);
        QCOMPARE(parsed.schema, std::string("es"));
        QCOMPARE(parsed.connection, std::string("postgresql://app:pw@db.example.com:5433/shop?sslmode=require"));
        QCOMPARE(
            parsed.display, std::string("postgresql://app:***@db.example.com:5433/shop?sslmode=require&schema=es"));
    }

    void roundTrip_data()
    {
        QTest::addColumn<ConnectionSettings>("settings");
        QTest::addRow("plain") << sample();
        ConnectionSettings s = sample();
        s.password = QStringLiteral("p@ss:w/rd?&=#% +é€");
        QTest::addRow("special characters in the password") << s;
        s = sample();
        s.user = QStringLiteral("dom\\user@corp");
        s.database = QStringLiteral("my db/ünïcode");
        QTest::addRow("special characters in user and database") << s;
        s = sample();
        s.host = QStringLiteral("::1");
        QTest::addRow("IPv6 host") << s;
        s = sample();
        s.host = QStringLiteral("/var/run/postgresql");
        QTest::addRow("Unix-socket folder") << s;
        s = sample();
        s.password.clear();
        QTest::addRow("no password") << s;
        s = sample();
        s.otherParameters = { { QStringLiteral("connect_timeout"), QStringLiteral("3") },
            { QStringLiteral("application_name"), QStringLiteral("my app") } };
        QTest::addRow("other libpq parameters") << s;
        for (const QString& mode : ConnectionSettings::sslModes()) {
            s = sample();
            s.sslMode = mode;
            QTest::addRow("sslmode %s", qPrintable(mode)) << s;
        }
        using Kind = ConnectionSettings::StoreKind;
        for (const Kind kind : { Kind::MessageDb, Kind::Emmett, Kind::MappedTable }) {
            s = sample();
            s.kind = kind;
            s.schema.clear();
            if (kind == Kind::MappedTable)
                s.table = QStringLiteral("events");
            QTest::addRow("%s without a schema", qPrintable(ConnectionSettings::prefixOf(kind))) << s;
            s.schema = QStringLiteral("es");
            QTest::addRow("%s with a schema", qPrintable(ConnectionSettings::prefixOf(kind))) << s;
        }
        s = sample();
        s.kind = Kind::Emmett;
        s.schema.clear();
        s.otherParameters = { { QStringLiteral("archived"), QStringLiteral("true") } };
        QTest::addRow("emmett with archived rows") << s;
        s = sample();
        s.kind = Kind::MappedTable;
        s.schema.clear();
        s.table = QStringLiteral("ledger.events");
        s.mappingFile = QStringLiteral("/home/a b/100% sure/é.mapping.json");
        s.password = QStringLiteral("p@ss:w/rd?&=#");
        QTest::addRow("mapped with a schema-qualified table and a mapping file") << s;
        s.table = QStringLiteral("\"Order Events\"");
        s.mappingFile.clear();
        QTest::addRow("mapped with a quoted table name") << s;
    }
    void roundTrip()
    {
        QFETCH(ConnectionSettings, settings);
        const QString uri = settings.storeUri();
        QString error;
        const auto back = ConnectionSettings::fromStoreUri(uri, &error);
        QVERIFY2(back.has_value(), qPrintable(error));
        QCOMPARE(back->host, settings.host);
        QCOMPARE(back->port, settings.port);
        QCOMPARE(back->database, settings.database);
        QCOMPARE(back->user, settings.user);
        QCOMPARE(back->password, settings.password);
        QCOMPARE(back->sslMode, settings.sslMode);
        QCOMPARE(back->schema, settings.schema);
        QCOMPARE(back->kind, settings.kind);
        QCOMPARE(back->table, settings.table);
        QCOMPARE(back->mappingFile, settings.mappingFile);
        QVERIFY(*back == settings);
        QCOMPARE(back->storeUri(), uri);
        QVERIFY(uri.startsWith(ConnectionSettings::prefixOf(settings.kind) + QLatin1String("postgresql://")));
        // The storage layer reads the same store out of it.
        const StoreUri parsed = StoreUri::parse(uri.toStdString());
        QCOMPARE(QString::fromStdString(parsed.table), settings.table);
        QCOMPARE(QString::fromStdString(parsed.mapping), settings.mappingFile);
        // Nothing of a password is left in the URI without it, raw or encoded.
        if (!settings.password.isEmpty())
            QVERIFY(!settings.storeUriWithoutPassword().contains(
                QLatin1Char(':') + QString::fromLatin1(QUrl::toPercentEncoding(settings.password))));
    }

    void readsUrisWrittenByHand_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("sslMode");
        QTest::addColumn<QString>("schema");
        QTest::addRow("defaults") << QStringLiteral("postgresql://db/shop") << QStringLiteral("db") << 5432
                                  << QStringLiteral("shop") << QString() << QStringLiteral("prefer")
                                  << QStringLiteral("eventscope");
        QTest::addRow("postgres scheme") << QStringLiteral("postgres://u@db:6000/shop?schema=s1")
                                         << QStringLiteral("db") << 6000 << QStringLiteral("shop")
                                         << QStringLiteral("u") << QStringLiteral("prefer") << QStringLiteral("s1");
        QTest::addRow("parameters") << QStringLiteral("postgresql://db?dbname=shop&user=u&sslmode=disable")
                                    << QStringLiteral("db") << 5432 << QStringLiteral("shop") << QStringLiteral("u")
                                    << QStringLiteral("disable") << QStringLiteral("eventscope");
    }
    void readsUrisWrittenByHand()
    {
        QFETCH(QString, uri);
        const auto s = ConnectionSettings::fromStoreUri(uri);
        QVERIFY(s.has_value());
        QTEST(s->host, "host");
        QTEST(s->port, "port");
        QTEST(s->database, "database");
        QTEST(s->user, "user");
        QTEST(s->sslMode, "sslMode");
        QTEST(s->schema, "schema");
    }

    // The prefix, table and mapping file come out where the storage layer looks for them, as they were given.
    void buildsForeignStoreUris_data()
    {
        using Kind = ConnectionSettings::StoreKind;
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("mappingFile");
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("foreign");
        QTest::addColumn<QString>("schema");
        const QString server = QStringLiteral("app:pw@db.example.com:5433/shop?sslmode=require");
        QTest::addRow("native") << int(Kind::Native) << QString() << QString()
                                << QLatin1String("postgresql://") + server + QLatin1String("&schema=es") << QString()
                                << QStringLiteral("es");
        QTest::addRow("message db") << int(Kind::MessageDb) << QString() << QString()
                                    << QLatin1String("messagedb+postgresql://") + server << QStringLiteral("messagedb")
                                    << QStringLiteral("eventscope");
        QTest::addRow("emmett") << int(Kind::Emmett) << QString() << QString()
                                << QLatin1String("emmett+postgresql://") + server << QStringLiteral("emmett")
                                << QStringLiteral("eventscope");
        QTest::addRow("events table") << int(Kind::MappedTable) << QStringLiteral("events") << QString()
                                      << QLatin1String("mapped+postgresql://") + server + QLatin1String("&table=events")
                                      << QStringLiteral("mapped") << QStringLiteral("public");
        QTest::addRow("events table with a mapping")
            << int(Kind::MappedTable) << QStringLiteral("app.events") << QStringLiteral("/m/my map.json")
            << QLatin1String("mapped+postgresql://") + server
                + QLatin1String("&table=app.events&mapping=/m/my map.json")
            << QStringLiteral("mapped") << QStringLiteral("public");
    }
    void buildsForeignStoreUris()
    {
        QFETCH(int, kind);
        QFETCH(QString, table);
        QFETCH(QString, mappingFile);
        QFETCH(QString, uri);
        QFETCH(QString, foreign);
        QFETCH(QString, schema);
        ConnectionSettings s = sample();
        s.kind = ConnectionSettings::StoreKind(kind);
        if (s.kind != ConnectionSettings::StoreKind::Native)
            s.schema.clear();
        s.table = table;
        s.mappingFile = mappingFile;
        QVERIFY2(s.validationError().isEmpty(), qPrintable(s.validationError()));
        QCOMPARE(s.storeUri(), uri);
        QCOMPARE(s.keychainKey(), QStringLiteral("db.example.com:5433/shop/app")); // whatever the kind
        const StoreUri parsed = StoreUri::parse(uri.toStdString());
        QCOMPARE(QString::fromStdString(parsed.foreign), foreign);
        QCOMPARE(parsed.kind, StoreUri::Kind::Postgres);
        QCOMPARE(QString::fromStdString(parsed.table), table);
        QCOMPARE(QString::fromStdString(parsed.mapping), mappingFile);
        QCOMPARE(QString::fromStdString(parsed.schema), schema);
        QCOMPARE(parsed.connection, std::string("postgresql://app:pw@db.example.com:5433/shop?sslmode=require"));
    }

    void refusesBadForeignSettings_data()
    {
        using Kind = ConnectionSettings::StoreKind;
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("schema");
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("mappingFile");
        QTest::addColumn<QString>("phrase");
        QTest::addRow("mapped without a table") << int(Kind::MappedTable) << QString() << QString() << QString()
                                                << QStringLiteral("Give the name of the events table.");
        QTest::addRow("mapped with a blank table") << int(Kind::MappedTable) << QString() << QStringLiteral("  ")
                                                   << QString() << QStringLiteral("Give the name of the events table.");
        QTest::addRow("table with an ampersand") << int(Kind::MappedTable) << QString() << QStringLiteral("a&b")
                                                 << QString() << QStringLiteral("contains '&'");
        QTest::addRow("mapping file with an ampersand")
            << int(Kind::MappedTable) << QString() << QStringLiteral("events") << QStringLiteral("/m/a&b.json")
            << QStringLiteral("contains '&'");
        QTest::addRow("foreign with a bad schema") << int(Kind::Emmett) << QStringLiteral("bad-schema") << QString()
                                                   << QString() << QStringLiteral("not a plain PostgreSQL identifier");
        QTest::addRow("native with no schema") << int(Kind::Native) << QString() << QString() << QString()
                                               << QStringLiteral("not a plain PostgreSQL identifier");
        QTest::addRow("foreign with no schema is fine")
            << int(Kind::MessageDb) << QString() << QString() << QString() << QString();
    }
    void refusesBadForeignSettings()
    {
        QFETCH(int, kind);
        QFETCH(QString, schema);
        QFETCH(QString, table);
        QFETCH(QString, mappingFile);
        QFETCH(QString, phrase);
        ConnectionSettings s = sample();
        s.kind = ConnectionSettings::StoreKind(kind);
        s.schema = schema;
        s.table = table;
        s.mappingFile = mappingFile;
        const QString error = s.validationError();
        if (phrase.isEmpty())
            QVERIFY2(error.isEmpty(), qPrintable(error));
        else
            QVERIFY2(error.contains(phrase), qPrintable(error));
    }

    void readsForeignUris_data()
    {
        using Kind = ConnectionSettings::StoreKind;
        QTest::addColumn<QString>("uri");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("schema");
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("mappingFile");
        QTest::addRow("message db by hand") << QStringLiteral("messagedb+postgres://mdb@db/message_store")
                                            << int(Kind::MessageDb) << QString() << QString() << QString();
        QTest::addRow("emmett with a schema") << QStringLiteral("emmett+postgresql://db/app?schema=em")
                                              << int(Kind::Emmett) << QStringLiteral("em") << QString() << QString();
        // Written as the storage layer reads it: no percent-decoding of the table or the file.
        QTest::addRow("mapped, table and file as written")
            << QStringLiteral("mapped+postgresql://db/app?mapping=/m/a%20b.json&sslmode=disable&table=app.events")
            << int(Kind::MappedTable) << QString() << QStringLiteral("app.events") << QStringLiteral("/m/a%20b.json");
        // A plain URI's table= is a libpq parameter, as the storage layer would pass it.
        QTest::addRow("native keeps table= as a parameter")
            << QStringLiteral("postgresql://db/app?table=x") << int(Kind::Native) << QStringLiteral("eventscope")
            << QString() << QString();
    }
    void readsForeignUris()
    {
        QFETCH(QString, uri);
        QFETCH(int, kind);
        QString error;
        const auto s = ConnectionSettings::fromStoreUri(uri, &error);
        QVERIFY2(s.has_value(), qPrintable(error));
        QCOMPARE(int(s->kind), kind);
        QTEST(s->schema, "schema");
        QTEST(s->table, "table");
        QTEST(s->mappingFile, "mappingFile");
        const StoreUri parsed = StoreUri::parse(uri.toStdString());
        QCOMPARE(s->table, QString::fromStdString(parsed.table));
        QCOMPARE(s->mappingFile, QString::fromStdString(parsed.mapping));
        // Built again, it means the same store to the storage layer.
        const StoreUri again = StoreUri::parse(s->storeUri().toStdString());
        QCOMPARE(again.foreign, parsed.foreign);
        QCOMPARE(again.table, parsed.table);
        QCOMPARE(again.mapping, parsed.mapping);
        QCOMPARE(again.schema, parsed.schema);
    }

    void refusesWhatIsNoPostgresUri_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("phrase");
        QTest::addRow("sqlite") << QStringLiteral("sqlite:x.db") << QStringLiteral("is not a postgresql:// URI");
        QTest::addRow("empty") << QString() << QStringLiteral("is not a postgresql:// URI");
        QTest::addRow("several hosts") << QStringLiteral("postgresql://h1:5432,h2:5433/db")
                                       << QStringLiteral("several hosts");
        QTest::addRow("port too big") << QStringLiteral("postgresql://h:99999/db") << QStringLiteral("not a port");
        QTest::addRow("port not a number") << QStringLiteral("postgresql://h:abc/db") << QStringLiteral("not a port");
        QTest::addRow("open bracket") << QStringLiteral("postgresql://[::1/db") << QStringLiteral("closing bracket");
        QTest::addRow("mapped without a table")
            << QStringLiteral("mapped+postgresql://db/app") << QStringLiteral("needs ?table=NAME");
        QTest::addRow("mapped with an empty table")
            << QStringLiteral("mapped+postgresql://db/app?table=&mapping=m.json")
            << QStringLiteral("needs ?table=NAME");
        QTest::addRow("mapped sqlite") << QStringLiteral("mapped+sqlite:x.db?table=events")
                                       << QStringLiteral("is not a postgresql:// URI");
        QTest::addRow("emmett sqlite") << QStringLiteral("emmett+sqlite:x.db")
                                       << QStringLiteral("is not a postgresql:// URI");
        QTest::addRow("unknown prefix") << QStringLiteral("kurrent+postgresql://db/app")
                                        << QStringLiteral("is not a postgresql:// URI");
    }
    void refusesWhatIsNoPostgresUri()
    {
        QFETCH(QString, uri);
        QFETCH(QString, phrase);
        QString error;
        QVERIFY(!ConnectionSettings::fromStoreUri(uri, &error).has_value());
        QVERIFY2(error.contains(phrase), qPrintable(error));
    }

    void namesBadFields_data()
    {
        QTest::addColumn<ConnectionSettings>("settings");
        QTest::addColumn<QString>("phrase");
        QTest::addRow("good") << sample() << QString();
        ConnectionSettings s = sample();
        s.host = QStringLiteral("  ");
        QTest::addRow("no host") << s << QStringLiteral("host");
        s = sample();
        s.database.clear();
        QTest::addRow("no database") << s << QStringLiteral("database");
        s = sample();
        s.port = 0;
        QTest::addRow("port 0") << s << QStringLiteral("port");
        s = sample();
        s.sslMode = QStringLiteral("sometimes");
        QTest::addRow("unknown sslmode") << s << QStringLiteral("'sometimes' is not an SSL mode");
        for (const char* schema : { "bad-schema", "1abc", "", "x; DROP TABLE events" }) {
            s = sample();
            s.schema = QLatin1String(schema);
            QTest::addRow("schema '%s'", schema) << s << QStringLiteral("not a plain PostgreSQL identifier");
        }
    }
    void namesBadFields()
    {
        QFETCH(ConnectionSettings, settings);
        QFETCH(QString, phrase);
        const QString error = settings.validationError();
        if (phrase.isEmpty()) {
            QVERIFY2(error.isEmpty(), qPrintable(error));
            return;
        }
        QVERIFY2(error.contains(phrase), qPrintable(error));
        // testConnection says the same at once, without a thread or a server.
        const auto future = testConnection(settings);
        QVERIFY(future.isFinished());
        QVERIFY(!future.result().ok);
        QCOMPARE(future.result().message, error);
    }

    void testsARealServer_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("phrase");
        QTest::addRow("good") << QString() << true << QString();
        QTest::addRow("special-character password") << QStringLiteral("password") << true << QString();
        QTest::addRow("wrong port") << QStringLiteral("port") << false << QStringLiteral("cannot reach");
        QTest::addRow("wrong database") << QStringLiteral("database") << false
                                        << QStringLiteral("database \"no_such_db_for_eventscope\" does not exist");
        QTest::addRow("no store in schema")
            << QStringLiteral("schema") << false << QStringLiteral("has no Eventscope store in schema");
    }
    void testsARealServer()
    {
        QFETCH(QString, change);
        QFETCH(bool, ok);
        QFETCH(QString, phrase);
        auto settings = server();
        if (!settings) {
            if (test::runningInCi())
                QFAIL("EVENTSCOPE_TEST_PG is not set under CI=true: the PostgreSQL tests cannot run");
            QSKIP("EVENTSCOPE_TEST_PG is not set: no PostgreSQL server to test against");
        }
        settings->schema = QLatin1String("t_") + QUuid::createUuid().toString(QUuid::Id128).left(16);
        {
            auto store = openStore(settings->storeUri().toStdString(), true);
            NewEvent e;
            e.type = "AccountOpened";
            store->append("account-1", { e, e, e });
        }
        if (change == QLatin1String("password"))
            settings->password = QStringLiteral("p@ss:w/rd?&=#% é"); // the test server trusts, but libpq must parse it
        else if (change == QLatin1String("port"))
            settings->port = 1; // nothing listens there
        else if (change == QLatin1String("database"))
            settings->database = QStringLiteral("no_such_db_for_eventscope");
        else if (change == QLatin1String("schema"))
            settings->schema = QStringLiteral("no_such_schema");

        const ConnectionTestResult result = await(testConnection(*settings));
        QVERIFY2(result.ok == ok, qPrintable(result.message));
        if (ok) {
            QCOMPARE(result.kind, QStringLiteral("postgresql"));
            QCOMPARE(result.headPosition, 3);
            QVERIFY(result.message.isEmpty());
        } else {
            QVERIFY2(result.message.contains(phrase), qPrintable(result.message));
            // A sentence that names the server, and never the password.
            QVERIFY2(result.message.contains(settings->host), qPrintable(result.message));
        }
    }

    void neverShowsThePasswordInAnError()
    {
        auto settings = server();
        if (!settings)
            QSKIP("EVENTSCOPE_TEST_PG is not set: no PostgreSQL server to test against");
        settings->host = QStringLiteral("127.0.0.1");
        settings->port = 1;
        settings->password = QStringLiteral("Sup3rS3cret");
        const ConnectionTestResult result = await(testConnection(*settings));
        QVERIFY(!result.ok);
        QVERIFY2(!result.message.contains(QStringLiteral("Sup3rS3cret")), qPrintable(result.message));
    }
};

QTEST_GUILESS_MAIN(TestConnectionSettings)
#include "tst_connection_settings.moc"
