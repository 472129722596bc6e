// The store contract of DESIGN §3, run over both native backends.

#include "storage/error.h"
#include "storage/event_store.h"
#include "storage/subscription.h"
#include "storage/time_format.h"
#include "tests/storage/store_test_helpers.h"
#include "tests/test_stores.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace eventscope;

namespace {

using test::kindOf;
using test::makeEvent;

std::int64_t countAll(EventStore& store, EventQuery query = {})
{
    query.limit = 100000;
    return static_cast<std::int64_t>(store.read(query).events.size());
}

} // namespace

class TestEventStore : public QObject
{
    Q_OBJECT

private slots:
    void appendAndReadBack_data() { test::addBackendRows(); }
    void appendAndReadBack()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        // Odd spacing and key order must survive byte for byte: the text is what the hash covers.
        const std::string data = R"({"b": 2,  "a": [1, 2.5, "x"], "nested": {"z": null}})";
        const std::string metadata = R"({"correlationId":"c-1","causationId":"k-1","userId":"u-17","schemaVersion":2})";
        const Micros time = parseTime("2024-01-15T14:00:00.123456Z");
        const auto result
            = store->append("order-1", { makeEvent("OrderPlaced", data, metadata, time), makeEvent("OrderPaid", "{}") },
                ExpectedVersion::noStream());
        QCOMPARE(result.firstVersion, 1);
        QCOMPARE(result.lastVersion, 2);
        QVERIFY(result.lastPosition > result.firstPosition);

        EventQuery query;
        query.stream = "order-1";
        const auto page = store->read(query);
        QCOMPARE(page.events.size(), 2u);
        const Event& first = page.events[0];
        QCOMPARE(first.stream, std::string("order-1"));
        QCOMPARE(first.version, 1);
        QCOMPARE(first.type, std::string("OrderPlaced"));
        QCOMPARE(first.data, data);
        QCOMPARE(first.metadata, metadata);
        QCOMPARE(first.time, time);
        QCOMPARE(first.correlation, std::string("c-1"));
        QCOMPARE(first.causation, std::string("k-1"));
        QCOMPARE(first.actor, std::string("u-17"));
        QCOMPARE(first.schemaVersion.value_or(-1), 2);
        QCOMPARE(first.id.size(), 36u);
        QCOMPARE(first.hash.size(), 64u);
        QCOMPARE(page.events[1].version, 2);
        QVERIFY(!page.next);

