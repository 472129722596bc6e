#pragma once
// The Fault tab of the Projections tab: the event a projection's handler failed on (with a link that shows it in
// the inspector), what it threw and the JavaScript stack, and the events skipped by hand before.

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTreeWidget;

namespace eventscope {

struct ProjectionSummary;

class ProjectionFaultView : public QWidget
{
    Q_OBJECT

public:
    explicit ProjectionFaultView(QWidget* parent = nullptr);

    // The fault and skipped events of this projection; null shows nothing.
    void showSummary(const ProjectionSummary* summary);
    bool hasFault() const { return m_hasFault; }

    QLabel* eventLabel() const { return m_event; }
    QLabel* showEventLink() const { return m_showEvent; }
    QLabel* messageLabel() const { return m_message; }
    QPlainTextEdit* stackText() const { return m_stack; }
    QTreeWidget* skippedList() const { return m_skipped; }

signals:
    // "Show event" on the faulted event.
    void showEventRequested(const QString& eventId);

private:
    QLabel* m_event = nullptr;
    QLabel* m_showEvent = nullptr;
    QLabel* m_message = nullptr;
    QPlainTextEdit* m_stack = nullptr;
    QTreeWidget* m_skipped = nullptr;
    QString m_eventId; // of the faulted event
    bool m_hasFault = false;
};

} // namespace eventscope
