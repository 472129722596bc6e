// What the projection runner of DESIGN §5 asks of a store, over both native backends: reads of several
// streams by position, commits that carry emitted events, partial state loads and the shadow swap.

#include "storage/error.h"
#include "storage/event_store.h"
#include "tests/storage/store_test_helpers.h"
#include "tests/test_stores.h"

#include <QTest>

#include <algorithm>

using namespace eventscope;

namespace {

using test::kindOf;
using test::makeEvent;

std::vector<Event> readAll(EventStore& store, EventQuery query)
{
    query.limit = 100000;
    return store.read(query).events;
}

std::vector<Event> readStream(EventStore& store, const std::string& stream)
{
    EventQuery query;
    query.stream = stream;
    return readAll(store, query);
}

// "partition=state partition=state", for comparing whole state sets at a glance.
std::string statesText(const std::vector<PartitionState>& states)
{
    std::string out;
    for (const auto& s : states)
        out += (out.empty() ? "" : " ") + s.partition + "=" + s.state;
    return out;
}

// A partition name that array literals and SQL must escape (outside the class: moc trips over raw strings).
const std::string kOddName = "odd \"quoted\" \\ name, {x}";

ProjectionRecord record(const std::string& name, std::int64_t position)
{
    return { name, position, "running", "fromAll()", 0 };
}

// 2,503 partition names a paged read may trip over: the empty root partition, "$"-names, upper and lower case
// (byte order puts "Zed" before "apple", a locale's order does not), bytes above 0x7F (UTF-8 that must come after
// "z"), and names that are prefixes of others ("acc-1", "acc-10", "acc-100").
std::vector<std::string> oddPartitionNames()
{
    std::vector<std::string> names { "", "$shared", "$", "Zed", "apple", "appl", "z", "\xC3\xA9t\xC3\xA9", "\xC3\xA9",
        "\xE6\x97\xA5\xE6\x9C\xAC", "\xF0\x9F\x98\x80 smile", " leading space", "~tilde", kOddName };
    for (int i = 0; names.size() < 2503; ++i)
        names.push_back("acc-" + std::to_string(i));
    return names;
}

// Reads every state of the projection through projectionStatesPage, `pageSize` at a time; `pages` gets the size
// of each page read, the last (short or empty) one included.
std::vector<PartitionState> readPaged(
    EventStore& store, const std::string& name, std::size_t pageSize, std::vector<std::size_t>* pages = nullptr)
{
    std::vector<PartitionState> all;
    std::optional<std::string> after;
    for (;;) {
        auto page = store.projectionStatesPage(name, after, pageSize);
        if (pages)
            pages->push_back(page.size());
        if (page.empty() || all.size() > 100000)
            return all;
        after = page.back().partition;
        const bool last = page.size() < pageSize;
        all.insert(all.end(), std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()));
        if (last)
            return all;
    }
}

std::vector<std::string> partitionsOf(const std::vector<PartitionState>& states)
{
    std::vector<std::string> out;
    for (const auto& s : states)
        out.push_back(s.partition);
    return out;
}

} // namespace

class TestProjectionStore : public QObject
{
    Q_OBJECT

private slots:
    void readFromStreams_data() { test::addBackendRows(); }
    void readFromStreams()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        // Interleaved, so that position order differs from either stream's order alone.
        for (int i = 0; i < 12; ++i) {
            const std::string stream = i % 3 == 0 ? "a-1" : i % 3 == 1 ? "b-1" : "c-1";
            store->append(stream, { makeEvent("E", "{\"i\":" + std::to_string(i) + "}") });
        }
        store->append("$links-1", { makeEvent("$>", "\"1@a-1\"") });

        EventQuery query;
        query.streams = { "b-1", "a-1" };
        QVERIFY(!query.isUnfiltered());
        const auto events = readAll(*store, query);
        QCOMPARE(events.size(), 8u);
        for (std::size_t i = 0; i < events.size(); ++i) {
            QVERIFY(events[i].stream == "a-1" || events[i].stream == "b-1");
            if (i > 0)
                QVERIFY(events[i].position > events[i - 1].position);
        }
        QCOMPARE(events[0].stream, std::string("a-1"));
        QCOMPARE(events[1].stream, std::string("b-1"));

