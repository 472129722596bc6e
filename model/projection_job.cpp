#include "model/projection_job.h"

#include "model/projection_details.h"
#include "storage/error.h"
#include "storage/event_store.h"

#include <QThread>

#include <cmath>

namespace eventscope {

ProjectionJob::ProjectionJob(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<ProjectionProgress>();
    qRegisterMetaType<ProjectionRunResult>();
}

ProjectionJob::~ProjectionJob()
{
    if (m_control)
        m_control->cancel();
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

ProjectionRunOptions ProjectionJob::runOptions(const Request& request)
{
    ProjectionRunOptions options;
    options.name = request.name.toStdString();
    options.script = request.script.toStdString();
    options.timeLimit = request.timeLimit;
    options.progressEvery = request.progressEvery;
    options.batchEvents = std::max<std::size_t>(1, request.batchEvents);
    options.tool = request.tool;
    options.status = projection_status::running;
    switch (request.mode) {
    case Mode::Run:
    case Mode::Retry:
        options.live = request.live;
        break;
    case Mode::Rebuild:
        options.reset = true;
        options.status = projection_status::rebuilding;
        break;
    case Mode::ShadowRebuild:
        options.name = shadowName(options.name);
        options.reset = true;
        options.writeEmitted = false; // the live version wrote them already
        options.status = projection_status::rebuilding;
        break;
    case Mode::SkipFault:
        options.skipFault = true;
        break;
    }
    return options;
}

QString ProjectionJob::runName() const
{
    return m_request.mode == Mode::ShadowRebuild ? QString::fromStdString(shadowName(m_request.name.toStdString()))
                                                 : m_request.name;
}

bool ProjectionJob::start(const Request& request)
{
    if (m_running)
        return false;
    if (m_thread) {
        // The last run has told its end already; its thread is returning.
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    }
    m_request = request;
    m_control = std::make_shared<ProjectionControl>();
    m_running = true;
    m_thread = QThread::create([this, request, control = m_control] { work(request, control); });
    m_thread->setObjectName(QStringLiteral("projection ") + request.name);
    m_thread->start();
    return true;
}

void ProjectionJob::work(const Request& request, std::shared_ptr<ProjectionControl> control)
{
    // Every report is handed to the job's own thread: the UI never sees a signal from this one.
    const auto post = [this](auto&& report) { QMetaObject::invokeMethod(this, report, Qt::QueuedConnection); };
    try {
        const std::string sourceUri = request.sourceUri.toStdString();
        const std::string targetUri = request.targetUri.toStdString();
        std::unique_ptr<EventStore> source = openStore(sourceUri);
        // A workspace is ours to create; a native store is the source itself, on a second connection.
        std::unique_ptr<EventStore> target = openStore(targetUri, targetUri != sourceUri);
        ProjectionRunner runner(*source, *target, runOptions(request));
        const ProjectionRunResult result = runner.run(
            *control,
            [&](const ProjectionProgress& progress) {
                post([this, progress] {
                    if (m_running)
                        emit this->progress(progress);
                });
            },
            [&](const std::string& line, std::int64_t position) {
                post([this, text = QString::fromStdString(line), position] {
                    if (m_running)
                        emit logLine(text, position);
                });
            });
        post([this, result] {
            m_running = false;
            emit finished(result);
        });
    } catch (const std::exception& e) {
        QString sentence = QString::fromStdString(e.what());
        if (sentence.isEmpty())
            sentence = tr("The projection %1 stopped on an unexpected error.").arg(request.name);
        post([this, sentence] {
            m_running = false;
            emit failed(sentence);
        });
    }
}

void ProjectionJob::pause()
{
    if (!m_running || !m_control || m_control->paused())
        return;
    m_control->pause();
    emit pausedChanged(true);
}

void ProjectionJob::resume()
{
    if (!m_control || !m_control->paused())
        return;
    m_control->resume();
    emit pausedChanged(false);
}

void ProjectionJob::cancel()
{
    if (m_running && m_control)
        m_control->cancel();
}

bool ProjectionJob::isPaused() const
{
    return m_running && m_control && m_control->paused();
}

bool ProjectionJob::isCancelling() const
{
    return m_running && m_control && m_control->cancelled();
}

QString ProjectionJob::endSentence(const QString& name, const ProjectionRunResult& result)
{
    const QString events = result.eventsDone == 1 ? tr("1 event") : tr("%1 events").arg(result.eventsDone);
    const qint64 rate = result.seconds > 0 ? std::llround(double(result.eventsDone) / result.seconds) : 0;
    const QString position = QString::number(result.position);
    switch (result.end) {
    case ProjectionRunResult::End::CaughtUp:
        return tr("Projection %1 caught up at position %2 (%3, %4 events/s)").arg(name, position, events).arg(rate);
    case ProjectionRunResult::End::Until:
        return tr("Projection %1 stopped at position %2, the end of its time range (%3, %4 events/s)")
            .arg(name, position, events)
            .arg(rate);
    case ProjectionRunResult::End::Cancelled:
        return tr("Projection %1 was cancelled at position %2 (%3)").arg(name, position, events);
    case ProjectionRunResult::End::Faulted:
        return result.fault ? tr("Projection %1 faulted %2").arg(name, QString::fromStdString(result.fault->describe()))
                            : tr("Projection %1 faulted at position %2").arg(name, position);
    }
    return {};
}

} // namespace eventscope
