#pragma once
// The main window: a welcome page until a store is open, then the events of that store in a keyset-paged
// table, with the store's kind and head position in the status bar.

#include <QMainWindow>

#include <memory>

class QLabel;
class QStackedWidget;
class QTableView;

namespace eventscope {

class EventTableModel;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens the store off the UI thread; the window shows the result when it is known.
    void openStoreAsync(const QString& uri);
    QTableView* eventsView() const { return m_eventsView; }
    EventTableModel* eventsModel() const { return m_model.get(); }

signals:
    void storeOpened(const QString& uri);
    void storeFailed(const QString& message);

private:
    QWidget* createWelcomePage();
    void showStore(const QString& uri, const QString& kind, qint64 head);
    void chooseSqliteFile();

    QStackedWidget* m_pages = nullptr;
    QTableView* m_eventsView = nullptr;
    QLabel* m_storeLabel = nullptr;
    QLabel* m_headLabel = nullptr;
    QLabel* m_welcomeMessage = nullptr;
    std::unique_ptr<EventTableModel> m_model;
};

} // namespace eventscope
