#include "app/gui_main.h"

#include "resources/app_icon.h"
#include "ui/main_window.h"
#include "ui/theme.h"

#include <QApplication>
#include <QSettings>

namespace eventscope {

int runGui(int& argc, char** argv, const QString& store)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Eventscope"));
    QApplication::setOrganizationName(QStringLiteral("Eventscope"));
    QApplication::setDesktopFileName(QStringLiteral("eventscope"));
    QApplication::setWindowIcon(appIcon());
    applyTheme(themeFromName(QSettings().value(QStringLiteral("window/theme")).toString()));
    MainWindow window;
    window.show();
    if (!store.isEmpty())
        window.openStoreAsync(store);
    return QApplication::exec();
}

} // namespace eventscope
