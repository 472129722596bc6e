// The mapping editor's model: one row per field with the column guessed from the names, edits that the adapter's
// own check judges, and a saved file that the STORE URI names only while it holds what is shown. Reading a real
// table's columns, and the sentences for a missing table or an unreachable server.

#include "model/mapping_edit_model.h"
#include "storage/table_mapping.h"
#include "tests/test_stores.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QFutureWatcher>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace eventscope;

namespace {

// The shape of the hand-made table most teams write.
std::vector<ColumnInfo> handMadeColumns()
{
    return {
        { "event_id", "uuid", ColumnKind::Uuid },
        { "aggregate_id", "text", ColumnKind::Text },
        { "version", "integer", ColumnKind::Integer },
        { "event_type", "text", ColumnKind::Text },
        { "payload", "jsonb", ColumnKind::Json },
        { "created_at", "timestamp with time zone", ColumnKind::TimestampTz },
        { "note", "text", ColumnKind::Text },
    };
}

TableColumnsResult loaded(const std::vector<ColumnInfo>& columns = handMadeColumns())
{
    TableColumnsResult result;
    result.table = QStringLiteral("events");
    result.ok = true;
    result.columns = columns;
    return result;
}

// What a person expects the names to give, written out by hand rather than asked of guessMapping().
QMap<QString, QString> expectedGuess()
{
    return {
        { QStringLiteral("position"), QString() },
        { QStringLiteral("stream"), QStringLiteral("aggregate_id") },
        { QStringLiteral("version"), QStringLiteral("version") },
        { QStringLiteral("type"), QStringLiteral("event_type") },
        { QStringLiteral("data"), QStringLiteral("payload") },
        { QStringLiteral("time"), QStringLiteral("created_at") },
        { QStringLiteral("metadata"), QString() },
        { QStringLiteral("id"), QStringLiteral("event_id") },
        { QStringLiteral("category"), QString() },
        { QStringLiteral("schemaVersion"), QString() },
        { QStringLiteral("actor"), QString() },
        { QStringLiteral("correlation"), QString() },
        { QStringLiteral("causation"), QString() },
        { QStringLiteral("tenant"), QString() },
    };
}

// The column a mapping (or a mapping file read back) gives a role; a file's null reads back as "".
QString columnOf(const TableMapping& mapping, const QString& key)
{
    for (const MappingRole& role : mappingRoles())
        if (QLatin1String(role.key) == key)
            return QString::fromStdString((mapping.*(role.member)).value_or(std::string()));
    return QStringLiteral("<no such role>");
}

TableColumnsResult await(const QFuture<TableColumnsResult>& future)
{
    QFutureWatcher<TableColumnsResult> watcher;
    QSignalSpy finished(&watcher, &QFutureWatcher<TableColumnsResult>::finished);
    watcher.setFuture(future);
    if (!future.isFinished() && !finished.wait(30000))
        return {};
    return future.result();
}

bool runPsql(const QString& sql, QString* output)
{
    QProcess psql;
    psql.start(QStringLiteral("psql"),
        { test::postgresServer(), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-q"),
            QStringLiteral("-c"), sql });
    const bool done = psql.waitForFinished(30000);
    *output = QString::fromLocal8Bit(psql.readAllStandardError() + psql.readAllStandardOutput());
    return done && psql.exitStatus() == QProcess::NormalExit && psql.exitCode() == 0;
}

} // namespace

class TestMappingEditModel : public QObject
{
    Q_OBJECT

private:
    QStringList m_schemas; // dropped at the end

private slots:
    void cleanupTestCase()
    {
        QString output;
        for (const QString& schema : std::as_const(m_schemas))
            runPsql(QStringLiteral("DROP SCHEMA ") + schema + QStringLiteral(" CASCADE"), &output);
    }

    void showsTheGuessOneRowPerField()
    {
        MappingEditModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.problem().isEmpty()); // nothing to judge before the columns are read

