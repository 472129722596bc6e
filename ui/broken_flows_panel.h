#pragma once
// The Flow tab's *Broken flows* list (DESIGN §6, §9): the correlation IDs of a time range that have orphans,
// searched in a worker with progress and cancel. Choosing one opens its flow at its first orphan.

#include "storage/conventions.h"
#include "storage/event.h"

#include <QWidget>

#include <optional>

class QDateTimeEdit;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace eventscope {

class BrokenFlowsJob;
class BrokenFlowsModel;

class BrokenFlowsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit BrokenFlowsPanel(QWidget* parent = nullptr);

    // An empty URI clears the list and disables the search.
    void setStore(const QString& uri);
    void setConventions(const Conventions& conventions) { m_conventions = conventions; }
    // Empty: that end of the range is open.
    void setRange(std::optional<Micros> since, std::optional<Micros> until);
    void search();
    void cancel();

    BrokenFlowsModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QPushButton* searchButton() const { return m_search; }
    QString statusText() const;

Q_SIGNALS:
    // The user chose a broken flow: its correlation and the ID of its first orphan.
    void flowChosen(const QString& correlation, const QString& firstOrphanId);
    void searchFinished();

private:
    std::optional<Micros> boundOf(const QDateTimeEdit* edit) const;
    void setSearching(bool searching);

    QString m_uri;
    Conventions m_conventions;
    QDateTimeEdit* m_since;
    QDateTimeEdit* m_until;
    QPushButton* m_search;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_status;
    QTableView* m_view;
    BrokenFlowsModel* m_model;
    BrokenFlowsJob* m_job;
};

} // namespace eventscope
