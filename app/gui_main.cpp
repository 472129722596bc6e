#include "app/gui_main.h"

#include "ui/main_window.h"

#include <QApplication>

namespace eventscope {

int runGui(int& argc, char** argv, const QString& store)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Eventscope"));
    QApplication::setOrganizationName(QStringLiteral("Eventscope"));
    MainWindow window;
    window.show();
    if (!store.isEmpty())
        window.openStoreAsync(store);
    return QApplication::exec();
}

} // namespace eventscope
