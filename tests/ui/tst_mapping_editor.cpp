// The connection dialog's Store choice and mapping editor as a person uses them: pick Events table, name a real
// table, read its columns, see the guess, change a column, save the mapping, and open the URI the dialog gives:
// the store reads the rows with the edited mapping. A missing table and a mapping without a stream are named in
// place and keep the dialog from connecting; Message DB and Emmett give their own URI prefixes.

#include "storage/event_store.h"
#include "storage/store_uri.h"
#include "storage/table_mapping.h"
#include "tests/test_stores.h"
#include "ui/connection_dialog.h"
#include "ui/mapping_editor.h"

#include "tests/ui/widget_test_support.h"
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QGroupBox>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
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

// Walks the list with the keyboard, as a person does, until the item shows; each step is a choice the editor hears.
bool choose(QComboBox* combo, const QString& text)
{
    combo->setFocus();
    QTest::keyClick(combo, Qt::Key_Home);
    for (int i = 0; i < combo->count() && combo->currentText() != text; ++i)
        QTest::keyClick(combo, Qt::Key_Down);
    return combo->currentText() == text;
}

bool runPsql(const QString& sql, QString* output)
{
    QProcess psql;
    psql.start(QStringLiteral("psql"),
        { postgresServer(), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-q"),
            QStringLiteral("-c"), sql });
    const bool done = psql.waitForFinished(30000);
    *output = QString::fromLocal8Bit(psql.readAllStandardError() + psql.readAllStandardOutput());
    return done && psql.exitStatus() == QProcess::NormalExit && psql.exitCode() == 0;
}

struct Row
{
    const char* stream;
    int version;
    const char* kind; // the real event type; event_type holds a stale copy the guess picks
    const char* payload;
};

const Row kRows[] = {
    { "order-1", 1, "OrderPlaced", "{\"total\":12}" },
    { "order-1", 2, "OrderPaid", "{\"paid\":true}" },
    { "order-2", 1, "OrderPlaced", "{\"total\":7}" },
};

} // namespace

class TestMappingEditor : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_settingsDir;
    QStringList m_schemas;

    // A fresh schema with the hand-made events table most teams write, or "" after QSKIP/QFAIL.
    QString makeTable()
    {
        if (postgresServer().isEmpty()) {
            if (runningInCi())
                QTest::qFail(
                    "EVENTSCOPE_TEST_PG is not set under CI=true: the PostgreSQL tests cannot run", __FILE__, __LINE__);
            else
                QTest::qSkip("EVENTSCOPE_TEST_PG is not set: no PostgreSQL server to test against", __FILE__, __LINE__);
            return {};
        }
        const QString schema = QLatin1String("t_") + QUuid::createUuid().toString(QUuid::Id128).left(16);
        QString sql
            = QStringLiteral("CREATE SCHEMA %1; CREATE TABLE %1.events (aggregate_id text NOT NULL, version "
                             "int NOT NULL, event_type text, kind text, payload jsonb, created_at timestamptz);")
                  .arg(schema);
        int minute = 0;
        for (const Row& row : kRows)
            sql += QStringLiteral("INSERT INTO %1.events VALUES ('%2', %3, 'Stale', '%4', '%5', "
                                  "'2024-03-01T10:%6:00Z');")
                       .arg(schema, QLatin1String(row.stream))
                       .arg(row.version)
                       .arg(QLatin1String(row.kind), QLatin1String(row.payload))
                       .arg(minute++, 2, 10, QLatin1Char('0'));
        QString output;
        if (!runPsql(sql, &output)) {
            QTest::qFail(qPrintable(QStringLiteral("psql failed: ") + output), __FILE__, __LINE__);
            return {};
        }
        m_schemas.append(schema);
        return schema + QStringLiteral(".events");
    }

    // The test server's fields, typed in, and Events table chosen from the Store list by keyboard.
    static void fillServer(ConnectionDialog& dialog)
    {
        const auto s = ConnectionSettings::fromStoreUri(postgresServer());
        QVERIFY(s.has_value());
        setText(child<QLineEdit>(dialog, "hostEdit"), s->host);
        child<QSpinBox>(dialog, "portSpin")->setValue(s->port);
        setText(child<QLineEdit>(dialog, "databaseEdit"), s->database);
        setText(child<QLineEdit>(dialog, "userEdit"), s->user);
        setText(child<QLineEdit>(dialog, "passwordEdit"), s->password);
    }

    static void chooseKind(ConnectionDialog& dialog, const QString& text)
    {
        auto* kind = child<QComboBox>(dialog, "storeKindCombo");
        QVERIFY(choose(kind, text));
    }

    // Types the table and clicks Read columns; returns once the editor has the answer.
    static bool readTable(ConnectionDialog& dialog, const QString& table)
    {
        auto* editor = child<MappingEditor>(dialog, "mappingEditor");
        QSignalSpy read(editor, &MappingEditor::columnsRead);
        setText(child<QLineEdit>(dialog, "mappingTableEdit"), table);
        QTest::mouseClick(child<QPushButton>(dialog, "readColumnsButton"), Qt::LeftButton);
        // Off the UI thread: the dialog says so and answers later.
        if (!child<QLabel>(dialog, "mappingStatusLabel")->text().startsWith(QStringLiteral("Reading the columns of ")))
            return false;
        return read.wait(20000);
    }

    static QComboBox* comboFor(ConnectionDialog& dialog, const char* key)
    {
        return child<QComboBox>(dialog, QLatin1String("mappingCombo_") + QLatin1String(key));
    }

    static QPushButton* okButton(ConnectionDialog& dialog)
    {
        return child<QDialogButtonBox>(dialog, "buttonBox")->button(QDialogButtonBox::Ok);
    }

    void saveScreenshot(QWidget& widget, const QString& name)
    {
        const QString folder = qEnvironmentVariable("EVENTSCOPE_SCREENSHOT_DIR");
        if (!folder.isEmpty())
            QVERIFY(widget.grab().save(QDir(folder).filePath(name)));
    }

