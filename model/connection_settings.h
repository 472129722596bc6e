#pragma once
// A PostgreSQL connection as the connection dialog edits it, and the STORE URI it stands for (DESIGN §3): an
// Eventscope store, or one another system wrote (Message DB, Emmett, any events table), read through an adapter.
// The password lives only in this value, in memory: whatever keeps settings keeps them without it.

#include <QFuture>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace eventscope {

struct ConnectionTestResult
{
    bool ok = false;
    QString kind; // "postgresql", or the kind of foreign store found there
    qint64 headPosition = 0;
    QString message; // the error sentence when !ok
};

struct ConnectionSettings
{
    // What the database holds, and so the prefix of the STORE URI.
    enum class StoreKind {
        Native, // postgresql://…?schema=NAME
        MessageDb, // messagedb+postgresql://…
        Emmett, // emmett+postgresql://…
        MappedTable, // mapped+postgresql://…?table=[SCHEMA.]NAME[&mapping=FILE]
    };

    StoreKind kind = StoreKind::Native;
    QString host = QStringLiteral("localhost");
    int port = 5432;
    QString database = QStringLiteral("postgres");
    QString user;
    QString password;
    QString sslMode = QStringLiteral("prefer"); // a libpq sslmode
    // Native: the store's schema. A foreign kind writes it only when set: empty leaves the adapter's own default
    // (public, where other systems' tables usually are).
    QString schema = QStringLiteral("eventscope");
    // MappedTable: the table, and the mapping file that names its columns (empty: guessed from the names). Both go
    // into the URI as they are, since the storage layer reads them without percent-decoding.
    QString table;
    QString mappingFile;
    // Other libpq parameters of a parsed URI (connect_timeout, application_name, ...), kept so that a URI
    // read back and built again still means the same connection.
    QList<QPair<QString, QString>> otherParameters;

    static QStringList sslModes();
    // "", "messagedb+", "emmett+", "mapped+".
    static QString prefixOf(StoreKind kind);

    // [PREFIX]postgresql://user:password@host:port/db?sslmode=…&schema=…[&table=…&mapping=…], user, password and
    // database percent-encoded.
    QString storeUri() const;
    QString storeUriWithoutPassword() const;
    // The name a password is kept under in a keychain: host:port/db/user.
    QString keychainKey() const;
    // A message naming what is wrong (empty host, schema that is no plain identifier, ...), or empty.
    QString validationError() const;

    // Reads a postgresql:// or postgres:// URI back, also with a messagedb+, emmett+ or mapped+ prefix. Returns
    // nothing, and a sentence in *error, for any other string, one with several hosts, or a mapped one without
    // ?table=.
    static std::optional<ConnectionSettings> fromStoreUri(const QString& uri, QString* error = nullptr);

    bool operator==(const ConnectionSettings&) const = default;
};

// Opens the store off the calling thread, on a connection of its own, and reports its kind and head.
QFuture<ConnectionTestResult> testConnection(const ConnectionSettings& settings);

} // namespace eventscope
