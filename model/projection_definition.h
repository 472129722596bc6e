#pragma once
// What a projection script defines (DESIGN §5), read once its top level has run: where its events come from,
// how they are partitioned, and what it outputs.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace eventscope {

struct ProjectionSource
{
    enum class Kind { All, Stream, Streams, Category };
    Kind kind = Kind::All;
    std::vector<std::string> streams; // Stream (one) and Streams
    std::string category; // Category
    bool matching = false; // fromStreamsMatching: all streams, filtered in the script

    // "fromAll()", "fromCategory('account')", ...: how the window and `projection status` show it.
    std::string describe() const;
};

struct ProjectionDefinition
{
    enum class Partitioning { None, ByStream, ByFunction };
    ProjectionSource source;
    Partitioning partitioning = Partitioning::None;
    bool biState = false; // $initShared: handlers see [state, sharedState]
    bool outputState = false; // writes each changed result to the result stream
    int transforms = 0; // transformBy and filterBy steps
    std::optional<std::vector<std::string>> types; // the types with a handler; none when $any takes all
    std::string resultStreamName; // options.resultStreamName, else $projections-<name>-result
    std::string optionsJson = "{}"; // every option given, as JSON

    bool partitioned() const { return partitioning != Partitioning::None; }
};

// The partition that holds the shared state of a projection with $initShared.
inline const std::string kSharedPartition = "$shared";

} // namespace eventscope
