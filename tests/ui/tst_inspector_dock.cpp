// The inspector dock as a person uses it: pick an event, read its header, search and copy its payloads, read
// the raw record, and click through to its stream, correlation and causation. Payloads that are not JSON
// still show. EVENTSCOPE_TEST_GRAB names a folder to save screenshots of the dock in, to look at by eye.

#include "model/json_tree_model.h"
#include "storage/time_format.h"
#include "ui/inspector_dock.h"

#include "tests/ui/widget_test_support.h"
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>

#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>
#include <QTreeView>

#include <memory>

using namespace eventscope;
using namespace eventscope::test;
using namespace Qt::Literals::StringLiterals;

namespace {

Event orderPlaced()
{
    Event event;
    event.position = 1234;
    event.stream = "order-123";
    event.version = 7;
    event.id = "6f1c2a9e-4b7d-4c1e-9a53-0d2f8e7b1c44";
    event.type = "OrderPlaced";
    event.time = parseTime("2024-01-15T14:00:00.123456Z");
    event.data = R"({"orderId":"o-123","customer":{"id":"c-9","name":"Zoë"},"lines":[{"sku":"A-1","qty":2},)"
                 R"({"sku":"B-2","qty":1,"price":{"amount":9007199254740993,"currency":"EUR"}}],"gift":null})";
    event.metadata = R"({"correlationId":"corr-77","causationId":"cause-5","userId":"u-17","schemaVersion":2})";
    event.correlation = "corr-77";
    event.causation = "cause-5";
    event.actor = "u-17";
    event.schemaVersion = 2;
    return event;
}

QString labelText(const QWidget& dock, const QString& name)
{
    const auto* label = child<QLabel>(dock, name);
    return label ? label->text() : QString();
}

QModelIndex find(const QAbstractItemModel& model, const QString& path, const QModelIndex& parent = {})
{
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, 0, parent);
        if (index.data(JsonTreeModel::PathRole).toString() == path)
            return index;
        if (const QModelIndex inside = find(model, path, index); inside.isValid())
            return inside;
    }
    return {};
}

void grab(QWidget& widget, const QString& name)
{
    const QString folder = qEnvironmentVariable("EVENTSCOPE_TEST_GRAB");
    if (!folder.isEmpty())
        QVERIFY(widget.grab().save(QDir(folder).filePath(name)));
}

} // namespace

class TestInspectorDock : public QObject
{
    Q_OBJECT

private slots:
    // Docked at the side of a window, as the application shows it, and about as wide as it starts.
    void init()
    {
        m_window = std::make_unique<QMainWindow>();
        m_window->setCentralWidget(new QWidget(m_window.get()));
        m_dock = new InspectorDock(m_window.get());
        m_window->addDockWidget(Qt::RightDockWidgetArea, m_dock);
        m_window->resize(1000, 800);
        m_window->resizeDocks({ m_dock }, { 420 }, Qt::Horizontal);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }
    void cleanup() { m_window.reset(); }

    void placeholderUntilAnEventIsInspected()
    {
        InspectorDock& dock = *m_dock;
        QCOMPARE(dock.objectName(), u"inspectorDock"_s);
        QCOMPARE(dock.windowTitle(), u"Inspector"_s);
        auto* placeholder = child<QLabel>(dock, u"inspectorPlaceholder"_s);
        QVERIFY(placeholder && placeholder->isVisible());
        QCOMPARE(placeholder->text(), u"Select an event to inspect it"_s);
        QVERIFY(!child<QTreeView>(dock, u"dataTree"_s)->isVisible());
        grab(dock, u"inspector-empty.png"_s);

        dock.inspect(orderPlaced());
        QVERIFY(!placeholder->isVisible());
        QVERIFY(child<QTreeView>(dock, u"dataTree"_s)->isVisible());
        dock.clear();
        QVERIFY(placeholder->isVisible());
        QVERIFY(!dock.inspected());
        QCOMPARE(dock.dataModel()->rowCount(), 0);
    }

