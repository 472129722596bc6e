// The stream navigator as a person meets it: categories with a status line, a filter that narrows the tree as
// one types (once, after a pause), a double-click or Enter that opens a stream, and a store that cannot be read.
// With EVENTSCOPE_GRAB_DIR set, it also saves a picture of the dock there for a person to look at.

#include "model/stream_tree_model.h"
#include "storage/event_store.h"
#include "storage/time_format.h"
#include "tests/test_stores.h"
#include "ui/stream_navigator_dock.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

using namespace eventscope;
using namespace Qt::StringLiterals;

namespace {

void fillStore(const std::string& uri)
{
    const Micros start = parseTime("2024-01-15T14:00:00Z");
    std::vector<AppendRequest> requests;
    auto add = [&](const std::string& stream, int events, int minutes) {
        AppendRequest request { stream, ExpectedVersion::any(), {} };
        for (int i = 0; i < events; ++i) {
            NewEvent e;
            e.type = "Happened";
            e.time = start + Micros(minutes + i) * 60'000'000;
            request.events.push_back(e);
        }
        requests.push_back(request);
    };
    for (int i = 1; i <= 120; ++i)
        add("order-" + std::to_string(i), 1 + i % 7, i);
    for (int i = 1; i <= 3; ++i)
        add("payment-" + std::to_string(i), 2, 10 * i);
    add("shipment-7f3c9a2e-41d1-4c55-9e0b-8a1f2d3c4b5a", 12345, 0);
    add("customerAccountProjection-checkpoint", 1, 3);
    add("$et-Happened", 1, 0);
    openStore(uri, true)->append(requests);
}

// As a mouse does it: a click, then the second press that the system reports as a double-click.
void doubleClick(QTreeView* view, const QModelIndex& index)
{
    const QPoint at = view->visualRect(index).center();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, at);
}

QStringList topLevelNames(const QAbstractItemModel& model)
{
    QStringList names;
    for (int row = 0; row < model.rowCount(); ++row)
        names << model.index(row, 0).data().toString();
    return names;
}

} // namespace

