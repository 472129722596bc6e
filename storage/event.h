#pragma once
// The event record every store yields (DESIGN §2), and what callers hand to append.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace eventscope {

// Microseconds since the Unix epoch, UTC.
using Micros = std::int64_t;

struct Event
{
    std::int64_t position = 0;
    std::string stream;
    std::int64_t version = 0;
    std::string id;
    std::string type;
    Micros time = 0;
    std::string data; // JSON text (a foreign store may hold bytes that are not JSON)
    std::string metadata; // JSON text
    // Derived by the conventions of DESIGN §2; empty when absent.
    std::string correlation;
    std::string causation;
    std::string actor;
    std::optional<std::int64_t> schemaVersion;
    std::string hash; // hex SHA-256 chained to the previous event of the stream (native stores)
};

// The part before the first '-', or the whole name when there is none.
std::string categoryOf(const std::string& stream);
inline bool isSystemStream(const std::string& stream)
{
    return !stream.empty() && stream.front() == '$';
}

struct NewEvent
{
    std::string id; // empty: the store makes a UUID
    std::string type;
    std::string data = "{}"; // JSON text
    std::string metadata = "{}"; // JSON text
    std::optional<Micros> time; // empty: now
};

struct ExpectedVersion
{
    enum class Kind { Any, NoStream, Exists, Exact };
    Kind kind = Kind::Any;
    std::int64_t version = 0; // for Exact

    static ExpectedVersion any() { return {}; }
    static ExpectedVersion noStream() { return { Kind::NoStream, 0 }; }
    static ExpectedVersion exists() { return { Kind::Exists, 0 }; }
    static ExpectedVersion exact(std::int64_t v) { return { Kind::Exact, v }; }
    // "any", "no-stream", "exists" or a number >= 0 (0 means the stream has no events yet).
    static ExpectedVersion parse(const std::string& text);
    std::string toString() const;
    // Whether a stream at `actual` (0 when it does not exist) satisfies this expectation.
    bool matches(std::int64_t actual) const;
};

struct AppendRequest
{
    std::string stream;
    ExpectedVersion expected;
    std::vector<NewEvent> events;
};

struct AppendResult
{
    std::string stream;
    std::int64_t firstVersion = 0;
    std::int64_t lastVersion = 0; // the stream's version after the append
    std::int64_t firstPosition = 0;
    std::int64_t lastPosition = 0;
    bool idempotent = false; // the same event IDs were already there: nothing was written
    std::vector<std::string> ids;
};

} // namespace eventscope
