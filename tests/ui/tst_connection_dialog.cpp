// The PostgreSQL connection dialog as a person uses it: fill the fields, test the connection against a real
// server and read the answer in the dialog, see bad fields named, and ask to remember a password where no
// keychain service runs: the dialog says so, and the password is nowhere in the settings.

#include "storage/event_store.h"
#include "tests/test_stores.h"
#include "ui/connection_dialog.h"
#include "ui/password_vault.h"

#include "tests/ui/widget_test_support.h"
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDirIterator>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>

#include <QTest>
#include <QUuid>

#include <memory>

using namespace eventscope;
using namespace eventscope::test;

namespace {

void setText(QLineEdit* edit, const QString& text)
{
    edit->selectAll();
    if (text.isEmpty())
        QTest::keyClick(edit, Qt::Key_Delete);
    else
        QTest::keyClicks(edit, text);
}

} // namespace

class TestConnectionDialog : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_settingsDir;

    // Types the settings into the dialog as a person would.
    static void fill(ConnectionDialog& dialog, const ConnectionSettings& s)
    {
        setText(child<QLineEdit>(dialog, "hostEdit"), s.host);
        child<QSpinBox>(dialog, "portSpin")->setValue(s.port);
        setText(child<QLineEdit>(dialog, "databaseEdit"), s.database);
        setText(child<QLineEdit>(dialog, "userEdit"), s.user);
        setText(child<QLineEdit>(dialog, "passwordEdit"), s.password);
        child<QComboBox>(dialog, "sslModeCombo")->setCurrentText(s.sslMode);
        setText(child<QLineEdit>(dialog, "schemaEdit"), s.schema);
    }

    QByteArray allSettingsText()
    {
        QSettings().sync();
        QByteArray text;
        QDirIterator files(m_settingsDir->path(), QDir::Files, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile file(files.next());
            if (file.open(QIODevice::ReadOnly))
                text += file.readAll();
        }
        return text;
    }

    void saveScreenshot(QWidget& widget, const QString& name)
    {
        const QString folder = qEnvironmentVariable("EVENTSCOPE_SCREENSHOT_DIR");
        if (!folder.isEmpty())
            widget.grab().save(QDir(folder).filePath(name));
    }

