#pragma once
// Finds the broken flows of a time range for the Flow tab (DESIGN §6, §9) on a pooled thread with its own
// connection. Reports throttled progress with an ETA and one end, always: finished() with the flows, or failed()
// with a sentence (also when cancelled). A newer start() supersedes an older search, whose end is never reported.

#include "model/broken_flows.h"
#include "storage/conventions.h"

#include <QFuture>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace eventscope {

class BrokenFlowsJob : public QObject
{
    Q_OBJECT

public:
    explicit BrokenFlowsJob(QObject* parent = nullptr);
    // Cancels the searches still going and waits for them: each stops after the page it is reading.
    ~BrokenFlowsJob() override;

    // Searches [since, until] (inclusive; either open), cancelling a search still going.
    void start(const QString& storeUri, std::optional<Micros> since, std::optional<Micros> until,
        const Conventions& conventions);
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    // fraction of the range read (0..1), or -1 when unknown; seconds left, or -1 when unknown. At most every 200 ms.
    void progress(double fraction, double secondsLeft);
    void finished(const std::vector<eventscope::BrokenFlow>& flows);
    void failed(const QString& sentence);

private:
    void work(const std::string& uri, BrokenFlowScanOptions options, std::shared_ptr<std::atomic<bool>> cancel,
        quint64 generation);

    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::vector<QFuture<void>> m_workers; // every search not known to have returned, superseded ones included
    quint64 m_generation = 0;
    bool m_running = false;
};

} // namespace eventscope

Q_DECLARE_METATYPE(eventscope::BrokenFlow)
Q_DECLARE_METATYPE(std::vector<eventscope::BrokenFlow>)
