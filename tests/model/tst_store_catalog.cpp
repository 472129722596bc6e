// The names a filter bar offers: a store's types and categories arrive from a worker, the newest load wins, and
// a store that cannot be opened says so in a sentence instead of leaving the lists silently empty.

#include "model/store_catalog.h"
#include "storage/event_store.h"
#include "tests/test_stores.h"

#include <QSignalSpy>
#include <QTest>

using namespace eventscope;

namespace {

void appendEvents(const std::string& uri, const std::vector<std::pair<std::string, std::string>>& streamAndType)
{
    auto store = openStore(uri, true);
    for (const auto& [stream, type] : streamAndType) {
        NewEvent event;
        event.type = type;
        store->append(stream, { event });
    }
}

} // namespace

class TestStoreCatalog : public QObject
{
    Q_OBJECT

private slots:
    void loadsTypesAndCategories_data() { test::addBackendRows(); }
    void loadsTypesAndCategories()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        appendEvents(location.uri(),
            { { "order-1", "OrderPlaced" }, { "order-1", "OrderShipped" }, { "order-2", "OrderPlaced" },
                { "payment-9", "PaymentTaken" }, { "$eventscope-audit", "Appended" } });

        StoreCatalog catalog;
        QSignalSpy loaded(&catalog, &StoreCatalog::loaded);
        QSignalSpy failed(&catalog, &StoreCatalog::loadFailed);
        catalog.load(location.uri());
        QVERIFY(catalog.isLoading());
        QVERIFY(loaded.wait(10000));
        QCOMPARE(failed.count(), 0);
        // Types of system streams are types of the store too; only system categories stay out, as in the Events tab.
        QCOMPARE(catalog.types(),
            QStringList({ QStringLiteral("Appended"), QStringLiteral("OrderPlaced"), QStringLiteral("OrderShipped"),
                QStringLiteral("PaymentTaken") }));
        QCOMPARE(catalog.categories(), QStringList({ QStringLiteral("order"), QStringLiteral("payment") }));
        QVERIFY(!catalog.typesTruncated());
        QVERIFY(!catalog.categoriesTruncated());
        QVERIFY(!catalog.isLoading());
    }

    void emptyStoreHasNoNames()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        openStore(location.uri(), true);
        StoreCatalog catalog;
        QSignalSpy loaded(&catalog, &StoreCatalog::loaded);
        catalog.load(location.uri());
        QVERIFY(loaded.wait(10000));
        QVERIFY(catalog.types().isEmpty());
        QVERIFY(catalog.categories().isEmpty());
    }

    void unreachableStoreReportsASentence_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("says");
        QTest::addRow("missing file") << QStringLiteral("/nonexistent/folder/store.db")
                                      << QStringLiteral("no event store");
        QTest::addRow("closed port") << QStringLiteral("postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=2")
                                     << QString();
        QTest::addRow("not a store name") << QStringLiteral("nosuchscheme://x") << QString();
    }
    void unreachableStoreReportsASentence()
    {
        QFETCH(QString, uri);
        QFETCH(QString, says);
        StoreCatalog catalog;
        QSignalSpy loaded(&catalog, &StoreCatalog::loaded);
        QSignalSpy failed(&catalog, &StoreCatalog::loadFailed);
        catalog.load(uri.toStdString());
        QVERIFY(failed.wait(20000));
        QCOMPARE(loaded.count(), 0);
        const QString message = failed.at(0).at(0).toString();
        QVERIFY2(message.size() > 10 && !message.contains(QLatin1Char('\n')), qPrintable(message));
        if (!says.isEmpty())
            QVERIFY2(message.contains(says), qPrintable(message));
        QVERIFY(catalog.types().isEmpty());
    }

    // A second load while the first runs replaces it: only the newest store's names arrive.
    void newestLoadWins()
    {
        test::StoreLocation first(QStringLiteral("sqlite"));
        test::StoreLocation second(QStringLiteral("sqlite"));
        appendEvents(first.uri(), { { "alpha-1", "A" } });
        appendEvents(second.uri(), { { "beta-1", "B" } });
        StoreCatalog catalog;
        QSignalSpy loaded(&catalog, &StoreCatalog::loaded);
        catalog.load(first.uri());
        catalog.load(second.uri());
        QVERIFY(loaded.wait(10000));
        QTest::qWait(50);
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(catalog.types(), QStringList { QStringLiteral("B") });
        QCOMPARE(catalog.categories(), QStringList { QStringLiteral("beta") });
    }

    // More names than kept: the lists stop at the cap and say they were cut.
    void capsLongLists()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        {
            auto store = openStore(location.uri(), true);
            std::vector<AppendRequest> requests;
            for (std::size_t i = 0; i < StoreCatalog::maxEntries + 3; ++i) {
                NewEvent event;
                event.type = "T" + std::to_string(100000 + i);
                requests.push_back({ "c" + std::to_string(100000 + i) + "-1", ExpectedVersion::any(), { event } });
            }
            store->append(requests);
        }
        StoreCatalog catalog;
        QSignalSpy loaded(&catalog, &StoreCatalog::loaded);
        catalog.load(location.uri());
        QVERIFY(loaded.wait(30000));
        QCOMPARE(catalog.types().size(), qsizetype(StoreCatalog::maxEntries));
        QCOMPARE(catalog.categories().size(), qsizetype(StoreCatalog::maxEntries));
        QVERIFY(catalog.typesTruncated());
        QVERIFY(catalog.categoriesTruncated());
        QCOMPARE(catalog.types().front(), QStringLiteral("T100000"));
    }
};

QTEST_GUILESS_MAIN(TestStoreCatalog)
#include "tst_store_catalog.moc"
