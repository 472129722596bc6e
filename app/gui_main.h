#pragma once
// Opens the window (DESIGN §9). The only part of the command line that needs a display.

#include <QString>

namespace eventscope {

// Creates the QApplication and runs its event loop; `store` may be empty (the welcome page).
int runGui(int& argc, char** argv, const QString& store);

} // namespace eventscope
