#pragma once
// The first page of the window (DESIGN §9): recent stores, the demo store, a SQLite file (also by
// drag-and-drop) and a PostgreSQL connection. It asks for a store to be opened; the window opens it and
// reports back with noteOpened() or setMessage().

#include <QHash>
#include <QWidget>

class QLabel;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace eventscope {

class DemoStoreMaker;
class PasswordVault;

class WelcomePage : public QWidget
{
    Q_OBJECT

public:
    explicit WelcomePage(QWidget* parent = nullptr);

    DemoStoreMaker* demoStoreMaker() const { return m_demo; }
    QListWidget* recentList() const { return m_recent; }

    // Shows an error (or any note) under the buttons; an empty text hides it.
    void setMessage(const QString& text);
    QString message() const;
    // Puts a store that opened at the top of the recent list.
    void noteOpened(const QString& uri, const QString& kind);
    // Reads the recent list from the settings again.
    void reloadRecent();

    // The STORE string for a dropped or chosen file, or empty when it is not a SQLite file.
    static QString sqliteUriFor(const QString& localFile);

    // The buttons' actions, also reachable from the window's File menu.
    void openDemo();
    void connectToPostgres(const QString& startFrom = {});

signals:
    void openRequested(const QString& storeUri);
    void openDemoRequested();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    QPushButton* actionButton(const QIcon& icon, const QString& text, const QString& detail, const char* name);
    void chooseSqliteFile();
    static QString refusal(const QString& file);
    void openRecent(QListWidgetItem* item);
    void openRecentUri(const QString& uri);
    void openPending(const QString& key, const QString& password);
    void recentMenu(const QPoint& position);

    QListWidget* m_recent = nullptr;
    QLabel* m_recentEmpty = nullptr;
    QLabel* m_message = nullptr;
    DemoStoreMaker* m_demo = nullptr;
    PasswordVault* m_vault = nullptr;
    QHash<QString, QString> m_waitingForPassword; // keychain key -> recent PostgreSQL URI
};

} // namespace eventscope
