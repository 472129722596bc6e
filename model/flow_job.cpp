#include "model/flow_job.h"

#include "model/flow_collector.h"
#include "storage/error.h"
#include "storage/event_store.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace eventscope {

namespace {

constexpr qint64 progressEveryMs = 200;

} // namespace

FlowJob::FlowJob(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<std::shared_ptr<const FlowResult>>();
}

FlowJob::~FlowJob()
{
    cancel();
    // The worker posts its end to this object; it must not outlive it.
    for (QFuture<void>& future : m_futures)
        future.waitForFinished();
}

void FlowJob::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void FlowJob::start(const QString& storeUri, const QString& correlation, const Conventions& conventions)
{
    cancel();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const quint64 generation = ++m_generation;
    m_running = true;
    m_futures.removeIf([](const QFuture<void>& future) { return future.isFinished(); });
    m_futures.append(QtConcurrent::run([this, generation, cancelToken = m_cancel, uri = storeUri.toStdString(),
                                           id = correlation.trimmed().toStdString(), conventions] {
        auto result = std::make_shared<FlowResult>();
        QString failure;
        try {
            const auto store = openStore(uri);
            FlowCollectOptions options;
            options.conventions = conventions;
            options.streamPositionsFromZero = store->describe().versionsFromZero;
            options.cancel = cancelToken.get();
            QElapsedTimer clock;
            clock.start();
            qint64 lastReport = -progressEveryMs;
            options.progress = [&](const FlowScanProgress& scan) {
                if (clock.elapsed() - lastReport < progressEveryMs)
                    return;
                lastReport = clock.elapsed();
                const auto span = static_cast<double>(scan.lastPosition - scan.firstPosition + 1);
                const double fraction
                    = span > 0 ? std::clamp((scan.position - scan.firstPosition + 1) / span, 0.0, 1.0) : -1;
                const double secondsLeft = fraction > 0.01 ? clock.elapsed() / 1000.0 * (1 - fraction) / fraction : -1;
                const auto found = static_cast<qint64>(scan.eventsFound);
                QMetaObject::invokeMethod(
                    this,
                    [this, generation, found, fraction, secondsLeft] {
                        if (generation == m_generation)
                            Q_EMIT this->progress(found, fraction, secondsLeft);
                    },
                    Qt::QueuedConnection);
            };
            result->graph = collectFlow(*store, id, options);
        } catch (const Error& error) {
            failure = QString::fromStdString(error.what());
        } catch (const std::exception& error) {
            failure = QStringLiteral("the flow could not be loaded: ") + QString::fromStdString(error.what());
        }
        const auto report = [this, generation](auto deliver) {
            QMetaObject::invokeMethod(
                this,
                [this, generation, deliver] {
                    if (generation == m_generation)
                        deliver();
                },
                Qt::QueuedConnection);
        };
        if (!failure.isEmpty() || cancelToken->load()) {
            const QString sentence = failure.isEmpty() ? QStringLiteral("the flow was cancelled") : failure;
            report([this, sentence] {
                m_running = false;
                Q_EMIT failed(sentence);
            });
            return;
        }
        report([this, collected = std::shared_ptr<const FlowResult>(std::make_shared<FlowResult>(*result))] {
            Q_EMIT finished(collected);
        });
        try {
            result->layout = layoutFlow(result->graph);
        } catch (const std::exception& error) {
            result->layoutError = QString::fromStdString(error.what());
        }
        result->laidOut = true;
        report([this, laidOut = std::shared_ptr<const FlowResult>(std::move(result))] {
            m_running = false;
            Q_EMIT this->laidOut(laidOut);
        });
    }));
}

} // namespace eventscope