private slots:
    void init()
    {
        // Each test starts with no last-used connection.
        m_settingsDir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_settingsDir->isValid());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir->path());
    }

    void startsWithSensibleFields()
    {
        ConnectionDialog dialog;
        for (const char* name : { "hostEdit", "portSpin", "databaseEdit", "userEdit", "passwordEdit", "sslModeCombo",
                 "schemaEdit", "rememberCheck", "testButton", "testResultLabel" })
            QVERIFY2(dialog.findChild<QWidget*>(QLatin1String(name)), name);
        QCOMPARE(child<QSpinBox>(dialog, "portSpin")->value(), 5432);
        QCOMPARE(child<QLineEdit>(dialog, "schemaEdit")->text(), QStringLiteral("eventscope"));
        QCOMPARE(child<QLineEdit>(dialog, "passwordEdit")->echoMode(), QLineEdit::Password);
        QVERIFY(!child<QCheckBox>(dialog, "rememberCheck")->isChecked());
        const QComboBox* ssl = child<QComboBox>(dialog, "sslModeCombo");
        QCOMPARE(ssl->count(), 6);
        QCOMPARE(ssl->currentText(), QStringLiteral("prefer"));
        QCOMPARE(ssl->itemText(5), QStringLiteral("verify-full"));
    }

    void buildsTheStoreUri()
    {
        ConnectionDialog dialog;
        ConnectionSettings s;
        s.host = QStringLiteral("db.example.com");
        s.port = 6432;
        s.database = QStringLiteral("ledger");
        s.user = QStringLiteral("auditor");
        s.password = QStringLiteral("a@b/c");
        s.sslMode = QStringLiteral("verify-full");
        s.schema = QStringLiteral("bank");
        fill(dialog, s);
        QCOMPARE(dialog.storeUri(),
            QStringLiteral(
                "postgresql://auditor:a%40b%2Fc@db.example.com:6432/ledger?sslmode=verify-full&schema=bank"));
        QCOMPARE(dialog.settings().password, QStringLiteral("a@b/c"));
        QVERIFY(child<QDialogButtonBox>(dialog, "buttonBox")->button(QDialogButtonBox::Ok)->isEnabled());
    }

    void namesBadFields_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("phrase");
        QTest::addRow("schema with a dash") << QStringLiteral("schemaEdit") << QStringLiteral("my-schema")
                                            << QStringLiteral("not a plain PostgreSQL identifier");
        QTest::addRow("schema with a quote") << QStringLiteral("schemaEdit") << QStringLiteral("x\"; drop")
                                             << QStringLiteral("not a plain PostgreSQL identifier");
        QTest::addRow("no host") << QStringLiteral("hostEdit") << QString() << QStringLiteral("host");
        QTest::addRow("no database") << QStringLiteral("databaseEdit") << QString() << QStringLiteral("database");
    }
    void namesBadFields()
    {
        QFETCH(QString, field);
        QFETCH(QString, text);
        QFETCH(QString, phrase);
        ConnectionDialog dialog;
        dialog.show();
        auto* ok = child<QDialogButtonBox>(dialog, "buttonBox")->button(QDialogButtonBox::Ok);
        QVERIFY(ok->isEnabled());
        setText(dialog.findChild<QLineEdit*>(field), text);
        QVERIFY(!ok->isEnabled());
        QVERIFY(!child<QPushButton>(dialog, "testButton")->isEnabled());
        const QString shown = child<QLabel>(dialog, "testResultLabel")->text();
        QVERIFY2(shown.contains(phrase), qPrintable(shown));
        dialog.accept(); // refused while a field is wrong
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
    }

    void testsTheConnection_data()
    {
        QTest::addColumn<bool>("wrongPort");
        QTest::addColumn<QString>("phrase");
        QTest::addRow("good") << false << QStringLiteral("Connected: a PostgreSQL store, head position 2.");
        QTest::addRow("wrong port") << true << QStringLiteral("Cannot reach the PostgreSQL store");
    }
    void testsTheConnection()
    {
        QFETCH(bool, wrongPort);
        QFETCH(QString, phrase);
        const QString server = test::postgresServer();
        if (server.isEmpty()) {
            if (test::runningInCi())
                QFAIL("EVENTSCOPE_TEST_PG is not set under CI=true: the PostgreSQL tests cannot run");
            QSKIP("EVENTSCOPE_TEST_PG is not set: no PostgreSQL server to test against");
        }
        auto s = ConnectionSettings::fromStoreUri(server);
        QVERIFY(s.has_value());
        s->schema = QLatin1String("t_") + QUuid::createUuid().toString(QUuid::Id128).left(16);
        {
            auto store = openStore(s->storeUri().toStdString(), true);
            NewEvent e;
            e.type = "OrderPlaced";
            store->append("order-1", { e, e });
        }
        if (wrongPort)
            s->port = 1;

        ConnectionDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        fill(dialog, *s);
        auto* test = child<QPushButton>(dialog, "testButton");
        auto* label = child<QLabel>(dialog, "testResultLabel");
        QSignalSpy finished(&dialog, &ConnectionDialog::testFinished);
        QTest::mouseClick(test, Qt::LeftButton);
        QVERIFY(!test->isEnabled()); // while the worker runs
        QCOMPARE(label->text(), QStringLiteral("Testing the connection…"));
        QVERIFY(finished.wait(15000));
        QCOMPARE(finished.at(0).at(0).toBool(), !wrongPort);
        QVERIFY2(label->text().contains(phrase), qPrintable(label->text()));
        // A long error wraps onto lines the dialog makes room for, rather than being cut off.
        QTRY_VERIFY(label->height() >= label->heightForWidth(label->width()));
        QVERIFY(!child<QLabel>(dialog, "testResultIcon")->pixmap().isNull());
        QVERIFY(test->isEnabled());
        // Reported in place, never in a box of its own.
        QCOMPARE(QApplication::activeModalWidget(), nullptr);
        QVERIFY(dialog.isVisible());
        saveScreenshot(dialog,
            wrongPort ? QStringLiteral("connection_dialog_failed.png")
                      : QStringLiteral("connection_dialog_connected.png"));

        // Editing a field clears an answer that was about the old settings.
        QTest::keyClicks(child<QLineEdit>(dialog, "userEdit"), QStringLiteral("x"));
        QVERIFY(label->text().isEmpty());
    }

    void remembersNothingWhereNoKeychainRuns()
    {
        const QString password = QStringLiteral("Zx9-Very-Secret-Pa55");
        ConnectionSettings s;
        s.host = QStringLiteral("db.test.example");
        s.database = QStringLiteral("ledger");
        s.user = QStringLiteral("auditor");
        s.password = password;
        {
            ConnectionDialog dialog;
            dialog.show();
            fill(dialog, s);
            auto* remember = child<QCheckBox>(dialog, "rememberCheck");
            auto* note = child<QLabel>(dialog, "keychainNoteLabel");
            QVERIFY(!note->isVisible());
            QTest::mouseClick(remember, Qt::LeftButton);
            QVERIFY(remember->isChecked());
            QTRY_VERIFY_WITH_TIMEOUT(note->isVisible(), 15000);
            QCOMPARE(note->text(), PasswordVault::noServiceMessage());
            QCOMPARE(note->text(),
                QStringLiteral("No keychain service is running, so the password cannot be saved; it is used for this "
                               "session only."));
            saveScreenshot(dialog, QStringLiteral("connection_dialog_no_keychain.png"));
            QTest::mouseClick(
                child<QDialogButtonBox>(dialog, "buttonBox")->button(QDialogButtonBox::Ok), Qt::LeftButton);
            QCOMPARE(dialog.result(), int(QDialog::Accepted));
            // The URI for this session carries the password; the settings never do.
            QVERIFY(dialog.storeUri().contains(password));
        }
        QTest::qWait(200); // any keychain job started at accept has finished

        const QByteArray text = allSettingsText();
        QVERIFY2(text.contains("db.test.example"), text.constData()); // the right file was read
        QVERIFY2(!text.contains(password.toUtf8()), text.constData());
        QVERIFY2(!text.contains(QUrl::toPercentEncoding(password)), text.constData());

        // The next dialog starts from the same connection, without its password.
        ConnectionDialog again;
        QCOMPARE(child<QLineEdit>(again, "hostEdit")->text(), s.host);
        QCOMPARE(child<QLineEdit>(again, "userEdit")->text(), s.user);
        QCOMPARE(child<QLineEdit>(again, "databaseEdit")->text(), s.database);
        QVERIFY(child<QLineEdit>(again, "passwordEdit")->text().isEmpty());
        QVERIFY(child<QCheckBox>(again, "rememberCheck")->isChecked());
        again.show();
        QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>(again, "keychainNoteLabel")->isVisible(), 15000);
    }

    void unticksRememberToHideTheNote()
    {
        ConnectionDialog dialog;
        dialog.show();
        auto* remember = child<QCheckBox>(dialog, "rememberCheck");
        auto* note = child<QLabel>(dialog, "keychainNoteLabel");
        remember->setChecked(true);
        QTRY_VERIFY_WITH_TIMEOUT(note->isVisible(), 15000);
        remember->setChecked(false);
        QVERIFY(!note->isVisible());
        remember->setChecked(true); // known now: said at once
        QVERIFY(note->isVisible());
    }
};

EVENTSCOPE_TEST_MAIN_WITHOUT_KEYCHAIN(TestConnectionDialog, "tst_connection_dialog")

#include "tst_connection_dialog.moc"
