#pragma once
// Projection scripts shared by tst_js_projection and tst_projection_runner (they live here because Qt 6.4's moc
// mis-parses raw strings with quotes or backslashes in a file that has Q_OBJECT), and the runner test's events:
// generated from a seed, appended, and folded by oracles written in C++.

#include "storage/event_store.h"
#include "storage/time_format.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace eventscope::test_scripts {

// Each event's fields under both naming sets, kept per event ID.
inline constexpr const char* kFields = R"(fromAll().when({
    $any: function (s, e) {
        s[e.id] = { type: e.type, eventType: e.eventType, stream: e.stream, streamId: e.streamId,
            version: e.version, sequenceNumber: e.sequenceNumber, position: e.position, id: e.id,
            eventId: e.eventId, data: e.data, body: e.body === undefined ? 'undefined' : e.body,
            bodyRaw: e.bodyRaw, metadata: e.metadata, metadataRaw: e.metadataRaw, isJson: e.isJson,
            partition: e.partition, time: e.time };
    }
});)";

// What kFields keeps for the two events of TestJsProjection::eventFields (the second's data is not JSON).
inline constexpr const char* kFieldsExpected = R"({
    "id-1": {"type":"Placed","eventType":"Placed","stream":"order-12","streamId":"order-12","version":1,
        "sequenceNumber":0,"position":1,"id":"id-1","eventId":"id-1","data":{"lines":[1,2]},
        "body":{"lines":[1,2]},"bodyRaw":"{\"lines\":[1,2]}","metadata":{"userId":"u-1"},
        "metadataRaw":"{\"userId\":\"u-1\"}","isJson":true,"partition":"","time":"2024-01-15T14:00:01.000000Z"},
    "id-2": {"type":"Noted","eventType":"Noted","stream":"order-12","streamId":"order-12","version":2,
        "sequenceNumber":1,"position":2,"id":"id-2","eventId":"id-2","data":"plain text",
        "body":"undefined","bodyRaw":"plain text","metadata":{"a":1},
        "metadataRaw":"{\"a\":1}","isJson":false,"partition":"","time":"2024-01-15T14:00:02.000000Z"}})";

// foreachStream: a count and the versions seen, per stream.
inline constexpr const char* kPerStream = R"(fromAll().foreachStream().when({
    $init: function () { return { n: 0, versions: [] }; },
    $any: function (s, e) { s.n++; s.versions.push(e.version); s.partition = e.partition; }
});)";

// partitionBy the data's key k: undefined and null go to the root partition "".
inline constexpr const char* kByKey = R"(fromAll().partitionBy(function (e) { return e.data.k; }).when({
    $init: function () { return { n: 0 }; },
    $any: function (s, e) { s.n++; s.partition = e.partition; }
});)";

// Per-type handlers, $any for the rest, a returned value replacing the state, $created once a partition.
inline constexpr const char* kWhen = R"(fromAll().foreachStream().when({
    $init: function () { return { n: 100, typed: 0, any: 0, created: 0 }; },
    $created: function (s, e) { s.created++; s.createdAt = e.version; },
    Typed: function (s, e) { s.typed++; s.n++; },
    Replace: function (s, e) { return { replaced: e.data.v, created: s.created }; },
    $any: function (s, e) { s.any++; s.n++; return undefined; }
});)";

// $initShared: every handler sees [state, shared].
inline constexpr const char* kBiState = R"(fromAll().foreachStream().when({
    $init: function () { return { n: 0 }; },
    $initShared: function () { return { total: 0, arrays: 0 }; },
    Count: function (s, e) { if (Array.isArray(s)) s[1].arrays++; s[0].n++; s[1].total++; },
    Replace: function (s, e) { return [{ n: s[0].n + 10 }, { total: s[1].total + 10, arrays: s[1].arrays }]; }
});)";

// transformBy and filterBy run in the order written: the filter reads what the first transform made.
inline constexpr const char* kTransforms = R"(fromAll().foreachStream().when({
    $init: function () { return { n: 0 }; },
    $any: function (s) { s.n++; }
}).transformBy(function (s) { return { doubled: s.n * 2 }; })
  .filterBy(function (s) { return s.doubled > 2; })
  .transformBy(function (s) { s.tag = 'kept'; }))";

