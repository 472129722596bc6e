#pragma once
// The Stream tab (DESIGN §4, §9): one stream replayed through a reducer, with the timeline slider, play and
// step, jump to a version or a time, the state as a tree with what the current event changed highlighted, the
// before/after diff of that event, two pinned moments compared, and stored snapshots checked for drift. The
// replays run on ReplaySession's worker thread; an error thrown by a reducer shows above the timeline with
// the event that threw it.

#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QFileSystemWatcher;
class QLabel;
class QLineEdit;
class QProgressBar;
class QTabWidget;
class QTimer;
class QToolButton;
class QTreeWidget;

namespace eventscope {

class ChangesView;
class JsonPane;
class ReplaySession;
class SnapshotDriftView;
class TimelineWidget;
struct ReplayFrame;
struct ReplayTimeline;

class StreamPage : public QWidget
{
    Q_OBJECT

public:
    explicit StreamPage(QWidget* parent = nullptr);
    ~StreamPage() override;

    void setStore(const QString& uri);
    // Replays the stream and moves to `version` (default: its last event).
    void openStream(const QString& stream, std::optional<qint64> version = std::nullopt);
    // The reducer for this stream's category: empty for the default merge patch, else a .js file. Remembered.
    void setReducerFile(const QString& path);

    QString stream() const { return m_stream; }
    qint64 currentVersion() const;
    qint64 shownVersion() const { return m_shownVersion; }
    bool isPlaying() const;

    TimelineWidget* timeline() const { return m_timeline; }
    JsonPane* statePane() const { return m_state; }
    ChangesView* diffView() const { return m_diff; }
    ChangesView* compareView() const { return m_compare; }
    QTreeWidget* driftList() const;
    QLabel* errorBanner() const { return m_error; }
    QLineEdit* jumpEdit() const { return m_jump; }

signals:
    void message(const QString& text);
    // A frame was shown: the state at `version`.
    void frameShown(qint64 version);

private:
    QWidget* createHeader();
    QWidget* createTransport();
    void reopen();
    void showTimeline(const ReplayTimeline& timeline);
    void showFrame(const ReplayFrame& frame);
    void showCompared(const ReplayFrame& a, const ReplayFrame& b);
    void moveTo(qint64 version);
    void step(int events);
    void togglePlay();
    void jump();
    void pin(bool first);
    void chooseReducer(int index);
    void fillReducerChoices();
    void showFailure(const QString& text);
    QString category() const;

    QString m_uri;
    QString m_stream;
    QString m_reducerFile;
    QString m_reducerScript;
    std::optional<qint64> m_openAt;
    qint64 m_shownVersion = -1;
    std::optional<qint64> m_pinA;
    std::optional<qint64> m_pinB;
    std::unique_ptr<ReplaySession> m_session;
    std::unique_ptr<ReplayTimeline> m_loaded;

    QLineEdit* m_streamEdit = nullptr;
    QComboBox* m_reducer = nullptr;
    QProgressBar* m_progress = nullptr;
    QToolButton* m_cancel = nullptr;
    QLabel* m_error = nullptr;
    TimelineWidget* m_timeline = nullptr;
    QToolButton* m_play = nullptr;
    QLineEdit* m_jump = nullptr;
    QLabel* m_position = nullptr;
    QLabel* m_pins = nullptr;
    QTabWidget* m_views = nullptr;
    JsonPane* m_state = nullptr;
    ChangesView* m_diff = nullptr;
    ChangesView* m_compare = nullptr;
    SnapshotDriftView* m_drift = nullptr;
    QTimer* m_player = nullptr;
    QFileSystemWatcher* m_watcher = nullptr;
};

} // namespace eventscope
