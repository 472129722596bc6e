// The Audit tab (DESIGN §7, §9) worked as a person would, offscreen: a query by actor and time range shows the
// oracle's events and chart; exports in every format with their digests; a cancelled export leaves nothing; Verify
// tells an intact store from a tampered one; Seal… writes a seal that shows among Eventscope's own writes.

#include "model/audit_record.h"
#include "model/event_table_model.h"
#include "model/saved_audit_queries.h"
#include "storage/event_store.h"
#include "storage/time_format.h"
#include "tests/audit_test_data.h"
#include "tests/tamper_store.h"
#include "tests/ui/widget_test_support.h"
#include "ui/audit_chart_view.h"
#include "ui/audit_page.h"
#include "ui/audit_query_form.h"
#include "ui/integrity_panel.h"
#include "ui/redaction_list_editor.h"
#include "ui/windowed_table_view.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

#include <map>
#include <set>

using namespace eventscope;

namespace {

QDateTime utc(Micros time)
{
    return QDateTime::fromMSecsSinceEpoch(time / 1000, Qt::UTC);
}

void click(QWidget* widget)
{
    QVERIFY2(widget->isEnabled(), qPrintable(widget->objectName()));
    QTest::mouseClick(widget, Qt::LeftButton);
}

} // namespace

class TestAuditPage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_uri;
    std::vector<test::MadeEvent> m_made;

    QString freshStore(const QString& name, int events, std::vector<test::MadeEvent>* made = nullptr)
    {
        const QString uri = m_dir.filePath(name);
        auto store = openStore(uri.toStdString(), true);
        const auto events_ = test::fillAuditStore(*store, events);
        if (made)
            *made = events_;
        return uri;
    }

    QString exportText(AuditPage& page, const QString& path, AuditFormat format)
    {
        QSignalSpy ended(&page, &AuditPage::exportEnded);
        page.exportTo(path, format);
        if (!ended.wait(60000))
            return QStringLiteral("no end");
        return page.exportText();
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_uri = freshStore(QStringLiteral("store.db"), 300, &m_made);
    }

    void queryShowsTheOracle()
    {
        AuditPage page;
        page.setStore(m_uri, false, {});
        page.resize(1200, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        AuditQueryForm* form = page.form();
        const Micros since = m_made[30].time;
        const Micros until = m_made[250].time; // inclusive: the event at this very second counts
        QTest::keyClicks(form->actorEdit(), QStringLiteral("u-17"));
        test::clickTick(form->sinceBox());
        form->sinceEdit()->setDateTime(utc(since));
        test::clickTick(form->untilBox());
        form->untilEdit()->setDateTime(utc(until));

        std::int64_t expected = 0;
        std::set<std::string> types;
        std::set<std::string> days;
        for (const test::MadeEvent& event : m_made)
            if (event.actor == "u-17" && event.time >= since && event.time <= until) {
                ++expected;
                types.insert(event.type);
                days.insert(formatTime(event.time).substr(0, 10));
            }
        QVERIFY(m_made[250].actor == "u-17"); // the upper bound is on an event of the actor: inclusive matters

        QSignalSpy selected(&page, &AuditPage::eventSelected);
        click(test::child<QPushButton>(page, "auditRun"));
        EventTableModel* model = page.resultsModel();
        QVERIFY(model);
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), int(expected), 20000);
        QTRY_VERIFY(model->isCounted());
        QTRY_VERIFY(page.statusText().startsWith(QString::number(expected) + QStringLiteral(" events match")));
        QTRY_COMPARE_WITH_TIMEOUT(page.chart()->barSetCount(), int(types.size()), 20000);
        QCOMPARE(page.chart()->dayCount(), int(days.size()));
        QCOMPARE(page.chart()->totalText(),
            QStringLiteral("%1 events, %2 days (%3 to %4)")
                .arg(expected)
                .arg(days.size())
                .arg(QString::fromStdString(*days.begin()), QString::fromStdString(*days.rbegin())));

        // A click on a row sends its event to the inspector.
        QTRY_VERIFY(model->eventAt(2));
        QTableView* view = page.resultsView()->table();
        const QRect cell = view->visualRect(view->model()->index(2, 0));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        QTRY_COMPARE(selected.size(), 1);
        const auto event = selected.first().first().value<Event>();
        QCOMPARE(event.id, model->eventAt(2)->id);
        QCOMPARE(event.actor, std::string("u-17"));
    }

    void badQueryIsSaid()
    {
        AuditPage page;
        page.setStore(m_uri, false, {});
        AuditQueryForm* form = page.form();
        form->scopeBox()->setCurrentIndex(AuditQueryForm::OneStream);
        click(test::child<QPushButton>(page, "auditRun"));
        QVERIFY2(page.statusText().contains(QStringLiteral("name the stream")), qPrintable(page.statusText()));
        test::clickTick(form->sinceBox());
        test::clickTick(form->untilBox());
        form->scopeBox()->setCurrentIndex(AuditQueryForm::AllStreams);
        form->sinceEdit()->setDateTime(utc(m_made[20].time));
        form->untilEdit()->setDateTime(utc(m_made[10].time));
        click(test::child<QPushButton>(page, "auditRun"));
        QVERIFY2(page.statusText().contains(QStringLiteral("before it starts")), qPrintable(page.statusText()));
    }

    void exportsEveryFormat_data()
    {
        QTest::addColumn<int>("format");
        QTest::addRow("csv") << int(AuditFormat::Csv);
        QTest::addRow("ndjson") << int(AuditFormat::Ndjson);
        QTest::addRow("pdf") << int(AuditFormat::Pdf);
    }
    void exportsEveryFormat()
    {
        QFETCH(int, format);
        AuditPage page;
        page.setStore(m_uri, false, {});
        page.show();
        QTest::keyClicks(page.form()->actorEdit(), QStringLiteral("u-1"));
        // A bad path is refused beside the field; a good one joins the list.
        RedactionListEditor* redactions = page.redactions();
        QTest::keyClicks(redactions->pathEdit(), QStringLiteral("cardNumber"));
        click(redactions->addButton());
        QVERIFY(redactions->errorLabel()->isVisible());
        QVERIFY(redactions->errorLabel()->text().contains(QStringLiteral("cardNumber")));
        QCOMPARE(redactions->list()->count(), 0);
        redactions->pathEdit()->clear();
        QTest::keyClicks(redactions->pathEdit(), QStringLiteral("data.card"));
        click(redactions->addButton());
        QVERIFY(!redactions->errorLabel()->isVisible());
        QCOMPARE(redactions->list()->count(), 1);

        const std::int64_t expected
            = std::count_if(m_made.begin(), m_made.end(), [](const test::MadeEvent& e) { return e.actor == "u-1"; });
        const QString name = QStringLiteral("audit.") + QString::fromStdString(auditFormatName(AuditFormat(format)));
        const QString path = m_dir.filePath(name);
        const QString text = exportText(page, path, AuditFormat(format));
        QVERIFY2(text.startsWith(QStringLiteral("Exported %1 events to %2 (SHA-256 ").arg(expected).arg(path)),
            qPrintable(text));
        QVERIFY2(text.endsWith(QStringLiteral(" written to %1.sha256)").arg(path)), qPrintable(text));
        QVERIFY(QFile::exists(path));
        QVERIFY(QFile::exists(path + QStringLiteral(".sha256")));
        QProcess check;
        check.setWorkingDirectory(m_dir.path());
        check.start(QStringLiteral("sha256sum"), { QStringLiteral("-c"), name + QStringLiteral(".sha256") });
        QVERIFY(check.waitForFinished(30000));
        QCOMPARE(check.exitCode(), 0);
        if (AuditFormat(format) != AuditFormat::Pdf) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray bytes = file.readAll();
            QVERIFY(!bytes.contains("secret"));
            QCOMPARE(bytes.count("[redacted]"), int(expected));
        }
    }

    void cancelledExportLeavesNothing()
    {
        const QString uri = freshStore(QStringLiteral("big.db"), 20000);
        AuditPage page;
        page.setStore(uri, false, {});
        page.show();
        const QString path = m_dir.filePath(QStringLiteral("big.csv"));
        QSignalSpy ended(&page, &AuditPage::exportEnded);
        page.exportTo(path, AuditFormat::Csv);
        QVERIFY(page.isExporting());
        click(test::child<QPushButton>(page, "auditExportCancel"));
        QTRY_VERIFY_WITH_TIMEOUT(!page.isExporting(), 30000);
        QVERIFY2(page.exportText().contains(QStringLiteral("cancelled; nothing was written")),
            qPrintable(page.exportText()));
        QVERIFY(!QFile::exists(path));
        QVERIFY(!QFile::exists(path + QStringLiteral(".sha256")));
        QVERIFY(test::child<QPushButton>(page, "auditExport")->isEnabled());
    }

    void verifyTellsIntactFromTampered()
    {
        std::vector<test::MadeEvent> made;
        const QString uri = freshStore(QStringLiteral("tampered.db"), 80, &made);
        AuditPage page;
        page.setStore(uri, false, {});
        page.show();
        IntegrityPanel* integrity = page.integrity();
        click(integrity->verifyButton());
        QTRY_VERIFY_WITH_TIMEOUT(!integrity->isBusy(), 20000);
        QCOMPARE(integrity->resultText(), QStringLiteral("Verified: 80 events in 8 streams, all hash chains intact."));
        QVERIFY(integrity->lastVerifyOk());

        test::tamper(
            uri.toStdString(), "UPDATE events SET data = '{\"amount\":-1}' WHERE stream = 'acct-5' AND version = 4");
        click(integrity->verifyButton());
        QTRY_VERIFY_WITH_TIMEOUT(!integrity->isBusy(), 20000);
        QVERIFY2(integrity->resultText().startsWith(
                     QStringLiteral("Integrity failure: stream acct-5 fails verification at version 4")),
            qPrintable(integrity->resultText()));
        QVERIFY(!integrity->lastVerifyOk());
    }

    void sealShowsAmongOwnWrites()
    {
        const QString uri = freshStore(QStringLiteral("sealed.db"), 40);
        AuditPage page;
        page.setStore(uri, false, {});
        page.show();
        IntegrityPanel* integrity = page.integrity();
        const QString sealPath = m_dir.filePath(QStringLiteral("sealed.seal"));
        // Sealing writes to the store: only in admin mode.
        QVERIFY(!integrity->sealButton()->isEnabled());
        integrity->sealTo(sealPath);
        QVERIFY(!integrity->isBusy());
        QVERIFY(!QFile::exists(sealPath));
        page.setWritable(true, false);
        QVERIFY(integrity->sealButton()->isEnabled());
        integrity->sealTo(sealPath);
        QTRY_VERIFY_WITH_TIMEOUT(!integrity->isBusy(), 20000);
        QVERIFY2(integrity->resultText().startsWith(QStringLiteral("Sealed at position 40")),
            qPrintable(integrity->resultText()));
        QVERIFY(QFile::exists(sealPath));
        QCOMPARE(integrity->sealFileEdit()->text(), sealPath);

        click(page.form()->ownWritesButton());
        EventTableModel* model = page.resultsModel();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE(model->rowCount(), 1);
        QTRY_VERIFY(model->eventAt(0));
        QCOMPARE(model->eventAt(0)->type, std::string("StoreSealed"));
        QCOMPARE(model->eventAt(0)->stream, kAuditStream);

        // The seal checks out after its own record was added.
        click(integrity->verifyButton());
        QTRY_VERIFY_WITH_TIMEOUT(!integrity->isBusy(), 20000);
        QVERIFY2(integrity->resultText().contains(QStringLiteral("still holds everything sealed at position 40")),
            qPrintable(integrity->resultText()));
    }

    void foreignStoreCannotBeVerified()
    {
        // A read-only store's own records live in its workspace: "own writes" reads them there.
        const QString workspace = m_dir.filePath(QStringLiteral("workspace.db"));
        {
            auto store = openStore(workspace.toStdString(), true);
            const AppendRequest record = auditRequest("ProjectionReset", { { "name", "totals" } }, AuditTool::Window);
            store->append(std::span<const AppendRequest>(&record, 1));
        }
        AuditPage page;
        page.setStore(m_uri, true, workspace);
        page.show();
        IntegrityPanel* integrity = page.integrity();
        QVERIFY(!integrity->verifyButton()->isEnabled());
        QVERIFY(!integrity->sealButton()->isEnabled());
        QVERIFY(integrity->verifyButton()->toolTip().contains(QStringLiteral("another system")));
        click(page.form()->ownWritesButton());
        EventTableModel* model = page.resultsModel();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE(model->rowCount(), 1);
        QTRY_VERIFY(model->eventAt(0));
        QCOMPARE(model->eventAt(0)->type, std::string("ProjectionReset"));
    }

    void savedQueriesComeBack()
    {
        QFile::remove(SavedAuditQueries::pathFor(m_uri));
        {
            AuditPage page;
            page.setStore(m_uri, false, {});
            QCOMPARE(page.savedQueriesBox()->count(), 1); // "(none)"
            QTest::keyClicks(page.form()->actorEdit(), QStringLiteral("u-17"));
            QTest::keyClicks(page.redactions()->pathEdit(), QStringLiteral("data.card"));
            click(page.redactions()->addButton());
            QVERIFY(page.saveQueryAs(QStringLiteral("u-17, cards hidden")));
            QCOMPARE(page.savedQueriesBox()->count(), 2);
            QCOMPARE(page.savedQueriesBox()->currentText(), QStringLiteral("u-17, cards hidden"));
        }
        AuditPage page;
        page.setStore(m_uri, false, {});
        QCOMPARE(page.savedQueriesBox()->count(), 2);
        page.loadSavedQuery(QStringLiteral("u-17, cards hidden"));
        QCOMPARE(page.form()->actorEdit()->text(), QStringLiteral("u-17"));
        QCOMPARE(page.redactions()->paths(), std::vector<std::string> { "data.card" });
        click(test::child<QPushButton>(page, "auditDeleteQuery"));
        QCOMPARE(page.savedQueriesBox()->count(), 1);
        SavedAuditQueries onDisk(SavedAuditQueries::pathFor(m_uri));
        onDisk.load();
        QVERIFY(onDisk.queries().empty());

        // A damaged file is said, not silently replaced.
        QFile file(SavedAuditQueries::pathFor(m_uri));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{ not json");
        file.close();
        AuditPage damaged;
        damaged.setStore(m_uri, false, {});
        QVERIFY2(damaged.statusText().contains(QStringLiteral("not valid JSON")), qPrintable(damaged.statusText()));
        QFile::remove(SavedAuditQueries::pathFor(m_uri));
    }

    // With EVENTSCOPE_SCREENSHOT set to a file name, saves the tab after a query, for people to look at.
    void screenshot()
    {
        const QString target = qEnvironmentVariable("EVENTSCOPE_SCREENSHOT");
        if (target.isEmpty())
            QSKIP("EVENTSCOPE_SCREENSHOT is not set");
        AuditPage page;
        page.setStore(m_uri, false, {});
        page.resize(1100, 760);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTest::keyClicks(page.form()->actorEdit(), QStringLiteral("u-17"));
        QTest::keyClicks(page.redactions()->pathEdit(), QStringLiteral("data.card"));
        click(page.redactions()->addButton());
        click(test::child<QPushButton>(page, "auditRun"));
        QTRY_VERIFY(page.chart()->barSetCount() > 0);
        QTRY_VERIFY(page.resultsModel()->eventAt(0));
        exportText(page, m_dir.filePath(QStringLiteral("shot.csv")), AuditFormat::Csv);
        click(page.integrity()->verifyButton());
        QTRY_VERIFY(!page.integrity()->isBusy());
        QTest::qWait(300);
        QVERIFY(page.grab().save(target));
    }
};

QTEST_MAIN(TestAuditPage)
#include "tst_audit_page.moc"
