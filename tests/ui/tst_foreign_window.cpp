// The window on a store another system wrote (DESIGN §3, §9): it opens read-only, writes are not offered, the
// events and a correlation's flow show as for a native store, and projections are kept in a workspace of the
// store's own, which the window makes. The store is an Emmett SQLite file laid out as Emmett 0.42 lays it out
// (tests/foreign/README.md); the command-line tests write such files with Emmett's own code. Then a Message DB
// database, its messages written by Message DB's own write_message() (EVENTSCOPE_TEST_MESSAGEDB, a libpq URI;
// skipped when unset, failed when unset under CI=true).

#include "model/event_table_model.h"
#include "model/flow_job.h"
#include "model/stream_tree_model.h"
#include "model/workspace.h"
#include "storage/event_store.h"
#include "tests/messagedb_sql.h"
#include "tests/test_stores.h"
#include "tests/ui/window_test_support.h"
#include "ui/event_filter_bar.h"
#include "ui/events_page.h"
#include "ui/flow_page.h"
#include "ui/main_window.h"
#include "ui/projections_page.h"
#include "ui/stream_navigator_dock.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QLineEdit>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeView>
#include <QUuid>

#include <sqlite3.h>

using namespace eventscope;
using namespace eventscope::test;

using namespace eventscope::test;

namespace {

bool makeEmmettFile(const QString& path)
{
    sqlite3* db = nullptr;
    if (sqlite3_open(path.toUtf8().constData(), &db) != SQLITE_OK)
        return false;
    const char* sql
        = "CREATE TABLE emt_streams(stream_id TEXT NOT NULL, stream_position BIGINT NOT NULL DEFAULT 0, partition "
          "TEXT NOT NULL DEFAULT 'global', stream_type TEXT NOT NULL, stream_metadata JSONB NOT NULL, is_archived "
          "BOOLEAN NOT NULL DEFAULT FALSE, PRIMARY KEY (stream_id, partition, is_archived));"
          "CREATE TABLE emt_messages(stream_id TEXT NOT NULL, stream_position BIGINT NOT NULL, partition TEXT NOT "
          "NULL DEFAULT 'global', message_kind CHAR(1) NOT NULL DEFAULT 'E', message_data JSONB NOT NULL, "
          "message_metadata JSONB NOT NULL, message_schema_version TEXT NOT NULL, message_type TEXT NOT NULL, "
          "message_id TEXT NOT NULL, is_archived BOOLEAN NOT NULL DEFAULT FALSE, global_position INTEGER PRIMARY "
          "KEY, created DATETIME DEFAULT CURRENT_TIMESTAMP, UNIQUE (stream_id, stream_position, partition, "
          "is_archived));"
          "INSERT INTO emt_messages(stream_id, stream_position, partition, message_data, message_metadata, "
          "message_schema_version, message_type, message_id, created) VALUES "
          "('order-1', 1, 'emt:default', '{\"total\":10}', '{\"correlationId\":\"c-1\",\"userId\":\"u-1\"}', '0', "
          "'OrderPlaced', '00000000-0000-4000-8000-000000000001', '2024-01-15 14:00:00'),"
          "('payment-1', 1, 'emt:default', '{}', '{\"correlationId\":\"c-1\",\"causationId\":"
          "\"00000000-0000-4000-8000-000000000001\"}', '0', 'PaymentRequested', "
          "'00000000-0000-4000-8000-000000000002', '2024-01-15 14:00:05'),"
          "('order-1', 2, 'emt:default', '{}', '{\"correlationId\":\"c-1\",\"causationId\":"
          "\"00000000-0000-4000-8000-000000000002\"}', '1', 'OrderPaid', '00000000-0000-4000-8000-000000000003', "
          "'2024-01-15 14:01:00');";
    const bool ok = sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

// One message as written: its stream, type and ID, and the position Message DB gives it in its stream.
struct Written
{
    QString stream;
    QString type;
    QString id;
    qint64 version = 0;
};

// The top-level row of the navigator named `name`, fetching further pages of categories while it is not there.
QModelIndex categoryRow(StreamTreeModel* model, const QString& name)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, StreamTreeModel::Name);
        if (index.data(StreamTreeModel::CategoryRole).toString() == name)
            return index;
    }
    if (!model->isLoading() && model->canFetchMore({}))
        model->fetchMore({});
    return {};
}

} // namespace

class TestForeignWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void opensReadOnlyWithAWorkspace()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("emmett.sqlite"));
        QVERIFY(makeEmmettFile(path));
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        window.openStoreAsync(path);
        QTRY_COMPARE(opened.count(), 1);

        QVERIFY(window.isStoreReadOnly());
        QVERIFY(statusText(window).contains(QStringLiteral("Read-only")));
        QVERIFY(!window.appendAction()->isEnabled());
        window.setAdminMode(true);
        QVERIFY(!window.isAdminMode()); // nothing may be written to another system's store
        QTRY_VERIFY(window.eventsModel()->isCounted());
        QCOMPARE(window.eventsModel()->rowCount(), 3);

        // Projections go to the store's workspace, a native SQLite file the window made.
        const QString workspace = workspacePathFor(path);
        QCOMPARE(window.projectionsPage()->targetUri(), workspace);
        QVERIFY(QFile::exists(workspace));
        QCOMPARE(QString::fromStdString(openStore(workspace.toStdString())->describe().kind), QStringLiteral("sqlite"));
        QVERIFY(window.projectionsPage()->writeBlockedReason().isEmpty());

        // The flow of a correlation joins Emmett's events by causation.
        FlowPage* flow = window.flowPage();
        QSignalSpy shown(flow, &FlowPage::flowShown);
        flow->showCorrelation(QStringLiteral("c-1"));
        QTRY_COMPARE(shown.count(), 1);
        QCOMPARE(flow->result()->graph.events.size(), std::size_t(3));
        QCOMPARE(flow->result()->graph.edges.size(), std::size_t(2));
        QVERIFY(flow->result()->graph.orphans.empty());
    }

    // A Message DB database: its messages in the Events tab as Message DB numbered them (from 0), its category in
    // the navigator, and a window that says it may not write there.
    void opensMessageDbReadOnly()
    {
        if (messageDbServer().isEmpty()) {
            if (test::runningInCi())
                QFAIL("EVENTSCOPE_TEST_MESSAGEDB is not set under CI=true: the Message DB tests cannot run");
            QSKIP("EVENTSCOPE_TEST_MESSAGEDB is not set: no Message DB to test against");
        }
        // A category of this run's own: other tests write to the same database.
        const QString category = QStringLiteral("wnd") + QUuid::createUuid().toString(QUuid::Id128).left(10);
        const QString first = category + QStringLiteral("-1");
        const QString second = category + QStringLiteral("-2");
        QList<Written> written;
        QStringList statements;
        const QList<QPair<QString, QString>> plan { { first, QStringLiteral("Opened") },
            { second, QStringLiteral("Opened") }, { first, QStringLiteral("Deposited") },
            { first, QStringLiteral("Withdrawn") }, { second, QStringLiteral("Closed") } };
        for (const auto& [stream, type] : plan) {
            qint64 version = 0;
            for (const Written& w : std::as_const(written))
                version += w.stream == stream ? 1 : 0;
            written.append({ stream, type, QUuid::createUuid().toString(QUuid::WithoutBraces), version });
            statements << QStringLiteral("SELECT write_message(%1, %2, %3, '{\"n\":%4}'::jsonb, "
                                         "'{\"correlationStreamName\":\"%5\"}'::jsonb, %6)")
                              .arg(sqlText(written.last().id), sqlText(stream), sqlText(type),
                                  QString::number(written.size()), category, QString::number(version - 1));
        }
        QString output;
        const bool seeded = runMessageDbSql(statements, &output);
        const auto cleanup = qScopeGuard([&] {
            QString ignored;
            if (!runMessageDbSql({ QStringLiteral("DELETE FROM messages WHERE stream_name IN (%1, %2)")
                                         .arg(sqlText(first), sqlText(second)) },
                    &ignored))
                qWarning("could not delete this test's Message DB streams: %s", qPrintable(ignored));
        });
        QVERIFY2(seeded, qPrintable(output));

        const QString uri = QStringLiteral("messagedb+") + messageDbServer();
        MainWindow window;
        QAbstractItemModelTester navigatorTester(
            window.navigator()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        QSignalSpy failed(&window, &MainWindow::storeFailed);
        QSignalSpy navigatorFailed(window.navigator()->model(), &StreamTreeModel::loadFailed);
        window.openStoreAsync(uri);
        QTRY_VERIFY_WITH_TIMEOUT(opened.count() + failed.count() > 0, 20000);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));

        // Read-only, and said so: not the "Read-only view" of a native store outside admin mode.
        QVERIFY(window.isStoreReadOnly());
        QVERIFY2(statusText(window).split(QLatin1String(" | ")).contains(QStringLiteral("Read-only")),
            qPrintable(statusText(window)));
        QVERIFY(!window.appendAction()->isEnabled());
        window.setAdminMode(true);
        QVERIFY(!window.isAdminMode());
        QVERIFY(!window.appendAction()->isEnabled());
        QCOMPARE(window.projectionsPage()->targetUri(), workspacePathFor(uri));

        // The Events tab shows every message of the database, ours among them.
        QTRY_VERIFY_WITH_TIMEOUT(window.eventsModel()->isCounted(), 20000);
        QVERIFY(window.eventsModel()->matchCount() >= written.size());

        // The category typed in the filter bar: our messages alone, in the order written, numbered as Message DB
        // numbers them (from 0).
        QLineEdit* categoryField = child<QComboBox>(*window.eventsPage()->filterBar(), "categoryCombo")->lineEdit();
        categoryField->setFocus();
        QTest::keyClicks(categoryField, category);
        QTest::keyClick(categoryField, Qt::Key_Return);
        compareRows(window, category, written);
        if (QTest::currentTestFailed())
            return;
        QTest::mouseClick(child<QToolButton>(*window.eventsPage()->filterBar(), "clearButton"), Qt::LeftButton);
        QTRY_VERIFY(!window.eventsModel()->query().category);

        // The navigator lists the category by Message DB's convention, with its two streams and their counts.
        StreamTreeModel* tree = window.navigator()->model();
        QTRY_VERIFY_WITH_TIMEOUT(categoryRow(tree, category).isValid() || !navigatorFailed.isEmpty(), 20000);
        QVERIFY2(navigatorFailed.isEmpty(), qPrintable(navigatorFailed.value(0).value(0).toString()));
        const QModelIndex categoryIndex = categoryRow(tree, category);
        QVERIFY(categoryIndex.data(StreamTreeModel::IsCategoryRole).toBool());
        window.navigator()->view()->expand(categoryIndex);
        QTRY_COMPARE(tree->rowCount(categoryIndex), 2);
        QMap<QString, qlonglong> counts;
        for (int row = 0; row < 2; ++row) {
            const QModelIndex stream = tree->index(row, StreamTreeModel::Name, categoryIndex);
            QCOMPARE(stream.data(StreamTreeModel::CategoryRole).toString(), category);
            counts[stream.data(StreamTreeModel::StreamNameRole).toString()]
                = stream.data(StreamTreeModel::EventCountRole).toLongLong();
        }
        QCOMPARE(counts, (QMap<QString, qlonglong> { { first, 3 }, { second, 2 } }));

        // Activating the category narrows the Events tab to the same messages.
        QTreeView* view = window.navigator()->view();
        view->scrollTo(categoryIndex);
        const QPoint at = view->visualRect(categoryIndex).center();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
        compareRows(window, category, written);
    }

