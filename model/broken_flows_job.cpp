#include "model/broken_flows_job.h"

#include "storage/error.h"
#include "storage/event_store.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace eventscope {

namespace {

constexpr qint64 progressEveryMs = 200;

double fractionOf(const FlowScanProgress& progress)
{
    if (progress.lastPosition <= progress.firstPosition || progress.firstPosition == 0)
        return -1;
    const double done
        = double(progress.position - progress.firstPosition) / double(progress.lastPosition - progress.firstPosition);
    return std::clamp(done, 0.0, 1.0);
}

} // namespace

BrokenFlowsJob::BrokenFlowsJob(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<BrokenFlow>();
    qRegisterMetaType<std::vector<BrokenFlow>>();
}

BrokenFlowsJob::~BrokenFlowsJob()
{
    if (m_cancel)
        *m_cancel = true;
    // A worker posts its end to this object: it must be gone before this object is.
    for (QFuture<void>& worker : m_workers)
        worker.waitForFinished();
}

void BrokenFlowsJob::start(
    const QString& storeUri, std::optional<Micros> since, std::optional<Micros> until, const Conventions& conventions)
{
    if (m_cancel)
        *m_cancel = true; // the older search stops after its page; its end is dropped by the generation
    std::erase_if(m_workers, [](const QFuture<void>& worker) { return worker.isFinished(); });
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const quint64 generation = ++m_generation;
    m_running = true;

    BrokenFlowScanOptions options;
    options.since = since;
    options.until = until;
    options.conventions = conventions;
    m_workers.push_back(
        QtConcurrent::run([this, uri = storeUri.toStdString(), options = std::move(options), cancel = m_cancel,
                              generation]() mutable { work(uri, std::move(options), std::move(cancel), generation); }));
}

void BrokenFlowsJob::work(const std::string& uri, BrokenFlowScanOptions options,
    std::shared_ptr<std::atomic<bool>> cancel, quint64 generation)
{
    // Reports reach the job's own thread, queued, and are dropped there once a newer search has started.
    const auto post = [this, generation](auto report) {
        QMetaObject::invokeMethod(
            this,
            [this, generation, report = std::move(report)]() mutable {
                if (generation == m_generation)
                    report();
            },
            Qt::QueuedConnection);
    };
    QElapsedTimer clock;
    clock.start();
    qint64 lastReport = 0;
    options.cancel = cancel.get();
    options.progress = [&](const FlowScanProgress& scanned) {
        const qint64 now = clock.elapsed();
        if (now - lastReport < progressEveryMs)
            return;
        lastReport = now;
        const double fraction = fractionOf(scanned);
        const double secondsLeft = fraction > 0 ? double(now) / 1000.0 * (1.0 - fraction) / fraction : -1.0;
        post([this, fraction, secondsLeft] { emit progress(fraction, secondsLeft); });
    };
    try {
        if (cancel->load())
            throw Error(ErrorKind::Cancelled, "the search for broken flows was cancelled");
        const std::unique_ptr<EventStore> store = openStore(uri);
        // Message DB numbers stream positions from 0; the native stores number versions from 1.
        options.streamPositionsFromZero = store->describe().versionsFromZero;
        std::vector<BrokenFlow> flows = findBrokenFlows(*store, options);
        post([this, flows = std::move(flows)] {
            m_running = false;
            emit finished(flows);
        });
    } catch (const std::exception& e) {
        QString sentence = QString::fromStdString(e.what());
        if (sentence.isEmpty())
            sentence = tr("The search for broken flows stopped on an unexpected error.");
        post([this, sentence] {
            m_running = false;
            emit failed(sentence);
        });
    }
}

void BrokenFlowsJob::cancel()
{
    if (m_running && m_cancel)
        *m_cancel = true;
}

} // namespace eventscope
