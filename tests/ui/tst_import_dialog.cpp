// File ▸ Import DynamoDB export… (ui/import_dialog.h; issue 7 part 4), worked as a person would: files and a
// target chosen, Import clicked, the end awaited. What lands in the store is read back with openStore() and
// compared with what this test planned; the DynamoDB items are written by this test's own encoder.

#include "model/audit_record.h"
#include "model/event_table_model.h"
#include "storage/event_store.h"
#include "tests/test_stores.h"
#include "tests/ui/window_test_support.h"
#include "ui/import_dialog.h"
#include "ui/main_window.h"

#include "tests/ui/widget_test_support.h"
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <random>

using namespace eventscope;
using namespace eventscope::test;
using Json = nlohmann::ordered_json;

namespace {

constexpr int kLongWait = 180000;

// How an event must read back.
struct Expected
{
    std::string stream;
    qint64 version = 0;
    std::string id; // empty: any
    std::string type;
    Micros micros = 0;
    Json data;
    std::string actor;
};

Json S(const std::string& text)
{
    return { { "S", text } };
}

Json N(qint64 number)
{
    return { { "N", std::to_string(number) } };
}

std::string isoText(Micros micros)
{
    return QDateTime::fromMSecsSinceEpoch(micros / 1000, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz"))
        .toStdString();
}

// pk "tenant#Order", sk "Order#ID@VERSION" from 0, the data as a map, createdAt ISO text without an offset.
Json sortKeyItem(const Expected& e)
{
    Json data = Json::object();
    for (const auto& [key, value] : e.data.items())
        data[key] = value.is_number() ? N(value.get<qint64>()) : S(value.get<std::string>());
    return { { "pk", S("acme#Order") }, { "sk", S(e.stream + "@" + std::to_string(e.version - 1)) },
        { "type", S(e.type) }, { "data", { { "M", data } } }, { "createdAt", S(isoText(e.micros)) },
        { "createdBy", S(e.actor) } };
}

// entityId, sequenceNumber from 0, eventId, eventType, eventTime in epoch milliseconds, eventData as JSON text.
Json entityItem(const Expected& e)
{
    return { { "entityId", S(e.stream) }, { "sequenceNumber", N(e.version - 1) }, { "eventId", S(e.id) },
        { "eventType", S(e.type) }, { "eventTime", N(e.micros / 1000) }, { "eventData", S(e.data.dump()) },
        { "userId", S(e.actor) } };
}

QString writeFile(const QString& dir, const QString& name, const QByteArray& text)
{
    const QString path = QDir(dir).filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QByteArray exportLine(const Json& item)
{
    return QByteArray::fromStdString(Json { { "Item", item } }.dump()) + '\n';
}

// A scan's output with one item a line, so that each item's line is known.
QByteArray scanText(const std::vector<Json>& items)
{
    QByteArray text = "{\"Items\": [\n";
    for (std::size_t i = 0; i < items.size(); ++i)
        text += QByteArray::fromStdString(items[i].dump()) + (i + 1 < items.size() ? ",\n" : "\n");
    return text + "], \"Count\": " + QByteArray::number(qsizetype(items.size())) + "}\n";
}

// Every page of a read: one stream by version, or all events by position.
std::vector<Event> readEvents(EventStore& store, EventQuery query)
{
    std::vector<Event> events;
    while (true) {
        const EventPage page = store.read(query);
        events.insert(events.end(), page.events.begin(), page.events.end());
        if (!page.next)
            return events;
        (query.stream ? query.fromVersion : query.fromPosition) = page.next;
    }
}

std::vector<Event> readStream(EventStore& store, const std::string& stream)
{
    EventQuery query;
    query.stream = stream;
    return readEvents(store, query);
}

std::vector<Event> readAll(EventStore& store)
{
    return readEvents(store, {});
}

qsizetype importRecords(EventStore& store)
{
    const std::vector<Event> audit = readStream(store, kAuditStream);
    return std::count_if(audit.begin(), audit.end(), [](const Event& e) { return e.type == "EventsImported"; });
}

void saveScreenshot(QWidget& widget, const QString& name)
{
    const QString folder = qEnvironmentVariable("EVENTSCOPE_SCREENSHOT_DIR");
    if (!folder.isEmpty())
        widget.grab().save(QDir(folder).filePath(name));
}

// File ▸ Import DynamoDB export…, as a person finds it.
ImportDialog* openImportDialog(MainWindow& window)
{
    for (QAction* menu : window.menuBar()->actions()) {
        for (QAction* action : menu->menu() ? menu->menu()->actions() : QList<QAction*>()) {
            if (action->text() == QStringLiteral("&Import DynamoDB export…")) {
                action->trigger();
                return window.findChild<ImportDialog*>(QStringLiteral("importDialog"));
            }
        }
    }
    return nullptr;
}

QString shownResult(const ImportDialog& dialog)
{
    const auto* label = child<QLabel>(dialog, "resultLabel");
    return label->isVisibleTo(&dialog) ? label->text() : QString();
}

} // namespace

class TestImportDialog : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    // An order in the sort-key shape and two accounts in the entity shape, versions from 0, shuffled over an
    // export file and a scan file.
    std::vector<Expected> plan() const
    {
        std::vector<Expected> planned;
        const Micros t0 = 1705320000LL * 1000000;
        for (qint64 v = 1; v <= 4; ++v)
            planned.push_back({ "Order#o-17", v, {}, v == 1 ? "OrderPlaced" : "ItemAdded", t0 + v * 1000000 + 250000,
                { { "sku", "sku-" + std::to_string(v) }, { "qty", v } }, "alice" });
        for (const std::string account : { "account-1", "account-2" }) {
            for (qint64 v = 1; v <= 5; ++v)
                planned.push_back({ account, v, QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString(),
                    v % 2 ? "Deposited" : "Withdrawn", t0 + v * 7000, { { "amount", v * 10 }, { "note", "n" } },
                    "u-7" });
        }
        return planned;
    }

    QStringList writeSources(const std::vector<Expected>& planned) const
    {
        std::vector<Json> items;
        for (const Expected& e : planned)
            items.push_back(e.id.empty() ? sortKeyItem(e) : entityItem(e));
        std::mt19937 random(7);
        std::shuffle(items.begin(), items.end(), random);
        QByteArray exportText;
        for (std::size_t i = 0; i < items.size() / 2; ++i)
            exportText += exportLine(items[i]);
        return { writeFile(m_dir.path(), QStringLiteral("export.json"), exportText),
            writeFile(m_dir.path(), QStringLiteral("scan.json"),
                scanText(std::vector<Json>(items.begin() + qsizetype(items.size() / 2), items.end()))) };
    }

    // Clicks Import and waits for the end; false when Import could not be clicked.
    static bool runImport(ImportDialog& dialog)
    {
        auto* import = child<QPushButton>(dialog, "importButton");
        if (!import->isEnabled()) {
            qWarning() << "Import is disabled:" << dialog.problems();
            return false;
        }
        QTest::mouseClick(import, Qt::LeftButton);
        return dialog.isRunning();
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // The window offers its store only in admin mode, and shows the imported events once the import is done.
    void windowImportsIntoItsStoreInAdminMode()
    {
        const QString uri = QDir(m_dir.path()).filePath(QStringLiteral("shop.db"));
        fillShop(uri.toStdString()); // seven events
        MainWindow window;
        window.show();
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        window.openStoreAsync(uri);
        QVERIFY(opened.wait(10000) || opened.count() == 1);
        QTRY_COMPARE(window.eventsModel()->rowCount(), 7);

        QPointer<ImportDialog> dialog = openImportDialog(window);
        QVERIFY(dialog);
        QVERIFY(!child<QRadioButton>(*dialog, "openStoreRadio")->isEnabled());
        QVERIFY(child<QLabel>(*dialog, "openStoreNote")->text().contains(QStringLiteral("admin mode")));
        dialog->close();
        QTRY_VERIFY(!dialog); // deleted on close

        window.setAdminMode(true);
        dialog = openImportDialog(window);
        QVERIFY(dialog);
        QCOMPARE(dialog->targetUri(), uri);
        dialog->setFiles({ writeFile(m_dir.path(), QStringLiteral("shop-more.json"),
            exportLine({ { "entityId", S("refund-1") }, { "version", N(1) }, { "type", S("RefundIssued") } })
                + exportLine({ { "entityId", S("refund-1") }, { "version", N(2) }, { "type", S("RefundPaid") } })) });
        QVERIFY(runImport(*dialog));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isRunning(), kLongWait);
        QVERIFY2(dialog->resultText().startsWith(QStringLiteral("Imported 2 events in 1 stream into ")),
            qPrintable(dialog->resultText()));
        QTRY_COMPARE(window.eventsModel()->rowCount(), 9);
    }

    void importsBothShapes_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<bool>("openStore");
        QTest::addRow("new sqlite file") << QStringLiteral("sqlite") << false;
        QTest::addRow("open sqlite store") << QStringLiteral("sqlite") << true;
        QTest::addRow("open postgresql store") << QStringLiteral("postgresql") << true;
    }
    void importsBothShapes()
    {
        QFETCH(QString, backend);
        QFETCH(bool, openStore);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        const std::vector<Expected> planned = plan();
        const QStringList sources = writeSources(planned);

        ImportDialog dialog;
        dialog.show();
        QString uri;
        if (openStore) {
            uri = QString::fromStdString(location.uri());
            eventscope::openStore(location.uri(), true); // an empty native store, as the window has it open
            dialog.setTarget(uri, true, {});
            QVERIFY(child<QRadioButton>(dialog, "openStoreRadio")->isChecked());
        } else {
            const QString file = QDir(location.dir()).filePath(QStringLiteral("imported.db"));
            dialog.setSqliteFile(file);
            uri = QStringLiteral("sqlite:") + file;
        }
        QVERIFY(!child<QPushButton>(dialog, "importButton")->isEnabled()); // no files yet
        dialog.setFiles(sources);
        // account-1 after its third event (version 2 as the source numbers it from 0).
        dialog.setSnapshotsFile(writeFile(location.dir(), QStringLiteral("snapshots.json"),
            exportLine({ { "entityId", S("account-1") }, { "version", N(2) },
                { "state", { { "M", { { "balance", N(30) } } } } } })));
        QCOMPARE(dialog.targetUri(), uri);
        QVERIFY(runImport(dialog));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isRunning(), kLongWait);
        saveScreenshot(dialog, QStringLiteral("import_dialog_finished.png"));
        QVERIFY2(
            dialog.resultText().startsWith(QStringLiteral("Imported 14 events in 3 streams, and 1 snapshot, into ")),
            qPrintable(dialog.resultText()));
        QVERIFY(dialog.resultText().contains(QStringLiteral("one higher"))); // the versions from 0, moved up
        QCOMPARE(shownResult(dialog), dialog.resultText());
        QCOMPARE(child<QProgressBar>(dialog, "progressBar")->value(), 1000);

