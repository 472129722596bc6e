// The hash chain, verify and seal of DESIGN §7, over both backends: a changed or deleted row is found and
// named by stream and version.

#include "storage/error.h"
#include "storage/event_store.h"
#include "storage/store_uri.h"
#include "tests/tamper_store.h"
#include "tests/test_stores.h"

#include <QProcess>
#include <QTest>

using namespace eventscope;

namespace {

void fill(EventStore& store)
{
    std::vector<AppendRequest> requests;
    for (int i = 0; i < 40; ++i) {
        NewEvent e;
        e.type = "MoneyDeposited";
        e.data = "{\"amount\":" + std::to_string(i) + "}";
        requests.push_back({ "acc-" + std::to_string(i % 8), ExpectedVersion::any(), { e } });
    }
    store.append(requests);
}

} // namespace

class TestIntegrity : public QObject
{
    Q_OBJECT

private slots:
    void changedDataIsNamed_data() { test::addBackendRows(); }
    void changedDataIsNamed()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        {
            auto store = openStore(location.uri(), true);
            fill(*store);
            const auto report = store->verify(std::nullopt);
            QVERIFY2(report.ok, report.message.c_str());
            QCOMPARE(report.eventsChecked, 40);
            QCOMPARE(report.streamsChecked, 8);
        }
        test::tamper(
            location.uri(), "UPDATE events SET data = '{\"amount\":1000000}' WHERE stream = 'acc-7' AND version = 3");
        auto store = openStore(location.uri());
        const auto report = store->verify(std::nullopt);
        QVERIFY(!report.ok);
        QCOMPARE(report.failedStream, std::string("acc-7"));
        QCOMPARE(report.failedVersion, 3);
        QVERIFY(report.message.find("acc-7") != std::string::npos);
        QVERIFY(report.message.find("version 3") != std::string::npos);
        // A broken store is not sealed.
        try {
            store->seal();
            QFAIL("a broken store was sealed");
        } catch (const Error& e) {
            QCOMPARE(e.kind, ErrorKind::Integrity);
        }
    }

    void sealCatchesDeletedHead_data() { test::addBackendRows(); }
    void sealCatchesDeletedHead()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        Seal seal;
        {
            auto store = openStore(location.uri(), true);
            fill(*store);
            seal = Seal::fromJson(store->seal().toJson()); // survives its own file format
            QCOMPARE(seal.eventCount, 40);
            QCOMPARE(seal.streamCount, 8);
            fill(*store); // appends after the seal keep it valid
            const auto report = store->verify(seal);
            QVERIFY2(report.ok, report.message.c_str());
        }
        // Deleting a stream's newest sealed event leaves a valid chain: only the seal can tell.
        test::tamper(location.uri(), "DELETE FROM events WHERE stream = 'acc-2' AND version >= 5");
        auto store = openStore(location.uri());
        QVERIFY(store->verify(std::nullopt).ok);
        const auto report = store->verify(seal);
        QVERIFY(!report.ok);
        QVERIFY(report.message.find("seal") != std::string::npos);

        Seal foreign = seal;
        foreign.storeId = "00000000-0000-4000-8000-000000000000";
        try {
            store->verify(foreign);
            QFAIL("a seal of another store was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind, ErrorKind::Integrity);
        }
    }

    void badSealFile()
    {
        try {
            Seal::fromJson("{\"not\":\"a seal\"}");
            QFAIL("accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind, ErrorKind::BadInput);
        }
    }
};

QTEST_GUILESS_MAIN(TestIntegrity)
#include "tst_integrity.moc"
