#pragma once
// The Progress tab of the Projections tab: how far a run is (events done of the estimate, position and head,
// events/s, ETA, a bar), its throughput over time, the lines the script logged, and how the run ended.

#include <QElapsedTimer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;

namespace eventscope {

class ThroughputChart;
struct ProjectionProgress;

class ProjectionProgressView : public QWidget
{
    Q_OBJECT

public:
    explicit ProjectionProgressView(QWidget* parent = nullptr);

    // A run of projection `name` starts: `what` says which ("Rebuilding orders").
    void start(const QString& what);
    void showProgress(const ProjectionProgress& progress);
    void appendLog(const QString& line, qint64 position);
    // The run ended; `sentence` says how.
    void finish(const QString& sentence);

    QLabel* stateLabel() const { return m_state; }
    QLabel* eventsLabel() const { return m_events; }
    QLabel* rateLabel() const { return m_rate; }
    QLabel* etaLabel() const { return m_eta; }
    QProgressBar* progressBar() const { return m_bar; }
    ThroughputChart* chart() const { return m_chart; }
    QPlainTextEdit* log() const { return m_log; }

private:
    QLabel* m_state = nullptr;
    QLabel* m_events = nullptr;
    QLabel* m_position = nullptr;
    QLabel* m_rate = nullptr;
    QLabel* m_eta = nullptr;
    QProgressBar* m_bar = nullptr;
    ThroughputChart* m_chart = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QElapsedTimer m_clock;
};

} // namespace eventscope