        // Paged by position like any read of all events.
        EventQuery paged = query;
        paged.limit = 3;
        std::vector<std::int64_t> seen;
        for (;;) {
            const auto page = store->read(paged);
            for (const auto& e : page.events)
                seen.push_back(e.position);
            if (!page.next)
                break;
            QCOMPARE(page.events.size(), 3u);
            paged.fromPosition = page.next;
        }
        QCOMPARE(seen.size(), 8u);
        for (std::size_t i = 0; i < seen.size(); ++i)
            QCOMPARE(seen[i], events[i].position);

        // Backwards too, and combined with another filter.
        EventQuery backward = query;
        backward.backward = true;
        backward.limit = 2;
        const auto last = store->read(backward);
        QCOMPARE(last.events.size(), 2u);
        QCOMPARE(last.events[0].position, events.back().position);
        QVERIFY(last.next);

        const EventCount count = store->countEvents(query);
        QCOMPARE(count.count, 8);
        QCOMPARE(count.firstPosition, events.front().position);
        QCOMPARE(count.lastPosition, events.back().position);
        QVERIFY(count.exact);

        // A system stream named in the list is read without includeSystem.
        EventQuery links;
        links.streams = { "$links-1", "c-1" };
        QCOMPARE(readAll(*store, links).size(), 5u);
        QCOMPARE(store->countEvents(links).count, 5);
        QCOMPARE(readAll(*store, links).back().data, std::string("\"1@a-1\""));

