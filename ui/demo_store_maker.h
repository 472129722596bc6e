#pragma once
// Makes the demo store on first use (DESIGN §9): a native SQLite file in the user's data folder, written by a
// worker on its own connection under a temporary name and renamed when complete, with a progress dialog
// whose Cancel leaves nothing half-written behind.

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>

class QProgressDialog;
class QWidget;

namespace eventscope {

class DemoStoreMaker : public QObject
{
    Q_OBJECT

public:
    // `dialogParent` is the window the progress dialog belongs to.
    explicit DemoStoreMaker(QWidget* dialogParent);
    ~DemoStoreMaker() override;

    // QStandardPaths::AppDataLocation/demo.db unless set otherwise.
    QString path() const { return m_path; }
    void setPath(const QString& path) { m_path = path; }
    qint64 eventCount() const { return m_events; }
    void setEventCount(qint64 events) { m_events = events; }
    bool isRunning() const { return m_watcher.isRunning(); }

    // Emits ready() at once when the file exists; otherwise starts making it.
    void request();
    void cancel();

signals:
    void ready(const QString& storeUri);
    void failed(const QString& message);
    void canceled();

private:
    void finished();

    QWidget* m_dialogParent;
    QString m_path;
    qint64 m_events = 50'000;
    QFutureWatcher<QString> m_watcher; // the result is an error sentence, empty on success
    QPointer<QProgressDialog> m_progress;
};

} // namespace eventscope
