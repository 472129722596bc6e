#pragma once
// Passwords in the system keychain through QtKeychain, never in settings (DESIGN §9). Every call is
// asynchronous and answers with a signal. Where no keychain service runs (headless machines, CI), the
// failure says so in a sentence the dialog can show as it is.

#include <QObject>
#include <QString>

namespace QKeychain {
class Job;
}

namespace eventscope {

class PasswordVault : public QObject
{
    Q_OBJECT

public:
    enum class Availability { Unknown, Available, Unavailable };

    explicit PasswordVault(QObject* parent = nullptr);

    void store(const QString& key, const QString& password);
    void read(const QString& key);
    void remove(const QString& key);
    // Asks the keychain for an entry that does not exist, to learn whether a service answers.
    void probe();

    // Unknown until a call has come back.
    Availability availability() const { return m_availability; }
    bool isAvailable() const { return m_availability == Availability::Available; }
    // Why the keychain cannot be used, in a sentence for the dialog; empty unless Unavailable.
    QString unavailableReason() const { return m_unavailableReason; }

    static QString noServiceMessage();

signals:
    void stored(const QString& key);
    void passwordRead(const QString& key, const QString& password);
    void notFound(const QString& key);
    void removed(const QString& key);
    // `message` is noServiceMessage() when no keychain service runs.
    void failed(const QString& key, const QString& message);
    void availabilityChanged(eventscope::PasswordVault::Availability availability);

private:
    void start(QKeychain::Job* job, const QString& key);
    void finished(QKeychain::Job* job, const QString& key);
    void setAvailability(Availability availability, const QString& reason);

    Availability m_availability = Availability::Unknown;
    QString m_unavailableReason;
};

} // namespace eventscope
