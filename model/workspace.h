#pragma once
// The workspace of a store Eventscope may not write to (DESIGN §3): a native SQLite file of its own, where the
// window keeps that store's projections, their states and its audit records. One per store, found again by the
// store's URI without its password.

#include <QString>

namespace eventscope {

// The workspace's path for `storeUri` (under the application's data folder). Does not create it.
QString workspacePathFor(const QString& storeUri);

// Creates the workspace when it does not exist yet and returns its path; throws Error(Unreachable) when it
// cannot be made. Call it off the UI thread.
QString ensureWorkspaceFor(const QString& storeUri);

} // namespace eventscope
