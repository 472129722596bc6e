#pragma once
// Edits one connection's conventions (DESIGN §2): the metadata keys that name an event's correlation, causation,
// actor and schema version, first present wins. Each list is typed as keys separated by commas.

#include "storage/conventions.h"

#include <QDialog>

class QLineEdit;
class QLabel;
class QPushButton;

namespace eventscope {

class ConventionsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ConventionsDialog(const Conventions& conventions, QWidget* parent = nullptr);
    Conventions conventions() const;

    QLineEdit* correlationEdit() const { return m_correlation; }
    QLineEdit* causationEdit() const { return m_causation; }

private:
    void fill(const Conventions& conventions);
    void validate();

    QLineEdit* m_correlation;
    QLineEdit* m_causation;
    QLineEdit* m_actor;
    QLineEdit* m_schemaVersion;
    QLabel* m_problem;
    QPushButton* m_ok = nullptr;
};

} // namespace eventscope
