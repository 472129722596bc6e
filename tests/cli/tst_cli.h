#pragma once
// The command-line test class (DESIGN §8). Declared apart from its bodies: moc (Qt 6.4) misreads some raw
// string literals, and the bodies are full of JSON in them.

#include "tests/cli/cli_harness.h"

#include <QObject>
#include <QStringList>

#include <string>

class TestCli : public QObject
{
    Q_OBJECT

private:
    clitest::Run m_last;
    QStringList m_schemas; // PostgreSQL schemas to drop after the test

    bool ok(const QStringList& arguments, const QByteArray& input = {});
    bool fails(const QStringList& arguments, int code, const QStringList& needles = {}, const QByteArray& input = {});
    QString remember(const std::string& uri);
    // Every event in the store, system streams included: the measure of "nothing was written".
    qint64 eventCount(const QString& store);
    // Changes the store behind its back, as a careless operator with a SQL shell would.
    bool tamper(const QString& store, const QString& sql);
    // Whether the store exists: read of a missing one is exit 2.
    bool storeExists(const QString& store);

private slots:
    void cleanup();
    void demoRoundTrip_data();
    void demoRoundTrip();
    void appendSingle_data();
    void appendSingle();
    void appendInput_data();
    void appendInput();
    void readFilters_data();
    void readFilters();
    void paging_data();
    void paging();
    void wrongExpectedVersion_data();
    void wrongExpectedVersion();
    void verifyAndSeal_data();
    void verifyAndSeal();
    void sealFindsDeletedTail_data();
    void sealFindsDeletedTail();
    void exportFiles_data();
    void exportFiles();
    void replayTargets_data();
    void replayTargets();
    void javascriptReducers();
    void badInputWritesNothing_data();
    void badInputWritesNothing();
    void storesThatCannotBeOpened();
    void usage();
};
