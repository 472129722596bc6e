#pragma once
// The Events tab (DESIGN §9): every event of the store in a keyset-paged virtual table, under a filter bar,
// with newest or oldest first, UTC or local times, "go to" a position or a time, and the live tail with
// Follow. The selected event goes to the inspector through eventSelected().

#include "storage/event.h"
#include "storage/query.h"

#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QTableView;
class QToolButton;
class QScrollBar;

namespace eventscope {

class EventFilterBar;
class EventTableModel;
class StoreCatalog;
class WindowedTableView;

class EventsPage : public QWidget
{
    Q_OBJECT

public:
    explicit EventsPage(QWidget* parent = nullptr);
    ~EventsPage() override;

    // Shows the events of a store (an empty URI shows nothing). The catalog fills the filter bar's lists.
    void setStore(const QString& uri, StoreCatalog* catalog);
    // Shows the events matching these filters, as if the person had typed them into the bar.
    void showQuery(const EventQuery& query);
    void refresh();
    void focusFilter();
    void focusLocation();
    void setLive(bool live);
    // Jumps to the event of this position (or the next one in the view's order) and selects it.
    void goToPosition(std::int64_t position);

    // The table shows a window of the rows; the scroll bar beside it spans them all.
    QTableView* view() const;
    WindowedTableView* table() const { return m_table; }
    QScrollBar* scrollBar() const;
    EventTableModel* model() const { return m_model.get(); }
    EventFilterBar* filterBar() const { return m_filterBar; }
    QLineEdit* locationEdit() const { return m_location; }
    QToolButton* followButton() const { return m_follow; }
    QToolButton* liveButton() const { return m_live; }

signals:
    void eventSelected(const eventscope::Event& event);
    void headChanged(qint64 head);
    void liveChanged(bool live);
    // A sentence for the status bar: a failed read, a time that does not parse, a position with no event.
    void message(const QString& text);

private:
    QWidget* createToolRow();
    void applyQuery();
    void goToLocation();
    void selectRow(int row);
    void followNewest();
    void updateCount();
    void attachModel();

    QString m_uri;
    EventFilterBar* m_filterBar = nullptr;
    WindowedTableView* m_table = nullptr;
    QToolButton* m_newestFirst = nullptr;
    QToolButton* m_localTime = nullptr;
    QLineEdit* m_location = nullptr;
    QToolButton* m_live = nullptr;
    QToolButton* m_follow = nullptr;
    QLabel* m_count = nullptr;
    QString m_shownId; // the event the inspector was last given
    std::unique_ptr<EventTableModel> m_model;
};

} // namespace eventscope
