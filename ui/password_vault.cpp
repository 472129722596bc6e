#include "ui/password_vault.h"

#include <qt6keychain/keychain.h>

namespace eventscope {
namespace {

const QLatin1String kService("Eventscope");
const QLatin1String kProbeKey("eventscope-keychain-probe");

// QtKeychain names a missing backend NoBackendAvailable on some platforms, but on Linux a missing session
// bus or secret service comes back as OtherError with the D-Bus or libsecret message.
bool meansNoService(const QKeychain::Job& job)
{
    if (job.error() == QKeychain::NoBackendAvailable || job.error() == QKeychain::NotImplemented)
        return true;
    if (job.error() != QKeychain::OtherError)
        return false;
    const QString text = job.errorString();
    for (const char* sign :
        { "dbus", "d-bus", "autolaunch", "org.freedesktop", "could not open wallet", "secret service",
            "secrets service", "no such interface", "not provided by any .service", "could not connect", "kwallet" }) {
        if (text.contains(QLatin1String(sign), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

PasswordVault::PasswordVault(QObject* parent)
    : QObject(parent)
{
}

QString PasswordVault::noServiceMessage()
{
    return tr("No keychain service is running, so the password cannot be saved; it is used for this session only.");
}

void PasswordVault::store(const QString& key, const QString& password)
{
    auto* job = new QKeychain::WritePasswordJob(kService);
    job->setTextData(password);
    start(job, key);
}

void PasswordVault::read(const QString& key)
{
    start(new QKeychain::ReadPasswordJob(kService), key);
}

void PasswordVault::remove(const QString& key)
{
    start(new QKeychain::DeletePasswordJob(kService), key);
}

void PasswordVault::probe()
{
    read(kProbeKey);
}

void PasswordVault::start(QKeychain::Job* job, const QString& key)
{
    // No parent: a password written as a dialog closes must still reach the keychain after the dialog
    // and this vault are gone. The job deletes itself when it is done.
    job->setAutoDelete(true);
    // Never the plain-text QSettings fallback: passwords stay out of settings.
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job* done) { finished(done, key); });
    job->start();
}

void PasswordVault::finished(QKeychain::Job* job, const QString& key)
{
    const QKeychain::Error error = job->error();
    const bool probing = key == kProbeKey;
    if (error == QKeychain::NoError || error == QKeychain::EntryNotFound) {
        setAvailability(Availability::Available, {});
        if (probing)
            return;
        if (qobject_cast<QKeychain::WritePasswordJob*>(job))
            emit stored(key);
        else if (qobject_cast<QKeychain::DeletePasswordJob*>(job))
            emit removed(key);
        else if (error == QKeychain::EntryNotFound)
            emit notFound(key);
        else
            emit passwordRead(key, static_cast<QKeychain::ReadPasswordJob*>(job)->textData());
        return;
    }
    QString message;
    if (meansNoService(*job)) {
        message = noServiceMessage();
        setAvailability(Availability::Unavailable, message);
    } else if (error == QKeychain::AccessDeniedByUser || error == QKeychain::AccessDenied) {
        message = tr("The keychain refused access to the password: %1").arg(job->errorString());
    } else if (probing) {
        // Reading an entry that does not exist fails only when the keychain itself does.
        message = tr("The keychain cannot be used (%1), so the password cannot be saved; it is used for this "
                     "session only.")
                      .arg(job->errorString());
        setAvailability(Availability::Unavailable, message);
    } else {
        message = tr("The keychain failed: %1").arg(job->errorString());
    }
    if (!probing)
        emit failed(key, message);
}

void PasswordVault::setAvailability(Availability availability, const QString& reason)
{
    m_unavailableReason = reason;
    if (m_availability == availability)
        return;
    m_availability = availability;
    emit availabilityChanged(availability);
}

} // namespace eventscope