        model.load(loaded());
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 14);
        QCOMPARE(model.columnCount(), 2);
        const QMap<QString, QString> expected = expectedGuess();
        QCOMPARE(expected.size(), model.rowCount());
        for (int row = 0; row < model.rowCount(); ++row) {
            const QString key = model.data(model.index(row, 0), MappingEditModel::KeyRole).toString();
            QVERIFY2(expected.contains(key), qPrintable(key));
            QCOMPARE(model.columnFor(row), expected.value(key));
            const QString shown = model.data(model.index(row, MappingEditModel::ChosenColumn)).toString();
            QCOMPARE(shown, expected.value(key).isEmpty() ? QStringLiteral("(none)") : expected.value(key));
        }
        QCOMPARE(model.data(model.index(MappingEditModel::rowOfRole(QStringLiteral("version")), 0)).toString(),
            QStringLiteral("Stream version"));
        QCOMPARE(model.data(model.index(MappingEditModel::rowOfRole(QStringLiteral("id")), 0)).toString(),
            QStringLiteral("Event ID"));
        QCOMPARE(
            model.data(model.index(MappingEditModel::rowOfRole(QStringLiteral("data")), 1), Qt::ToolTipRole).toString(),
            QStringLiteral("jsonb"));
        QVERIFY2(model.problem().isEmpty(), qPrintable(model.problem()));
        QVERIFY(!model.hasUnsavedChanges());
        QVERIFY(model.mappingFile().isEmpty());
    }

    void marksWhatTheEventsNeed()
    {
        using R = MappingEditModel::Requirement;
        const QMap<QString, R> expected { { QStringLiteral("stream"), R::Required },
            { QStringLiteral("type"), R::Required }, { QStringLiteral("data"), R::Required },
            { QStringLiteral("position"), R::Ordering }, { QStringLiteral("time"), R::Ordering } };
        for (int row = 0; row < MappingEditModel::roleCount(); ++row)
            QCOMPARE(MappingEditModel::requirement(row),
                expected.value(MappingEditModel::roleKey(row), MappingEditModel::Requirement::Optional));
    }

    void judgesEditsAsTheAdapterDoes_data()
    {
        QTest::addColumn<QStringList>("edits"); // "role=column", column empty for none
        QTest::addColumn<QString>("phrase"); // empty: readable
        QTest::addRow("guess") << QStringList() << QString();
        QTest::addRow("no stream") << QStringList { QStringLiteral("stream=") }
                                   << QStringLiteral("The table events has no column for the stream");
        QTest::addRow("no type") << QStringList { QStringLiteral("type=") }
                                 << QStringLiteral("has no column for the type");
        QTest::addRow("no data") << QStringList { QStringLiteral("data=") }
                                 << QStringLiteral("has no column for the data");
        QTest::addRow("no stream nor data") << QStringList { QStringLiteral("stream="), QStringLiteral("data=") }
                                            << QStringLiteral("the stream (looked for");
        QTest::addRow("no time and no position")
            << QStringList { QStringLiteral("time=") } << QStringLiteral("has nothing to order its events by");
        QTest::addRow("position instead of time")
            << QStringList { QStringLiteral("time="), QStringLiteral("position=version") } << QString();
        QTest::addRow("another column for the data") << QStringList { QStringLiteral("data=note") } << QString();
        QTest::addRow("a column the table lacks")
            << QStringList { QStringLiteral("actor=who") } << QStringLiteral("names the column who for the actor");
    }
    void judgesEditsAsTheAdapterDoes()
    {
        QFETCH(QStringList, edits);
        QFETCH(QString, phrase);
        MappingEditModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.load(loaded());
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        for (const QString& edit : edits) {
            const QString key = edit.section(QLatin1Char('='), 0, 0);
            const QString column = edit.section(QLatin1Char('='), 1);
            const QModelIndex index = model.index(MappingEditModel::rowOfRole(key), MappingEditModel::ChosenColumn);
            QVERIFY(model.setData(index, column));
            QCOMPARE(model.data(index, Qt::EditRole).toString(), column);
            QCOMPARE(columnOf(model.mapping(), key), column);
        }
        QCOMPARE(changed.count(), edits.size());
        const QString problem = model.problem();
        if (phrase.isEmpty())
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        else
            QVERIFY2(problem.contains(phrase), qPrintable(problem));
        QCOMPARE(model.hasUnsavedChanges(), !edits.isEmpty());
        // The role column is not editable, and nothing is set past the last row.
        QVERIFY(!model.setData(model.index(0, MappingEditModel::RoleColumn), QStringLiteral("note")));
        QVERIFY(!model.setColumnFor(model.rowCount(), QStringLiteral("note")));
    }

    void savesAndNamesTheFileOnlyWhileItHoldsTheMapping()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("events.mapping.json"));
        MappingEditModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QString error;
        QVERIFY(!model.saveTo(path, &error)); // nothing read yet
        QVERIFY2(error.contains(QStringLiteral("read the table's columns first")), qPrintable(error));
        QVERIFY(!QFile::exists(path));

        model.load(loaded());
        const int data = MappingEditModel::rowOfRole(QStringLiteral("data"));
        QVERIFY(model.setColumnFor(data, QStringLiteral("note")));
        QVERIFY(model.hasUnsavedChanges());
        QVERIFY(model.mappingFile().isEmpty());

        QVERIFY2(model.saveTo(path, &error), qPrintable(error));
        QVERIFY(!model.hasUnsavedChanges());
        QCOMPARE(model.mappingFile(), path);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const TableMapping back = mappingFromJson(file.readAll().toStdString());
        QCOMPARE(back.table, std::string("events"));
        QMap<QString, QString> expected = expectedGuess();
        expected[QStringLiteral("data")] = QStringLiteral("note");
        for (auto it = expected.cbegin(); it != expected.cend(); ++it)
            QCOMPARE(columnOf(back, it.key()), it.value());

        // An edit after the save: the file no longer holds what is shown.
        QVERIFY(model.setColumnFor(data, QStringLiteral("payload")));
        QVERIFY(model.mappingFile().isEmpty());
        QVERIFY(!model.hasUnsavedChanges()); // the guess again, which needs no file
        QVERIFY(model.setColumnFor(MappingEditModel::rowOfRole(QStringLiteral("id")), QString()));
        QVERIFY(model.hasUnsavedChanges());
        QVERIFY(model.mappingFile().isEmpty());
        QVERIFY(model.setColumnFor(MappingEditModel::rowOfRole(QStringLiteral("id")), QStringLiteral("event_id")));
        QVERIFY(model.setColumnFor(data, QStringLiteral("note")));
        QCOMPARE(model.mappingFile(), path); // back to what the file holds

        QVERIFY(!model.saveTo(dir.filePath(QStringLiteral("no/such/folder/m.json")), &error));
        QVERIFY2(error.contains(QStringLiteral("could not be saved")), qPrintable(error));
        QCOMPARE(model.mappingFile(), path);
    }

    void laysTheFileOverTheGuess()
    {
        TableColumnsResult result = loaded();
        TableMapping file;
        file.data = "note";
        file.id = ""; // the file says the table has no event ID column
        result.mappingFile = QStringLiteral("given.json");
        result.fileMapping = file;
        MappingEditModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMappingFile(QStringLiteral("given.json"));
        QCOMPARE(model.mappingFile(), QStringLiteral("given.json")); // before reading: what the URI named
        model.load(result);
        QCOMPARE(columnOf(model.mapping(), QStringLiteral("data")), QStringLiteral("note"));
        QCOMPARE(columnOf(model.mapping(), QStringLiteral("id")), QString());
        QCOMPARE(columnOf(model.mapping(), QStringLiteral("stream")), QStringLiteral("aggregate_id")); // guessed
        QCOMPARE(model.mappingFile(), QStringLiteral("given.json"));
        QVERIFY(!model.hasUnsavedChanges());

        // A file that could not be read is not named again.
        result.fileMapping.reset();
        result.fileProblem = QStringLiteral("unreadable");
        model.load(result);
        QVERIFY(model.mappingFile().isEmpty());
        QCOMPARE(columnOf(model.mapping(), QStringLiteral("data")), QStringLiteral("payload"));
    }

    void readsARealTable_data()
    {
        QTest::addColumn<QString>("table"); // %1 is the test's schema
        QTest::addColumn<bool>("unreachable");
        QTest::addColumn<QString>("phrase"); // empty: read
        QTest::addRow("schema-qualified") << QStringLiteral("%1.events") << false << QString();
        QTest::addRow("no such table") << QStringLiteral("%1.nope") << false << QStringLiteral("There is no table");
        QTest::addRow("no such schema") << QStringLiteral("nowhere_x.events") << false
                                        << QStringLiteral("There is no table nowhere_x.events");
        QTest::addRow("not a table name")
            << QStringLiteral("a b") << false << QStringLiteral("is not a PostgreSQL table name");
        QTest::addRow("unreachable server") << QStringLiteral("%1.events") << true << QStringLiteral("Cannot reach");
        QTest::addRow("no table given") << QString() << false << QStringLiteral("Give the name of the events table.");
    }
    void readsARealTable()
    {
        QFETCH(QString, table);
        QFETCH(bool, unreachable);
        QFETCH(QString, phrase);
        if (test::postgresServer().isEmpty()) {
            if (test::runningInCi())
                QFAIL("EVENTSCOPE_TEST_PG is not set under CI=true: the PostgreSQL tests cannot run");
            QSKIP("EVENTSCOPE_TEST_PG is not set: no PostgreSQL server to test against");
        }
        const QString schema = QLatin1String("t_") + QUuid::createUuid().toString(QUuid::Id128).left(16);
        m_schemas.append(schema);
        QString output;
        QVERIFY2(runPsql(QStringLiteral("CREATE SCHEMA ") + schema + QStringLiteral("; CREATE TABLE ") + schema
                         + QStringLiteral(".events (aggregate_id text, version int, event_type text, payload jsonb, "
                                          "created_at timestamptz)"),
                     &output),
            qPrintable(output));
        auto settings = ConnectionSettings::fromStoreUri(test::postgresServer());
        QVERIFY(settings.has_value());
        settings->kind = ConnectionSettings::StoreKind::Native; // read as an events table whatever the kind
        settings->table = QString(table).replace(QStringLiteral("%1"), schema);
        if (unreachable)
            settings->port = 1;

        const TableColumnsResult result = await(readTableColumns(*settings));
        QCOMPARE(result.table, settings->table);
        QCOMPARE(result.ok, phrase.isEmpty());
        if (!result.ok) {
            QVERIFY2(result.message.contains(phrase), qPrintable(result.message));
            QVERIFY(result.columns.empty());
            return;
        }
        QStringList names, types;
        for (const ColumnInfo& column : result.columns) {
            names.append(QString::fromStdString(column.name));
            types.append(QString::fromStdString(column.type));
        }
        QCOMPARE(names,
            QStringList({ QStringLiteral("aggregate_id"), QStringLiteral("version"), QStringLiteral("event_type"),
                QStringLiteral("payload"), QStringLiteral("created_at") }));
        QCOMPARE(types.at(3), QStringLiteral("jsonb"));
        QCOMPARE(types.at(4), QStringLiteral("timestamp with time zone"));
    }

    void tellsWhyTheMappingFileIsNotUsed_data()
    {
        QTest::addColumn<QByteArray>("content"); // empty: no file at all
        QTest::addColumn<QString>("phrase");
        QTest::addRow("missing") << QByteArray() << QStringLiteral("cannot be read");
        QTest::addRow("not JSON") << QByteArray("{ nope") << QStringLiteral("is not usable");
        QTest::addRow("column not a name")
            << QByteArray("{\"columns\":{\"stream\":5}}") << QStringLiteral("is not usable");
        QTest::addRow("good") << QByteArray("{\"columns\":{\"data\":\"version\"}}") << QString();
    }
    void tellsWhyTheMappingFileIsNotUsed()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, phrase);
        if (test::postgresServer().isEmpty())
            QSKIP("EVENTSCOPE_TEST_PG is not set: no PostgreSQL server to test against");
        const QString schema = QLatin1String("t_") + QUuid::createUuid().toString(QUuid::Id128).left(16);
        m_schemas.append(schema);
        QString output;
        QVERIFY2(
            runPsql(QStringLiteral("CREATE SCHEMA ") + schema + QStringLiteral("; CREATE TABLE ") + schema
                    + QStringLiteral(".events (stream_name text, version int, type text, data json, time timestamp)"),
                &output),
            qPrintable(output));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("m.json"));
        if (!content.isEmpty()) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content);
        }
        auto settings = ConnectionSettings::fromStoreUri(test::postgresServer());
        QVERIFY(settings.has_value());
        settings->table = schema + QStringLiteral(".events");
        settings->mappingFile = path;
        const TableColumnsResult result = await(readTableColumns(*settings));
        QVERIFY2(result.ok, qPrintable(result.message));
        MappingEditModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.load(result);
        if (phrase.isEmpty()) {
            QVERIFY2(result.fileProblem.isEmpty(), qPrintable(result.fileProblem));
            QCOMPARE(columnOf(model.mapping(), QStringLiteral("data")), QStringLiteral("version"));
            QCOMPARE(model.mappingFile(), path);
        } else {
            QVERIFY2(result.fileProblem.contains(phrase), qPrintable(result.fileProblem));
            QVERIFY(result.fileProblem.contains(path));
            QCOMPARE(columnOf(model.mapping(), QStringLiteral("data")), QStringLiteral("data")); // the guess
            QVERIFY(model.mappingFile().isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestMappingEditModel)
#include "tst_mapping_edit_model.moc"
