// The welcome page as a person meets it: the demo store is made on first use (and a cancel leaves nothing
// behind), a dropped SQLite file opens and anything else is refused with a sentence, the recent stores are
// listed and open on double-click or Enter, and the PostgreSQL dialog hands back its URI.

#include "model/recent_stores.h"
#include "storage/event_store.h"
#include "ui/connection_dialog.h"
#include "ui/demo_store_maker.h"
#include "ui/welcome_page.h"

#include "tests/ui/widget_test_support.h"
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMimeData>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <QTest>
#include <QTimer>
#include <QUrl>

#include <memory>

using namespace eventscope;

namespace {

QPushButton* button(WelcomePage& page, const char* name)
{
    return page.findChild<QPushButton*>(QLatin1String(name));
}

// Removes the demo store and anything a run may have left beside it.
void removeDemoFolder(const QString& demoPath)
{
    QDir(QFileInfo(demoPath).absolutePath()).removeRecursively();
}

} // namespace

class TestWelcomePage : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_settingsDir;
    QTemporaryDir m_files;

    void saveScreenshot(QWidget& widget, const QString& name)
    {
        const QString folder = qEnvironmentVariable("EVENTSCOPE_SCREENSHOT_DIR");
        if (!folder.isEmpty())
            widget.grab().save(QDir(folder).filePath(name));
    }

    QString file(const QString& name)
    {
        const QString path = m_files.filePath(name);
        QFile f(path);
        f.open(QIODevice::WriteOnly); // the page does not read it; it only has to be a local file
        return path;
    }

