#pragma once
// The States tab of the Projections tab: the partition states of one projection, read a page at a time as the
// table scrolls and searched by partition name or JSON text, with how many there are (or how far a search has
// got) beside the search, and the selected state shown whole as indented JSON below the table.

#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableView;
class QTimer;

namespace eventscope {

class ProjectionStatesModel;

class ProjectionStatesView : public QWidget
{
    Q_OBJECT

public:
    explicit ProjectionStatesView(QWidget* parent = nullptr);

    // The states of projection `name` kept in `targetUri`; an empty name empties the view.
    void showProjection(const QString& targetUri, const QString& name);
    void reload();

    ProjectionStatesModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    QLineEdit* searchEdit() const { return m_search; }
    QPlainTextEdit* stateText() const { return m_state; }
    QLabel* countLabel() const { return m_count; }

private:
    void showSelected();
    void updateCount();

    ProjectionStatesModel* m_model = nullptr;
    QLineEdit* m_search = nullptr;
    QLabel* m_count = nullptr;
    QTableView* m_table = nullptr;
    QPlainTextEdit* m_state = nullptr;
    QTimer* m_searchDelay = nullptr;
};

} // namespace eventscope