    void header()
    {
        InspectorDock& dock = *m_dock;
        dock.inspect(orderPlaced());
        QCOMPARE(labelText(dock, u"typeLabel"_s), u"OrderPlaced"_s);
        QCOMPARE(labelText(dock, u"positionLabel"_s), u"1234"_s);
        QCOMPARE(labelText(dock, u"versionLabel"_s), u"7"_s);
        QCOMPARE(labelText(dock, u"timeUtcLabel"_s), u"2024-01-15T14:00:00.123456Z"_s);
        QVERIFY(labelText(dock, u"timeLocalLabel"_s).contains(u".123456 "_s));
        QCOMPARE(labelText(dock, u"idLabel"_s), u"6f1c2a9e-4b7d-4c1e-9a53-0d2f8e7b1c44"_s);
        QCOMPARE(labelText(dock, u"actorLabel"_s), u"u-17"_s);
        QCOMPARE(labelText(dock, u"schemaVersionLabel"_s), u"2"_s);
        QVERIFY(labelText(dock, u"streamLink"_s).contains(u">order-123</a>"_s));
        QVERIFY(labelText(dock, u"correlationLink"_s).contains(u">corr-77</a>"_s));
        QVERIFY(labelText(dock, u"causationLink"_s).contains(u">cause-5</a>"_s));

        QApplication::clipboard()->clear();
        auto* copyId = child<QLabel>(dock, u"copyIdLink"_s);
        clickLink(copyId);
        QCOMPARE(QApplication::clipboard()->text(), u"6f1c2a9e-4b7d-4c1e-9a53-0d2f8e7b1c44"_s);
        QVERIFY(copyId->text().contains(u">copied</a>"_s));
        QTRY_VERIFY_WITH_TIMEOUT(copyId->text().contains(u">copy</a>"_s), 3000);
        grab(dock, u"inspector.png"_s);
    }

    void absentFieldsShowADashAndLeadNowhere()
    {
        InspectorDock& dock = *m_dock;
        Event event = orderPlaced();
        event.correlation.clear();
        event.causation.clear();
        event.actor.clear();
        event.schemaVersion.reset();
        dock.inspect(event);
        QCOMPARE(labelText(dock, u"correlationLink"_s), u"—"_s);
        QCOMPARE(labelText(dock, u"actorLabel"_s), u"—"_s);
        QCOMPARE(labelText(dock, u"schemaVersionLabel"_s), u"—"_s);
        QVERIFY(!child<QLabel>(dock, u"sameCauseLink"_s)->isVisible());
        QSignalSpy correlation(&dock, &InspectorDock::showCorrelationRequested);
        QSignalSpy causation(&dock, &InspectorDock::goToEventRequested);
        clickLink(child<QLabel>(dock, u"correlationLink"_s));
        clickLink(child<QLabel>(dock, u"causationLink"_s));
        QCOMPARE(correlation.count(), 0);
        QCOMPARE(causation.count(), 0);
    }

    void linksLeadToStreamCorrelationAndCausation()
    {
        InspectorDock& dock = *m_dock;
        dock.inspect(orderPlaced());
        QSignalSpy stream(&dock, &InspectorDock::openStreamRequested);
        QSignalSpy correlation(&dock, &InspectorDock::showCorrelationRequested);
        QSignalSpy causation(&dock, &InspectorDock::showCausationRequested);
        QSignalSpy cause(&dock, &InspectorDock::goToEventRequested);

        clickLink(child<QLabel>(dock, u"streamLink"_s));
        QCOMPARE(stream.count(), 1);
        QCOMPARE(stream.front().front().toString(), u"order-123"_s);
        clickLink(child<QLabel>(dock, u"correlationLink"_s));
        QCOMPARE(correlation.count(), 1);
        QCOMPARE(correlation.front().front().toString(), u"corr-77"_s);
        clickLink(child<QLabel>(dock, u"causationLink"_s));
        QCOMPARE(cause.count(), 1);
        QCOMPARE(cause.front().front().toString(), u"cause-5"_s);
        clickLink(child<QLabel>(dock, u"sameCauseLink"_s));
        QCOMPARE(causation.count(), 1);
        QCOMPARE(causation.front().front().toString(), u"cause-5"_s);
        QCOMPARE(stream.count() + correlation.count() + cause.count(), 3); // one click, one signal
    }

