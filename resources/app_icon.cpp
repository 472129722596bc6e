#include "resources/app_icon.h"

namespace eventscope {

QString appIconResourcePath()
{
    return QStringLiteral(":/icons/eventscope.svg");
}

QIcon appIcon()
{
    return QIcon::fromTheme(QStringLiteral("eventscope"), QIcon(appIconResourcePath()));
}

} // namespace eventscope
