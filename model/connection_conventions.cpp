#include "model/connection_conventions.h"

#include "storage/error.h"

#include <QSettings>

namespace eventscope {

namespace {

QString settingsName(const QString& storeKey)
{
    return storeKey + QStringLiteral("/conventions");
}

} // namespace

Conventions loadConventions(const QString& storeKey)
{
    const QString text = QSettings().value(settingsName(storeKey)).toString();
    if (text.isEmpty())
        return {};
    try {
        return Conventions::fromJson(text.toStdString());
    } catch (const Error&) {
        // Settings edited by hand into something unreadable: the defaults still show the store.
        return {};
    }
}

void saveConventions(const QString& storeKey, const Conventions& conventions)
{
    QSettings settings;
    if (conventions == Conventions::defaults())
        settings.remove(settingsName(storeKey));
    else
        settings.setValue(settingsName(storeKey), QString::fromStdString(conventions.toJson()));
}

} // namespace eventscope