    void longValuesAreElidedNotWidened()
    {
        InspectorDock& dock = *m_dock;
        Event event = orderPlaced();
        event.stream = "order-" + std::string(300, 'x') + "-end";
        dock.inspect(orderPlaced());
        const int width = dock.width();
        dock.inspect(event);
        auto* link = child<QLabel>(dock, u"streamLink"_s);
        QTRY_VERIFY(link->text().contains(u'…'));
        QVERIFY(link->text().contains(u"-end</a>"_s)); // both ends stay readable
        QCOMPARE(link->toolTip(), u"Open stream "_s + QString::fromStdString(event.stream));
        QCOMPARE(dock.width(), width);
        QVERIFY(link->geometry().right() < dock.width());
        QSignalSpy stream(&dock, &InspectorDock::openStreamRequested);
        clickLink(link);
        QCOMPARE(stream.count(), 1);
        QCOMPARE(stream.front().front().toString(), QString::fromStdString(event.stream));
        grab(dock, u"inspector-long.png"_s);
    }

    void treesShowKeysExpanded()
    {
        InspectorDock& dock = *m_dock;
        dock.inspect(orderPlaced());
        auto* tree = child<QTreeView>(dock, u"dataTree"_s);
        const QAbstractItemModel& model = *tree->model();
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.index(0, JsonTreeModel::Key).data().toString(), u"orderId"_s);
        QCOMPARE(model.index(0, JsonTreeModel::Value).data().toString(), u"o-123"_s);
        const QModelIndex amount = find(model, u"data.lines[1].price.amount"_s);
        QVERIFY(amount.isValid());
        QCOMPARE(amount.siblingAtColumn(JsonTreeModel::Value).data().toString(), u"9007199254740993"_s);
        QVERIFY(tree->isExpanded(amount.parent()));

        auto* metadata = child<QTreeView>(dock, u"metadataTree"_s);
        QCOMPARE(metadata->model()->index(0, 0).data().toString(), u"correlationId"_s);
        QCOMPARE(metadata->model()->index(0, 0).data(JsonTreeModel::PathRole).toString(), u"metadata.correlationId"_s);

