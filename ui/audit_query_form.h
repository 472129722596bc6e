#pragma once
// The Audit tab's question (DESIGN §7, §9): who (actor), when (a UTC range, either end open), where (every
// stream, one stream or one category) and what (types), with system streams on request and a shortcut to
// Eventscope's own writes.

#include "model/audit_query.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLineEdit;
class QPushButton;

namespace eventscope {

class AuditQueryForm : public QWidget
{
    Q_OBJECT

public:
    enum Scope { AllStreams, OneStream, OneCategory };

    explicit AuditQueryForm(QWidget* parent = nullptr);

    // The query the form shows. The edits show whole seconds, so "to 14:00:00" includes all of that second.
    // Throws Error(BadInput) for a question that cannot be asked (a range that ends before it starts, a stream
    // or category without a name).
    AuditQuery query() const;
    void setQuery(const AuditQuery& query);
    // Fills the stream field with $eventscope-audit: what Eventscope itself wrote.
    void showOwnWrites();
    // Offered as completions of the types field.
    void setKnownTypes(const QStringList& types);

    QLineEdit* actorEdit() const { return m_actor; }
    QCheckBox* sinceBox() const { return m_sinceOn; }
    QDateTimeEdit* sinceEdit() const { return m_since; }
    QCheckBox* untilBox() const { return m_untilOn; }
    QDateTimeEdit* untilEdit() const { return m_until; }
    QComboBox* scopeBox() const { return m_scope; }
    QLineEdit* scopeEdit() const { return m_scopeName; }
    QLineEdit* typesEdit() const { return m_types; }
    QCheckBox* systemBox() const { return m_system; }
    QPushButton* ownWritesButton() const { return m_ownWrites; }

Q_SIGNALS:
    void runRequested(); // Return pressed in a field

private:
    void updateEnabled();

    QLineEdit* m_actor;
    QCheckBox* m_sinceOn;
    QDateTimeEdit* m_since;
    QCheckBox* m_untilOn;
    QDateTimeEdit* m_until;
    QComboBox* m_scope;
    QLineEdit* m_scopeName;
    QLineEdit* m_types;
    QCheckBox* m_system;
    QPushButton* m_ownWrites;
};

} // namespace eventscope