private slots:
    void init()
    {
        m_settingsDir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_settingsDir->isValid());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir->path());
    }

    void cleanupTestCase()
    {
        QString output;
        for (const QString& schema : std::as_const(m_schemas))
            runPsql(
                QStringLiteral("DROP SCHEMA ") + schema.section(QLatin1Char('.'), 0, 0) + QStringLiteral(" CASCADE"),
                &output);
    }

    void guessesEditsSavesAndOpens()
    {
        const QString table = makeTable();
        if (table.isEmpty())
            return;
        ConnectionDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto* editor = child<MappingEditor>(dialog, "mappingEditor");
        QAbstractItemModelTester tester(editor->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(!editor->isVisible());
        fillServer(dialog);
        chooseKind(dialog, QStringLiteral("Events table"));
        QVERIFY(editor->isVisible());
        QVERIFY(!child<QLineEdit>(dialog, "schemaEdit")->isVisible()); // a native store's field
        QVERIFY(!okButton(dialog)->isEnabled()); // no table yet
        QVERIFY(!child<QGroupBox>(dialog, "mappingColumnsBox")->isVisible());
        saveScreenshot(dialog, QStringLiteral("mapping_editor_empty.png"));

        QVERIFY(readTable(dialog, table));
        auto* status = child<QLabel>(dialog, "mappingStatusLabel");
        QVERIFY2(
            status->text().startsWith(QStringLiteral("Guessed from the column names")), qPrintable(status->text()));
        QVERIFY(child<QGroupBox>(dialog, "mappingColumnsBox")->isVisible());
        const QList<QPair<const char*, QString>> guessed { { "stream", QStringLiteral("aggregate_id") },
            { "version", QStringLiteral("version") }, { "type", QStringLiteral("event_type") },
            { "data", QStringLiteral("payload") }, { "time", QStringLiteral("created_at") }, { "position", QString() },
            { "id", QString() }, { "metadata", QString() } };
        for (const auto& [key, column] : guessed) {
            QCOMPARE(comboFor(dialog, key)->currentData().toString(), column);
            QCOMPARE(comboFor(dialog, key)->currentText(), column.isEmpty() ? QStringLiteral("(none)") : column);
        }
        // Every column is offered, and none.
        QCOMPARE(comboFor(dialog, "type")->count(), 7);
        QVERIFY(okButton(dialog)->isEnabled()); // the guess reads the table as it is
        QVERIFY(dialog.storeUri().endsWith(QStringLiteral("&table=") + table));

        // The real event type is in `kind`: a name the guess does not know.
        QVERIFY(choose(comboFor(dialog, "type"), QStringLiteral("kind")));
        QVERIFY2(status->text().contains(QStringLiteral("not saved")), qPrintable(status->text()));
        QVERIFY(!okButton(dialog)->isEnabled());

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("orders.mapping.json"));
        QVERIFY(editor->saveTo(path));
        QVERIFY(okButton(dialog)->isEnabled());
        QVERIFY2(status->text().contains(path), qPrintable(status->text()));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const TableMapping saved = mappingFromJson(file.readAll().toStdString());
        QCOMPARE(saved.type, std::optional<std::string>("kind"));
        QCOMPARE(saved.stream, std::optional<std::string>("aggregate_id"));
        QCOMPARE(saved.version, std::optional<std::string>("version"));
        QCOMPARE(saved.data, std::optional<std::string>("payload"));
        QCOMPARE(saved.time, std::optional<std::string>("created_at"));
        QCOMPARE(saved.position, std::optional<std::string>("")); // written as null: nothing to guess later
        QCOMPARE(saved.table, table.toStdString());

        const QString uri = dialog.storeUri();
        QVERIFY2(uri.startsWith(QStringLiteral("mapped+postgresql://")), qPrintable(uri));
        QVERIFY2(uri.endsWith(QStringLiteral("&table=") + table + QStringLiteral("&mapping=") + path), qPrintable(uri));
        saveScreenshot(dialog, QStringLiteral("mapping_editor.png"));

        // Test connection opens that very store.
        QSignalSpy tested(&dialog, &ConnectionDialog::testFinished);
        QTest::mouseClick(child<QPushButton>(dialog, "testButton"), Qt::LeftButton);
        QVERIFY(tested.wait(20000));
        QCOMPARE(tested.at(0).at(1).toString(), QStringLiteral("Connected: the events table, head position 3."));

        // The store the URI names reads the rows with the edited mapping.
        {
            const auto store = openStore(uri.toStdString());
            const EventPage page = store->read(EventQuery {});
            QCOMPARE(page.events.size(), std::size(kRows));
            for (std::size_t i = 0; i < page.events.size(); ++i) {
                const Event& e = page.events[i];
                QCOMPARE(e.stream, std::string(kRows[i].stream));
                QCOMPARE(e.version, std::int64_t(kRows[i].version));
                QCOMPARE(e.type, std::string(kRows[i].kind));
                QCOMPARE(QJsonDocument::fromJson(QByteArray::fromStdString(e.data)),
                    QJsonDocument::fromJson(kRows[i].payload));
            }
        }

        // An edit after saving: the file no longer holds what is shown, so the URI stops naming it.
        QVERIFY(choose(comboFor(dialog, "id"), QStringLiteral("kind")));
        QVERIFY2(status->text().contains(QStringLiteral("not saved")), qPrintable(status->text()));
        QVERIFY(!dialog.storeUri().contains(QStringLiteral("mapping=")));
        QVERIFY(!okButton(dialog)->isEnabled());
        QVERIFY(choose(comboFor(dialog, "id"), QStringLiteral("(none)")));
        QVERIFY(dialog.storeUri().endsWith(QStringLiteral("&mapping=") + path));
        QVERIFY(okButton(dialog)->isEnabled());

        // Accepted, it is the connection the next dialog starts from, file included.
        QTest::mouseClick(okButton(dialog), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        ConnectionDialog again;
        QCOMPARE(again.storeUri(), uri);
        QCOMPARE(child<QComboBox>(again, "storeKindCombo")->currentText(), QStringLiteral("Events table"));
    }

    void namesATableThatIsNotThere()
    {
        const QString table = makeTable();
        if (table.isEmpty())
            return;
        ConnectionDialog dialog;
        dialog.show();
        fillServer(dialog);
        chooseKind(dialog, QStringLiteral("Events table"));
        const QString missing = table.section(QLatin1Char('.'), 0, 0) + QStringLiteral(".no_such_events");
        QVERIFY(readTable(dialog, missing));
        const QString shown = child<QLabel>(dialog, "mappingStatusLabel")->text();
        QVERIFY2(shown.startsWith(
                     QStringLiteral("There is no table ") + missing + QStringLiteral(" in mapped+postgresql://")),
            qPrintable(shown));
        // A long sentence wraps onto lines the dialog makes room for, rather than being cut off.
        auto* statusLabel = child<QLabel>(dialog, "mappingStatusLabel");
        QTRY_VERIFY(statusLabel->height() >= statusLabel->heightForWidth(statusLabel->width()));
        saveScreenshot(dialog, QStringLiteral("mapping_editor_no_table.png"));
        QVERIFY(!child<QPushButton>(dialog, "saveMappingButton")->isEnabled());
        QVERIFY(!child<QGroupBox>(dialog, "mappingColumnsBox")->isVisible());
        QVERIFY(!okButton(dialog)->isEnabled());
        QVERIFY(!child<MappingEditor>(dialog, "mappingEditor")->saveTo(QDir::temp().filePath(QStringLiteral("x"))));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Rejected));

        // Naming the table that is there clears it.
        QVERIFY(readTable(dialog, table));
        QVERIFY(okButton(dialog)->isEnabled());
        QVERIFY(child<QPushButton>(dialog, "saveMappingButton")->isEnabled());
    }

    void namesAnUnreachableServer()
    {
        ConnectionDialog dialog;
        dialog.show();
        if (!postgresServer().isEmpty())
            fillServer(dialog);
        child<QSpinBox>(dialog, "portSpin")->setValue(1); // nothing listens there
        chooseKind(dialog, QStringLiteral("Events table"));
        QVERIFY(readTable(dialog, QStringLiteral("events")));
        const QString shown = child<QLabel>(dialog, "mappingStatusLabel")->text();
        QVERIFY2(shown.startsWith(QStringLiteral("Cannot reach")), qPrintable(shown));
        QVERIFY(!okButton(dialog)->isEnabled());
    }

    void refusesAMappingWithoutAStream()
    {
        const QString table = makeTable();
        if (table.isEmpty())
            return;
        ConnectionDialog dialog;
        dialog.show();
        fillServer(dialog);
        chooseKind(dialog, QStringLiteral("Events table"));
        QVERIFY(readTable(dialog, table));
        QVERIFY(okButton(dialog)->isEnabled());
        QVERIFY(choose(comboFor(dialog, "stream"), QStringLiteral("(none)")));
        const QString shown = child<QLabel>(dialog, "mappingStatusLabel")->text();
        QVERIFY2(shown.startsWith(QStringLiteral("The table ") + table
                     + QStringLiteral(" has no column for the stream (looked for stream_name")),
            qPrintable(shown));
        // A long sentence wraps onto lines the dialog makes room for, rather than being cut off.
        auto* statusLabel = child<QLabel>(dialog, "mappingStatusLabel");
        QTRY_VERIFY(statusLabel->height() >= statusLabel->heightForWidth(statusLabel->width()));
        saveScreenshot(dialog, QStringLiteral("mapping_editor_no_stream.png"));
        QVERIFY(!okButton(dialog)->isEnabled());
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY(dialog.isVisible());

        // Neither a position nor a time: nothing orders the events.
        QVERIFY(choose(comboFor(dialog, "stream"), QStringLiteral("aggregate_id")));
        QVERIFY(okButton(dialog)->isEnabled());
        QVERIFY(choose(comboFor(dialog, "time"), QStringLiteral("(none)")));
        QVERIFY2(child<QLabel>(dialog, "mappingStatusLabel")->text().contains(QStringLiteral("nothing to order")),
            qPrintable(child<QLabel>(dialog, "mappingStatusLabel")->text()));
        QVERIFY(!okButton(dialog)->isEnabled());
    }

    void givesEachKindItsPrefix_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("foreign");
        QTest::addColumn<bool>("schemaShown");
        QTest::addRow("Message DB") << QStringLiteral("Message DB") << QStringLiteral("messagedb+postgresql://")
                                    << QStringLiteral("messagedb") << false;
        QTest::addRow("Emmett") << QStringLiteral("Emmett") << QStringLiteral("emmett+postgresql://")
                                << QStringLiteral("emmett") << false;
        QTest::addRow("Eventscope store")
            << QStringLiteral("Eventscope store") << QStringLiteral("postgresql://") << QString() << true;
    }
    void givesEachKindItsPrefix()
    {
        QFETCH(QString, kind);
        QFETCH(QString, prefix);
        QFETCH(QString, foreign);
        QFETCH(bool, schemaShown);
        ConnectionDialog dialog;
        dialog.show();
        setText(child<QLineEdit>(dialog, "hostEdit"), QStringLiteral("db.example.com"));
        setText(child<QLineEdit>(dialog, "databaseEdit"), QStringLiteral("shop"));
        setText(child<QLineEdit>(dialog, "userEdit"), QStringLiteral("app"));
        chooseKind(dialog, QStringLiteral("Events table")); // and away again: nothing of it stays
        setText(child<QLineEdit>(dialog, "mappingTableEdit"), QStringLiteral("events"));
        chooseKind(dialog, kind);
        QVERIFY(!child<MappingEditor>(dialog, "mappingEditor")->isVisible());
        QCOMPARE(child<QLineEdit>(dialog, "schemaEdit")->isVisible(), schemaShown);
        const QString uri = dialog.storeUri();
        QCOMPARE(uri,
            prefix + QStringLiteral("app@db.example.com:5432/shop?sslmode=prefer")
                + (schemaShown ? QStringLiteral("&schema=eventscope") : QString()));
        QCOMPARE(QString::fromStdString(StoreUri::parse(uri.toStdString()).foreign), foreign);
        QVERIFY(okButton(dialog)->isEnabled());

        // A URI of that kind fills the dialog back to it.
        ConnectionDialog again;
        again.setSettings(*ConnectionSettings::fromStoreUri(uri));
        QCOMPARE(child<QComboBox>(again, "storeKindCombo")->currentText(), kind);
        QCOMPARE(again.storeUri(), uri);
    }
};

EVENTSCOPE_TEST_MAIN_WITHOUT_KEYCHAIN(TestMappingEditor, "tst_mapping_editor")

#include "tst_mapping_editor.moc"
