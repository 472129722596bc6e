#pragma once
// The stores opened lately, most recent first, kept in QSettings for the welcome page (DESIGN §9).
// A password never reaches the settings: it is taken out of every URI before it is written.

#include <QDateTime>
#include <QList>
#include <QString>

#include <memory>

class QSettings;

namespace eventscope {

struct RecentStore
{
    QString uri; // without a password
    QString kind; // "sqlite", "postgresql", ...
    QString displayName;
    QDateTime lastOpened; // UTC
};

class RecentStores
{
public:
    static constexpr int maxEntries = 12;

    // Uses the application's default QSettings.
    RecentStores();
    // Uses `settings`, which must outlive this object.
    explicit RecentStores(QSettings& settings);
    ~RecentStores();
    RecentStores(const RecentStores&) = delete;
    RecentStores& operator=(const RecentStores&) = delete;

    // Puts the store first, or moves it there when it is already listed.
    void add(const QString& uri, const QString& kind, const QDateTime& when = QDateTime::currentDateTimeUtc());
    void remove(const QString& uri);
    QList<RecentStore> list() const;

    // The URI with any password taken out: the user-information one and a `password=` parameter.
    static QString withoutPassword(const QString& uri);
    // A short name for a list: the file name of a SQLite store, "db on host:port" for PostgreSQL.
    static QString displayNameFor(const QString& uri);

private:
    void write(const QList<RecentStore>& stores);

    std::unique_ptr<QSettings> m_ownSettings;
    QSettings* m_settings;
};

} // namespace eventscope
