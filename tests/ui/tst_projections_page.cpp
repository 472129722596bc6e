// The Projections tab as a person uses it: writes stay off until admin mode; a new projection named in a dialog,
// its script typed with a mistake that is pointed out and then gone; a run that ends stopped at the head with its
// states searched; thousands of states read as the table scrolls; a handler that throws, shown on the Fault tab and
// skipped; a shadow rebuild compared, swapped and rolled back; a run cancelled and one paused; the states exported;
// and the tab inside the window, whose Fault tab shows the faulted event in the inspector.

#include "model/projection_admin.h"
#include "model/projection_list_model.h"
#include "model/projection_states_model.h"
#include "storage/event_store.h"
#include "tests/test_stores.h"
#include "tests/ui/window_test_support.h"
#include "ui/changes_view.h"
#include "ui/events_page.h"
#include "ui/flow_page.h"
#include "ui/inspector_dock.h"
#include "ui/main_window.h"
#include "ui/projection_editor.h"
#include "ui/projection_fault_view.h"
#include "ui/projection_progress_view.h"
#include "ui/projection_shadow_view.h"
#include "ui/projection_states_view.h"
#include "ui/projections_page.h"
#include "ui/stream_page.h"
#include "ui/throughput_chart.h"

#include <QApplication>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

#include <functional>

using namespace eventscope;
using namespace eventscope::test;
using namespace Qt::Literals::StringLiterals;

namespace {

// Each stream's events counted, with the last type.
const char* const kCounts = "fromAll().foreachStream().when({\n"
                            "  $init: function () { return { n: 0 }; },\n"
                            "  $any: function (s, e) { s.n += 1; s.last = e.type; }\n"
                            "});\n";
// The same, counting double: every partition changes.
const char* const kDouble = "fromAll().foreachStream().when({\n"
                            "  $init: function () { return { n: 0 }; },\n"
                            "  $any: function (s, e) { s.n += 2; s.last = e.type; }\n"
                            "});\n";
// Throws on an event whose data says so.
const char* const kThrows = "fromAll().foreachStream().when({\n"
                            "  $init: function () { return { n: 0 }; },\n"
                            "  $any: function (s, e) { if (e.data.bad) throw new Error('cannot count ' + e.stream); "
                            "s.n += 1; }\n"
                            "});\n";

// fillShop's streams and their event counts and last types.
const std::map<QString, std::pair<int, QString>> kShop {
    { u"order-1"_s, { 2, u"OrderCancelled"_s } },
    { u"order-2"_s, { 3, u"OrderPaid"_s } },
    { u"payment-2"_s, { 1, u"PaymentCaptured"_s } },
    { u"shipment-1"_s, { 1, u"ShipmentSent"_s } },
};

QPushButton* button(const QWidget& page, const char* name)
{
    return child<QPushButton>(page, name);
}

// Answers the modal dialogs that open next, one handler each, as a person would.
void answerModals(std::vector<std::function<void(QWidget*)>> handlers)
{
    auto queue = std::make_shared<std::vector<std::function<void(QWidget*)>>>(std::move(handlers));
    // The poll holds itself only through its next timer, so it is freed once the queue is empty.
    auto poll = std::make_shared<std::function<void()>>();
    *poll = [queue, weak = std::weak_ptr(poll)] {
        QWidget* modal = QApplication::activeModalWidget();
        if (modal && !modal->property("answered").toBool()) {
            modal->setProperty("answered", true);
            const auto handler = queue->front();
            queue->erase(queue->begin());
            handler(modal);
        }
        if (const auto self = weak.lock(); self && !queue->empty())
            QTimer::singleShot(30, [self] { (*self)(); });
    };
    QTimer::singleShot(30, [poll] { (*poll)(); });
}

QString cell(ProjectionsPage& page, const QString& name, int column)
{
    const int row = page.listModel()->rowOf(name);
    return row < 0 ? QString() : page.listModel()->index(row, column).data().toString();
}

// The number behind a numeric cell of the list, whose text the locale groups ("12,345").
qint64 number(ProjectionsPage& page, const QString& name, int column)
{
    const int row = page.listModel()->rowOf(name);
    return row < 0 ? -1 : page.listModel()->index(row, column).data(Qt::EditRole).toLongLong();
}

qint64 head(const std::string& uri)
{
    return openStore(uri)->headPosition();
}

// Types text into the editor, line by line: Return for each line break.
void typeLines(QPlainTextEdit* edit, const QString& text)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i > 0)
            QTest::keyClick(edit, Qt::Key_Return);
        QTest::keyClicks(edit, lines[i]);
    }
}

