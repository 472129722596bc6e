#pragma once
// Connect to PostgreSQL (DESIGN §3, §9): what the database holds (an Eventscope store, Message DB, Emmett, or any
// events table, whose columns the mapping editor maps), the connection's fields, a Test connection button that
// reports in place, and a password kept in the system keychain only when the user asks. The fields other than the
// password are remembered in QSettings for next time; the password never is.

#include "model/connection_settings.h"

#include <QDialog>
#include <QFutureWatcher>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace eventscope {

class MappingEditor;
class PasswordVault;

class ConnectionDialog : public QDialog
{
    Q_OBJECT

public:
    // Starts from the last connection used, as kept in QSettings.
    explicit ConnectionDialog(QWidget* parent = nullptr);
    ~ConnectionDialog() override;

    // Fills the fields, and asks the keychain for the password when none is given.
    void setSettings(const ConnectionSettings& settings);
    ConnectionSettings settings() const;
    QString storeUri() const;

    void accept() override;

signals:
    // The Test connection button's answer, as shown in the dialog.
    void testFinished(bool ok, const QString& text);

private:
    void buildForm();
    void fill(const ConnectionSettings& settings);
    void askKeychain(const QString& key);
    void loadLastUsed();
    void saveLastUsed() const;
    void fieldsChanged();
    void startTest();
    void showTestResult(const ConnectionTestResult& result);
    void showResult(bool ok, const QString& text);
    void rememberToggled(bool on);
    void showKeychainNote(const QString& text);
    void growToFit();
    ConnectionSettings::StoreKind kind() const;
    void kindChanged();

    QComboBox* m_kind = nullptr;
    QLabel* m_intro = nullptr;
    QLineEdit* m_host = nullptr;
    QSpinBox* m_port = nullptr;
    QLineEdit* m_database = nullptr;
    QLineEdit* m_user = nullptr;
    QLineEdit* m_password = nullptr;
    QComboBox* m_sslMode = nullptr;
    QLineEdit* m_schema = nullptr;
    QFormLayout* m_form = nullptr;
    MappingEditor* m_mapping = nullptr;
    QString m_foreignSchema; // a foreign URI's own ?schema=, kept as it came: the field is the native store's
    QCheckBox* m_remember = nullptr;
    QLabel* m_keychainNote = nullptr;
    QPushButton* m_test = nullptr;
    QLabel* m_resultIcon = nullptr;
    QLabel* m_result = nullptr;
    QPushButton* m_ok = nullptr;
    PasswordVault* m_vault = nullptr;
    QFutureWatcher<ConnectionTestResult> m_watcher;
    QList<QPair<QString, QString>> m_otherParameters;
    QString m_passwordKey; // the key whose password the keychain was asked for
    QString m_rememberedKey; // the key of the last connection whose password the user asked to keep
};

} // namespace eventscope
