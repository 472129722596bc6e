#include "model/workspace.h"

#include "model/recent_stores.h"
#include "storage/event_store.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace eventscope {

QString workspacePathFor(const QString& storeUri)
{
    const QByteArray key = RecentStores::withoutPassword(storeUri).toUtf8();
    const QString name
        = QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(24));
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("workspaces/") + name + QStringLiteral(".db"));
}

QString ensureWorkspaceFor(const QString& storeUri)
{
    const QString path = workspacePathFor(storeUri);
    QDir().mkpath(QFileInfo(path).absolutePath());
    openStore(path.toStdString(), true); // made once; opening it again only checks it
    return path;
}

} // namespace eventscope
