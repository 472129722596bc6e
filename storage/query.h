#pragma once
// What readers ask a store for: pages of events and of streams, always keyed, never offset.

#include "storage/event.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace eventscope {

struct EventQuery
{
    // True when nothing narrows a read of all events but the system-stream switch.
    bool isUnfiltered() const
    {
        return !stream && streams.empty() && types.empty() && !category && !correlation && !causation && !actor
            && !metadataContains && !since && !until;
    }

    std::optional<std::string> stream; // read one stream (ordered by version) instead of all (by position)
    std::vector<std::string> streams; // any of these streams, read by position (fromStreams)
    std::optional<std::int64_t> fromPosition; // inclusive; default: first (or last when backward)
    std::optional<std::int64_t> fromVersion; // inclusive, with `stream`
    bool backward = false;
    std::vector<std::string> types; // any of
    std::optional<std::string> category;
    std::optional<std::string> correlation;
    std::optional<std::string> causation;
    std::optional<std::string> actor;
    // The metadata's JSON text contains these bytes: a prefilter for reading derived fields by conventions
    // other than those the store derived when appending (DESIGN §2, configurable per connection).
    std::optional<std::string> metadataContains;
    std::optional<Micros> since; // inclusive
    std::optional<Micros> until; // inclusive
    bool includeSystem = false; // streams starting with '$' (always included when named in `stream` or `streams`)
    std::size_t limit = 1000;
};

struct EventPage
{
    std::vector<Event> events;
    // The key to ask for the next page with (fromPosition, or fromVersion for stream reads); empty at the end.
    std::optional<std::int64_t> next;
};

struct StreamInfo
{
    std::string name;
    std::string category;
    std::int64_t version = 0; // native: also the number of events
    std::int64_t count = 0;
    Micros firstTime = 0;
    Micros lastTime = 0;
    std::int64_t lastPosition = 0;
};

struct StreamQuery
{
    std::optional<std::string> category;
    std::optional<std::string> prefix;
    std::optional<std::string> after; // the last name of the previous page
    bool includeSystem = false;
    std::size_t limit = 1000;
};

struct CategoryQuery
{
    std::optional<std::string> after; // the last name of the previous page
    bool includeSystem = false;
    std::size_t limit = 1000;
};

struct CategoryInfo
{
    std::string name;
    std::int64_t streams = 0;
};

// How many events a query matches (its paging key aside), and the first and last of their positions.
struct EventCount
{
    std::int64_t count = 0;
    std::int64_t firstPosition = 0; // 0 when nothing matches
    std::int64_t lastPosition = 0;
    bool exact = true; // false when counted from position bounds that may have gaps
};

struct Snapshot
{
    std::string stream;
    std::int64_t version = 0;
    std::string reducer; // which reducer made it, e.g. "merge-patch" or "js:sha256-of-script"
    std::string state; // JSON text
    Micros time = 0;
};

struct PartitionState
{
    std::string partition; // "" for an unpartitioned projection
    std::string state; // JSON text
};

struct ProjectionRecord
{
    std::string name;
    std::int64_t position = 0; // the last position folded in
    std::string status; // "stopped", "running", "faulted", ...
    std::string definition; // the script, or whatever the runner wants to keep
    Micros updated = 0;
};

} // namespace eventscope
