#pragma once
// How the commands open stores and write files, so that a failure leaves nothing half-written (DESIGN §8):
// a store string is checked before anything is opened, and output files appear only complete (written to a temporary
// file and renamed).

#include "model/atomic_output_file.h"
#include "storage/event_store.h"

#include <QString>

#include <memory>
#include <string_view>

namespace eventscope::cli {

// Throws BadInput when the string names no store Eventscope knows; opens nothing.
void checkStoreString(const QString& store);

// Opens an existing store for reading; a missing one is "there is no event store at PATH" (exit 2).
std::unique_ptr<EventStore> openExistingStore(const QString& store);

// Opens a store for writing, creating a missing native store.
std::unique_ptr<EventStore> openStoreForWriting(const QString& store);

// True when the string names a SQLite file that does not exist yet (opening it for writing would create it).
bool isMissingSqliteStore(const QString& store);

using eventscope::AtomicOutputFile;

} // namespace eventscope::cli
