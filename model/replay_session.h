#pragma once
// The Stream tab's replays, off the UI thread (DESIGN §4, §9): a worker thread owns the store connection, the
// reducer (a JavaScript reducer's engine lives in that thread) and the ReplayEngine. Loads report progress
// and can be cancelled; moves along the timeline are coalesced, so a fast drag asks only for the newest frame.

#include "model/replay_engine.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

namespace eventscope {

struct ReplayTimeline
{
    std::string stream;
    std::string reducer; // the reducer's name: "merge-patch" or "js:…"
    std::vector<StreamPoint> points;
    std::vector<std::string> typeNames;
    std::int64_t headVersion = 0;
    std::optional<ReducerFailure> failure; // the fold stopped here while loading
    std::vector<SnapshotDrift> drift;
    qint64 loadMs = 0;
};

class ReplaySession : public QObject
{
    Q_OBJECT

public:
    explicit ReplaySession(std::string storeUri, QObject* parent = nullptr);
    ~ReplaySession() override;

    // Loads the stream through a reducer: an empty script means the default merge patch. Replaces what was
    // loaded; opened() or failed() follows.
    void open(const QString& stream, const QString& reducerScript = {});
    // Stops a load that is running; failed() then says it was cancelled.
    void cancel();
    // The frame at a version; while the worker is busy only the newest wish is served.
    void moveTo(qint64 version);
    // Two frames, for comparing moments A and B.
    void compare(qint64 versionA, qint64 versionB);
    bool isLoading() const { return m_loading; }

signals:
    void progress(qint64 done, qint64 total);
    void opened(const eventscope::ReplayTimeline& timeline);
    void failed(const QString& message);
    void frameReady(const eventscope::ReplayFrame& frame);
    void compared(const eventscope::ReplayFrame& a, const eventscope::ReplayFrame& b);

private:
    struct Worker;
    template <typename Job> void post(Job job);

    std::string m_uri;
    QThread m_thread;
    std::unique_ptr<QObject> m_context; // lives in m_thread; jobs run in its thread
    std::shared_ptr<Worker> m_worker; // touched only in m_thread
    std::shared_ptr<std::atomic<bool>> m_loadCancel; // the running load's; each load has its own
    std::atomic<qint64> m_wantedVersion = -1;
    quint64 m_generation = 0;
    bool m_loading = false;
};

} // namespace eventscope
