#pragma once
// The Flow tab (DESIGN §6, §9): one correlation ID followed across every stream it touched, as swimlanes, as the
// causation graph Graphviz laid out, and as a table with the gaps; with the broken flows of a time range beside
// it. Loading and exporting run in workers; the page shows their progress, and clicking an event anywhere
// selects it in the other views and reports it for the inspector.

#include "model/flow_exports.h"
#include "storage/conventions.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableView;

namespace eventscope {

struct Event;
struct FlowResult;
class BrokenFlowsPanel;
class FlowGraphView;
class FlowJob;
class FlowLanesView;
class FlowTableModel;

class FlowPage : public QWidget
{
    Q_OBJECT

public:
    explicit FlowPage(QWidget* parent = nullptr);
    ~FlowPage() override;

    // `settingsKey` is where the connection's settings live (its conventions); an empty URI closes the page.
    void setStore(const QString& uri, const QString& settingsKey);
    // Loads a correlation's flow; `selectEventId` is selected once it is shown.
    void showCorrelation(const QString& correlation, const QString& selectEventId = {});
    void setConventions(const Conventions& conventions); // also saved for the connection
    const Conventions& conventions() const { return m_conventions; }

    // Writes the flow on show in `format` to `path` in a worker; exportFinished() tells how it went.
    void exportTo(const QString& path, FlowFormat format);

    std::shared_ptr<const FlowResult> result() const { return m_result; }
    QString summaryText() const;
    QLineEdit* correlationEdit() const { return m_correlation; }
    QComboBox* groupingBox() const { return m_grouping; }
    QTabWidget* views() const { return m_views; }
    FlowLanesView* lanesView() const { return m_lanes; }
    FlowGraphView* graphView() const { return m_graph; }
    QTableView* tableView() const { return m_table; }
    BrokenFlowsPanel* brokenFlows() const { return m_broken; }
    // The event shown selected in every view, -1 for none.
    int selectedEvent() const { return m_selected; }

Q_SIGNALS:
    void eventSelected(const eventscope::Event& event);
    void flowShown(); // a load ended, with a flow or a message
    void graphLaidOut(); // the shown flow's causation graph is drawn
    void exportFinished(const QString& path, const QString& error); // error empty: written
    void message(const QString& text);

private:
    void load();
    void showResult(std::shared_ptr<const FlowResult> result);
    void showFailure(const QString& sentence);
    void selectEvent(int index, bool report);
    void chooseExport();
    void editConventions();
    void setLoading(bool loading);

    QString m_uri;
    QString m_settingsKey;
    Conventions m_conventions;
    QString m_pendingSelection; // an event ID to select when the flow arrives
    std::shared_ptr<const FlowResult> m_result;
    int m_selected = -1;

    QLineEdit* m_correlation;
    QPushButton* m_show;
    QPushButton* m_cancel;
    QComboBox* m_grouping;
    QPushButton* m_export;
    QPushButton* m_conventionsButton;
    QProgressBar* m_progress;
    QLabel* m_summary;
    QTabWidget* m_views;
    FlowLanesView* m_lanes;
    FlowGraphView* m_graph;
    QTableView* m_table;
    FlowTableModel* m_tableModel;
    BrokenFlowsPanel* m_broken;
    FlowJob* m_job;
};

} // namespace eventscope