// Replaces the editor's text by typing it.
void typeScript(ProjectionEditor* editor, const QString& text)
{
    QPlainTextEdit* edit = editor->textEdit();
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    typeLines(edit, text);
}

bool runAndWait(ProjectionsPage& page, QSignalSpy& finished)
{
    const qsizetype before = finished.count();
    QTest::mouseClick(button(page, "runButton"), Qt::LeftButton);
    return QTest::qWaitFor([&] { return finished.count() > before && !page.isBusy(); }, 30000);
}

} // namespace

class TestProjectionsPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { QSettings().clear(); }

    void writesNeedAdminModeAndAWritableTarget()
    {
        StoreLocation location(QStringLiteral("sqlite"));
        fillShop(location.uri());
        const QString uri = QString::fromStdString(location.uri());
        ProjectionsPage page;
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.setStore(uri, false, {});
        page.setWritable(false);
        for (const char* name : { "newButton", "runButton", "rebuildButton", "shadowButton", "retryButton",
                 "skipButton", "deleteButton" }) {
            QVERIFY2(!button(page, name)->isEnabled(), name);
            QCOMPARE(button(page, name)->toolTip(), u"Turn on admin mode (Store ▸ Admin mode) to run projections"_s);
        }
        // A direct call is refused the same way, with the sentence.
        QSignalSpy message(&page, &ProjectionsPage::message);
        QVERIFY(!page.newProjection(u"counts"_s));
        QCOMPARE(message.last().front().toString(), u"Turn on admin mode (Store ▸ Admin mode) to run projections"_s);

        page.setWritable(true);
        QVERIFY(button(page, "newButton")->isEnabled());
        QVERIFY(!button(page, "runButton")->isEnabled()); // nothing chosen yet
        QVERIFY(!button(page, "pauseButton")->isEnabled());
        QVERIFY(!button(page, "cancelButton")->isEnabled());

        // A read-only store without a workspace: nothing can be written, whatever admin mode says.
        page.setStore(uri, true, {});
        page.setWritable(true);
        QVERIFY(!button(page, "newButton")->isEnabled());
        QCOMPARE(
            button(page, "newButton")->toolTip(), u"This store is read-only; projections of it need a workspace"_s);
        QVERIFY(child<QLabel>(page, "projectionListHint")->text().contains(u"need a workspace"_s));

        // Bad names are refused in a sentence.
        page.setStore(uri, false, {});
        QVERIFY(!page.newProjection(QString()));
        QVERIFY(message.last().front().toString().contains(u"needs a name"_s));
        QVERIFY(!page.newProjection(u"a~b"_s));
        QVERIFY(message.last().front().toString().contains(u"'~'"_s));
    }

    void typeRunSearch_data() { addBackendRows(); }
    void typeRunSearch()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        fillShop(location.uri());
        ProjectionsPage page;
        page.resize(1300, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.setStore(QString::fromStdString(location.uri()), false, {});
        page.setWritable(true);
        QSignalSpy finished(&page, &ProjectionsPage::runFinished);

        // New…: a name with '~' is refused in a warning, then a good one is taken.
        answerModals({
            [](QWidget* w) {
                auto* dialog = qobject_cast<QInputDialog*>(w);
                QVERIFY(dialog);
                dialog->setTextValue(u"bad~name"_s);
                dialog->accept();
            },
            [](QWidget* w) {
                auto* box = qobject_cast<QMessageBox*>(w);
                QVERIFY(box);
                QVERIFY(box->text().contains(u"'~'"_s));
                box->accept();
            },
            [](QWidget* w) {
                auto* dialog = qobject_cast<QInputDialog*>(w);
                QVERIFY(dialog);
                dialog->setTextValue(u"counts"_s);
                dialog->accept();
            },
        });
        QTest::mouseClick(button(page, "newButton"), Qt::LeftButton);
        QCOMPARE(page.currentName(), u"counts"_s);
        QCOMPARE(page.editor()->script(), ProjectionEditor::exampleScript());
        QVERIFY(child<QLabel>(page, "projectionTitle")->text().contains(u"counts"_s));

        // A script with its last line missing: the problem shows under the editor, with its line marked.
        const QString script = QString::fromUtf8(kCounts);
        typeScript(page.editor(), script.left(script.lastIndexOf(u"});"_s)));
        QLabel* problem = page.editor()->problemLabel();
        QTRY_VERIFY_WITH_TIMEOUT(problem->isVisible(), 10000);
        QVERIFY(!problem->text().isEmpty());
        QCOMPARE(page.editor()->textEdit()->extraSelections().size(), 1);
        typeLines(page.editor()->textEdit(), u"});\n"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!problem->isVisible() && !page.editor()->isChecking(), 10000);
        QVERIFY(page.editor()->textEdit()->extraSelections().isEmpty());
        QCOMPARE(page.editor()->script(), script);

        // Run: the list shows it stopped at the head (its own audit record included), with no lag.
        QVERIFY(runAndWait(page, finished));
        const qint64 storeHead = head(location.uri());
        QVERIFY2(finished.last().front().toString().startsWith(
                     u"Projection counts caught up at position %1 (7 events, "_s.arg(storeHead)),
            qPrintable(finished.last().front().toString()));
        QTRY_COMPARE(cell(page, u"counts"_s, ProjectionListModel::Status), u"stopped"_s);
        QCOMPARE(number(page, u"counts"_s, ProjectionListModel::Position), storeHead);
        QCOMPARE(cell(page, u"counts"_s, ProjectionListModel::Position), QLocale().toString(storeHead));
        QCOMPARE(cell(page, u"counts"_s, ProjectionListModel::Lag), u"0"_s);
        QCOMPARE(cell(page, u"counts"_s, ProjectionListModel::Partitions), u"4"_s);
        QCOMPARE(cell(page, u"counts"_s, ProjectionListModel::Source), u"fromAll()"_s);
        QCOMPARE(page.currentName(), u"counts"_s);
        QCOMPARE(page.listView()->currentIndex().row(), page.listModel()->rowOf(u"counts"_s));
        QCOMPARE(child<QProgressBar>(page, "progressBar")->value(), 1000);
        QVERIFY(child<ThroughputChart>(page, "throughputChart")->pointCount() >= 1);

        // The States tab: every stream's count, searched by name.
        page.detailTabs()->setCurrentWidget(page.statesView());
        ProjectionStatesModel* states = page.statesView()->model();
        QTRY_COMPARE(states->rowCount(), 4);
        QTRY_COMPARE(child<QLabel>(page, "statesCount")->text(), u"4 partitions"_s);
        for (int row = 0; row < 4; ++row) {
            const QString partition = states->index(row, 0).data().toString();
            const auto& [count, last] = kShop.at(partition);
            QCOMPARE(states->index(row, 1).data().toString(), u"{\"n\":%1,\"last\":\"%2\"}"_s.arg(count).arg(last));
        }
        QTest::keyClicks(page.statesView()->searchEdit(), u"ORDER"_s);
        QTRY_COMPARE(states->rowCount(), 2);
        QTRY_COMPARE(child<QLabel>(page, "statesCount")->text(), u"2 of 4 partitions"_s);
        QTableView* table = page.statesView()->table();
        clickRow(table, 1);
        QCOMPARE(table->currentIndex().row(), 1);
        QCOMPARE(states->index(1, 0).data().toString(), u"order-2"_s);
        QCOMPARE(page.statesView()->stateText()->toPlainText(), u"{\n  \"n\": 3,\n  \"last\": \"OrderPaid\"\n}"_s);
        // Searching the JSON text too.
        page.statesView()->searchEdit()->clear();
        QTest::keyClicks(page.statesView()->searchEdit(), u"captured"_s);
        QTRY_COMPARE(states->rowCount(), 1);
        QCOMPARE(states->index(0, 0).data().toString(), u"payment-2"_s);

        // Selecting another projection loads its script; coming back loads this one's.
        QCOMPARE(page.listModel()->summary(u"counts"_s)->details.script, script.toStdString());
    }

    // 2,500 partitions: the table reads a page at a time, as it is scrolled to its end.
    void statesTableReadsAsItScrolls()
    {
        StoreLocation location(QStringLiteral("sqlite"));
        fillShop(location.uri());
        std::vector<PartitionState> many;
        for (int i = 0; i < 2500; ++i)
            many.push_back({ "s-" + std::to_string(10000 + i), "{\"i\":" + std::to_string(i) + "}" });
        openStore(location.uri())
            ->commitProjection({ "many", 1, "stopped", "{\"source\":\"fromAll()\",\"partitioned\":true}", 0 }, many);
        ProjectionsPage page;
        page.resize(1300, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.setStore(QString::fromStdString(location.uri()), false, {});
        QTRY_VERIFY(page.listModel()->rowOf(u"many"_s) >= 0);
        page.selectProjection(u"many"_s);
        page.detailTabs()->setCurrentWidget(page.statesView());
        ProjectionStatesModel* states = page.statesView()->model();
        QLabel* count = child<QLabel>(page, "statesCount");
        QTRY_COMPARE(states->rowCount(), 1000);
        QTRY_COMPARE(count->text(), u"%1 partitions"_s.arg(QLocale().toString(2500)));
        QTest::qWait(200);
        QCOMPARE(states->rowCount(), 1000); // the rest waits for the scroll bar
        QTableView* table = page.statesView()->table();
        table->scrollToBottom();
        QTRY_COMPARE(states->rowCount(), 2000);
        table->scrollToBottom();
        QTRY_COMPARE(states->rowCount(), 2500);
        QCOMPARE(states->index(2499, 0).data().toString(), u"s-12499"_s);
        QVERIFY(!states->canFetchMore({}));

        // A search says how far it has got while it runs, then how many it found.
        states->setSearch(u"S-124"_s);
        QCOMPARE(count->text(), u"0 found, searching… (scanned 0)"_s);
        QTRY_COMPARE(count->text(), u"100 of %1 partitions"_s.arg(QLocale().toString(2500)));
        QCOMPARE(states->rowCount(), 100); // s-12400 … s-12499
    }

    void faultShownAndSkipped()
    {
        StoreLocation location(QStringLiteral("sqlite"));
        fillShop(location.uri());
        const auto bad
            = openStore(location.uri())->append("order-1", { NewEvent { {}, "Broken", "{\"bad\":true}", "{}", {} } });
        openStore(location.uri())->append("order-2", { NewEvent { {}, "ItemAdded", "{}", "{}", {} } });
        ProjectionsPage page;
        page.resize(1300, 800);
        page.show();
        page.setStore(QString::fromStdString(location.uri()), false, {});
        page.setWritable(true);
        QSignalSpy finished(&page, &ProjectionsPage::runFinished);
        QVERIFY(page.newProjection(u"fragile"_s));
        page.editor()->setScript(QString::fromUtf8(kThrows));
        QVERIFY(runAndWait(page, finished));
        QVERIFY2(finished.last().front().toString().contains(u"faulted at position %1"_s.arg(bad.lastPosition)),
            qPrintable(finished.last().front().toString()));

        // The Fault tab comes forward with the event and the message.
        QTRY_COMPARE(page.detailTabs()->currentWidget(), page.faultView());
        QCOMPARE(cell(page, u"fragile"_s, ProjectionListModel::Status), u"faulted"_s);
        QCOMPARE(number(page, u"fragile"_s, ProjectionListModel::Position), bad.lastPosition - 1);
        QCOMPARE(page.faultView()->messageLabel()->text(), u"cannot count order-1"_s);
        QVERIFY(page.faultView()->eventLabel()->text().contains(u"Position %1"_s.arg(bad.lastPosition)));
        QVERIFY(page.faultView()->eventLabel()->text().contains(u"Broken"_s));
        QVERIFY(button(page, "retryButton")->isEnabled());
        QVERIFY(button(page, "skipButton")->isEnabled());

        // Retry faults again on the same event; Skip event steps over it and runs on to the head.
        QTest::mouseClick(button(page, "retryButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30000);
        QVERIFY(finished.last().front().toString().contains(u"faulted"_s));
        QTRY_VERIFY(!page.isBusy() && button(page, "skipButton")->isEnabled());
        QTest::mouseClick(button(page, "skipButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 30000);
        const qint64 storeHead = head(location.uri());
        QVERIFY2(finished.last().front().toString().contains(u"caught up at position %1"_s.arg(storeHead)),
            qPrintable(finished.last().front().toString()));
        QTRY_COMPARE(cell(page, u"fragile"_s, ProjectionListModel::Status), u"stopped"_s);
        QTRY_COMPARE(page.faultView()->skippedList()->topLevelItemCount(), 1);
        QCOMPARE(page.faultView()->skippedList()->topLevelItem(0)->text(0), QString::number(bad.lastPosition));
        QVERIFY(!page.faultView()->hasFault());
        QVERIFY(!button(page, "skipButton")->isEnabled());
        // order-1's count leaves the skipped event out.
        for (const PartitionState& state : openStore(location.uri())->projectionStates("fragile"))
            if (state.partition == "order-1")
                QCOMPARE(QString::fromStdString(state.state), u"{\"n\":2}"_s);
    }

    void shadowRebuildSwapRollbackExport()
    {
        StoreLocation location(QStringLiteral("sqlite"));
        fillShop(location.uri());
        ProjectionsPage page;
        page.resize(1300, 800);
        page.show();
        page.setStore(QString::fromStdString(location.uri()), false, {});
        page.setWritable(true);
        QSignalSpy finished(&page, &ProjectionsPage::runFinished);
        QSignalSpy written(&page, &ProjectionsPage::writeFinished);
        QVERIFY(page.newProjection(u"counts"_s));
        page.editor()->setScript(QString::fromUtf8(kCounts));
        QVERIFY(runAndWait(page, finished));
        QTRY_VERIFY(button(page, "shadowButton")->isEnabled());
        QVERIFY(!child<QPushButton>(page, "swapButton")->isEnabled());

        // The fixed script rebuilt beside the live version: every partition differs.
        page.editor()->setScript(QString::fromUtf8(kDouble));
        QTest::mouseClick(button(page, "shadowButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30000);
        QTRY_COMPARE(page.detailTabs()->currentWidget(), page.shadowView());
        QTreeWidget* differences = page.shadowView()->differenceList();
        QTRY_COMPARE(differences->topLevelItemCount(), 4);
        QCOMPARE(page.shadowView()->summaryLabel()->text(), u"4 partitions differ, 0 are the same"_s);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(differences->topLevelItem(i)->text(1), u"changed"_s);
        differences->setCurrentItem(differences->topLevelItem(1)); // order-2
        QCOMPARE(differences->topLevelItem(1)->text(0), u"order-2"_s);
        ChangesView* changes = page.shadowView()->changesView();
        QCOMPARE(changes->changeCount(), 1);
        QCOMPARE(changes->topLevelItem(0)->text(1), u"n"_s);
        QCOMPARE(changes->topLevelItem(0)->text(2), u"3"_s);
        QCOMPARE(changes->topLevelItem(0)->text(3), u"6"_s);
        // The live states are untouched so far.
        QTRY_COMPARE(page.statesView()->model()->rowCount(), 4);
        QVERIFY2(page.statesView()->model()->index(1, 1).data().toString().startsWith(u"{\"n\":3"_s),
            qPrintable(page.statesView()->model()->index(1, 1).data().toString()));

        // Swap: the shadow is live, the old version kept; Roll back returns to it.
        QPushButton* swap = child<QPushButton>(page, "swapButton");
        QVERIFY(swap->isEnabled());
        QTest::mouseClick(swap, Qt::LeftButton);
        QTRY_COMPARE(written.count(), 1);
        QCOMPARE(written.last().front().toString(), QString());
        QTRY_VERIFY(page.statesView()->model()->index(1, 1).data().toString().startsWith(u"{\"n\":6"_s));
        QTRY_VERIFY(child<QPushButton>(page, "rollbackButton")->isEnabled());
        QVERIFY(!swap->isEnabled());
        QTest::mouseClick(child<QPushButton>(page, "rollbackButton"), Qt::LeftButton);
        QTRY_COMPARE(written.count(), 2);
        QTRY_VERIFY(page.statesView()->model()->index(1, 1).data().toString().startsWith(u"{\"n\":3"_s));

        // Each write is in the audit stream, made by the window.
        EventQuery audit;
        audit.streams = { "$eventscope-audit" };
        audit.includeSystem = true;
        QStringList types;
        for (const Event& event : openStore(location.uri())->read(audit).events) {
            types << QString::fromStdString(event.type);
            QVERIFY(event.data.find("\"eventscope-window\"") != std::string::npos);
        }
        QCOMPARE(types,
            QStringList(
                { u"ProjectionRun"_s, u"ProjectionRebuilt"_s, u"ProjectionSwapped"_s, u"ProjectionRolledBack"_s }));

        // Export: the file holds a header and a row a partition.
        QTemporaryDir folder;
        const QString path = folder.filePath(u"counts.csv"_s);
        QVERIFY(button(page, "exportButton")->isEnabled());
        page.exportStates(path);
        QTRY_COMPARE(written.count(), 3);
        QCOMPARE(written.last().front().toString(), QString());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.size(), 6); // a header, four rows and the end of the last line
        QCOMPARE(lines.front(), QByteArray("partition,state\r"));
        QCOMPARE(lines[2], QByteArray("order-2,\"{\"\"n\"\":3,\"\"last\"\":\"\"OrderPaid\"\"}\"\r"));

        // Delete: the projection leaves the list.
        QTest::mouseClick(button(page, "deleteButton"), Qt::LeftButton);
        QTRY_COMPARE(written.count(), 4);
        QTRY_COMPARE(page.listModel()->rowCount(), 0);
        QCOMPARE(page.currentName(), QString());
        QVERIFY(!button(page, "runButton")->isEnabled());
    }

    void cancelAndPause()
    {
        // Enough events, and a handler slow enough, that the run is still going when the buttons are clicked.
        StoreLocation location(QStringLiteral("sqlite"));
        constexpr int total = 20000;
        {
            auto store = openStore(location.uri(), true);
            std::vector<AppendRequest> requests;
            NewEvent tick;
            tick.type = "Tick";
            for (int i = 0; i < total; ++i)
                requests.push_back({ "tick-" + std::to_string(i % 50), ExpectedVersion::any(), { tick } });
            store->append(requests);
        }
        const char* slowCount
            = "fromAll().when({ $init: function () { return { n: 0 }; },"
              " $any: function (s, e) { var x = 0; for (var i = 0; i < 5000; ++i) x += i; s.n++; } });";
        const auto checkpoint = [&] { return openStore(location.uri())->projection("counts")->position; };
        ProjectionsPage page;
        page.show();
        page.setStore(QString::fromStdString(location.uri()), false, {});
        page.setWritable(true);
        QSignalSpy finished(&page, &ProjectionsPage::runFinished);
        QVERIFY(page.newProjection(u"counts"_s));
        page.editor()->setScript(QString::fromUtf8(slowCount));

        // Cancelled part-way: the run ends short of the head and says so.
        QTest::mouseClick(button(page, "runButton"), Qt::LeftButton);
        QVERIFY(button(page, "cancelButton")->isEnabled());
        QVERIFY(!button(page, "runButton")->isEnabled());
        QTest::mouseClick(button(page, "cancelButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QVERIFY2(finished.last().front().toString().startsWith(u"Projection counts was cancelled at position "_s),
            qPrintable(finished.last().front().toString()));
        QTRY_VERIFY(!page.isBusy());
        QVERIFY(checkpoint() < total);

        // Paused: the checkpoint does not move until Resume; then the run catches up, each event counted once.
        QTest::mouseClick(button(page, "runButton"), Qt::LeftButton);
        QTest::mouseClick(button(page, "pauseButton"), Qt::LeftButton);
        QCOMPARE(button(page, "pauseButton")->text(), u"Resume"_s);
        QTest::qWait(300); // the batch in flight, if any, commits
        const std::int64_t paused = checkpoint();
        QTest::qWait(400);
        QCOMPARE(checkpoint(), paused);
        QCOMPARE(finished.count(), 1);
        QTest::mouseClick(button(page, "pauseButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
        QVERIFY(finished.last().front().toString().contains(u"caught up"_s));
        QCOMPARE(button(page, "pauseButton")->text(), u"Pause"_s);
        const auto states = openStore(location.uri())->projectionStates("counts");
        QCOMPARE(states.size(), std::size_t(1));
        QCOMPARE(QByteArray::fromStdString(states.front().state), QByteArray("{\"n\":20000}"));
    }

    void tabInTheWindow()
    {
        StoreLocation location(QStringLiteral("sqlite"));
        fillShop(location.uri());
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        window.openStoreAsync(QString::fromStdString(location.uri()));
        QVERIFY(opened.wait(10000));
        auto* tabs = qobject_cast<QTabWidget*>(window.projectionsPage()->parentWidget()->parentWidget());
        QVERIFY(tabs);
        // DESIGN §9's order: Events, Stream, Flow, Projections.
        const int flow = tabs->indexOf(window.flowPage());
        QCOMPARE(flow, tabs->indexOf(window.streamPage()) + 1);
        QCOMPARE(tabs->tabText(flow + 1), u"Projections"_s);
        QCOMPARE(tabs->widget(flow + 1), window.projectionsPage());
        ProjectionsPage& page = *window.projectionsPage();
        QVERIFY(!button(page, "newButton")->isEnabled());
        window.setAdminMode(true);
        QVERIFY(button(page, "newButton")->isEnabled());
        tabs->setCurrentWidget(&page);
        QVERIFY(page.newProjection(u"counts"_s));
        QSignalSpy finished(&page, &ProjectionsPage::runFinished);
        QVERIFY(runAndWait(page, finished));
        QVERIFY2(window.statusBar()->currentMessage().startsWith(
                     u"Projection counts caught up at position %1 (7 events, "_s.arg(head(location.uri()))),
            qPrintable(window.statusBar()->currentMessage()));
        // A handler that throws: the Fault tab's "Show event" shows the event it threw on in the inspector.
        const AppendResult bad
            = openStore(location.uri())->append("order-1", { NewEvent { {}, "Broken", "{\"bad\":true}", "{}", {} } });
        page.editor()->setScript(QString::fromUtf8(kThrows));
        QVERIFY(runAndWait(page, finished));
        QTRY_COMPARE(page.detailTabs()->currentWidget(), page.faultView());
        QLabel* showEvent = page.faultView()->showEventLink();
        QVERIFY(showEvent->isVisible());
        QVERIFY(!window.inspector()->inspected() || window.inspector()->inspected()->id != bad.ids.front());
        clickLink(showEvent);
        QTRY_VERIFY(window.inspector()->inspected() && window.inspector()->inspected()->id == bad.ids.front());
        QCOMPARE(window.inspector()->inspected()->position, bad.lastPosition);
        QCOMPARE(window.inspector()->inspected()->type, std::string("Broken"));
        QCOMPARE(tabs->currentWidget(), window.eventsPage());
        tabs->setCurrentWidget(&page);

        // Admin mode off again: writes off again.
        window.setAdminMode(false);
        QVERIFY(!button(page, "runButton")->isEnabled());
        QCOMPARE(button(page, "runButton")->toolTip(), u"Turn on admin mode (Store ▸ Admin mode) to run projections"_s);
    }
};

QTEST_MAIN(TestProjectionsPage)
#include "tst_projections_page.moc"
