#include "model/connection_settings.h"

#include "storage/error.h"
#include "storage/event_store.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

namespace eventscope {
namespace {

QString encode(const QString& text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

QString decode(QStringView text)
{
    return QUrl::fromPercentEncoding(text.toUtf8());
}

QString translate(const char* text)
{
    return QCoreApplication::translate("eventscope::ConnectionSettings", text);
}

QString buildUri(const ConnectionSettings& s, bool withPassword)
{
    using Kind = ConnectionSettings::StoreKind;
    QString uri = ConnectionSettings::prefixOf(s.kind) + QStringLiteral("postgresql://");
    if (!s.user.isEmpty()) {
        uri += encode(s.user);
        if (withPassword && !s.password.isEmpty())
            uri += QLatin1Char(':') + encode(s.password);
        uri += QLatin1Char('@');
    }
    // libpq reads a host starting with '/' as a Unix-socket folder, which must be percent-encoded in a URI;
    // an IPv6 address goes in brackets.
    if (s.host.contains(QLatin1Char(':')))
        uri += QLatin1Char('[') + s.host + QLatin1Char(']');
    else
        uri += encode(s.host);
    uri += QLatin1Char(':') + QString::number(s.port) + QLatin1Char('/') + encode(s.database);
    uri += QLatin1String("?sslmode=") + encode(s.sslMode);
    if (s.kind == Kind::Native || !s.schema.isEmpty())
        uri += QLatin1String("&schema=") + encode(s.schema);
    if (s.kind == Kind::MappedTable) {
        uri += QLatin1String("&table=") + s.table;
        if (!s.mappingFile.isEmpty())
            uri += QLatin1String("&mapping=") + s.mappingFile;
    }
    for (const auto& [key, value] : s.otherParameters)
        uri += QLatin1Char('&') + encode(key) + QLatin1Char('=') + encode(value);
    return uri;
}

std::optional<ConnectionSettings> refuse(QString* error, const QString& message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

} // namespace

QStringList ConnectionSettings::sslModes()
{
    return { QStringLiteral("disable"), QStringLiteral("allow"), QStringLiteral("prefer"), QStringLiteral("require"),
        QStringLiteral("verify-ca"), QStringLiteral("verify-full") };
}

QString ConnectionSettings::prefixOf(StoreKind kind)
{
    switch (kind) {
    case StoreKind::Native:
        break;
    case StoreKind::MessageDb:
        return QStringLiteral("messagedb+");
    case StoreKind::Emmett:
        return QStringLiteral("emmett+");
    case StoreKind::MappedTable:
        return QStringLiteral("mapped+");
    }
    return {};
}

QString ConnectionSettings::storeUri() const
{
    return buildUri(*this, true);
}

QString ConnectionSettings::storeUriWithoutPassword() const
{
    return buildUri(*this, false);
}

QString ConnectionSettings::keychainKey() const
{
    return host + QLatin1Char(':') + QString::number(port) + QLatin1Char('/') + database + QLatin1Char('/') + user;
}

QString ConnectionSettings::validationError() const
{
    if (host.trimmed().isEmpty())
        return translate("Give the host name or address of the PostgreSQL server.");
    if (port < 1 || port > 65535)
        return translate("The port must be between 1 and 65535.");
    if (database.trimmed().isEmpty())
        return translate("Give the name of the database.");
    if (!sslModes().contains(sslMode))
        return translate("'%1' is not an SSL mode PostgreSQL knows.").arg(sslMode);
    // The same rule as the store's own parser, so the dialog says it before the store refuses it.
    static const QRegularExpression identifier(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,62}$"));
    if ((kind == StoreKind::Native || !schema.isEmpty()) && !identifier.match(schema).hasMatch())
        return translate("The schema '%1' is not a plain PostgreSQL identifier (letters, digits and _, at most 63).")
            .arg(schema);
    if (kind != StoreKind::MappedTable)
        return {};
    if (table.trimmed().isEmpty())
        return translate("Give the name of the events table.");
    // The STORE keeps both as they are (the storage layer does not percent-decode them), so '&' would end them.
    if (table.contains(QLatin1Char('&')))
        return translate("The table name '%1' contains '&', which a STORE URI cannot carry.").arg(table);
    if (mappingFile.contains(QLatin1Char('&')))
        return translate("The mapping file's path %1 contains '&', which a STORE URI cannot carry: save it under "
                         "another name.")
            .arg(mappingFile);
    return {};
}

std::optional<ConnectionSettings> ConnectionSettings::fromStoreUri(const QString& uri, QString* error)
{
    QStringView rest(uri);
    ConnectionSettings s;
    for (const StoreKind kind : { StoreKind::MessageDb, StoreKind::Emmett, StoreKind::MappedTable }) {
        if (rest.startsWith(prefixOf(kind))) {
            s.kind = kind;
            s.schema.clear(); // the adapter's own default unless the URI names one
            rest = rest.mid(prefixOf(kind).size());
            break;
        }
    }
    if (rest.startsWith(QLatin1String("postgresql://")))
        rest = rest.mid(13);
    else if (rest.startsWith(QLatin1String("postgres://")))
        rest = rest.mid(11);
    else
        return refuse(error, translate("'%1' is not a postgresql:// URI.").arg(uri));

    s.host.clear();
    s.database.clear();
    qsizetype authorityEnd = 0;
    while (
        authorityEnd < rest.size() && rest[authorityEnd] != QLatin1Char('/') && rest[authorityEnd] != QLatin1Char('?'))
        ++authorityEnd;
    QStringView authority = rest.left(authorityEnd);
    rest = rest.mid(authorityEnd);

    // libpq ends the user information at the first '@'.
    if (const auto at = authority.indexOf(QLatin1Char('@')); at >= 0) {
        const QStringView userInfo = authority.left(at);
        const auto colon = userInfo.indexOf(QLatin1Char(':'));
        s.user = decode(colon < 0 ? userInfo : userInfo.left(colon));
        if (colon >= 0)
            s.password = decode(userInfo.mid(colon + 1));
        authority = authority.mid(at + 1);
    }
    if (authority.contains(QLatin1Char(',')))
        return refuse(error, translate("'%1' names several hosts; the connection dialog takes one.").arg(uri));
    QStringView portText;
    if (authority.startsWith(QLatin1Char('['))) {
        const auto close = authority.indexOf(QLatin1Char(']'));
        if (close < 0)
            return refuse(error, translate("The IPv6 address in '%1' has no closing bracket.").arg(uri));
        s.host = authority.mid(1, close - 1).toString();
        const QStringView after = authority.mid(close + 1);
        if (after.startsWith(QLatin1Char(':')))
            portText = after.mid(1);
    } else {
        const auto colon = authority.lastIndexOf(QLatin1Char(':'));
        s.host = decode(colon < 0 ? authority : authority.left(colon));
        if (colon >= 0)
            portText = authority.mid(colon + 1);
    }
    if (!portText.isEmpty()) {
        bool ok = false;
        s.port = portText.toInt(&ok);
        if (!ok || s.port < 1 || s.port > 65535)
            return refuse(error, translate("'%1' is not a port number.").arg(portText.toString()));
    }

    QStringView query;
    if (const auto question = rest.indexOf(QLatin1Char('?')); question >= 0) {
        query = rest.mid(question + 1);
        rest = rest.left(question);
    }
    if (rest.startsWith(QLatin1Char('/')))
        s.database = decode(rest.mid(1));
    for (const QStringView part : query.split(QLatin1Char('&'), Qt::SkipEmptyParts)) {
        const auto equals = part.indexOf(QLatin1Char('='));
        const QString key = decode(equals < 0 ? part : part.left(equals));
        const QString value = equals < 0 ? QString() : decode(part.mid(equals + 1));
        // Kept as written, as the storage layer reads them.
        const QString raw = equals < 0 ? QString() : part.mid(equals + 1).toString();
        if (s.kind == StoreKind::MappedTable && key == QLatin1String("table"))
            s.table = raw;
        else if (s.kind == StoreKind::MappedTable && key == QLatin1String("mapping"))
            s.mappingFile = raw;
        else if (key == QLatin1String("sslmode"))
            s.sslMode = value;
        else if (key == QLatin1String("schema"))
            s.schema = value;
        else if (key == QLatin1String("password"))
            s.password = value;
        else if (key == QLatin1String("user"))
            s.user = value;
        else if (key == QLatin1String("dbname"))
            s.database = value;
        else
            s.otherParameters.append({ key, value });
    }
    if (s.kind == StoreKind::MappedTable && s.table.isEmpty())
        return refuse(error, translate("A mapped store needs ?table=NAME, and this URI names no table."));
    return s;
}

QFuture<ConnectionTestResult> testConnection(const ConnectionSettings& settings)
{
    if (const QString problem = settings.validationError(); !problem.isEmpty()) {
        ConnectionTestResult result;
        result.message = problem;
        return QtFuture::makeReadyFuture(result);
    }
    return QtConcurrent::run([uri = settings.storeUri().toStdString()] {
        ConnectionTestResult result;
        try {
            const auto store = openStore(uri);
            result.kind = QString::fromStdString(store->describe().kind);
            result.headPosition = store->headPosition();
            result.ok = true;
        } catch (const Error& e) {
            result.message = QString::fromStdString(e.what());
        } catch (const std::exception& e) {
            // libpqxx may throw its own types past the store's translation.
            result.message = QString::fromStdString(e.what());
        }
        return result;
    });
}

} // namespace eventscope