        QTest::mouseClick(child<QPushButton>(dock, u"dataCollapseAll"_s), Qt::LeftButton);
        QVERIFY(!tree->isExpanded(amount.parent()));
        QTest::mouseClick(child<QPushButton>(dock, u"dataExpandAll"_s), Qt::LeftButton);
        QVERIFY(tree->isExpanded(amount.parent()));
    }

    void searchExpandsToANestedMatch()
    {
        InspectorDock& dock = *m_dock;
        dock.inspect(orderPlaced());
        auto* tree = child<QTreeView>(dock, u"dataTree"_s);
        QTest::mouseClick(child<QPushButton>(dock, u"dataCollapseAll"_s), Qt::LeftButton);
        const QModelIndex currency = find(*tree->model(), u"data.lines[1].price.currency"_s);
        QVERIFY(!tree->isExpanded(currency.parent()));

        auto* search = child<QLineEdit>(dock, u"dataSearch"_s);
        QTest::keyClicks(search, u"eur"_s);
        QVERIFY(tree->isExpanded(currency.parent()));
        QVERIFY(tree->isExpanded(currency.parent().parent()));
        QVERIFY(currency.data(JsonTreeModel::SearchMatchRole).toBool());
        QVERIFY(currency.data(Qt::BackgroundRole).isValid());
        QVERIFY(!find(*tree->model(), u"data.orderId"_s).data(Qt::BackgroundRole).isValid());
        QCOMPARE(tree->currentIndex().siblingAtColumn(0), currency);
        QVERIFY(tree->viewport()->rect().intersects(tree->visualRect(currency)));
        QCOMPARE(labelText(dock, u"dataMatchCount"_s), u"1 of 1"_s);

        search->clear();
        QTest::keyClicks(search, u"SKU"_s);
        QCOMPARE(labelText(dock, u"dataMatchCount"_s), u"1 of 2"_s);
        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(labelText(dock, u"dataMatchCount"_s), u"2 of 2"_s);
        QCOMPARE(tree->currentIndex().data(JsonTreeModel::PathRole).toString(), u"data.lines[1].sku"_s);
        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(labelText(dock, u"dataMatchCount"_s), u"1 of 2"_s);

        search->clear();
        QTest::keyClicks(search, u"nowhere"_s);
        QCOMPARE(labelText(dock, u"dataMatchCount"_s), u"No matches"_s);
        QVERIFY(dock.dataModel()->searchMatches().isEmpty());
        search->clear();
        QCOMPARE(labelText(dock, u"dataMatchCount"_s), QString());

        // The search stays while the person steps to the next event.
        QTest::keyClicks(search, u"qty"_s);
        dock.inspect(orderPlaced());
        QCOMPARE(labelText(dock, u"dataMatchCount"_s), u"1 of 2"_s);
        grab(dock, u"inspector-search.png"_s);
    }

    void copyAsJson()
    {
        InspectorDock& dock = *m_dock;
        dock.inspect(orderPlaced());
        auto* tree = child<QTreeView>(dock, u"dataTree"_s);
        auto* copy = child<QPushButton>(dock, u"dataCopyJson"_s);
        QApplication::clipboard()->clear();
        QTest::mouseClick(copy, Qt::LeftButton);
        const QString whole = uR"({
  "orderId": "o-123",
  "customer": {
    "id": "c-9",
    "name": "Zoë"
  },
  "lines": [
    {
      "sku": "A-1",
      "qty": 2
    },
    {
      "sku": "B-2",
      "qty": 1,
      "price": {
        "amount": 9007199254740993,
        "currency": "EUR"
      }
    }
  ],
  "gift": null
})"_s;
        QCOMPARE(QApplication::clipboard()->text(), whole);
        QCOMPARE(copy->text(), u"Copied"_s);
        QTRY_COMPARE_WITH_TIMEOUT(copy->text(), u"Copy as JSON"_s, 3000);

        const QModelIndex price = find(*tree->model(), u"data.lines[1].price"_s);
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualRect(price).center());
        QCOMPARE(tree->selectionModel()->selectedRows().value(0), price);
        QTest::mouseClick(copy, Qt::LeftButton);
        QCOMPARE(
            QApplication::clipboard()->text(), u"{\n  \"amount\": 9007199254740993,\n  \"currency\": \"EUR\"\n}"_s);

        const QModelIndex name = find(*tree->model(), u"data.customer.name"_s);
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualRect(name).center());
        tree->setFocus();
        QTest::keyClick(tree, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), u"Zoë"_s);
        child<QAction>(dock, u"dataCopyPath"_s)->trigger();
        QCOMPARE(QApplication::clipboard()->text(), u"data.customer.name"_s);
        child<QAction>(dock, u"dataCopySubtree"_s)->trigger();
        QCOMPARE(QApplication::clipboard()->text(), u"\"Zoë\""_s);
        QVERIFY(tree->actions().size() >= 3); // the context menu offers them
    }

    void rawTextIsTheRecordHighlighted()
    {
        InspectorDock& dock = *m_dock;
        dock.inspect(orderPlaced());
        auto* raw = child<QPlainTextEdit>(dock, u"rawText"_s);
        QVERIFY(raw->isReadOnly());
        const QString text = raw->toPlainText();
        QVERIFY2(text.startsWith(u"{\n  \"position\": 1234,\n  \"stream\": \"order-123\",\n  \"version\": 7,\n"_s),
            qPrintable(text));
        QVERIFY(text.contains(
            u"  \"time\": \"2024-01-15T14:00:00.123456Z\",\n  \"data\": {\n    \"orderId\": \"o-123\","_s));
        QVERIFY(text.contains(u"\"amount\": 9007199254740993"_s));
        QVERIFY(text.contains(u"  \"metadata\": {\n    \"correlationId\": \"corr-77\","_s));
        QVERIFY(text.endsWith(u"\n  }\n}"_s));
        QVERIFY(text.indexOf(u"\"data\""_s) < text.indexOf(u"\"metadata\""_s));
        // Highlighted: the first line holding a key carries more than one format.
        const QTextBlock block = raw->document()->findBlockByNumber(1);
        QVERIFY(block.layout()->formats().size() >= 2);
        auto* tabs = child<QTabWidget>(dock, u"inspectorTabs"_s);
        tabs->setCurrentWidget(raw);
        grab(dock, u"inspector-raw.png"_s);
    }

    void payloadsThatAreNotJsonStillShow_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("raw");

        QTest::addRow("text") << QByteArray("plain text, not \"JSON\"") << u"text"_s << u"plain text, not \"JSON\""_s
                              << u"\"data\": \"plain text, not \\\"JSON\\\"\""_s;
        QTest::addRow("truncated JSON") << QByteArray(R"({"a":[1,)") << u"text"_s << u"{\"a\":[1,"_s
                                        << u"\"data\": \"{\\\"a\\\":[1,\""_s;
        QTest::addRow("bytes") << QByteArray("\x00\xff\x10", 3) << u"bytes"_s << u"00 ff 10"_s
                               << u"\"data\": \"0x00ff10\""_s;
        QTest::addRow("empty") << QByteArray() << u"text"_s << QString() << u"\"data\": \"\""_s;
    }
    void payloadsThatAreNotJsonStillShow()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, type);
        QFETCH(QString, value);
        QFETCH(QString, raw);

        InspectorDock& dock = *m_dock;
        Event event = orderPlaced();
        event.data = data.toStdString();
        dock.inspect(event);
        auto* tree = child<QTreeView>(dock, u"dataTree"_s);
        QCOMPARE(tree->model()->rowCount(), 1);
        QCOMPARE(tree->model()->index(0, JsonTreeModel::Type).data().toString(), type);
        QCOMPARE(tree->model()->index(0, JsonTreeModel::Value).data().toString(), value);
        QVERIFY(tree->isVisible());
        QVERIFY(child<QPlainTextEdit>(dock, u"rawText"_s)->toPlainText().contains(raw));
        QCOMPARE(child<QTreeView>(dock, u"metadataTree"_s)->model()->rowCount(), 4); // the rest is unharmed
        grab(dock, u"inspector-%1.png"_s.arg(type));
    }

    void darkPalette()
    {
        InspectorDock& dock = *m_dock;
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
        dark.setColor(QPalette::Text, QColor(0xdd, 0xdd, 0xdd));
        dark.setColor(QPalette::WindowText, QColor(0xdd, 0xdd, 0xdd));
        dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
        dark.setColor(QPalette::ButtonText, QColor(0xdd, 0xdd, 0xdd));
        dark.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
        dark.setColor(QPalette::Link, QColor(0x6c, 0xb6, 0xff));
        dock.inspect(orderPlaced());
        const QModelIndex name = find(*dock.dataModel(), u"data.customer.name"_s).siblingAtColumn(1);
        const QColor light = name.data(Qt::ForegroundRole).value<QBrush>().color();
        dock.setPalette(dark);
        const QColor night = name.data(Qt::ForegroundRole).value<QBrush>().color();
        QVERIFY(night != light);
        QVERIFY(night.lightness() > light.lightness());
        QVERIFY(labelText(dock, u"streamLink"_s).contains(u"#6cb6ff"_s));
        QVERIFY(labelText(dock, u"sameCauseLink"_s).contains(u"#6cb6ff"_s));
        child<QLineEdit>(dock, u"dataSearch"_s)->setText(u"c-9"_s);
        grab(dock, u"inspector-dark.png"_s);
    }

private:
    std::unique_ptr<QMainWindow> m_window;
    InspectorDock* m_dock = nullptr;
};

QTEST_MAIN(TestInspectorDock)
#include "tst_inspector_dock.moc"
