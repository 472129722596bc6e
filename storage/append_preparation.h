#pragma once
// What every native store does to an append before it touches its database: checks the input, parses the
// JSON once, makes missing IDs and times, and derives the convention fields (DESIGN §2). Nothing here writes.

#include "storage/event.h"

#include <span>
#include <string>
#include <vector>

namespace eventscope {

struct PreparedAppend
{
    std::string stream;
    std::string category;
    ExpectedVersion expected;
    std::vector<Event> events; // position, version and hash are filled in by the store
};

// Throws BadInput naming the stream and event for malformed JSON, an empty type, a bad ID or duplicate IDs.
std::vector<PreparedAppend> prepareAppend(std::span<const AppendRequest> requests);

// "wrong expected version for stream S: expected E, actual A"
[[noreturn]] void failWrongExpectedVersion(
    const std::string& stream, const ExpectedVersion& expected, std::int64_t actual);

// The events stored from some version on, as a store reads them to decide on a repeat.
struct StoredRun
{
    std::vector<std::string> ids;
    std::vector<std::int64_t> positions;
};

// The decision when a batch's first event ID is already stored (KurrentDB semantics): the result of the
// earlier append when the batch is an idempotent repeat of what is stored from that version on; throws
// BadInput (the ID is used elsewhere) or WrongExpectedVersion otherwise.
AppendResult idempotentRepeat(const PreparedAppend& append, const std::string& storedStream, std::int64_t storedVersion,
    StoredRun stored, std::int64_t currentVersion);

} // namespace eventscope
