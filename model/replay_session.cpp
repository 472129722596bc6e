#include "model/replay_session.h"

#include "storage/error.h"

#include <QElapsedTimer>
#include <QMetaObject>

namespace eventscope {

struct ReplaySession::Worker
{
    std::unique_ptr<EventStore> store;
    std::unique_ptr<Reducer> reducer;
    std::unique_ptr<ReplayEngine> engine;
    qint64 servedVersion = -1;
    quint64 generation = 0;
};

ReplaySession::ReplaySession(std::string storeUri, QObject* parent)
    : QObject(parent)
    , m_uri(std::move(storeUri))
    , m_context(std::make_unique<QObject>())
    , m_worker(std::make_shared<Worker>())
{
    m_thread.setObjectName(QStringLiteral("replay"));
    m_context->moveToThread(&m_thread);
    m_thread.start();
}

ReplaySession::~ReplaySession()
{
    cancel();
    // The worker's objects (a JavaScript engine among them) are destroyed in their own thread.
    QMetaObject::invokeMethod(
        m_context.get(), [worker = m_worker] { *worker = Worker(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_context.reset();
}

template <typename Job> void ReplaySession::post(Job job)
{
    QMetaObject::invokeMethod(m_context.get(), std::move(job), Qt::QueuedConnection);
}

void ReplaySession::open(const QString& stream, const QString& reducerScript)
{
    if (m_loadCancel)
        *m_loadCancel = true; // a load still running is not wanted any more
    auto cancelToken = std::make_shared<std::atomic<bool>>(false);
    m_loadCancel = cancelToken;
    m_loading = true;
    m_wantedVersion = -1;
    const quint64 generation = ++m_generation;
    post([this, worker = m_worker, uri = m_uri, stream = stream.toStdString(), script = reducerScript.toStdString(),
             generation, cancelToken] {
        QElapsedTimer clock;
        clock.start();
        ReplayTimeline timeline;
        QString error;
        try {
            worker->engine.reset();
            if (!worker->store)
                worker->store = openStore(uri);
            worker->reducer = script.empty() ? makeMergePatchReducer() : makeJsReducer(script);
            auto engine = std::make_unique<ReplayEngine>(*worker->store, stream, *worker->reducer);
            QElapsedTimer throttle;
            throttle.start();
            engine->load([&](std::int64_t done, std::int64_t total) {
                if (throttle.elapsed() >= 100 || done == total) {
                    throttle.restart();
                    QMetaObject::invokeMethod(
                        this, [this, done, total] { emit progress(done, total); }, Qt::QueuedConnection);
                }
                return !cancelToken->load();
            });
            timeline.stream = stream;
            timeline.reducer = worker->reducer->name();
            timeline.points = engine->points();
            timeline.typeNames = engine->typeNames();
            timeline.headVersion = engine->headVersion();
            timeline.failure = engine->loadFailure();
            timeline.drift = engine->snapshotDrift();
            timeline.loadMs = clock.elapsed();
            worker->engine = std::move(engine);
            worker->servedVersion = -1;
            worker->generation = generation;
        } catch (const Error& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            this,
            [this, generation, error, timeline = std::move(timeline)] {
                if (generation != m_generation)
                    return;
                m_loading = false;
                if (error.isEmpty())
                    emit opened(timeline);
                else
                    emit failed(error);
            },
            Qt::QueuedConnection);
    });
}

void ReplaySession::cancel()
{
    if (m_loadCancel)
        *m_loadCancel = true;
}

void ReplaySession::moveTo(qint64 version)
{
    m_wantedVersion = version;
    const quint64 generation = m_generation;
    post([this, worker = m_worker, generation] {
        const qint64 wanted = m_wantedVersion.load();
        if (!worker->engine || worker->generation != generation || wanted < 0 || wanted == worker->servedVersion)
            return; // a newer wish was already served, or nothing is loaded
        worker->servedVersion = wanted;
        ReplayFrame frame;
        QString error;
        try {
            frame = worker->engine->frameAt(wanted);
        } catch (const Error& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            this,
            [this, generation, error, frame = std::move(frame)] {
                if (generation != m_generation)
                    return;
                if (error.isEmpty())
                    emit frameReady(frame);
                else
                    emit failed(error);
            },
            Qt::QueuedConnection);
    });
}

void ReplaySession::compare(qint64 versionA, qint64 versionB)
{
    const quint64 generation = m_generation;
    post([this, worker = m_worker, generation, versionA, versionB] {
        if (!worker->engine || worker->generation != generation)
            return;
        ReplayFrame a;
        ReplayFrame b;
        QString error;
        try {
            a = worker->engine->frameAt(versionA);
            b = worker->engine->frameAt(versionB);
            worker->servedVersion = -1; // the engine's reducer moved: the next move is served afresh
        } catch (const Error& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            this,
            [this, generation, error, a = std::move(a), b = std::move(b)] {
                if (generation != m_generation)
                    return;
                if (error.isEmpty())
                    emit compared(a, b);
                else
                    emit failed(error);
            },
            Qt::QueuedConnection);
    });
}

} // namespace eventscope
