// The window on a store another system wrote (DESIGN §3, §9): it opens read-only, writes are not offered, the
// events and a correlation's flow show as for a native store, and projections are kept in a workspace of the
// store's own, which the window makes. The store is an Emmett SQLite file laid out as Emmett 0.42 lays it out
// (tests/foreign/README.md); the command-line tests write such files with Emmett's own code.

#include "model/event_table_model.h"
#include "model/flow_job.h"
#include "model/workspace.h"
#include "storage/event_store.h"
#include "tests/ui/window_test_support.h"
#include "ui/flow_page.h"
#include "ui/main_window.h"
#include "ui/projections_page.h"

#include <QAction>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace eventscope;
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
};

EVENTSCOPE_TEST_MAIN_WITHOUT_KEYCHAIN(TestForeignWindow, "tst_foreign_window")
#include "tst_foreign_window.moc"
