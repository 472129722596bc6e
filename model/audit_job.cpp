#include "model/audit_job.h"

#include "model/atomic_output_file.h"
#include "model/audit_record.h"
#include "storage/error.h"
#include "storage/event_store.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <mutex>

namespace eventscope {

namespace {

// A person reads a progress bar a few times a second; more signals only load the UI thread.
constexpr qint64 kProgressEveryMs = 100;

void throwIfCancelled(const std::atomic<bool>& cancel, const char* what)
{
    if (cancel.load())
        fail(ErrorKind::Cancelled, std::string(what) + " was cancelled");
}

} // namespace

struct AuditJob::Run
{
    std::atomic<bool> cancel { false };
    std::mutex mutex;
    EventStore* store = nullptr; // while the worker's connection is open: cancel() interrupts its statement
    AuditJobResult result;
    std::function<void(std::int64_t, std::int64_t)> progress;

    void interrupt()
    {
        const std::lock_guard lock(mutex);
        if (store)
            store->interrupt();
    }
};

namespace {

// Clears the run's view of the connection before the connection closes, whichever way the work ends.
class StoreRegistration
{
public:
    StoreRegistration(std::mutex& mutex, EventStore*& slot, EventStore* store)
        : m_mutex(mutex)
        , m_slot(slot)
    {
        const std::lock_guard lock(m_mutex);
        m_slot = store;
    }
    ~StoreRegistration()
    {
        const std::lock_guard lock(m_mutex);
        m_slot = nullptr;
    }
    StoreRegistration(const StoreRegistration&) = delete;
    StoreRegistration& operator=(const StoreRegistration&) = delete;

private:
    std::mutex& m_mutex;
    EventStore*& m_slot;
};

} // namespace

AuditJob::AuditJob(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<std::shared_ptr<const AuditJobResult>>();
}

AuditJob::~AuditJob()
{
    cancel();
    // A worker posts its end to this object: it must be gone before this object is.
    for (QFuture<void>& worker : m_workers)
        worker.waitForFinished();
}

void AuditJob::cancel()
{
    if (!m_run)
        return;
    m_run->cancel = true;
    m_run->interrupt(); // a long count or verify stops mid-statement instead of at its end
}

void AuditJob::startQuery(const QString& storeUri, const AuditQuery& query)
{
    start(storeUri, AuditJobResult::Kind::Query, [query](Run& run, EventStore& store) {
        run.result.summary = summarizeAudit(store, query, &run.cancel);
        throwIfCancelled(run.cancel, "the query");
    });
}

void AuditJob::startExport(const QString& storeUri, const AuditExportRequest& request)
{
    start(storeUri, AuditJobResult::Kind::Export, [request](Run& run, EventStore& store) {
        run.result.exported = exportAudit(store, request, run.progress, &run.cancel);
    });
}

void AuditJob::startVerify(const QString& storeUri, const QString& sealPath)
{
    start(storeUri, AuditJobResult::Kind::Verify, [sealPath](Run& run, EventStore& store) {
        std::optional<Seal> seal;
        if (!sealPath.isEmpty()) {
            if (!QFileInfo(sealPath).isFile())
                fail(ErrorKind::BadInput, "there is no seal file at " + sealPath.toStdString());
            seal = Seal::load(sealPath.toStdString());
            run.result.seal = *seal;
            run.result.againstSeal = true;
            run.result.sealPath = sealPath;
        }
        run.result.report = store.verify(seal);
        throwIfCancelled(run.cancel, "the verification");
    });
}

void AuditJob::startSeal(const QString& storeUri, const QString& outPath)
{
    start(storeUri, AuditJobResult::Kind::Seal, [outPath](Run& run, EventStore& store) {
        if (outPath.isEmpty())
            fail(ErrorKind::BadInput, "choose a file to write the seal to");
        if (!QFileInfo(outPath).absoluteDir().exists())
            fail(ErrorKind::BadInput, "cannot write " + outPath.toStdString() + ": its folder does not exist");
        const Seal seal = store.seal();
        throwIfCancelled(run.cancel, "the seal"); // the last moment at which nothing has been written
        AtomicOutputFile file(outPath);
        file.write(seal.toJson());
        file.commit();
        // Recorded after the file exists: the sealed range ends before this event, so the seal stays valid.
        const AppendRequest audit = auditRequest("StoreSealed",
            { { "head_position", seal.headPosition }, { "digest", seal.digest }, { "out", outPath.toStdString() } },
            AuditTool::Window);
        store.append(std::span<const AppendRequest>(&audit, 1));
        run.result.seal = seal;
        run.result.sealPath = outPath;
    });
}

void AuditJob::start(const QString& storeUri, AuditJobResult::Kind kind, Work work)
{
    cancel(); // the older run stops at its next check; its end is dropped by the generation
    std::erase_if(m_workers, [](const QFuture<void>& worker) { return worker.isFinished(); });
    auto run = std::make_shared<Run>();
    run->result.kind = kind;
    m_run = run;
    const quint64 generation = ++m_generation;
    m_running = true;
    m_workers.push_back(
        QtConcurrent::run([this, run, generation, uri = storeUri.toStdString(), work = std::move(work)] {
            // Reports reach the job's own thread, queued, and are dropped there once a newer run has started.
            const auto post = [this, generation](auto report) {
                QMetaObject::invokeMethod(
                    this,
                    [this, generation, report = std::move(report)]() mutable {
                        if (generation != m_generation)
                            return;
                        report();
                    },
                    Qt::QueuedConnection);
            };
            QElapsedTimer clock;
            clock.start();
            qint64 lastReport = -kProgressEveryMs;
            run->progress = [&](std::int64_t done, std::int64_t total) {
                const qint64 now = clock.elapsed();
                if (now - lastReport < kProgressEveryMs)
                    return;
                lastReport = now;
                const double fraction = total > 0 ? std::clamp(double(done) / double(total), 0.0, 1.0) : -1.0;
                const double secondsLeft = fraction > 0 ? double(now) / 1000.0 * (1.0 - fraction) / fraction : -1.0;
                post([this, done = qint64(done), total = qint64(total), secondsLeft] {
                    Q_EMIT progress(done, total, secondsLeft);
                });
            };
            try {
                throwIfCancelled(run->cancel, "the audit job");
                const std::unique_ptr<EventStore> store = openStore(uri);
                {
                    const StoreRegistration registration(run->mutex, run->store, store.get());
                    throwIfCancelled(run->cancel, "the audit job"); // a cancel that came while the store opened
                    work(*run, *store);
                }
                auto result = std::make_shared<const AuditJobResult>(std::move(run->result));
                post([this, result] {
                    m_running = false;
                    Q_EMIT finished(result);
                });
            } catch (const std::exception& e) {
                const auto* error = dynamic_cast<const Error*>(&e);
                if ((error && error->kind == ErrorKind::Cancelled) || run->cancel.load()) {
                    post([this] {
                        m_running = false;
                        Q_EMIT cancelled();
                    });
                    return;
                }
                QString sentence = QString::fromStdString(e.what());
                if (sentence.isEmpty())
                    sentence = tr("The audit job stopped on an unexpected error.");
                post([this, sentence] {
                    m_running = false;
                    Q_EMIT failed(sentence);
                });
            }
        }));
}

} // namespace eventscope
