#pragma once
// The filters that `read` and `export` share (DESIGN §8), and the keyed paging through store.read() that
// both use: one page in memory at a time, never the whole result.

#include "app/cli_parser.h"
#include "storage/event_store.h"

#include <cstdint>
#include <functional>
#include <optional>

namespace eventscope::cli {

// How many events one store.read() asks for.
inline constexpr std::int64_t kPageSize = 1000;
// What `read` and `streams` print without --limit.
inline constexpr std::int64_t kDefaultLineLimit = 1000;

// --stream, --from-position, --from-version, --limit, --backward, --type..., --category, --correlation,
// --causation, --actor, --since, --until, --system.
void addEventFilterOptions(Command& cmd);

struct EventSelection
{
    EventQuery query; // query.limit is set per page
    std::optional<std::int64_t> limit; // --limit
};

// Checks and converts the filter options; throws BadInput for the first bad one.
EventSelection eventSelection(const Command& cmd);

// Reads page after page from the selection's start, handing each event to `sink`, until the store has no
// more or `maxEvents` were handed over. Returns the key to continue from when events remain.
std::optional<std::int64_t> forEachEvent(
    EventStore& store, EventQuery query, std::int64_t maxEvents, const std::function<void(const Event&)>& sink);

} // namespace eventscope::cli
