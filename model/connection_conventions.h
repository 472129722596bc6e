#pragma once
// The conventions of DESIGN §2 as a person set them for one connection, kept with QSettings (§9) under the
// store's settings key. A connection nobody configured reads by the built-in defaults.

#include "storage/conventions.h"

#include <QString>

namespace eventscope {

// `storeKey` is the store's settings group, e.g. "stores/<percent-encoded URI without password>".
Conventions loadConventions(const QString& storeKey);
// Defaults are stored as nothing, so that a later change of the defaults reaches the connection.
void saveConventions(const QString& storeKey, const Conventions& conventions);

} // namespace eventscope
