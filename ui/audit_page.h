#pragma once
// The Audit tab (DESIGN §7, §9): a question by actor, time range, stream or category and types; its events in a
// paged table and per day in a chart; saved questions kept beside the store's workspace; exports (CSV, NDJSON, a
// PDF report) with redaction, progress and cancel; and the integrity checks. Every long step runs in a worker.

#include "model/audit_export.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace eventscope {

struct AuditJobResult;
struct Event;
class AuditChartView;
class AuditJob;
class AuditQueryForm;
class EventTableModel;
class IntegrityPanel;
class RedactionListEditor;
class SavedAuditQueries;
class WindowedTableView;

class AuditPage : public QWidget
{
    Q_OBJECT

public:
    explicit AuditPage(QWidget* parent = nullptr);
    ~AuditPage() override;

    // An empty URI closes the page. A read-only (foreign) store keeps Eventscope's own records in its workspace
    // (`workspacePath`), where "Eventscope's own writes" reads them; it cannot be verified or sealed here.
    void setStore(const QString& uri, bool readOnly, const QString& workspacePath);
    // Whether the user may write to the store (admin mode), and whether it is marked production: Seal… needs both.
    void setWritable(bool writable, bool production);

    // Runs the form's query: the table, the count and the chart follow.
    void run();
    // Exports the form's query with the redaction list, as the Export… button does once its dialog is answered.
    void exportTo(const QString& path, AuditFormat format);
    void cancelExport();
    bool isExporting() const;
    // Saves the form and the redaction list under `name` (replacing one of that name); false with a message when
    // the file cannot be written or the query cannot be saved.
    bool saveQueryAs(const QString& name);
    void loadSavedQuery(const QString& name);
    void deleteSavedQuery(const QString& name);

    AuditQueryForm* form() const { return m_form; }
    RedactionListEditor* redactions() const { return m_redactions; }
    AuditChartView* chart() const { return m_chart; }
    IntegrityPanel* integrity() const { return m_integrity; }
    EventTableModel* resultsModel() const { return m_model.get(); }
    WindowedTableView* resultsView() const { return m_table; }
    QComboBox* savedQueriesBox() const { return m_saved; }
    QString statusText() const;
    QString exportText() const;

Q_SIGNALS:
    void eventSelected(const eventscope::Event& event);
    void message(const QString& text);
    void exportEnded(); // finished, failed or cancelled: exportText() says which

private:
    QWidget* makeToolbar();
    QWidget* makeExportBox();
    void chooseExport();
    void askSaveName();
    void reloadSavedQueries(const QString& select = {});
    void updateSavedButtons();
    QString uriFor(const AuditQuery& query) const;
    void attachModel(const QString& uri);
    void takeSummary(const std::shared_ptr<const AuditJobResult>& result);
    void takeExport(const std::shared_ptr<const AuditJobResult>& result);
    void setExporting(bool exporting);
    void showExportText(const QString& text, bool good);
    void showStatus(const QString& text, bool error = false);

    AuditQueryForm* m_form;
    QPushButton* m_run;
    QLabel* m_status;
    QComboBox* m_saved;
    QPushButton* m_saveButton;
    QPushButton* m_deleteButton;
    WindowedTableView* m_table;
    AuditChartView* m_chart;
    RedactionListEditor* m_redactions;
    QPushButton* m_export;
    QProgressBar* m_exportProgress;
    QLabel* m_exportEta;
    QPushButton* m_exportCancel;
    QLabel* m_exportText;
    IntegrityPanel* m_integrity;
    AuditJob* m_queryJob;
    AuditJob* m_exportJob;
    std::unique_ptr<EventTableModel> m_model;
    std::unique_ptr<SavedAuditQueries> m_savedQueries;
    QString m_uri;
    QString m_modelUri;
    QString m_workspace;
    bool m_readOnly = false;
    QString m_shownId;
    QString m_exportPath;
};

} // namespace eventscope
