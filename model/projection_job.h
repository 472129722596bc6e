#pragma once
// One projection run for the window (DESIGN §5, §9): a ProjectionRunner on a thread of its own, with its own
// connections to the source and the target (opened there from their URIs), paused, resumed and cancelled from
// the UI thread. What it reports arrives on the thread that owns the job, queued: progress (throttled by the
// runner), the projection's log lines, and one end, finished() or failed(), always.
//
// A live run keeps its thread until cancelled, so the job does not borrow one from the shared pool.

#include "model/audit_record.h"
#include "model/projection_runner.h"

#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

class QThread;

namespace eventscope {

class ProjectionJob : public QObject
{
    Q_OBJECT

public:
    enum class Mode {
        Run, // from the checkpoint (optionally live)
        Rebuild, // reset, then from the start
        ShadowRebuild, // reset a version beside the live one, leaving emitted events out
        Retry, // from the checkpoint, after a fault
        SkipFault, // step over the faulted event, then on
    };

    struct Request
    {
        QString sourceUri;
        QString targetUri; // the source itself for a native store, else a workspace
        QString name; // the live projection's name, also for a shadow rebuild
        QString script;
        Mode mode = Mode::Run;
        bool live = false; // Run and Retry: follow new events once caught up
        std::chrono::milliseconds timeLimit = std::chrono::seconds(10);
        std::chrono::milliseconds progressEvery { 250 };
        std::size_t batchEvents = 1000;
        AuditTool tool = AuditTool::Window;
    };

    explicit ProjectionJob(QObject* parent = nullptr);
    // Cancels a run still going and waits for its thread: the runner stops after its current batch.
    ~ProjectionJob() override;

    // Starts a run; false (and nothing starts) while one is going.
    bool start(const Request& request);
    bool isRunning() const { return m_running; }
    void pause();
    void resume();
    void cancel();
    bool isPaused() const;
    bool isCancelling() const;

    const Request& request() const { return m_request; }
    // The name the runner writes: the shadow's name for a shadow rebuild.
    QString runName() const;

    // The runner's options for a request.
    static ProjectionRunOptions runOptions(const Request& request);
    // The status bar's last word on a run: "Projection X caught up at position P (N events, R events/s)",
    // "… faulted at …", "… was cancelled at …".
    static QString endSentence(const QString& name, const ProjectionRunResult& result);

signals:
    void progress(const eventscope::ProjectionProgress& progress);
    void logLine(const QString& line, qint64 position);
    void finished(const eventscope::ProjectionRunResult& result);
    // The run could not start or stopped on an error that is not the script's fault: one sentence.
    void failed(const QString& sentence);
    void pausedChanged(bool paused);

private:
    void work(const Request& request, std::shared_ptr<ProjectionControl> control);
    void end();

    Request m_request;
    std::shared_ptr<ProjectionControl> m_control;
    QThread* m_thread = nullptr;
    bool m_running = false;
};

} // namespace eventscope

Q_DECLARE_METATYPE(eventscope::ProjectionProgress)
Q_DECLARE_METATYPE(eventscope::ProjectionRunResult)
