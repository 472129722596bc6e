#pragma once
// Loads one correlation's flow for the window (DESIGN §6, §9) on a pooled thread with its own connection:
// collects the events, joins them and lays the graph out with Graphviz. Reports throttled progress with an ETA
// and one end, always: finished() with an immutable result, or failed() with a sentence (also when cancelled).
// finished() comes as soon as the events are joined, so the swimlanes and the table show at once; the Graphviz
// layout of a big flow takes longer and follows in laidOut(), unless a newer start() superseded it.

#include "model/flow_graph.h"
#include "model/flow_layout.h"
#include "storage/conventions.h"

#include <QFuture>
#include <QList>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace eventscope {

struct FlowResult
{
    FlowGraph graph;
    FlowLayout layout; // empty until laid out (or when Graphviz failed: see layoutError)
    bool laidOut = false;
    QString layoutError;
};

class FlowJob : public QObject
{
    Q_OBJECT

public:
    explicit FlowJob(QObject* parent = nullptr);
    ~FlowJob() override; // cancels a load still going and waits for it; its result is dropped

    // Starts loading, cancelling a load still going (whose end is then never reported).
    void start(const QString& storeUri, const QString& correlation, const Conventions& conventions);
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    // events found so far; fraction of the range read (0..1), or -1 when unknown; seconds left, or -1
    void progress(qint64 eventsFound, double fraction, double secondsLeft);
    void finished(std::shared_ptr<const eventscope::FlowResult> result); // laidOut is false
    // The same flow with its Graphviz layout (or layoutError).
    void laidOut(std::shared_ptr<const eventscope::FlowResult> result);
    void failed(const QString& message);

private:
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QList<QFuture<void>> m_futures; // superseded loads still finishing, and the current one
    quint64 m_generation = 0;
    bool m_running = false;
};

} // namespace eventscope

Q_DECLARE_METATYPE(std::shared_ptr<const eventscope::FlowResult>)
