#pragma once
// The inspector dock (DESIGN §9): one event's header fields, its data and metadata as searchable JSON trees,
// and its raw record, with links that open its stream and follow its correlation and causation. It shows what
// it is given; the window decides what the links lead to.

#include "storage/event.h"

#include <QDockWidget>
#include <QHash>

#include <optional>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;

namespace eventscope {

class JsonHighlighter;
class JsonPane;
class JsonTreeModel;

class InspectorDock : public QDockWidget
{
    Q_OBJECT

public:
    explicit InspectorDock(QWidget* parent = nullptr);
    ~InspectorDock() override;

    // Named so because QWidget::showEvent() exists.
    void inspect(const Event& event);
    void clear();
    const std::optional<Event>& inspected() const { return m_event; }
    JsonTreeModel* dataModel() const;
    JsonTreeModel* metadataModel() const;

signals:
    void openStreamRequested(const QString& stream);
    void showCorrelationRequested(const QString& correlationId);
    // The correlation's flow across streams (the Flow tab).
    void showFlowRequested(const QString& correlationId);
    // Every event caused by the same event as this one.
    void showCausationRequested(const QString& causationId);
    // The causing event itself.
    void goToEventRequested(const QString& eventId);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    // A value label shows as much of its text as fits and the whole of it in its tooltip.
    struct Field
    {
        QString text;
        bool link = false;
    };

    QWidget* createHeader();
    QLabel* addValue(const QString& name, bool link = false);
    QLabel* addActionLink(const QString& name, const QString& text, const QString& toolTip);
    void setActionLink(QLabel* label, const QString& text);
    void setField(QLabel* label, const QString& text, bool link = false);
    void elide(QLabel* label);
    void applyPalette();
    QString rawText() const;

    std::optional<Event> m_event;
    QStackedWidget* m_pages = nullptr;
    QLabel* m_type = nullptr;
    QLabel* m_stream = nullptr;
    QLabel* m_position = nullptr;
    QLabel* m_version = nullptr;
    QLabel* m_timeUtc = nullptr;
    QLabel* m_timeLocal = nullptr;
    QLabel* m_id = nullptr;
    QLabel* m_flowLink = nullptr;
    QLabel* m_correlation = nullptr;
    QLabel* m_causation = nullptr;
    QLabel* m_sameCause = nullptr;
    QLabel* m_actor = nullptr;
    QLabel* m_schemaVersion = nullptr;
    JsonPane* m_data = nullptr;
    JsonPane* m_metadata = nullptr;
    QPlainTextEdit* m_raw = nullptr;
    JsonHighlighter* m_highlighter = nullptr;
    QHash<QLabel*, Field> m_fields;
    QHash<QLabel*, QString> m_actions; // links that act on the event rather than show a field
};

} // namespace eventscope