private slots:
    void initTestCase()
    {
        // The demo store goes to a test data folder, not the user's.
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_files.isValid());
    }

    void init()
    {
        m_settingsDir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_settingsDir->isValid());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir->path());
    }

    void opensTheDemoStoreMadeOnFirstUse()
    {
        WelcomePage page;
        page.resize(900, 700);
        page.show();
        DemoStoreMaker* maker = page.demoStoreMaker();
        const QString path = maker->path();
        QVERIFY2(path.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)), qPrintable(path));
        QVERIFY(path.endsWith(QLatin1String("/demo.db")));
        removeDemoFolder(path);
        maker->setEventCount(300);

        QSignalSpy demoAsked(&page, &WelcomePage::openDemoRequested);
        QSignalSpy opened(&page, &WelcomePage::openRequested);
        QTest::mouseClick(button(page, "demoButton"), Qt::LeftButton);
        QCOMPARE(demoAsked.count(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 60000);
        QCOMPARE(opened.at(0).at(0).toString(), path);
        QVERIFY(QFileInfo::exists(path));
        QVERIFY(!QFileInfo::exists(path + QLatin1String(".part")));
        QCOMPARE(openStore(path.toStdString())->headPosition(), 300);
        QTRY_VERIFY(!page.findChild<QProgressDialog*>()); // gone once done

        // Made once: the second time it opens at once.
        QTest::mouseClick(button(page, "demoButton"), Qt::LeftButton);
        QCOMPARE(opened.count(), 2);
        QCOMPARE(opened.at(1).at(0).toString(), path);
        QVERIFY(!maker->isRunning());
        removeDemoFolder(path);
    }

    void cancelingTheDemoLeavesNothingBehind()
    {
        WelcomePage page;
        page.show();
        DemoStoreMaker* maker = page.demoStoreMaker();
        const QString folder = QFileInfo(maker->path()).absolutePath();
        removeDemoFolder(maker->path());
        maker->setEventCount(5'000'000); // far more than can be written before the cancel
        QSignalSpy opened(&page, &WelcomePage::openRequested);
        QSignalSpy canceled(maker, &DemoStoreMaker::canceled);
        QTest::mouseClick(button(page, "demoButton"), Qt::LeftButton);
        QVERIFY(maker->isRunning());
        QProgressDialog* progress = page.findChild<QProgressDialog*>();
        QVERIFY(progress);
        QTRY_VERIFY(progress->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(progress->value() > 0, 30000); // some batches are written
        QVERIFY(QFileInfo::exists(maker->path() + QLatin1String(".part")));
        QPushButton* cancel = progress->findChild<QPushButton*>();
        QVERIFY(cancel);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(canceled.count(), 1, 30000);
        QCOMPARE(opened.count(), 0);
        QVERIFY(!QFileInfo::exists(maker->path()));
        const QStringList left = QDir(folder).entryList(QDir::Files | QDir::Hidden);
        QVERIFY2(left.isEmpty(), qPrintable(left.join(QLatin1String(", "))));
        removeDemoFolder(maker->path());
    }

    void dropsOnlySqliteFiles_data()
    {
        QTest::addColumn<QStringList>("names"); // local files; "http:" starts a remote URL
        QTest::addColumn<QString>("opened"); // the file expected to open, "" for a refusal
        QTest::addColumn<QString>("phrase"); // in the message after a refusal
        QTest::addRow(".db") << QStringList { QStringLiteral("bank.db") } << QStringLiteral("bank.db") << QString();
        QTest::addRow(".sqlite") << QStringList { QStringLiteral("a.sqlite") } << QStringLiteral("a.sqlite")
                                 << QString();
        QTest::addRow(".sqlite3") << QStringList { QStringLiteral("b.sqlite3") } << QStringLiteral("b.sqlite3")
                                  << QString();
        QTest::addRow("upper case") << QStringList { QStringLiteral("LEDGER.DB") } << QStringLiteral("LEDGER.DB")
                                    << QString();
        QTest::addRow("first good among several")
            << QStringList { QStringLiteral("notes.txt"), QStringLiteral("orders.db") } << QStringLiteral("orders.db")
            << QString();
        QTest::addRow(".txt") << QStringList { QStringLiteral("notes.txt") } << QString()
                              << QStringLiteral("notes.txt is not a SQLite event store");
        QTest::addRow("no suffix") << QStringList { QStringLiteral("db") } << QString()
                                   << QStringLiteral("is not a SQLite event store");
        QTest::addRow(".db in the middle") << QStringList { QStringLiteral("x.db.bak") } << QString()
                                           << QStringLiteral("x.db.bak is not a SQLite event store");
        QTest::addRow("remote URL") << QStringList { QStringLiteral("http:example.com/x.db") } << QString()
                                    << QStringLiteral("Only files can be dropped here");
    }
    void dropsOnlySqliteFiles()
    {
        QFETCH(QStringList, names);
        QFETCH(QString, opened);
        QFETCH(QString, phrase);
        WelcomePage page;
        page.show();
        QVERIFY(page.acceptDrops());
        QList<QUrl> urls;
        for (const QString& name : names) {
            if (name.startsWith(QLatin1String("http:")))
                urls.append(QUrl(QLatin1String("http://") + name.mid(5)));
            else
                urls.append(QUrl::fromLocalFile(file(name)));
        }
        QMimeData mime;
        mime.setUrls(urls);
        QSignalSpy requested(&page, &WelcomePage::openRequested);
        const QPoint at(page.width() / 2, page.height() / 2);

        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&page, &enter);
        QCOMPARE(enter.isAccepted(), !opened.isEmpty());
        if (opened.isEmpty()) {
            // Refused while it is dragged over the page, with a sentence that says why.
            QVERIFY2(page.message().contains(phrase), qPrintable(page.message()));
            QVERIFY(page.findChild<QLabel*>(QStringLiteral("messageLabel"))->isVisible());
        }

        // Qt delivers the drop only to the widget that accepted the drag.
        QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&page, &drop);
        if (opened.isEmpty()) {
            QCOMPARE(requested.count(), 0);
            return;
        }
        QVERIFY(drop.isAccepted());
        QCOMPARE(requested.count(), 1);
        const QString uri = requested.at(0).at(0).toString();
        const QString path = m_files.filePath(opened);
        // A bare path when the STORE parser knows it by its ending, else with the sqlite: scheme.
        QCOMPARE(uri, opened == opened.toLower() ? path : QLatin1String("sqlite:") + path);
        QVERIFY(page.message().isEmpty());
    }

    void listsRecentStoresAndOpensThem()
    {
        WelcomePage page;
        page.resize(900, 720);
        QListWidget* list = page.recentList();
        QAbstractItemModelTester tester(list->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(!list->isVisible()); // nothing yet: a placeholder line instead
        QCOMPARE(list->count(), 0);

        const QString bank = file(QStringLiteral("bank.db"));
        page.noteOpened(bank, QStringLiteral("sqlite"));
        page.noteOpened(
            QStringLiteral("postgresql://app:hunter22@db.example.com:5432/shop?sslmode=prefer&schema=eventscope"),
            QStringLiteral("postgresql"));
        QCOMPARE(list->count(), 2);
        QVERIFY(list->isVisible());
        QVERIFY2(list->item(0)->text().startsWith(QStringLiteral("shop on db.example.com:5432\nPostgreSQL")),
            qPrintable(list->item(0)->text()));
        QVERIFY(list->item(1)->text().startsWith(QStringLiteral("bank.db\nSQLite")));
        QVERIFY(list->item(1)->text().contains(QStringLiteral("opened ")));
        QCOMPARE(list->item(1)->toolTip(), bank);
        for (int i = 0; i < list->count(); ++i)
            QVERIFY(!list->item(i)->text().contains(QStringLiteral("hunter22")));
        saveScreenshot(page, QStringLiteral("welcome_page.png"));

        QTRY_VERIFY(list->viewport()->height() > 100); // laid out now that it shows
        QSignalSpy requested(&page, &WelcomePage::openRequested);
        const QRect second = list->visualItemRect(list->item(1));
        // A double-click is a click and then the double-click event, as a window system sends it.
        QTest::mouseClick(list->viewport(), Qt::LeftButton, Qt::NoModifier, second.center());
        QCOMPARE(requested.count(), 0); // one click only selects
        QTest::mouseDClick(list->viewport(), Qt::LeftButton, Qt::NoModifier, second.center());
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.at(0).at(0).toString(), bank);

        list->setFocus();
        list->setCurrentRow(1);
        QTest::keyClick(list, Qt::Key_Return);
        QCOMPARE(requested.count(), 2);
        QCOMPARE(requested.at(1).at(0).toString(), bank);

        // A PostgreSQL entry asks the keychain first; with none running it opens without a password.
        list->setCurrentRow(0);
        QTest::keyClick(list, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(requested.count(), 3, 15000);
        QCOMPARE(requested.at(2).at(0).toString(),
            QStringLiteral("postgresql://app@db.example.com:5432/shop?sslmode=prefer&schema=eventscope"));
    }

    void removesAnEntryFromItsMenu()
    {
        RecentStores().add(QStringLiteral("one.db"), QStringLiteral("sqlite"));
        RecentStores().add(QStringLiteral("two.db"), QStringLiteral("sqlite"));
        WelcomePage page;
        page.resize(900, 720);
        QListWidget* list = page.recentList();
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QCOMPARE(list->count(), 2);

        bool removed = false;
        QTimer poll;
        connect(&poll, &QTimer::timeout, this, [&] {
            auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
            if (!menu)
                return;
            poll.stop();
            if (QAction* remove = menu->findChild<QAction*>(QStringLiteral("removeAction"))) {
                removed = true;
                remove->trigger();
            }
            menu->close();
        });
        poll.start(20);
        const QPoint at = list->visualItemRect(list->item(0)).center(); // two.db, the most recent
        QContextMenuEvent event(QContextMenuEvent::Mouse, at, list->viewport()->mapToGlobal(at));
        QApplication::sendEvent(list->viewport(), &event);
        QVERIFY(removed);
        QCOMPARE(list->count(), 1);
        QCOMPARE(list->item(0)->toolTip(), QStringLiteral("one.db"));
        QCOMPARE(RecentStores().list().size(), 1);
    }

    void connectsToPostgresThroughTheDialog()
    {
        WelcomePage page;
        page.show();
        QSignalSpy requested(&page, &WelcomePage::openRequested);
        QTest::mouseClick(button(page, "postgresButton"), Qt::LeftButton);
        ConnectionDialog* dialog = page.findChild<ConnectionDialog*>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        saveScreenshot(*dialog, QStringLiteral("connection_dialog.png"));
        auto* host = dialog->findChild<QLineEdit*>(QStringLiteral("hostEdit"));
        host->selectAll();
        QTest::keyClicks(host, QStringLiteral("pg.example.com"));
        QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("userEdit")), QStringLiteral("app"));
        QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("passwordEdit")), QStringLiteral("pw"));
        QTest::mouseClick(
            dialog->findChild<QDialogButtonBox*>(QStringLiteral("buttonBox"))->button(QDialogButtonBox::Ok),
            Qt::LeftButton);
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.at(0).at(0).toString(),
            QStringLiteral("postgresql://app:pw@pg.example.com:5432/postgres?sslmode=prefer&schema=eventscope"));
        QTRY_VERIFY(!page.findChild<ConnectionDialog*>()); // deleted once closed
    }

    void showsAndHidesMessages()
    {
        WelcomePage page;
        page.resize(900, 720);
        page.show();
        auto* label = page.findChild<QLabel*>(QStringLiteral("messageLabel"));
        QVERIFY(!label->isVisible());
        page.setMessage(QStringLiteral("there is no event store at /x/y.db"));
        QVERIFY(label->isVisible());
        QCOMPARE(page.message(), QStringLiteral("there is no event store at /x/y.db"));
        saveScreenshot(page, QStringLiteral("welcome_page_message.png"));
        page.setMessage({});
        QVERIFY(!label->isVisible());
    }
};

EVENTSCOPE_TEST_MAIN_WITHOUT_KEYCHAIN(TestWelcomePage, "tst_welcome_page")

#include "tst_welcome_page.moc"
