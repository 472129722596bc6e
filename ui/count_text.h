#pragma once
// "1 event", "4 events", "12,345 events": counts as the window words them. English only for now: tr()'s %n
// needs a translation file to choose a plural, and the window ships none.

#include <QLocale>
#include <QString>

namespace eventscope {

inline QString countText(qint64 count, const QString& one, const QString& many)
{
    return QLocale().toString(count) + u' ' + (count == 1 ? one : many);
}

} // namespace eventscope