class TestStreamNavigatorDock : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void browseFilterAndOpen()
    {
        test::StoreLocation location(u"sqlite"_s);
        fillStore(location.uri());
        StreamNavigatorDock dock;
        QAbstractItemModelTester tester(dock.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(dock.objectName(), u"streamNavigator"_s);
        QCOMPARE(dock.windowTitle(), u"Streams"_s);
        QCOMPARE(dock.statusText(), u"No store open"_s);
        auto* filter = dock.findChild<QLineEdit*>(u"streamFilter"_s);
        QVERIFY(filter);
        QVERIFY(filter->isClearButtonEnabled());
        QVERIFY(filter->placeholderText().contains(u'*'));
        QVERIFY(dock.view()->uniformRowHeights());
        QVERIFY(!dock.view()->isSortingEnabled());
        dock.resize(320, 700);
        dock.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dock));

        dock.setStore(QString::fromStdString(location.uri()));
        QTRY_COMPARE(dock.statusText(), u"4 categories"_s);
        QCOMPARE(topLevelNames(*dock.model()),
            QStringList({ u"customerAccountProjection"_s, u"order"_s, u"payment"_s, u"shipment"_s }));

        // Typing waits for a pause, then filters once, not once a key.
        QSignalSpy resets(dock.model(), &QAbstractItemModel::modelReset);
        QTest::keyClicks(filter, u"order-*7"_s);
        QCOMPARE(resets.count(), 0);
        QTRY_COMPARE(dock.statusText(), u"21 streams match order-*7"_s);
        QCOMPARE(resets.count(), 1);
        if (const QString grabDir = qEnvironmentVariable("EVENTSCOPE_GRAB_DIR"); !grabDir.isEmpty())
            QVERIFY(dock.grab().save(QDir(grabDir).filePath(u"stream_navigator_filtered.png"_s)));
        const QStringList matches = topLevelNames(*dock.model());
        QCOMPARE(matches.size(), 21); // every number to 120 with a 7 in it
        QVERIFY(matches.contains(u"order-17"_s));
        QVERIFY(matches.contains(u"order-107"_s));
        QVERIFY(!matches.contains(u"order-18"_s));

        QSignalSpy activated(&dock, &StreamNavigatorDock::streamActivated);
        QSignalSpy selected(&dock, &StreamNavigatorDock::streamSelected);
        const QModelIndex order17 = dock.model()->index(int(matches.indexOf(u"order-17"_s)), 0);
        const QRect rect = dock.view()->visualRect(order17);
        QVERIFY(rect.isValid());
        QTest::mouseClick(dock.view()->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.at(0).at(0).toString(), u"order-17"_s);
        doubleClick(dock.view(), order17);
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).toString(), u"order-17"_s);

        // Down from the filter goes to the list; Enter opens the stream there.
        dock.view()->setCurrentIndex({});
        QTest::keyClick(filter, Qt::Key_Down);
        QCOMPARE(dock.view()->currentIndex().row(), 0);
        QTest::keyClick(dock.view(), Qt::Key_Return);
        QCOMPARE(activated.count(), 2);
        QCOMPARE(activated.at(1).at(0).toString(), matches.front());

        QTest::keyClick(filter, Qt::Key_Escape); // clears the filter at once
        QVERIFY(filter->text().isEmpty());
        QVERIFY(!dock.model()->isFiltered());
        QTest::keyClicks(filter, u"order-*9x"_s);
        QTRY_COMPARE(dock.statusText(), u"No stream matches order-*9x"_s);
        QCOMPARE(dock.model()->rowCount(), 0);

        // Enter applies at once, without the pause.
        filter->setText(u"pay"_s);
        QTest::keyClick(filter, Qt::Key_Return);
        QCOMPARE(dock.model()->filter(), u"pay"_s);
        QTRY_COMPARE(dock.statusText(), u"3 streams match pay"_s);

        filter->clear();
        QTRY_COMPARE(dock.statusText(), u"4 categories"_s);
        QSignalSpy categories(&dock, &StreamNavigatorDock::categoryActivated);
        const QModelIndex payment = dock.model()->index(2, 0);
        doubleClick(dock.view(), payment);
        QCOMPARE(categories.count(), 1);
        QCOMPARE(categories.at(0).at(0).toString(), u"payment"_s);
        QCOMPARE(activated.count(), 2);
        QTRY_COMPARE(dock.model()->rowCount(payment), 3); // the double-click also expanded it

        dock.focusFilter();
        filter->setText(u"order"_s);
        dock.focusFilter();
        QCOMPARE(filter->selectedText(), u"order"_s);
    }

    void columnsFitANarrowDock()
    {
        test::StoreLocation location(u"sqlite"_s);
        fillStore(location.uri());
        StreamNavigatorDock dock;
        QAbstractItemModelTester tester(dock.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        dock.resize(320, 700);
        dock.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dock));
        dock.setStore(QString::fromStdString(location.uri()));
        QTRY_COMPARE(dock.model()->rowCount(), 4);
        QTreeView* view = dock.view();
        view->expand(dock.model()->index(0, 0));
        view->expand(dock.model()->index(2, 0));
        view->expand(dock.model()->index(3, 0));
        QTRY_COMPARE(dock.model()->rowCount(dock.model()->index(2, 0)), 3);
        QTRY_COMPARE(dock.model()->rowCount(dock.model()->index(3, 0)), 1);
        QTest::qWait(50);
        const QString grabDir = qEnvironmentVariable("EVENTSCOPE_GRAB_DIR");
        if (!grabDir.isEmpty())
            QVERIFY(dock.grab().save(QDir(grabDir).filePath(u"stream_navigator.png"_s)));

        // Nothing spills past the viewport, and the name keeps most of the room.
        const QHeaderView* header = view->header();
        QVERIFY(header->length() <= view->viewport()->width());
        QVERIFY(header->sectionSize(StreamTreeModel::Name) >= view->viewport()->width() / 3);
        const QString lastEvent
            = dock.model()->index(0, StreamTreeModel::LastEvent, dock.model()->index(2, 0)).data().toString();
        QVERIFY(view->fontMetrics().horizontalAdvance(lastEvent) < header->sectionSize(StreamTreeModel::LastEvent));
        QCOMPARE(dock.model()->index(0, StreamTreeModel::Events).data(Qt::TextAlignmentRole).toInt(),
            int(Qt::AlignRight | Qt::AlignVCenter));
    }

    void storeThatCannotBeRead()
    {
        StreamNavigatorDock dock;
        QAbstractItemModelTester tester(dock.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        dock.resize(320, 400);
        dock.show();
        dock.setStore(u"/nonexistent/folder/store.db"_s);
        QTRY_VERIFY(dock.statusText().startsWith(u"Cannot list streams"_s));
        QVERIFY(dock.statusText().contains(u"no event store"_s));
        QVERIFY(dock.width() <= 320); // a long message wraps instead of widening the dock
    }
};

QTEST_MAIN(TestStreamNavigatorDock)
#include "tst_stream_navigator_dock.moc"