        // An empty list is no filter at all.
        EventQuery all;
        QVERIFY(all.isUnfiltered());
        QCOMPARE(readAll(*store, all).size(), 12u);
        EventQuery none;
        none.streams = { "nobody-1" };
        QVERIFY(readAll(*store, none).empty());
        QCOMPARE(store->countEvents(none).count, 0);
    }

    void commitWithEmittedEvents_data() { test::addBackendRows(); }
    void commitWithEmittedEvents()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        store->append("account-1", { makeEvent("Opened"), makeEvent("Deposited"), makeEvent("Deposited") });

        // One stream (PostgreSQL's one-round-trip path), a link whose data is a JSON string, and several
        // streams at once (the batched path).
        const std::vector<PartitionState> states { { "account-1", R"({"balance":2})" } };
        const std::vector<AppendRequest> oneStream { { "report-1", ExpectedVersion::any(),
            { makeEvent("BalanceReported", R"({"balance":2})") } } };
        store->commitProjection(record("balances", 3), states, oneStream);
        const std::vector<AppendRequest> several {
            { "$links-rich", ExpectedVersion::any(), { makeEvent("$>", "\"3@account-1\"") } },
            { "report-1", ExpectedVersion::exact(1), { makeEvent("BalanceReported", R"({"balance":3})") } },
        };
        store->commitProjection(record("balances", 4), states, several);

        QCOMPARE(store->projection("balances")->position, 4);
        QCOMPARE(statesText(store->projectionStates("balances")), std::string(R"(account-1={"balance":2})"));
        const auto report = readStream(*store, "report-1");
        QCOMPARE(report.size(), 2u);
        QCOMPARE(report[1].version, 2);
        QVERIFY(report[1].position > report[0].position);
        QCOMPARE(report[1].hash.size(), 64u);
        const auto links = readStream(*store, "$links-rich");
        QCOMPARE(links.size(), 1u);
        QCOMPARE(links[0].type, std::string("$>"));
        QCOMPARE(links[0].data, std::string("\"3@account-1\""));
        QCOMPARE(store->streamHead("report-1")->version, 2);
        QCOMPARE(store->headPosition(), report[1].position);

        // A long batch for one stream, and a commit repeated with the same event IDs (a runner that crashed
        // after committing and replays the batch): the repeat writes nothing twice.
        std::vector<NewEvent> many;
        for (int i = 0; i < 40; ++i)
            many.push_back(makeEvent(
                "Tick", "{}", "{}", std::nullopt, QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString()));
        const std::vector<AppendRequest> batch { { "ticks-1", ExpectedVersion::any(), many } };
        store->commitProjection(record("balances", 5), {}, batch);
        store->commitProjection(record("balances", 5), {}, batch);
        QCOMPARE(readStream(*store, "ticks-1").size(), 40u);

        // Appends afterwards continue the chains the commits wrote.
        store->append("report-1", { makeEvent("BalanceReported") });
        QCOMPARE(store->streamHead("report-1")->version, 3);
        const VerifyReport verified = store->verify(std::nullopt);
        QVERIFY2(verified.ok, verified.message.c_str());
        QCOMPARE(verified.eventsChecked, 3 + 3 + 1 + 40);
    }

    void failedEmitRollsBackTheCommit_data() { test::addBackendRows(); }
    void failedEmitRollsBackTheCommit()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        const std::vector<PartitionState> first { { "p", R"({"n":1})" } };
        const std::vector<AppendRequest> emitOne { { "out-1", ExpectedVersion::any(), { makeEvent("Out") } } };
        store->commitProjection(record("counter", 10), first, emitOne);

        // The first request alone would succeed; the second's expected version is wrong, so nothing lands.
        const std::vector<PartitionState> second { { "p", R"({"n":2})" }, { "q", R"({"n":1})" } };
        for (const std::size_t events : { 1u, 20u }) {
            const std::vector<AppendRequest> bad {
                { "out-2", ExpectedVersion::any(), std::vector<NewEvent>(events, makeEvent("Out")) },
                { "out-1", ExpectedVersion::exact(5), { makeEvent("Out") } },
            };
            QCOMPARE(kindOf([&] { store->commitProjection(record("counter", 20), second, bad); }),
                ErrorKind::WrongExpectedVersion);
            const std::vector<AppendRequest> badAlone { bad[1] };
            QCOMPARE(kindOf([&] { store->commitProjection(record("counter", 20), second, badAlone); }),
                ErrorKind::WrongExpectedVersion);
        }
        QCOMPARE(store->projection("counter")->position, 10);
        QCOMPARE(statesText(store->projectionStates("counter")), std::string(R"(p={"n":1})"));
        QCOMPARE(store->projectionStateCount("counter"), 1);
        QVERIFY(!store->streamHead("out-2"));
        QCOMPARE(store->streamHead("out-1")->version, 1);

        // Malformed emitted data is refused before anything is written.
        const std::vector<AppendRequest> malformed { { "out-1", ExpectedVersion::any(), { makeEvent("Out", "{x") } } };
        QCOMPARE(
            kindOf([&] { store->commitProjection(record("counter", 30), second, malformed); }), ErrorKind::BadInput);
        QCOMPARE(store->projection("counter")->position, 10);

        // A commit whose states the store refuses after its events were written: whether or not a backend
        // refuses it, the stream stays whole and the next append follows on.
        // Two streams, so that PostgreSQL takes the path that caches stream heads, and so does the append after.
        const std::vector<PartitionState> odd { { std::string("bad\0partition", 13), "{}" } };
        const std::vector<AppendRequest> emitTwo {
            { "out-1", ExpectedVersion::any(), { makeEvent("Out") } },
            { "out-4", ExpectedVersion::any(), { makeEvent("Out") } },
        };
        store->append(emitTwo);
        try {
            store->commitProjection(record("odd", 40), odd, emitTwo);
        } catch (const Error&) {
            QVERIFY(!store->projection("odd"));
        }
        store->append(emitTwo);
        for (const std::string stream : { "out-1", "out-4" }) {
            const auto out = readStream(*store, stream);
            for (std::size_t i = 0; i < out.size(); ++i)
                QCOMPARE(out[i].version, static_cast<std::int64_t>(i + 1));
            QCOMPARE(store->streamHead(stream)->version, static_cast<std::int64_t>(out.size()));
        }

        // The store is still writable and whole: no lock or cached head outlived the failures.
        store->commitProjection(record("counter", 20), second, emitOne);
        QCOMPARE(store->projection("counter")->position, 20);
        QCOMPARE(statesText(store->projectionStates("counter")), std::string(R"(p={"n":2} q={"n":1})"));
        auto other = openStore(location.uri());
        other->append("out-3", { makeEvent("Out") });
        const VerifyReport verified = store->verify(std::nullopt);
        QVERIFY2(verified.ok, verified.message.c_str());
    }

    void statesOfSomePartitions_data() { test::addBackendRows(); }
    void statesOfSomePartitions()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        std::vector<PartitionState> states;
        for (int i = 0; i < 1500; ++i)
            states.push_back({ "acc-" + std::to_string(10000 + i), "{\"i\":" + std::to_string(i) + "}" });
        states.push_back({ "", R"({"shared":true})" });
        states.push_back({ kOddName, "{}" });
        store->commitProjection(record("balances", 1), states);
        store->commitProjection(record("other", 1), { { { "acc-10000", "{}" } } });
        QCOMPARE(store->projectionStateCount("balances"), 1502);
        QCOMPARE(store->projectionStateCount("other"), 1);
        QCOMPARE(store->projectionStateCount("nothing"), 0);

        // A thousand at once, in any order, some twice, some missing.
        std::vector<std::string> wanted;
        for (int i = 1499; i >= 500; --i)
            wanted.push_back("acc-" + std::to_string(10000 + i));
        wanted.push_back("acc-10700");
        wanted.push_back("missing-1");
        wanted.push_back("");
        wanted.push_back(kOddName);
        const auto loaded = store->projectionStates("balances", wanted);
        QCOMPARE(loaded.size(), 1002u);
        QVERIFY(std::is_sorted(loaded.begin(), loaded.end(),
            [](const PartitionState& a, const PartitionState& b) { return a.partition < b.partition; }));
        QCOMPARE(loaded.front().partition, std::string());
        QCOMPARE(loaded.front().state, std::string(R"({"shared":true})"));
        QCOMPARE(loaded[1].partition, std::string("acc-10500"));
        QCOMPARE(loaded[1].state, std::string(R"({"i":500})"));
        QCOMPARE(loaded.back().partition, std::string(kOddName));

        QVERIFY(store->projectionStates("balances", std::vector<std::string> {}).empty());
        QVERIFY(store->projectionStates("nothing", wanted).empty());
        const std::vector<std::string> one { "acc-10000" };
        QCOMPARE(statesText(store->projectionStates("other", one)), std::string("acc-10000={}"));
    }

    void statesPageByPage_data() { test::addBackendRows(); }
    void statesPageByPage()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        const std::vector<std::string> names = oddPartitionNames();
        QCOMPARE(names.size(), 2503u);
        std::vector<PartitionState> states;
        for (std::size_t i = 0; i < names.size(); ++i)
            states.push_back({ names[i], "{\"i\":" + std::to_string(i) + "}" });
        store->commitProjection(record("paged", 1), states);
        // Neighbours whose names share a prefix with it: their states must not leak into its pages.
        store->commitProjection(record("page", 1), { { { "", "{}" }, { "acc-0", "{}" } } });
        store->commitProjection(record("paged2", 1), { { { "zz", "{}" } } });
        store->commitProjection(record("empty", 1), {});

        // The oracle: the same states sorted here, by bytes (std::string compares chars as unsigned).
        std::vector<PartitionState> oracle = states;
        std::sort(oracle.begin(), oracle.end(),
            [](const PartitionState& a, const PartitionState& b) { return a.partition < b.partition; });
        QCOMPARE(oracle.front().partition, std::string());

        const std::vector<PartitionState> whole = store->projectionStates("paged");
        QCOMPARE(partitionsOf(whole), partitionsOf(oracle));
        std::vector<std::size_t> pages;
        const std::vector<PartitionState> paged = readPaged(*store, "paged", 1000, &pages);
        QCOMPARE(partitionsOf(paged), partitionsOf(whole));
        QCOMPARE(statesText(paged), statesText(whole));
        QCOMPARE(pages, (std::vector<std::size_t> { 1000, 1000, 503 }));
        // Pages that end on the tricky names: one at a time, and a size that divides nothing evenly.
        QCOMPARE(statesText(readPaged(*store, "paged", 1)), statesText(oracle));
        QCOMPARE(statesText(readPaged(*store, "paged", 7)), statesText(oracle));

        // Where a page starts: after "" is not from the start; after a name no partition has is the next one up.
        const auto fromStart = store->projectionStatesPage("paged", std::nullopt, 2);
        QCOMPARE(partitionsOf(fromStart), (std::vector<std::string> { "", " leading space" }));
        const auto afterEmpty = store->projectionStatesPage("paged", std::string(), 2);
        QCOMPARE(partitionsOf(afterEmpty), (std::vector<std::string> { " leading space", "$" }));
        const auto afterPrefix = store->projectionStatesPage("paged", std::string("acc-1"), 3);
        QCOMPARE(partitionsOf(afterPrefix), (std::vector<std::string> { "acc-10", "acc-100", "acc-1000" }));
        const auto afterMissing = store->projectionStatesPage("paged", std::string("appla"), 2);
        QCOMPARE(partitionsOf(afterMissing), (std::vector<std::string> { "apple", kOddName }));
        const auto afterAscii = store->projectionStatesPage("paged", std::string("z"), 1);
        QCOMPARE(partitionsOf(afterAscii), (std::vector<std::string> { "~tilde" }));
        QVERIFY(store->projectionStatesPage("paged", oracle.back().partition, 1000).empty());
        QCOMPARE(store->projectionStatesPage("paged", std::nullopt, 5000).size(), 2503u);
        QVERIFY(store->projectionStatesPage("paged", std::nullopt, 0).empty());

        // An empty projection and an unknown one have no pages.
        QVERIFY(store->projection("empty"));
        QVERIFY(store->projectionStatesPage("empty", std::nullopt, 1000).empty());
        QVERIFY(store->projectionStatesPage("nothing", std::nullopt, 1000).empty());
        QVERIFY(store->projectionStatesPage("nothing", std::string("a"), 1000).empty());
        QCOMPARE(statesText(readPaged(*store, "page", 1000)), std::string("={} acc-0={}"));
    }

    void shadowSwapAndRollback_data() { test::addBackendRows(); }
    void shadowSwapAndRollback()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        store->commitProjection(record("live", 100), { { { "a", "v1" }, { "b", "v1" } } });
        store->commitProjection(record("shadow", 200), { { { "a", "v2" }, { "c", "v2" } } });
        store->commitProjection(record("prev", 5), { { { "stale", "v0" } } });
        auto check = [&](const std::string& name, std::int64_t position, const std::string& states) {
            const auto found = store->projection(name);
            if (position < 0) {
                QVERIFY2(!found, name.c_str());
                QCOMPARE(store->projectionStateCount(name), 0);
                return;
            }
            QVERIFY2(found, name.c_str());
            QCOMPARE(found->position, position);
            QCOMPARE(statesText(store->projectionStates(name)), states);
        };

        // A missing shadow, or names that coincide, change nothing.
        QCOMPARE(kindOf([&] { store->replaceProjection("live", "nope", "prev"); }), ErrorKind::BadInput);
        try {
            store->replaceProjection("live", "nope", "prev");
        } catch (const Error& e) {
            QCOMPARE(std::string(e.what()), std::string("there is no projection named nope"));
        }
        QCOMPARE(kindOf([&] { store->replaceProjection("live", "live", "prev"); }), ErrorKind::BadInput);
        QCOMPARE(kindOf([&] { store->replaceProjection("live", "shadow", "shadow"); }), ErrorKind::BadInput);
        check("live", 100, "a=v1 b=v1");
        check("shadow", 200, "a=v2 c=v2");
        check("prev", 5, "stale=v0");

        // The swap: the old previous goes, live becomes previous, the shadow becomes live.
        store->replaceProjection("live", "shadow", "prev");
        check("live", 200, "a=v2 c=v2");
        check("prev", 100, "a=v1 b=v1");
        check("shadow", -1, "");
        QCOMPARE(store->projections().size(), 2u);

        // Rolling back is the same call with previous and shadow exchanged.
        store->replaceProjection("live", "prev", "shadow");
        check("live", 100, "a=v1 b=v1");
        check("shadow", 200, "a=v2 c=v2");
        check("prev", -1, "");

        // With no live projection, the shadow simply becomes live.
        store->replaceProjection("fresh", "shadow", "fresh-previous");
        check("fresh", 200, "a=v2 c=v2");
        check("fresh-previous", -1, "");
        check("shadow", -1, "");

        store->deleteProjection("fresh");
        check("fresh", -1, "");
        check("live", 100, "a=v1 b=v1");
    }
};

QTEST_GUILESS_MAIN(TestProjectionStore)
#include "tst_projection_store.moc"