        const auto store = eventscope::openStore(uri.toStdString());
        std::map<std::pair<std::string, qint64>, const Expected*> byKey;
        for (const Expected& e : planned)
            byKey[{ e.stream, e.version }] = &e;
        const std::vector<Event> events = readAll(*store);
        QCOMPARE(events.size(), planned.size());
        for (const Event& event : events) {
            const auto found = byKey.find({ event.stream, event.version });
            QVERIFY2(found != byKey.end(), (event.stream + " " + std::to_string(event.version)).c_str());
            const Expected& e = *found->second;
            if (!e.id.empty())
                QCOMPARE(event.id, e.id);
            QCOMPARE(event.type, e.type);
            QCOMPARE(event.time, e.micros);
            QVERIFY2(Json::parse(event.data) == e.data, event.data.c_str());
            QCOMPARE(event.actor, e.actor);
            byKey.erase(found);
        }
        QCOMPARE(importRecords(*store), 1);
        const auto snapshot = store->loadSnapshot("account-1", 100, "dynamodb-import");
        QVERIFY(snapshot);
        QCOMPARE(snapshot->version, 3);
        QVERIFY2(Json::parse(snapshot->state) == Json({ { "balance", 30 } }), snapshot->state.c_str());
    }

    // Bad input is named by file and line, and nothing is written: no new file, no event in an open store.
    void malformedLineShowsItsLine_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("openStore");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("what");
        const QByteArray good1 = exportLine({ { "entityId", S("a-1") }, { "version", N(1) }, { "type", S("T") } });
        const QByteArray good2 = exportLine({ { "entityId", S("a-1") }, { "version", N(2) }, { "type", S("T") } });
        QTest::addRow("truncated line") << good1 + good2 + "{\"Item\":{\"entityId\":{\"S\":\"a-1\"},\n" + good1 << false
                                        << QStringLiteral("line 3") << QStringLiteral("not valid JSON");
        QTest::addRow("unknown type, open store")
            << good1 + exportLine({ { "entityId", S("a-1") }, { "version", { { "X", "2" } } }, { "type", S("T") } })
            << true << QStringLiteral("line 2") << QStringLiteral("not a DynamoDB type");
        QTest::addRow("no event type") << good1 + good2 + good2
                + exportLine({ { "entityId", S("a-2") }, { "version", N(1) } })
                                       << false << QStringLiteral("line 4") << QStringLiteral("no event type");
        QTest::addRow("scan element not an item")
            << scanText({ Json { { "entityId", S("a-1") }, { "version", N(1) }, { "type", S("T") } }, Json(42),
                   Json { { "entityId", S("a-1") }, { "version", N(2) }, { "type", S("T") } } })
            << true << QStringLiteral("line 3") << QStringLiteral("not an item object");
    }
    void malformedLineShowsItsLine()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, openStore);
        QFETCH(QString, where);
        QFETCH(QString, what);
        QTemporaryDir dir;
        const QString source = writeFile(dir.path(), QStringLiteral("bad.json"), text);
        const QString file = dir.filePath(QStringLiteral("target.db"));
        ImportDialog dialog;
        dialog.show();
        if (openStore) {
            eventscope::openStore(file.toStdString(), true);
            dialog.setTarget(file, true, {});
        } else {
            dialog.setSqliteFile(file);
        }
        dialog.setFiles({ source });
        QVERIFY(runImport(dialog));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isRunning(), kLongWait);
        QVERIFY2(dialog.resultText().contains(source + QLatin1Char(' ') + where + QLatin1Char(':')),
            qPrintable(dialog.resultText()));
        QVERIFY2(dialog.resultText().contains(what), qPrintable(dialog.resultText()));
        QCOMPARE(shownResult(dialog), dialog.resultText());
        if (!openStore) {
            QVERIFY(!QFileInfo::exists(file));
            return;
        }
        const auto store = eventscope::openStore(file.toStdString());
        QVERIFY(readAll(*store).empty());
        QCOMPARE(importRecords(*store), 0);
    }

    // A cancel while appending leaves whole batches (each stream's first multiple of 1,000 events, exactly as
    // planned) and no import record; Import again completes the import.
    void cancelLeavesWholeBatches()
    {
        constexpr int streams = 40;
        constexpr int perStream = 5000;
        const QUuid ns(QStringLiteral("0f6c2b9e-4d1a-4c8e-9b7f-3a2e1d5c6b4a"));
        const auto idOf = [&](int s, int v) {
            return QUuid::createUuidV5(ns, QString::number(s) + QLatin1Char('-') + QString::number(v))
                .toString(QUuid::WithoutBraces)
                .toStdString();
        };
        const auto streamOf = [](int s) { return "order-" + std::to_string(s); };
        QByteArray text;
        text.reserve(streams * perStream * 190);
        for (int s = 0; s < streams; ++s) {
            for (int v = 1; v <= perStream; ++v)
                text += exportLine(
                    { { "entityId", S(streamOf(s)) }, { "sequenceNumber", N(v) }, { "eventId", S(idOf(s, v)) },
                        { "eventType", S("Step") }, { "eventData", { { "M", { { "n", N(v) } } } } } });
        }
        QTemporaryDir dir;
        const QString source = writeFile(dir.path(), QStringLiteral("big.json"), text);
        text.clear();
        const QString file = dir.filePath(QStringLiteral("big.db"));

        ImportDialog dialog;
        dialog.show();
        dialog.setFiles({ source });
        dialog.setSqliteFile(file);
        QVERIFY(runImport(dialog));
        auto* status = child<QLabel>(dialog, "statusLabel");
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Appending")), kLongWait);
        QVERIFY(child<QLabel>(dialog, "timeLabel")->text().startsWith(QStringLiteral("About")));
        saveScreenshot(dialog, QStringLiteral("import_dialog_running.png"));
        QTest::mouseClick(child<QPushButton>(dialog, "cancelButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isRunning(), kLongWait);
        saveScreenshot(dialog, QStringLiteral("import_dialog_cancelled.png"));
        QVERIFY2(
            dialog.resultText().contains(QStringLiteral("cancelled after appending")), qPrintable(dialog.resultText()));

        qint64 kept = 0;
        {
            const auto store = eventscope::openStore(file.toStdString());
            for (int s = 0; s < streams; ++s) {
                const std::vector<Event> events = readStream(*store, streamOf(s));
                QVERIFY2(events.size() % 1000 == 0, (streamOf(s) + " holds " + std::to_string(events.size())).c_str());
                for (std::size_t i = 0; i < events.size(); ++i) {
                    QCOMPARE(events[i].version, qint64(i + 1));
                    QCOMPARE(events[i].id, idOf(s, int(i + 1)));
                    QVERIFY2(Json::parse(events[i].data) == Json({ { "n", i + 1 } }), events[i].data.c_str());
                }
                kept += qint64(events.size());
            }
            QCOMPARE(importRecords(*store), 0);
        }
        QVERIFY2(kept > 0 && kept < streams * perStream, qPrintable(QString::number(kept)));
        QVERIFY(dialog.resultText().contains(QLocale().toString(kept) + QStringLiteral(" of ")));

        QVERIFY(runImport(dialog)); // the same files again complete the import
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isRunning(), kLongWait);
        QVERIFY2(dialog.resultText().contains(QLocale().toString(kept) + QStringLiteral(" of the events were in")),
            qPrintable(dialog.resultText()));
        const auto store = eventscope::openStore(file.toStdString());
        for (int s = 0; s < streams; ++s) {
            const std::vector<Event> events = readStream(*store, streamOf(s));
            QCOMPARE(events.size(), std::size_t(perStream));
            QCOMPARE(events.back().id, idOf(s, perStream));
        }
        QCOMPARE(importRecords(*store), 1);
    }

    // The open store is offered only when the window says it may be written, and says why not.
    void openStoreNeedsWritable()
    {
        ImportDialog dialog;
        dialog.show();
        const QString reason = QStringLiteral("Turn on admin mode.");
        dialog.setTarget(QStringLiteral("sqlite:/x/store.db"), false, reason);
        auto* radio = child<QRadioButton>(dialog, "openStoreRadio");
        QVERIFY(!radio->isEnabled());
        QVERIFY(child<QRadioButton>(dialog, "sqliteRadio")->isChecked());
        QCOMPARE(child<QLabel>(dialog, "openStoreNote")->text(), reason);
        QVERIFY(child<QLabel>(dialog, "openStoreNote")->isVisible());
        dialog.chooseOpenStore();
        QVERIFY(!radio->isChecked());
        QVERIFY(dialog.targetUri().isEmpty());

        dialog.setTarget(QStringLiteral("sqlite:/x/store.db"), true, reason);
        dialog.setProductionStore(true);
        dialog.setFiles({ writeFile(m_dir.path(), QStringLiteral("one.json"),
            exportLine({ { "entityId", S("a") }, { "version", N(1) }, { "type", S("T") } })) });
        QVERIFY(radio->isChecked());
        QCOMPARE(dialog.targetUri(), QStringLiteral("sqlite:/x/store.db"));
        QVERIFY(!child<QPushButton>(dialog, "importButton")->isEnabled()); // production: the tick first
        clickTick(child<QCheckBox>(dialog, "productionCheck"));
        QVERIFY(child<QPushButton>(dialog, "importButton")->isEnabled());
    }
};

QTEST_MAIN(TestImportDialog)
#include "tst_import_dialog.moc"
