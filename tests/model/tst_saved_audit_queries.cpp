// The Audit tab's saved queries (DESIGN §7, §9): what is saved comes back equal, a deleted one is gone after a
// reload, a missing file is an empty list, and a damaged file is reported, not silently emptied.

#include "model/saved_audit_queries.h"
#include "storage/error.h"
#include "storage/time_format.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace eventscope;

namespace {

SavedAuditQuery januaryOf(const QString& name, const std::string& actor)
{
    SavedAuditQuery saved;
    saved.name = name;
    saved.query.actor = actor;
    saved.query.since = parseTime("2024-01-01T00:00:00Z");
    saved.query.until = parseTime("2024-01-31T23:59:59.999999Z");
    saved.query.category = "orders";
    saved.query.types = { "OrderPlaced", "OrderCancelled" };
    saved.redactions = { "data.cardNumber", "metadata.ip" };
    return saved;
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

} // namespace

class TestSavedAuditQueries : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void roundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/store.db.audit-queries.json"));
        SavedAuditQueries saved(path);
        saved.put(januaryOf(QStringLiteral("u-17 in January"), "u-17"));
        SavedAuditQuery open;
        open.name = QStringLiteral("everything");
        open.query.includeSystem = true;
        open.query.stream = "$eventscope-audit";
        saved.put(open);
        saved.save(); // makes the folder it needs
        QVERIFY(QFile::exists(path));

        SavedAuditQueries again(path);
        again.load();
        QCOMPARE(again.queries().size(), std::size_t(2));
        QCOMPARE(again.queries()[0].name, QStringLiteral("everything")); // name order
        QVERIFY(again.find(QStringLiteral("u-17 in January")) == januaryOf(QStringLiteral("u-17 in January"), "u-17"));
        QVERIFY(again.find(QStringLiteral("everything")) == open);
        QVERIFY(!again.find(QStringLiteral("nothing")));
    }

    void putReplacesByName()
    {
        QTemporaryDir dir;
        SavedAuditQueries saved(dir.filePath(QStringLiteral("q.json")));
        saved.put(januaryOf(QStringLiteral("q"), "u-1"));
        saved.put(januaryOf(QStringLiteral("q"), "u-2"));
        QCOMPARE(saved.queries().size(), std::size_t(1));
        QCOMPARE(saved.queries()[0].query.actor, std::string("u-2"));
    }

    void deleteSurvivesReload()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("q.json"));
        SavedAuditQueries saved(path);
        saved.put(januaryOf(QStringLiteral("a"), "u-1"));
        saved.put(januaryOf(QStringLiteral("b"), "u-2"));
        saved.save();
        QVERIFY(saved.remove(QStringLiteral("a")));
        QVERIFY(!saved.remove(QStringLiteral("a")));
        saved.save();
        SavedAuditQueries again(path);
        again.load();
        QCOMPARE(again.queries().size(), std::size_t(1));
        QCOMPARE(again.queries()[0].name, QStringLiteral("b"));
    }

    void missingFileIsEmpty()
    {
        QTemporaryDir dir;
        SavedAuditQueries saved(dir.filePath(QStringLiteral("none.json")));
        saved.load();
        QVERIFY(saved.queries().empty());
    }

    void corruptFileIsReported_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("says");
        QTest::addRow("not json") << QByteArray("{\"queries\": [") << QStringLiteral("not valid JSON");
        QTest::addRow("no list") << QByteArray("{\"version\":1}") << QStringLiteral("no list");
        QTest::addRow("nameless") << QByteArray("{\"queries\":[{\"query\":{}}]}") << QStringLiteral("no name");
        QTest::addRow("bad time") << QByteArray("{\"queries\":[{\"name\":\"x\",\"query\":{\"since\":\"yesterday\"}}]}")
                                  << QStringLiteral("yesterday");
        QTest::addRow("bad redaction") << QByteArray(
            "{\"queries\":[{\"name\":\"x\",\"query\":{},\"redactions\":[\"cardNumber\"]}]}")
                                       << QStringLiteral("cardNumber");
        QTest::addRow("stream and category")
            << QByteArray("{\"queries\":[{\"name\":\"x\",\"query\":{\"stream\":\"a-1\",\"category\":\"a\"}}]}")
            << QStringLiteral("not both");
    }
    void corruptFileIsReported()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, says);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("q.json"));
        writeFile(path, bytes);
        SavedAuditQueries saved(path);
        saved.put(januaryOf(QStringLiteral("stale"), "u-1"));
        try {
            saved.load();
            QFAIL("a damaged file was read");
        } catch (const Error& error) {
            QCOMPARE(error.kind, ErrorKind::BadInput);
            const QString message = QString::fromStdString(error.what());
            QVERIFY2(message.contains(path), qPrintable(message));
            QVERIFY2(message.contains(says), qPrintable(message));
        }
        QVERIFY(saved.queries().empty());
        QCOMPARE(QFile(path).size(), bytes.size()); // reading never rewrites it
    }

    void badQueriesAreNotSaved_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("redaction");
        QTest::addColumn<bool>("backwards");
        QTest::addRow("no name") << QStringLiteral("  ") << QString() << false;
        QTest::addRow("bad path") << QStringLiteral("x") << QStringLiteral("card[") << false;
        QTest::addRow("range ends first") << QStringLiteral("x") << QString() << true;
    }
    void badQueriesAreNotSaved()
    {
        QFETCH(QString, name);
        QFETCH(QString, redaction);
        QFETCH(bool, backwards);
        SavedAuditQuery query = januaryOf(name, "u-1");
        if (!redaction.isEmpty())
            query.redactions = { redaction.toStdString() };
        if (backwards)
            std::swap(query.query.since, query.query.until);
        QTemporaryDir dir;
        SavedAuditQueries saved(dir.filePath(QStringLiteral("q.json")));
        try {
            saved.put(query);
            QFAIL("a bad query was kept");
        } catch (const Error& error) {
            QCOMPARE(error.kind, ErrorKind::BadInput);
        }
        QVERIFY(saved.queries().empty());
    }

    void pathIsBesideTheWorkspace()
    {
        const QString path = SavedAuditQueries::pathFor(QStringLiteral("postgresql://u:secret@h/db"));
        QVERIFY(path.endsWith(QStringLiteral(".db.audit-queries.json")));
        QVERIFY(!path.contains(QStringLiteral("secret")));
        QCOMPARE(path, SavedAuditQueries::pathFor(QStringLiteral("postgresql://u:other@h/db")));
    }
};

QTEST_GUILESS_MAIN(TestSavedAuditQueries)
#include "tst_saved_audit_queries.moc"
