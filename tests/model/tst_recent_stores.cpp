// The recent-stores list: most recent first, at most twelve, one entry per store, and never a password in
// the settings file, whatever URI it is given.

#include "model/recent_stores.h"

#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace eventscope;

class TestRecentStores : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;

    QByteArray settingsFileText()
    {
        m_settings->sync();
        QFile file(m_settings->fileName());
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return file.readAll();
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("recent.ini")), QSettings::IniFormat);
    }

    void cleanup()
    {
        m_settings.reset();
        m_dir.reset();
    }

    void startsEmpty()
    {
        RecentStores recent(*m_settings);
        QVERIFY(recent.list().isEmpty());
    }

    void mostRecentFirstWithNamesAndTimes()
    {
        RecentStores recent(*m_settings);
        const QDateTime t0 = QDateTime::fromString(QStringLiteral("2025-01-10T09:00:00.000Z"), Qt::ISODateWithMs);
        recent.add(QStringLiteral("data/orders.db"), QStringLiteral("sqlite"), t0);
        recent.add(QStringLiteral("postgresql://app@db.example.com:5433/shop?sslmode=require&schema=es"),
            QStringLiteral("postgresql"), t0.addSecs(60));

        const QList<RecentStore> stores = RecentStores(*m_settings).list(); // read back through a new object
        QCOMPARE(stores.size(), 2);
        QCOMPARE(stores[0].kind, QStringLiteral("postgresql"));
        QCOMPARE(stores[0].displayName, QStringLiteral("shop on db.example.com:5433 · es"));
        QCOMPARE(stores[0].lastOpened, t0.addSecs(60));
        QCOMPARE(stores[0].lastOpened.timeSpec(), Qt::UTC);
        QCOMPARE(stores[1].uri, QStringLiteral("data/orders.db"));
        QCOMPARE(stores[1].displayName, QStringLiteral("orders.db"));
        QCOMPARE(stores[1].lastOpened, t0);
    }

    void reopeningMovesToTheTopWithoutDuplicates()
    {
        RecentStores recent(*m_settings);
        recent.add(QStringLiteral("a.db"), QStringLiteral("sqlite"));
        recent.add(QStringLiteral("b.db"), QStringLiteral("sqlite"));
        recent.add(QStringLiteral("a.db"), QStringLiteral("sqlite"));
        const auto stores = recent.list();
        QCOMPARE(stores.size(), 2);
        QCOMPARE(stores[0].uri, QStringLiteral("a.db"));
        QCOMPARE(stores[1].uri, QStringLiteral("b.db"));

        // The same server with and without a password is one entry.
        recent.add(QStringLiteral("postgresql://u:one@h:5432/d"), QStringLiteral("postgresql"));
        recent.add(QStringLiteral("postgresql://u:two@h:5432/d"), QStringLiteral("postgresql"));
        QCOMPARE(recent.list().size(), 3);
    }

    void keepsAtMostTwelve()
    {
        RecentStores recent(*m_settings);
        for (int i = 0; i < 20; ++i)
            recent.add(QStringLiteral("store-%1.db").arg(i), QStringLiteral("sqlite"));
        const auto stores = recent.list();
        QCOMPARE(stores.size(), RecentStores::maxEntries);
        QCOMPARE(stores.front().uri, QStringLiteral("store-19.db"));
        QCOMPARE(stores.back().uri, QStringLiteral("store-8.db"));
    }

    void removes()
    {
        RecentStores recent(*m_settings);
        recent.add(QStringLiteral("a.db"), QStringLiteral("sqlite"));
        recent.add(QStringLiteral("b.db"), QStringLiteral("sqlite"));
        recent.remove(QStringLiteral("a.db"));
        QCOMPARE(recent.list().size(), 1);
        QCOMPARE(recent.list().front().uri, QStringLiteral("b.db"));
        recent.remove(QStringLiteral("not-listed.db")); // a no-op, not an error
        QCOMPARE(recent.list().size(), 1);
        // A password in the URI given to remove() does not stop it finding the entry.
        recent.add(QStringLiteral("postgresql://u@h:5432/d"), QStringLiteral("postgresql"));
        recent.remove(QStringLiteral("postgresql://u:secret@h:5432/d"));
        QCOMPARE(recent.list().size(), 1);
    }

    void ignoresEmptyAndBrokenEntries()
    {
        RecentStores recent(*m_settings);
        recent.add(QString(), QStringLiteral("sqlite"));
        QVERIFY(recent.list().isEmpty());
        m_settings->beginWriteArray(QStringLiteral("recentStores"), 2);
        m_settings->setArrayIndex(0);
        m_settings->setValue(QStringLiteral("kind"), QStringLiteral("sqlite")); // no uri
        m_settings->setArrayIndex(1);
        m_settings->setValue(QStringLiteral("uri"), QStringLiteral("x.db"));
        m_settings->setValue(QStringLiteral("lastOpened"), QStringLiteral("not a time"));
        m_settings->endArray();
        const auto stores = recent.list();
        QCOMPARE(stores.size(), 1);
        QCOMPARE(stores[0].uri, QStringLiteral("x.db"));
        QVERIFY(!stores[0].lastOpened.isValid());
    }

    void neverStoresAPassword_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("password");
        QTest::addRow("user information")
            << QStringLiteral("postgresql://app:Tr0ub4dor@db:5432/shop?schema=es")
            << QStringLiteral("postgresql://app@db:5432/shop?schema=es") << QStringLiteral("Tr0ub4dor");
        QTest::addRow("percent-encoded") << QStringLiteral("postgresql://app:p%40ss%2Fw0rd@db:5432/shop")
                                         << QStringLiteral("postgresql://app@db:5432/shop")
                                         << QStringLiteral("p%40ss%2Fw0rd");
        QTest::addRow("password parameter")
            << QStringLiteral("postgresql://db/shop?sslmode=require&password=hunter22&schema=es")
            << QStringLiteral("postgresql://db/shop?sslmode=require&schema=es") << QStringLiteral("hunter22");
        QTest::addRow("only parameter") << QStringLiteral("postgres://db/shop?password=hunter22")
                                        << QStringLiteral("postgres://db/shop") << QStringLiteral("hunter22");
        QTest::addRow("foreign kind") << QStringLiteral("messagedb+postgresql://mdb:s3cret@db/message_store")
                                      << QStringLiteral("messagedb+postgresql://mdb@db/message_store")
                                      << QStringLiteral("s3cret");
        QTest::addRow("colon in password, as libpq reads it")
            << QStringLiteral("postgresql://u:a:b:c@db/x") << QStringLiteral("postgresql://u@db/x")
            << QStringLiteral("a:b:c");
        QTest::addRow("no password") << QStringLiteral("postgresql://u@db:5432/x")
                                     << QStringLiteral("postgresql://u@db:5432/x") << QString();
        QTest::addRow("port but no user")
            << QStringLiteral("postgresql://db:5432/x") << QStringLiteral("postgresql://db:5432/x") << QString();
        QTest::addRow("sqlite path") << QStringLiteral("stores/a:b.db") << QStringLiteral("stores/a:b.db") << QString();
    }
    void neverStoresAPassword()
    {
        QFETCH(QString, uri);
        QFETCH(QString, expected);
        QFETCH(QString, password);
        QCOMPARE(RecentStores::withoutPassword(uri), expected);
        RecentStores recent(*m_settings);
        recent.add(uri, QStringLiteral("postgresql"));
        QCOMPARE(recent.list().front().uri, expected);
        const QByteArray text = settingsFileText();
        QVERIFY(!text.isEmpty());
        if (!password.isEmpty())
            QVERIFY2(!text.contains(password.toUtf8()), text.constData());
    }

    void displayNames_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("name");
        QTest::addRow("path") << QStringLiteral("some/folder/bank.db") << QStringLiteral("bank.db");
        QTest::addRow("sqlite scheme") << QStringLiteral("sqlite:other/ledger.sqlite3")
                                       << QStringLiteral("ledger.sqlite3");
        QTest::addRow("mapped sqlite") << QStringLiteral("mapped+sqlite:x/events.db?table=events")
                                       << QStringLiteral("events.db");
        QTest::addRow("postgres default schema")
            << QStringLiteral("postgresql://u@db:5432/shop?schema=eventscope") << QStringLiteral("shop on db:5432");
        QTest::addRow("postgres other schema")
            << QStringLiteral("postgresql://u@db/shop?schema=audit") << QStringLiteral("shop on db:5432 · audit");
    }
    void displayNames()
    {
        QFETCH(QString, uri);
        QFETCH(QString, name);
        QCOMPARE(RecentStores::displayNameFor(uri), name);
    }
};

QTEST_GUILESS_MAIN(TestRecentStores)
#include "tst_recent_stores.moc"