inline constexpr const char* kOutput = R"(options({ resultStreamName: 'totals', reorderEvents: false });
fromCategory('account').when({ $any: function (s) { s.n = (s.n || 0) + 1; } }).outputState();)";

// emit, linkTo and log; an event with data.fail throws after emitting.
inline constexpr const char* kEmitter = R"(fromAll().when({
    $init: function () { return { n: 0 }; },
    $any: function (s, e) {
        emit('out-' + e.stream, 'Seen', { v: e.version, from: e.id }, { cause: e.id });
        linkTo('links', e);
        log('event', e.position, { type: e.type });
        if (e.data.fail) throw new Error('failed on ' + e.stream + ' version ' + e.version);
        s.n++;
    }
});)";

// A balance per stream that throws on a poisoned event after touching the state.
inline constexpr const char* kPoisonBank = R"(fromAll().foreachStream().when({
    $init: function () { return { balance: 0, n: 0 }; },
    MoneyDeposited: function (s, e) {
        s.balance += e.data.amount; s.n++;
        if (e.data.poison) throw new Error('poisoned deposit ' + e.data.amount);
    },
    MoneyWithdrawn: function (s, e) { s.balance -= e.data.amount; s.n++; }
});)";

inline constexpr const char* kPoisonPartitionBy = R"(fromAll().partitionBy(function (e) {
    if (e.data.poison) throw new Error('no partition for ' + e.id);
    return e.stream;
}).when({ $any: function (s) { s.n = (s.n || 0) + 1; } });)";

inline constexpr const char* kSpin = R"(fromAll().when({
    $init: function () { return { n: 0 }; },
    $any: function (s, e) { if (e.data.spin) { for (;;) {} } s.n++; }
});)";

// ---- Runner scripts ----

// Deposits minus withdrawals, per stream.
inline constexpr const char* kBalances = R"(fromCategory('account').foreachStream().when({
    $init: function () { return { balance: 0 }; },
    MoneyDeposited: function (s, e) { s.balance += e.data.amount; },
    MoneyWithdrawn: function (s, e) { s.balance -= e.data.amount; }
});)";

// Events per actor (the metadata's userId, also e.actor); counts a mismatch of the two so the test sees it.
inline constexpr const char* kPerActor = R"(fromAll().partitionBy(function (e) { return e.metadata.userId; }).when({
    $init: function () { return { count: 0, mismatches: 0 }; },
    $any: function (s, e) { s.count++; if (e.actor !== e.partition) s.mismatches++; }
});)";

// Events per type, one state.
inline constexpr const char* kPerType = R"(fromAll().when({
    $init: function () { return {}; },
    $any: function (s, e) { s[e.type] = (s[e.type] || 0) + 1; }
});)";

// Events per type, throwing on the one event whose data says poison.
inline constexpr const char* kPerTypePoison = R"(fromAll().when({
    $init: function () { return {}; },
    $any: function (s, e) {
        s[e.type] = (s[e.type] || 0) + 1;
        if (e.data.poison) throw new Error('poisoned event in ' + e.stream);
    }
});)";

// Events per type, emitting one event into a stream fromAll() reads for every deposit.
inline constexpr const char* kPerTypeEmitting = R"(fromAll().when({
    $init: function () { return {}; },
    $any: function (s, e) {
        s[e.type] = (s[e.type] || 0) + 1;
        if (e.type === 'MoneyDeposited') emit('derived-1', 'Derived', { from: e.id }, { note: 'derived' });
    }
});)";

// The shadow rebuild's v2: fees are now subtracted, account-0 is left out, and any stream with deposits counts
// (note-1 appears). It emits, which a shadow run must not write.
inline constexpr const char* kBalancesV2 = R"(fromStreamsMatching(function (s) { return s !== 'account-0'; })
.foreachStream().when({
    $init: function () { return { balance: 0 }; },
    MoneyDeposited: function (s, e) { s.balance += e.data.amount; emit('shadow-out', 'X', {}); },
    MoneyWithdrawn: function (s, e) { s.balance -= e.data.amount + (e.data.fee || 0); }
});)";

