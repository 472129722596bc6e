#pragma once

#include <QIcon>
#include <QString>

namespace eventscope {

// Where the icon built into the program lives in Qt's resource system.
QString appIconResourcePath();

// The window icon: the desktop theme's "eventscope" where the package installed one (a theme may restyle it),
// else the copy built into the program, so that a build run from its folder shows the same badge.
QIcon appIcon();

} // namespace eventscope
