#include "model/recent_stores.h"

#include "model/connection_settings.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>

namespace eventscope {
namespace {

const QLatin1String kArray("recentStores");
const QLatin1String kUri("uri");
const QLatin1String kKind("kind");
const QLatin1String kLastOpened("lastOpened");

} // namespace

RecentStores::RecentStores()
    : m_ownSettings(std::make_unique<QSettings>())
    , m_settings(m_ownSettings.get())
{
}

RecentStores::RecentStores(QSettings& settings)
    : m_settings(&settings)
{
}

RecentStores::~RecentStores() = default;

void RecentStores::add(const QString& uri, const QString& kind, const QDateTime& when)
{
    const QString clean = withoutPassword(uri);
    if (clean.isEmpty())
        return;
    QList<RecentStore> stores = list();
    stores.removeIf([&clean](const RecentStore& store) { return store.uri == clean; });
    stores.prepend({ clean, kind, displayNameFor(clean), when.toUTC() });
    write(stores.mid(0, maxEntries));
}

void RecentStores::remove(const QString& uri)
{
    const QString clean = withoutPassword(uri);
    QList<RecentStore> stores = list();
    if (stores.removeIf([&clean](const RecentStore& store) { return store.uri == clean; }) > 0)
        write(stores);
}

QList<RecentStore> RecentStores::list() const
{
    QList<RecentStore> stores;
    const int size = m_settings->beginReadArray(kArray);
    for (int i = 0; i < size && stores.size() < maxEntries; ++i) {
        m_settings->setArrayIndex(i);
        // Cleaned again on the way in: a hand-edited or older settings file may hold anything.
        const QString uri = withoutPassword(m_settings->value(kUri).toString());
        if (uri.isEmpty())
            continue;
        QDateTime when = QDateTime::fromString(m_settings->value(kLastOpened).toString(), Qt::ISODateWithMs);
        stores.append({ uri, m_settings->value(kKind).toString(), displayNameFor(uri), when.toUTC() });
    }
    m_settings->endArray();
    return stores;
}

void RecentStores::write(const QList<RecentStore>& stores)
{
    m_settings->remove(kArray);
    m_settings->beginWriteArray(kArray, int(stores.size()));
    for (int i = 0; i < stores.size(); ++i) {
        m_settings->setArrayIndex(i);
        m_settings->setValue(kUri, stores[i].uri);
        m_settings->setValue(kKind, stores[i].kind);
        m_settings->setValue(kLastOpened, stores[i].lastOpened.toUTC().toString(Qt::ISODateWithMs));
    }
    m_settings->endArray();
    m_settings->sync();
}

QString RecentStores::withoutPassword(const QString& uri)
{
    static const QRegularExpression scheme(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*://"));
    const auto match = scheme.match(uri);
    if (!match.hasMatch())
        return uri;
    const qsizetype start = match.capturedEnd();
    qsizetype end = start;
    while (end < uri.size() && uri[end] != QLatin1Char('/') && uri[end] != QLatin1Char('?'))
        ++end;
    QString result = uri.left(start);
    const QString authority = uri.mid(start, end - start);
    // As libpq reads it: the user information ends at the first '@', the password starts at its first ':'.
    const auto at = authority.indexOf(QLatin1Char('@'));
    const auto colon = authority.indexOf(QLatin1Char(':'));
    if (at >= 0 && colon >= 0 && colon < at)
        result += authority.left(colon) + authority.mid(at);
    else
        result += authority;

    QString rest = uri.mid(end);
    const auto question = rest.indexOf(QLatin1Char('?'));
    if (question < 0)
        return result + rest;
    QStringList kept;
    for (const QString& part : rest.mid(question + 1).split(QLatin1Char('&'), Qt::SkipEmptyParts)) {
        if (!part.startsWith(QLatin1String("password="), Qt::CaseInsensitive)
            && part.compare(QLatin1String("password"), Qt::CaseInsensitive) != 0)
            kept.append(part);
    }
    result += rest.left(question);
    if (!kept.isEmpty())
        result += QLatin1Char('?') + kept.join(QLatin1Char('&'));
    return result;
}

QString RecentStores::displayNameFor(const QString& uri)
{
    QString text = uri;
    // Foreign kinds prefix the native scheme: messagedb+postgresql://, mapped+sqlite:...
    static const QRegularExpression prefix(QStringLiteral("^[a-z]+\\+(?=(postgres|sqlite))"));
    text.remove(prefix);
    if (text.startsWith(QLatin1String("postgres"))) {
        const auto settings = ConnectionSettings::fromStoreUri(text);
        if (!settings)
            return text;
        QString name = QCoreApplication::translate("eventscope::RecentStores", "%1 on %2:%3")
                           .arg(settings->database, settings->host)
                           .arg(settings->port);
        if (settings->schema != QLatin1String("eventscope"))
            name += QStringLiteral(" · ") + settings->schema;
        return name;
    }
    if (text.startsWith(QLatin1String("sqlite:")))
        text = text.mid(7);
    if (text.startsWith(QLatin1String("//")))
        text = text.mid(2);
    text = text.left(text.indexOf(QLatin1Char('?')));
    const QString name = QFileInfo(text).fileName();
    return name.isEmpty() ? uri : name;
}

} // namespace eventscope
