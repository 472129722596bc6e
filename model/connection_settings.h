#pragma once
// A PostgreSQL connection as the connection dialog edits it, and the STORE URI it stands for (DESIGN §3).
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
    QString host = QStringLiteral("localhost");
    int port = 5432;
    QString database = QStringLiteral("postgres");
    QString user;
    QString password;
    QString sslMode = QStringLiteral("prefer"); // a libpq sslmode
    QString schema = QStringLiteral("eventscope");
    // Other libpq parameters of a parsed URI (connect_timeout, application_name, ...), kept so that a URI
    // read back and built again still means the same connection.
    QList<QPair<QString, QString>> otherParameters;

    static QStringList sslModes();

    // postgresql://user:password@host:port/db?sslmode=…&schema=…, user, password and database percent-encoded.
    QString storeUri() const;
    QString storeUriWithoutPassword() const;
    // The name a password is kept under in a keychain: host:port/db/user.
    QString keychainKey() const;
    // A message naming what is wrong (empty host, schema that is no plain identifier, ...), or empty.
    QString validationError() const;

    // Reads a postgresql:// or postgres:// URI back. Returns nothing, and a sentence in *error, for any
    // other string or one with several hosts.
    static std::optional<ConnectionSettings> fromStoreUri(const QString& uri, QString* error = nullptr);

    bool operator==(const ConnectionSettings&) const = default;
};

// Opens the store off the calling thread, on a connection of its own, and reports its kind and head.
QFuture<ConnectionTestResult> testConnection(const ConnectionSettings& settings);

} // namespace eventscope