private:
    // The Events tab, once it shows `category`, against the messages as written.
    static void compareRows(MainWindow& window, const QString& category, const QList<Written>& written)
    {
        QTRY_COMPARE(QString::fromStdString(window.eventsModel()->query().category.value_or(std::string())), category);
        EventTableModel* events = window.eventsModel();
        QTRY_VERIFY_WITH_TIMEOUT(events->isCounted() && !events->isLoading(), 20000);
        QCOMPARE(events->matchCount(), written.size());
        QCOMPARE(events->rowCount(), int(written.size()));
        QTRY_VERIFY(events->index(int(written.size()) - 1, 0).data(EventTableModel::IsLoadedRole).toBool());
        for (int row = 0; row < written.size(); ++row) {
            const Event* event = events->eventAt(row);
            QVERIFY(event);
            QCOMPARE(QString::fromStdString(event->id), written[row].id);
            QCOMPARE(QString::fromStdString(event->stream), written[row].stream);
            QCOMPARE(QString::fromStdString(event->type), written[row].type);
            QCOMPARE(event->version, written[row].version);
            QCOMPARE(
                events->index(row, EventTableModel::Version).data().toString(), QString::number(written[row].version));
        }
    }
};

EVENTSCOPE_TEST_MAIN_WITHOUT_KEYCHAIN(TestForeignWindow, "tst_foreign_window")
#include "tst_foreign_window.moc"
