#pragma once
// A store for the Projections tab's model tests: order streams whose events carry notes with commas, quotes and
// line breaks, what the test wrote (the oracle), and the scripts that count them.

#include "model/projection_runner.h"
#include "storage/event_store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <string>

namespace eventscope::test {

// Counts each stream's events and keeps the last note, which holds commas, quotes and line breaks.
inline const char* const kCountScript = "fromAll().foreachStream().when({\n"
                                        "  $init: function () { return { note: '', count: 0 }; },\n"
                                        "  $any: function (s, e) { s.count += 1; s.note = e.data.note; }\n"
                                        "});\n";
// Throws on the event whose data says so.
inline const char* const kFaultScript = "fromAll().foreachStream().when({\n"
                                        "  $init: function () { return { count: 0 }; },\n"
                                        "  $any: function (s, e) { if (e.data.bad) throw new Error('bad event ' + "
                                        "e.position); s.count += 1; }\n"
                                        "});\n";

struct Expected
{
    int count = 0;
    std::string note;
};

// What the test wrote: each stream's count and last note, and the last position.
struct Written
{
    std::map<std::string, Expected> streams;
    std::int64_t lastPosition = 0;
    std::int64_t events = 0;
};

inline std::string noteFor(const std::string& stream, int version)
{
    const char tag = char('a' + (stream.back() - '0') % 3);
    return "tag-" + std::string(1, tag) + ", \"" + stream + "\"\nline " + std::to_string(version);
}

// `streams` streams order-0 … with 1 + i % 4 events each, appended `rounds` times.
inline void fill(const std::string& uri, int streams, Written& written, int rounds = 1)
{
    auto store = openStore(uri, true);
    for (int round = 0; round < rounds; ++round) {
        std::vector<AppendRequest> requests;
        for (int i = 0; i < streams; ++i) {
            const std::string stream = "order-" + std::to_string(i);
            AppendRequest request { stream, ExpectedVersion::any(), {} };
            for (int n = 0; n < 1 + i % 4; ++n) {
                Expected& expected = written.streams[stream];
                ++expected.count;
                expected.note = noteFor(stream, expected.count);
                NewEvent event;
                event.type = n % 2 ? "ItemAdded" : "OrderPlaced";
                event.data = nlohmann::json { { "note", expected.note } }.dump();
                request.events.push_back(event);
            }
            requests.push_back(std::move(request));
        }
        for (const AppendResult& result : store->append(requests)) {
            written.lastPosition = std::max(written.lastPosition, result.lastPosition);
            written.events += result.lastVersion - result.firstVersion + 1;
        }
    }
}

inline ProjectionRunResult runNow(const std::string& uri, const std::string& name, const std::string& script)
{
    auto source = openStore(uri);
    auto target = openStore(uri);
    ProjectionRunOptions options;
    options.name = name;
    options.script = script;
    ProjectionRunner runner(*source, *target, options);
    ProjectionControl control;
    return runner.run(control);
}

} // namespace eventscope::test
