#pragma once
// The window's colours: the system's, or Fusion with a light or dark palette of our own. Kept in QSettings.

#include <QString>

namespace eventscope {

enum class Theme { System, Light, Dark };

void applyTheme(Theme theme);
Theme themeFromName(const QString& name);
QString themeName(Theme theme);

} // namespace eventscope