        const auto head = store->streamHead("order-1");
        QVERIFY(head);
        QCOMPARE(head->version, 2);
        QCOMPARE(head->category, std::string("order"));
        QCOMPARE(head->firstTime, time);
        QCOMPARE(head->lastPosition, result.lastPosition);
        QCOMPARE(store->headPosition(), result.lastPosition);
        QVERIFY(!store->streamHead("order-2"));
        QCOMPARE(store->eventById(first.id)->position, first.position);
        QVERIFY(!store->eventById("00000000-0000-4000-8000-000000000000"));
    }

    void expectedVersions_data() { test::addBackendRows(); }
    void expectedVersions()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        auto append = [&](const std::string& stream, ExpectedVersion expected) {
            return store->append(stream, { makeEvent("E", "{}") }, expected);
        };
        QCOMPARE(kindOf([&] { append("s-1", ExpectedVersion::exists()); }), ErrorKind::WrongExpectedVersion);
        QCOMPARE(kindOf([&] { append("s-1", ExpectedVersion::exact(1)); }), ErrorKind::WrongExpectedVersion);
        QCOMPARE(append("s-1", ExpectedVersion::exact(0)).lastVersion, 1);
        QCOMPARE(append("s-1", ExpectedVersion::exists()).lastVersion, 2);
        QCOMPARE(append("s-1", ExpectedVersion::any()).lastVersion, 3);
        QCOMPARE(append("s-1", ExpectedVersion::exact(3)).lastVersion, 4);
        QCOMPARE(kindOf([&] { append("s-1", ExpectedVersion::noStream()); }), ErrorKind::WrongExpectedVersion);
        try {
            append("s-1", ExpectedVersion::exact(2));
            QFAIL("a stale expected version was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind, ErrorKind::WrongExpectedVersion);
            QCOMPARE(std::string(e.what()), std::string("wrong expected version for stream s-1: expected 2, actual 4"));
        }
        QCOMPARE(store->streamHead("s-1")->version, 4);
    }

    void batchIsAtomic_data() { test::addBackendRows(); }
    void batchIsAtomic()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        store->append("a-1", { makeEvent("E", "{}") });
        const std::vector<AppendRequest> requests {
            { "a-2", ExpectedVersion::noStream(), { makeEvent("E", "{}"), makeEvent("E", "{}") } },
            { "a-1", ExpectedVersion::exact(7), { makeEvent("E", "{}") } },
        };
        QCOMPARE(kindOf([&] { store->append(requests); }), ErrorKind::WrongExpectedVersion);
        QVERIFY(!store->streamHead("a-2"));
        QCOMPARE(countAll(*store), 1);
        // Bad JSON in the last event of a batch: nothing of the batch is written.
        QCOMPARE(kindOf([&] {
            store->append("a-3", { makeEvent("E", "{}"), makeEvent("E", "{\"broken\":") });
        }),
            ErrorKind::BadInput);
        QCOMPARE(kindOf([&] { store->append("a-3", { makeEvent("", "{}") }); }), ErrorKind::BadInput);
        QCOMPARE(kindOf([&] { store->append("a-3", { makeEvent("E", "{}", "[1]") }); }), ErrorKind::BadInput);
        QCOMPARE(kindOf([&] { store->append("a-3", { makeEvent("E", "{}", "{}", {}, "not-a-uuid") }); }),
            ErrorKind::BadInput);
        QCOMPARE(kindOf([&] { store->append("", { makeEvent("E", "{}") }); }), ErrorKind::BadInput);
        QCOMPARE(countAll(*store), 1);
    }

    void idempotentReappend_data() { test::addBackendRows(); }
    void idempotentReappend()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        const std::string id1 = "3f1c2a4e-8b7d-4c6a-9e5f-1a2b3c4d5e6f";
        const std::string id2 = "4f1c2a4e-8b7d-4c6a-9e5f-1a2b3c4d5e6f";
        const std::vector<NewEvent> batch { makeEvent("E", "{}", "{}", {}, id1), makeEvent("F", "{}", "{}", {}, id2) };
        const auto first = store->append("i-1", batch, ExpectedVersion::noStream());
        QVERIFY(!first.idempotent);
        const auto again = store->append("i-1", batch, ExpectedVersion::noStream());
        QVERIFY(again.idempotent);
        QCOMPARE(again.firstPosition, first.firstPosition);
        QCOMPARE(again.lastVersion, 2);
        QVERIFY(store->append("i-1", batch, ExpectedVersion::any()).idempotent);
        QCOMPARE(countAll(*store), 2);
        // The same ID elsewhere is not a repeat: it is refused.
        QCOMPARE(kindOf([&] { store->append("i-2", { makeEvent("E", "{}", "{}", {}, id1) }); }), ErrorKind::BadInput);
        QCOMPARE(kindOf([&] {
            store->append("i-1", { makeEvent("E", "{}", "{}", {}, id2), makeEvent("E", "{}") });
        }),
            ErrorKind::BadInput);
        // Upper-case IDs name the same event; a repeat of the first event alone is a repeat too.
        QVERIFY(store
                    ->append("i-1", { makeEvent("E", "{}", "{}", {}, "3F1C2A4E-8B7D-4C6A-9E5F-1A2B3C4D5E6F") },
                        ExpectedVersion::any())
                    .idempotent);
        QCOMPARE(countAll(*store), 2);
    }

    void unicodeHashChain_data() { test::addBackendRows(); }
    void unicodeHashChain()
    {
        // PostgreSQL hashes appends to one stream in the server; verify() recomputes every hash in C++, so
        // byte lengths, escapes and non-ASCII text must come out the same on both sides.
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        const std::string stream = "caf\xC3\xA9-\xF0\x9F\x9A\x80";
        // Not raw strings: moc's tokenizer loses its way in these.
        const std::string data
            = "{\"text\":\"gr\\u00fc\\u00df \\\"q\\\" \\\\ \\n\",\"raw\":\"žluťoučký 😀\", \"n\": 1.50}";
        const std::string metadata = "{\"userId\":\"ü-1\",  \"note\":\"\\ud83d\\ude00\"}";
        {
            auto store = openStore(location.uri(), true);
            QCOMPARE(
                store->append(stream, { makeEvent("Créé", data, metadata) }, ExpectedVersion::noStream()).lastVersion,
                1);
            QCOMPARE(store->append(stream, { makeEvent("E", "{}"), makeEvent("Ä", data) }, ExpectedVersion::exact(1))
                         .lastVersion,
                3);
            // A batch of two streams continues the chain from the head the single appends left.
            const std::vector<AppendRequest> both { { stream, ExpectedVersion::exact(3), { makeEvent("E", data) } },
                { "other-1", ExpectedVersion::noStream(), { makeEvent("E", "{}") } } };
            QCOMPARE(store->append(both).front().lastVersion, 4);
        }
        auto store = openStore(location.uri());
        QCOMPARE(store->append(stream, { makeEvent("E", data, metadata) }).lastVersion, 5);
        EventQuery query;
        query.stream = stream;
        const auto page = store->read(query);
        QCOMPARE(page.events.size(), 5u);
        QCOMPARE(page.events[0].data, data);
        QCOMPARE(page.events[0].metadata, metadata);
        const auto report = store->verify(std::nullopt);
        QVERIFY2(report.ok, report.message.c_str());
        QCOMPARE(report.eventsChecked, 6);
    }

    void filtersAndPaging_data() { test::addBackendRows(); }
    void filtersAndPaging()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        const Micros t0 = parseTime("2024-03-01T00:00:00Z");
        std::vector<AppendRequest> requests;
        for (int i = 0; i < 30; ++i) {
            const std::string stream = (i % 3 == 0          ? "order-"
                                               : i % 3 == 1 ? "payment-"
                                                            : "account-")
                + std::to_string(i % 5);
            const std::string metadata = "{\"correlationId\":\"corr-" + std::to_string(i % 4)
                + "\",\"causationId\":\"cause-" + std::to_string(i) + "\",\"userId\":\"u-" + std::to_string(i % 2)
                + "\"}";
            requests.push_back({ stream, ExpectedVersion::any(),
                { makeEvent(
                    i % 2 ? "Odd" : "Even", "{\"i\":" + std::to_string(i) + "}", metadata, t0 + i * 60'000'000LL) } });
        }
        requests.push_back({ "$system-1", ExpectedVersion::any(), { makeEvent("Sys", "{}") } });
        store->append(requests);

        auto count = [&](EventQuery q) { return countAll(*store, q); };
        QCOMPARE(count({}), 30);
        EventQuery withSystem;
        withSystem.includeSystem = true;
        QCOMPARE(count(withSystem), 31);
        EventQuery sys;
        sys.stream = "$system-1";
        QCOMPARE(count(sys), 1);
        EventQuery q;
        q.types = { "Odd" };
        QCOMPARE(count(q), 15);
        q.types = { "Odd", "Even" };
        QCOMPARE(count(q), 30);
        q = {};
        q.category = "order";
        QCOMPARE(count(q), 10);
        q = {};
        q.correlation = "corr-1";
        QCOMPARE(count(q), 8);
        q = {};
        q.causation = "cause-7";
        QCOMPARE(count(q), 1);
        q = {};
        q.actor = "u-1";
        QCOMPARE(count(q), 15);
        q = {};
        q.since = t0 + 10 * 60'000'000LL; // inclusive bounds: minutes 10..19
        q.until = t0 + 19 * 60'000'000LL;
        QCOMPARE(count(q), 10);
        q.types = { "Odd" };
        q.category = "payment";
        QCOMPARE(count(q), 2); // i = 13, 19

        // Keyset paging forwards and backwards visits every event once, in order.
        for (const bool backward : { false, true }) {
            EventQuery page;
            page.limit = 7;
            page.backward = backward;
            std::vector<std::int64_t> seen;
            for (;;) {
                const auto result = store->read(page);
                for (const auto& e : result.events)
                    seen.push_back(e.position);
                if (!result.next)
                    break;
                page.fromPosition = result.next;
            }
            QCOMPARE(seen.size(), 30u);
            for (std::size_t i = 1; i < seen.size(); ++i)
                QVERIFY(backward ? seen[i] < seen[i - 1] : seen[i] > seen[i - 1]);
        }
        // A stream read backwards from a version.
        EventQuery stream;
        stream.stream = "order-0";
        stream.backward = true;
        stream.fromVersion = 2;
        const auto back = store->read(stream);
        QCOMPARE(back.events.size(), 2u);
        QCOMPARE(back.events[0].version, 2);
        QCOMPARE(back.events[1].version, 1);
    }

    // Time ranges stay exact whether or not the store's times follow its positions (an import of old events
    // breaks the order, and the store must notice).
    void timeRanges_data() { test::addBackendRows(); }
    void timeRanges()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        const Micros t0 = parseTime("2024-05-01T00:00:00Z");
        const Micros minute = 60'000'000;
        std::vector<AppendRequest> requests;
        for (int i = 0; i < 20; ++i)
            requests.push_back({ "t-" + std::to_string(i % 4), ExpectedVersion::any(),
                { makeEvent(
                    i % 2 ? "A" : "B", "{}", "{\"userId\":\"u-" + std::to_string(i % 2) + "\"}", t0 + i * minute) } });
        store->append(requests);
        auto count = [&](std::optional<Micros> since, std::optional<Micros> until, bool backward = false,
                         const char* type = nullptr) {
            EventQuery q;
            q.since = since;
            q.until = until;
            q.backward = backward;
            if (type)
                q.types = { type };
            return countAll(*store, q);
        };
        QCOMPARE(count(t0 + 5 * minute, t0 + 9 * minute), 5);
        QCOMPARE(count(t0 + 5 * minute, t0 + 9 * minute, true), 5);
        QCOMPARE(count(t0 + 5 * minute + 1, t0 + 9 * minute - 1), 3);
        QCOMPARE(count(t0 + 5 * minute, std::nullopt), 15);
        QCOMPARE(count(std::nullopt, t0 + 4 * minute), 5);
        QCOMPARE(count(t0 + 5 * minute, t0 + 9 * minute, false, "A"), 3); // i = 5, 7, 9
        QCOMPARE(count(t0 + 100 * minute, std::nullopt), 0);
        QCOMPARE(count(std::nullopt, t0 - 1), 0);
        QCOMPARE(count(t0 + 9 * minute, t0 + 5 * minute), 0);
        EventQuery paged;
        paged.since = t0 + 2 * minute;
        paged.limit = 3;
        paged.fromPosition = 6;
        QCOMPARE(store->read(paged).events.front().position, 6);

        // An imported event from before everything else.
        store->append("t-old", { makeEvent("Imported", "{}", "{}", t0 - 10 * minute) });
        QCOMPARE(count(std::nullopt, t0 - 1), 1);
        QCOMPARE(count(t0 - 10 * minute, t0 + 1 * minute), 3);
        QCOMPARE(count(t0 + 5 * minute, t0 + 9 * minute), 5);
        store->append("t-new", { makeEvent("Later", "{}", "{}", t0 + 50 * minute) });
        QCOMPARE(count(t0 + 19 * minute, std::nullopt), 2);
    }

    void streamListing_data() { test::addBackendRows(); }
    void streamListing()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        std::vector<AppendRequest> requests;
        for (const char* name : { "order-1", "order-2", "order-10", "orders_x-1", "payment-1", "$audit-1", "order%-1" })
            requests.push_back({ name, ExpectedVersion::any(), { makeEvent("E", "{}"), makeEvent("E", "{}") } });
        store->append(requests);
        StreamQuery q;
        q.category = "order";
        auto names = [&](const StreamQuery& query) {
            std::vector<std::string> out;
            for (const auto& s : store->streams(query))
                out.push_back(s.name);
            return out;
        };
        QCOMPARE(names(q), (std::vector<std::string> { "order-1", "order-10", "order-2" }));
        q = {};
        q.prefix = "order";
        QCOMPARE(names(q).size(), 5u);
        q.prefix = "order%";
        QCOMPARE(names(q), (std::vector<std::string> { "order%-1" }));
        q = {};
        QCOMPARE(names(q).size(), 6u); // the $ stream stays out
        q.includeSystem = true;
        QCOMPARE(names(q).size(), 7u);
        q = {};
        q.limit = 2;
        q.after = "order-10";
        QCOMPARE(names(q), (std::vector<std::string> { "order-2", "orders_x-1" })); // byte order: '%' < '-' < 's'
        const auto info = store->streams({})[0];
        QCOMPARE(info.version, 2);
        QCOMPARE(info.count, 2);
    }

    void catalogAndCounts_data() { test::addBackendRows(); }
    void catalogAndCounts()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        QVERIFY(store->categories({}).empty());
        QCOMPARE(store->countEvents({}).count, 0);
        std::vector<AppendRequest> requests;
        for (const char* name : { "order-1", "order-2", "payment-1", "$audit-1", "shipment-1", "order-3" })
            requests.push_back({ name, ExpectedVersion::any(),
                { makeEvent("Created", "{}", R"({"userId":"u-1"})"), makeEvent("Updated", "{}") } });
        requests.push_back({ "order-1", ExpectedVersion::any(), { makeEvent("Closed", "{}") } });
        store->append(requests);

        auto names = [](const std::vector<CategoryInfo>& categories) {
            std::vector<std::pair<std::string, std::int64_t>> out;
            for (const auto& c : categories)
                out.emplace_back(c.name, c.streams);
            return out;
        };
        using Pairs = std::vector<std::pair<std::string, std::int64_t>>;
        QCOMPARE(names(store->categories({})), (Pairs { { "order", 3 }, { "payment", 1 }, { "shipment", 1 } }));
        CategoryQuery page;
        page.after = "order";
        page.limit = 1;
        QCOMPARE(names(store->categories(page)), (Pairs { { "payment", 1 } }));
        page = {};
        page.includeSystem = true;
        QCOMPARE(store->categories(page).size(), 4u);
        QCOMPARE(store->eventTypes(100), (std::vector<std::string> { "Closed", "Created", "Updated" }));
        QCOMPARE(store->eventTypes(1).size(), 1u);

        // 13 events, 2 of them in the system stream; positions start at 1 in both stores here.
        EventCount all = store->countEvents({});
        QCOMPARE(all.count, 11);
        QCOMPARE(all.firstPosition, 1);
        QCOMPARE(all.lastPosition, 13);
        EventQuery withSystem;
        withSystem.includeSystem = true;
        QCOMPARE(store->countEvents(withSystem).count, 13);
        EventQuery orders;
        orders.category = "order";
        orders.fromPosition = 9; // the paging key does not narrow a count
        const EventCount orderCount = store->countEvents(orders);
        QCOMPARE(orderCount.count, 7);
        QCOMPARE(orderCount.firstPosition, 1);
        QCOMPARE(orderCount.lastPosition, 13);
        EventQuery created;
        created.types = { "Created" };
        created.actor = "u-1";
        QCOMPARE(store->countEvents(created).count, 5);
        created.types = { "Missing" };
        const EventCount none = store->countEvents(created);
        QCOMPARE(none.count, 0);
        QCOMPARE(none.firstPosition, 0);
    }

    // A long count is cancelled from another thread, as the window's Cancel does; the connection stays usable.
    void interruptCancelsARunningCount_data() { test::addBackendRows(); }
    void interruptCancelsARunningCount()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        const int total = 100'000;
        std::vector<AppendRequest> batch;
        for (int i = 0; i < total; ++i) {
            batch.push_back(
                { "s-" + std::to_string(i % 500), ExpectedVersion::any(), { makeEvent(i % 2 ? "A" : "B", "{}") } });
            if (batch.size() == 10'000) {
                store->append(batch);
                batch.clear();
            }
        }
        EventQuery query;
        query.types = { "A", "B" };
        std::atomic<bool> done = false;
        std::atomic<int> caught = -1;
        std::thread counter([&] {
            for (int i = 0; i < 2000 && caught < 0; ++i) {
                try {
                    store->countEvents(query);
                } catch (const Error& e) {
                    caught = static_cast<int>(e.kind);
                }
            }
            done = true;
        });
        while (!done) {
            store->interrupt();
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        counter.join();
        QCOMPARE(caught.load(), static_cast<int>(ErrorKind::Cancelled));
        QCOMPARE(store->countEvents(query).count, total);
    }

    void snapshotsAndProjections_data() { test::addBackendRows(); }
    void snapshotsAndProjections()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        store->saveSnapshot({ "acc-1", 10, "merge-patch", R"({"balance":10})", 100 });
        store->saveSnapshot({ "acc-1", 20, "merge-patch", R"({"balance":20})", 200 });
        store->saveSnapshot({ "acc-1", 15, "js:abc", R"({"other":1})", 150 });
        QCOMPARE(store->loadSnapshot("acc-1", 19, "merge-patch")->version, 10);
        QCOMPARE(store->loadSnapshot("acc-1", 25, "merge-patch")->state, std::string(R"({"balance":20})"));
        QVERIFY(!store->loadSnapshot("acc-1", 9, "merge-patch"));
        QCOMPARE(store->loadSnapshot("acc-1", 100, "js:abc")->version, 15);

        QVERIFY(!store->projection("balances"));
        const std::vector<PartitionState> states { { "acc-1", R"({"b":1})" }, { "acc-2", R"({"b":2})" } };
        store->commitProjection({ "balances", 42, "running", "fromAll()", 0 }, states);
        QCOMPARE(store->projection("balances")->position, 42);
        const std::vector<PartitionState> changed { { "acc-2", R"({"b":3})" } };
        store->commitProjection({ "balances", 50, "stopped", "fromAll()", 0 }, changed);
        const auto loaded = store->projectionStates("balances");
        QCOMPARE(loaded.size(), 2u);
        QCOMPARE(loaded[1].state, std::string(R"({"b":3})"));
        QCOMPARE(store->projections().size(), 1u);
        store->deleteProjection("balances");
        QVERIFY(!store->projection("balances"));
        QVERIFY(store->projectionStates("balances").empty());
    }

    void catchUpAndFollow_data() { test::addBackendRows(); }
    void catchUpAndFollow()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto writer = openStore(location.uri(), true);
        for (int i = 0; i < 25; ++i)
            writer->append("f-" + std::to_string(i % 3), { makeEvent("E", "{}") });
        auto reader = openStore(location.uri());
        std::vector<std::int64_t> seen;
        std::jthread follower([&](std::stop_token stop) {
            SubscriptionOptions options;
            options.pageSize = 10;
            options.pollTimeout = std::chrono::milliseconds(100);
            subscribe(
                *reader, {},
                [&](const Event& e) {
                    seen.push_back(e.position);
                    return seen.size() < 40;
                },
                stop, options);
        });
        for (int i = 0; i < 15; ++i) {
            writer->append("f-" + std::to_string(i % 3), { makeEvent("Live", "{}") });
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        follower.join(); // the handler stops at 40 events: 25 caught up, 15 followed
        QCOMPARE(seen.size(), 40u);
        for (std::size_t i = 1; i < seen.size(); ++i)
            QVERIFY(seen[i] > seen[i - 1]);
    }

    void opensOnlyStores()
    {
        QTemporaryDir dir;
        const std::string missing = QDir(dir.path()).filePath(QStringLiteral("missing.db")).toStdString();
        QCOMPARE(kindOf([&] { openStore(missing); }), ErrorKind::Unreachable);
        QVERIFY(!QFile::exists(QString::fromStdString(missing)));
        QCOMPARE(kindOf([&] { openStore("mysql://x"); }), ErrorKind::BadInput);
        QCOMPARE(kindOf([&] { openStore("store.txt"); }), ErrorKind::BadInput);

        const QString garbage = QDir(dir.path()).filePath(QStringLiteral("garbage.db"));
        QFile file(garbage);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(8192, 'x'));
        file.close();
        QCOMPARE(kindOf([&] { openStore(garbage.toStdString()); }), ErrorKind::Unreachable);

        // A real store cut in half is damaged, and says so instead of crashing.
        const std::string truncated = QDir(dir.path()).filePath(QStringLiteral("cut.db")).toStdString();
        {
            auto store = openStore(truncated, true);
            std::vector<AppendRequest> requests;
            for (int i = 0; i < 2000; ++i)
                requests.push_back({ "t-" + std::to_string(i), ExpectedVersion::any(),
                    { makeEvent("E", "{\"pad\":\"" + std::string(200, 'p') + "\"}") } });
            store->append(requests);
            store->seal(); // runs a checkpoint-free read; keep the WAL out of the picture below
        }
        QFile::remove(QString::fromStdString(truncated) + QStringLiteral("-wal"));
        QFile::remove(QString::fromStdString(truncated) + QStringLiteral("-shm"));
        QFile cut(QString::fromStdString(truncated));
        QVERIFY(cut.resize(cut.size() / 2));
        const auto kind = kindOf([&] {
            auto store = openStore(truncated);
            store->verify(std::nullopt);
        });
        QVERIFY2(kind == ErrorKind::Unreachable || kind == ErrorKind::Integrity, "a truncated store was not reported");
    }

    void unreachablePostgres()
    {
        QCOMPARE(kindOf([&] { openStore("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"); }),
            ErrorKind::Unreachable);
    }
};

QTEST_GUILESS_MAIN(TestEventStore)
#include "tst_event_store.moc"
