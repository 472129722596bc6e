#pragma once
// A projection's partition states written to a file (DESIGN §5, §9): CSV (a "partition,state" header, then one
// row a partition, quoted as RFC 4180 says) or NDJSON ({"partition","state"} a line, the state as a JSON value).
// The file appears whole or not at all (QSaveFile), and is written a thousand states at a time.

#include "model/event_text.h" // csvField

#include <QString>

#include <atomic>
#include <cstdint>
#include <string>

namespace eventscope {

class EventStore;

enum class ProjectionExportFormat { Csv, Ndjson };

// CSV for a name ending ".csv" (any case), NDJSON otherwise.
ProjectionExportFormat projectionExportFormatFor(const QString& path);

// Writes the states of projection `name` kept in `target` to `path`; returns how many were written. Throws
// Error(BadInput) when the file cannot be written and Error(Cancelled) when `cancel` was set (nothing is left).
std::int64_t exportProjectionStates(EventStore& target, const std::string& name, const QString& path,
    ProjectionExportFormat format, const std::atomic<bool>* cancel = nullptr);

} // namespace eventscope
