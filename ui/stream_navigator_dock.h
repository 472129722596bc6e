#pragma once
// The stream navigator (DESIGN §9): categories and their streams with event counts and last times, and a filter
// that matches as you type ('*' matches anything). Everything loads lazily through StreamTreeModel, so a store of
// a million streams opens at once.

#include <QDockWidget>
#include <QTimer>

class QLabel;
class QLineEdit;
class QModelIndex;
class QTreeView;

namespace eventscope {

class StreamTreeModel;

class StreamNavigatorDock : public QDockWidget
{
    Q_OBJECT

public:
    explicit StreamNavigatorDock(QWidget* parent = nullptr);
    ~StreamNavigatorDock() override;

    // An empty URI shows nothing.
    void setStore(const QString& uri);
    void refresh();
    // Selects the filter's text and gives it the keyboard, for the window's Find shortcut.
    void focusFilter();

    StreamTreeModel* model() const { return m_model; }
    QTreeView* view() const { return m_view; }
    QLineEdit* filterEdit() const { return m_filter; }
    QString statusText() const;

signals:
    // Double-click or Enter.
    void streamActivated(const QString& stream);
    void categoryActivated(const QString& category);
    void streamSelected(const QString& stream);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void applyFilter();
    void activate(const QModelIndex& index);
    void updateStatus();

    StreamTreeModel* m_model = nullptr;
    QLineEdit* m_filter = nullptr;
    QTreeView* m_view = nullptr;
    QLabel* m_status = nullptr;
    QTimer m_debounce;
    QString m_failure;
    bool m_hasStore = false;
};

} // namespace eventscope