// One event per stream counted; every partition's state says how many events it saw.
inline constexpr const char* kCountPerStream = R"(fromAll().foreachStream().when({
    $any: function (s) { s.n = (s.n || 0) + 1; }
});)";

// ---- The runner test's events and their oracles ----

// An event as the test planned it, before the store gave it a position.
struct Planned
{
    std::string stream;
    std::string type;
    int amount = 0;
    int fee = 0;
    std::string user; // empty: no userId in the metadata
    bool poison = false;
    Micros time = 0;
};

inline const Micros kStart = parseTime("2024-03-01T00:00:00Z");

// Events over `streams` account streams: deposits, withdrawals and notes with random amounts and actors.
inline std::vector<Planned> generate(int count, int streams, unsigned seed, int poisonAt = -1)
{
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> stream(0, streams - 1), amount(1, 500), kind(0, 19), user(0, 6);
    std::vector<Planned> out;
    for (int i = 0; i < count; ++i) {
        Planned p;
        p.stream = "account-" + std::to_string(stream(random));
        const int k = kind(random);
        p.type = k < 10 ? "MoneyDeposited" : k < 17 ? "MoneyWithdrawn" : "AccountNoted";
        p.amount = amount(random);
        if (k != 0) // about one event in twenty has no actor
            p.user = "u-" + std::to_string(user(random));
        p.poison = i == poisonAt;
        p.time = kStart + Micros(i) * 1'000'000;
        out.push_back(std::move(p));
    }
    return out;
}

inline NewEvent toNew(const Planned& p)
{
    nlohmann::json data { { "amount", p.amount } };
    if (p.fee)
        data["fee"] = p.fee;
    if (p.poison)
        data["poison"] = true;
    NewEvent e;
    e.type = p.type;
    e.data = data.dump();
    e.metadata = p.user.empty() ? "{}" : nlohmann::json { { "userId", p.user } }.dump();
    e.time = p.time;
    return e;
}

// Appends in store order, a few hundred events a transaction.
inline void appendAll(EventStore& store, std::span<const Planned> planned)
{
    for (std::size_t from = 0; from < planned.size(); from += 500) {
        std::vector<AppendRequest> requests;
        for (std::size_t i = from; i < std::min(planned.size(), from + 500); ++i) {
            if (requests.empty() || requests.back().stream != planned[i].stream)
                requests.push_back({ planned[i].stream, ExpectedVersion::any(), {} });
            requests.back().events.push_back(toNew(planned[i]));
        }
        store.append(requests);
    }
}

inline std::vector<Event> readAll(EventStore& store, EventQuery query = {})
{
    std::vector<Event> out;
    for (;;) {
        query.limit = 5000;
        EventPage page = store.read(query);
        out.insert(out.end(), page.events.begin(), page.events.end());
        if (!page.next || page.events.empty())
            return out;
        query.fromPosition = *page.next;
    }
}

// kBalances: deposits minus withdrawals per account stream; with v2, kBalancesV2 (fees, no account-0, note-1).
inline nlohmann::json balancesOracle(std::span<const Planned> planned, bool v2 = false)
{
    nlohmann::json out = nlohmann::json::object();
    for (const Planned& p : planned) {
        if (p.type == "AccountNoted" || (v2 && p.stream == "account-0") || (!v2 && p.stream.rfind("account-", 0) != 0))
            continue;
        nlohmann::json& s = out[p.stream];
        const int before = s.is_null() ? 0 : s["balance"].get<int>();
        const int change = p.type == "MoneyDeposited" ? p.amount : -p.amount - (v2 ? p.fee : 0);
        s = { { "balance", before + change } };
    }
    return out;
}

// kPerActor: events per userId, "" for events without one.
inline nlohmann::json actorOracle(std::span<const Planned> planned)
{
    std::map<std::string, int> counts;
    for (const Planned& p : planned)
        ++counts[p.user];
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [user, n] : counts)
        out[user] = { { "count", n }, { "mismatches", 0 } };
    return out;
}

// kPerType: events per type in the one root partition.
inline nlohmann::json typeOracle(std::span<const Planned> planned)
{
    nlohmann::json counts = nlohmann::json::object();
    for (const Planned& p : planned)
        counts[p.type] = counts.value(p.type, 0) + 1;
    return { { "", counts } };
}

} // namespace eventscope::test_scripts
