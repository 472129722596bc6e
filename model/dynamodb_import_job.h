#pragma once
// The window's DynamoDB import (model/dynamodb_import.h; DESIGN §3, §9; issue 7): a DynamoDbImport on a pooled
// thread with a store connection of its own, opened there from a URI. What it reports arrives on the thread that
// owns the job, queued: progress at most every 200 ms, notes, and one end, always: finished() with the summary,
// or failed() with a sentence (also when cancelled).
//
// A new SQLite file is made only once every file has been read and checked, so that bad input leaves nothing
// behind. What a cancel leaves is what the engine promises: cancelled while reading or checking, nothing is
// written (and no new file is made); cancelled while appending, the batches already committed stay: every stream
// holds either nothing of the import, its first events up to a batch boundary, or all of them, each event exactly
// as the import numbers it, and the store holds no import record. Running the same import again completes it.

#include "model/dynamodb_import.h"

#include <QFuture>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>

namespace eventscope {

struct DynamoDbImportJobProgress
{
    DynamoDbImportProgress::Phase phase = DynamoDbImportProgress::Phase::Reading;
    QString file; // the file being read
    qint64 items = 0; // read from every file so far
    quint64 bytes = 0; // of every file, read so far
    quint64 totalBytes = 0; // of every file
    qint64 done = 0; // events appended (or snapshots saved) so far
    qint64 total = 0; // of the phase
    double fraction = 0; // of the whole import, 0..1
    double secondsLeft = -1; // -1 until it can be told
};

class DynamoDbImportJob : public QObject
{
    Q_OBJECT

public:
    struct Request
    {
        QStringList files; // of event items
        QString mappingFile; // optional
        QString snapshotsFile; // optional
        QString storeUri; // a native store; a SQLite file that does not exist yet is made
        std::int64_t batchEvents = 1000;
    };

    explicit DynamoDbImportJob(QObject* parent = nullptr);
    // Cancels an import still going and waits for it: it stops at the engine's next cancel point.
    ~DynamoDbImportJob() override;

    // Starts an import; false (and nothing starts) while one is going.
    bool start(const Request& request);
    void cancel();
    bool isRunning() const { return m_running; }
    bool isCancelling() const { return m_running && m_cancel && m_cancel->load(); }

    // The share of the whole import a phase stands for, by what it costs: reading and staging, then checking,
    // then appending (snapshots with the events).
    static double overallFraction(const DynamoDbImportJobProgress& progress);

Q_SIGNALS:
    void progress(const eventscope::DynamoDbImportJobProgress& progress);
    // Something the user should know of the result, e.g. that every version was moved up by one.
    void noted(const QString& note);
    void finished(const eventscope::DynamoDbImportSummary& summary);
    void failed(const QString& sentence);

private:
    void work(const Request& request, std::shared_ptr<std::atomic<bool>> cancel);

    std::shared_ptr<std::atomic<bool>> m_cancel;
    QFuture<void> m_worker;
    bool m_running = false;
};

} // namespace eventscope

Q_DECLARE_METATYPE(eventscope::DynamoDbImportJobProgress)
Q_DECLARE_METATYPE(eventscope::DynamoDbImportSummary)
