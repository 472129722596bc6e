#include "ui/stream_page.h"

#include "model/json_diff.h"
#include "model/replay_session.h"
#include "storage/event.h"
#include "storage/time_format.h"
#include "ui/changes_view.h"
#include "ui/json_pane.h"
#include "ui/snapshot_drift_view.h"
#include "ui/timeline_widget.h"

#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTimeZone>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace eventscope {
namespace {

QToolButton* transportButton(QWidget* parent, QStyle::StandardPixmap icon, const QString& tip, const char* name)
{
    auto* button = new QToolButton(parent);
    button->setIcon(parent->style()->standardIcon(icon));
    button->setToolTip(tip);
    button->setAutoRaise(true);
    button->setObjectName(QLatin1String(name));
    return button;
}

QString reducerKey(const QString& category)
{
    return QStringLiteral("reducers/") + (category.isEmpty() ? QStringLiteral("-") : category);
}

} // namespace

StreamPage::StreamPage(QWidget* parent)
    : QWidget(parent)
    , m_timeline(new TimelineWidget(this))
    , m_state(new JsonPane(QStringLiteral("state"), this))
    , m_diff(new ChangesView(this))
    , m_compare(new ChangesView(this))
    , m_player(new QTimer(this))
    , m_watcher(new QFileSystemWatcher(this))
{
    m_timeline->setObjectName(QStringLiteral("timeline"));
    m_diff->setObjectName(QStringLiteral("diffView"));
    m_compare->setObjectName(QStringLiteral("compareView"));
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("reducerError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral(
        "QLabel { background: rgba(209, 36, 47, 40); border: 1px solid rgba(209, 36, 47, 140); border-radius: 4px; "
        "padding: 6px; }"));
    m_error->hide();

    m_views = new QTabWidget(this);
    m_views->setDocumentMode(true);
    m_views->addTab(m_state, tr("State"));
    m_views->addTab(m_diff, tr("Diff"));
    auto* comparePage = new QWidget(this);
    auto* compareLayout = new QVBoxLayout(comparePage);
    compareLayout->setContentsMargins(0, 6, 0, 0);
    m_pins = new QLabel(tr("Pin two moments with A and B to compare the states."), comparePage);
    m_pins->setObjectName(QStringLiteral("pinsLabel"));
    compareLayout->addWidget(m_pins);
    compareLayout->addWidget(m_compare, 1);
    m_views->addTab(comparePage, tr("Compare"));
    m_drift = new SnapshotDriftView(this);
    m_views->addTab(m_drift, tr("Snapshots"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);
    layout->addWidget(createHeader());
    layout->addWidget(m_error);
    layout->addWidget(m_timeline);
    layout->addWidget(createTransport());
    layout->addWidget(m_views, 1);

    m_player->setInterval(120);
    connect(m_player, &QTimer::timeout, this, [this] {
        if (!m_loaded || currentVersion() >= m_loaded->headVersion) {
            togglePlay();
            return;
        }
        step(1);
    });
    connect(m_timeline, &TimelineWidget::currentVersionChanged, this, &StreamPage::moveTo);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, [this](const QString& path) {
        // Editors save by replacing the file: watch the new one, and replay with the new script.
        if (QFileInfo::exists(path) && !m_watcher->files().contains(path))
            m_watcher->addPath(path);
        if (path == m_reducerFile)
            setReducerFile(path);
    });
}

StreamPage::~StreamPage() = default;

QWidget* StreamPage::createHeader()
{
    auto* row = new QWidget(this);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    m_streamEdit = new QLineEdit(row);
    m_streamEdit->setObjectName(QStringLiteral("streamNameEdit"));
    m_streamEdit->setPlaceholderText(tr("Stream to replay, e.g. account-1003"));
    m_streamEdit->setClearButtonEnabled(true);
    m_reducer = new QComboBox(row);
    m_reducer->setObjectName(QStringLiteral("reducerCombo"));
    m_reducer->setMinimumContentsLength(24);
    m_reducer->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_progress = new QProgressBar(row);
    m_progress->setObjectName(QStringLiteral("loadProgress"));
    m_progress->setMaximumWidth(220);
    m_progress->setFormat(tr("%v of %m events"));
    m_progress->hide();
    m_cancel = new QToolButton(row);
    m_cancel->setText(tr("Cancel"));
    m_cancel->hide();
    layout->addWidget(new QLabel(tr("Stream"), row));
    layout->addWidget(m_streamEdit, 2);
    layout->addSpacing(8);
    layout->addWidget(new QLabel(tr("Reducer"), row));
    layout->addWidget(m_reducer, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_cancel);
    fillReducerChoices();
    connect(m_streamEdit, &QLineEdit::returnPressed, this, [this] { openStream(m_streamEdit->text().trimmed()); });
    connect(m_reducer, &QComboBox::activated, this, &StreamPage::chooseReducer);
    connect(m_cancel, &QToolButton::clicked, this, [this] {
        if (m_session)
            m_session->cancel();
    });
    return row;
}

QWidget* StreamPage::createTransport()
{
    auto* row = new QWidget(this);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* first = transportButton(row, QStyle::SP_MediaSkipBackward, tr("First event (Home)"), "firstButton");
    auto* back = transportButton(row, QStyle::SP_MediaSeekBackward, tr("Step back (Left)"), "backButton");
    m_play = transportButton(row, QStyle::SP_MediaPlay, tr("Play"), "playButton");
    auto* forward = transportButton(row, QStyle::SP_MediaSeekForward, tr("Step forward (Right)"), "forwardButton");
    auto* last = transportButton(row, QStyle::SP_MediaSkipForward, tr("Last event (End)"), "lastButton");
    m_jump = new QLineEdit(row);
    m_jump->setObjectName(QStringLiteral("jumpEdit"));
    m_jump->setPlaceholderText(tr("Version or time"));
    m_jump->setMinimumWidth(170);
    m_jump->setMaximumWidth(240);
    m_jump->setClearButtonEnabled(true);
    auto* pinA = new QToolButton(row);
    pinA->setText(tr("Pin A"));
    pinA->setObjectName(QStringLiteral("pinAButton"));
    auto* pinB = new QToolButton(row);
    pinB->setText(tr("Pin B"));
    pinB->setObjectName(QStringLiteral("pinBButton"));
    m_position = new QLabel(row);
    m_position->setObjectName(QStringLiteral("positionLabel"));
    m_position->setTextInteractionFlags(Qt::TextSelectableByMouse);
    for (QWidget* widget : std::initializer_list<QWidget*> { first, back, m_play, forward, last })
        layout->addWidget(widget);
    layout->addSpacing(8);
    layout->addWidget(m_jump);
    layout->addWidget(pinA);
    layout->addWidget(pinB);
    layout->addSpacing(8);
    layout->addWidget(m_position, 1);
    connect(first, &QToolButton::clicked, this, [this] { step(-1'000'000'000); });
    connect(back, &QToolButton::clicked, this, [this] { step(-1); });
    connect(m_play, &QToolButton::clicked, this, &StreamPage::togglePlay);
    connect(forward, &QToolButton::clicked, this, [this] { step(1); });
    connect(last, &QToolButton::clicked, this, [this] { step(1'000'000'000); });
    connect(m_jump, &QLineEdit::returnPressed, this, &StreamPage::jump);
    connect(pinA, &QToolButton::clicked, this, [this] { pin(true); });
    connect(pinB, &QToolButton::clicked, this, [this] { pin(false); });
    return row;
}

void StreamPage::setStore(const QString& uri)
{
    m_player->stop();
    m_uri = uri;
    m_loaded.reset();
    m_session.reset();
    m_stream.clear();
    m_timeline->setEvents({});
    m_state->clear();
    if (uri.isEmpty())
        return;
    m_session = std::make_unique<ReplaySession>(uri.toStdString());
    connect(m_session.get(), &ReplaySession::opened, this, &StreamPage::showTimeline);
    connect(m_session.get(), &ReplaySession::frameReady, this, &StreamPage::showFrame);
    connect(m_session.get(), &ReplaySession::compared, this, &StreamPage::showCompared);
    connect(m_session.get(), &ReplaySession::progress, this, [this](qint64 done, qint64 total) {
        m_progress->setRange(0, static_cast<int>(std::min<qint64>(total, INT_MAX)));
        m_progress->setValue(static_cast<int>(std::min<qint64>(done, INT_MAX)));
    });
    connect(m_session.get(), &ReplaySession::failed, this, [this](const QString& text) {
        m_progress->hide();
        m_cancel->hide();
        showFailure(text);
        emit message(text);
    });
}

QString StreamPage::category() const
{
    return QString::fromStdString(categoryOf(m_stream.toStdString()));
}

void StreamPage::openStream(const QString& stream, std::optional<qint64> version)
{
    if (!m_session || stream.isEmpty())
        return;
    const bool sameStream = stream == m_stream;
    m_stream = stream;
    m_openAt = version;
    m_streamEdit->setText(stream);
    if (!sameStream) {
        m_pinA.reset();
        m_pinB.reset();
        // The reducer remembered for this category, if its file is still there.
        const QString remembered = QSettings().value(reducerKey(category())).toString();
        m_reducerFile = QFileInfo::exists(remembered) ? remembered : QString();
        fillReducerChoices();
    }
    reopen();
}

void StreamPage::reopen()
{
    m_player->stop();
    m_reducerScript = QString();
    if (!m_reducerFile.isEmpty()) {
        QFile file(m_reducerFile);
        if (!file.open(QIODevice::ReadOnly)) {
            showFailure(tr("Cannot read the reducer %1: %2").arg(m_reducerFile, file.errorString()));
            return;
        }
        m_reducerScript = QString::fromUtf8(file.readAll());
        if (!m_watcher->files().contains(m_reducerFile))
            m_watcher->addPath(m_reducerFile);
    }
    m_error->hide();
    m_progress->setValue(0);
    m_progress->show();
    m_cancel->show();
    m_session->open(m_stream, m_reducerScript);
}

void StreamPage::setReducerFile(const QString& path)
{
    m_reducerFile = path;
    QSettings().setValue(reducerKey(category()), path);
    fillReducerChoices();
    if (!m_stream.isEmpty()) {
        m_openAt = currentVersion() >= 0 ? std::optional<qint64>(currentVersion()) : std::nullopt;
        reopen();
    }
}

void StreamPage::fillReducerChoices()
{
    m_reducer->clear();
    m_reducer->addItem(tr("Merge patch (default)"), QString());
    if (!m_reducerFile.isEmpty()) {
        m_reducer->addItem(QFileInfo(m_reducerFile).fileName(), m_reducerFile);
        m_reducer->setItemData(1, m_reducerFile, Qt::ToolTipRole);
        m_reducer->setCurrentIndex(1);
    }
    m_reducer->addItem(tr("JavaScript file…"), QStringLiteral("?"));
}

void StreamPage::chooseReducer(int index)
{
    const QString choice = m_reducer->itemData(index).toString();
    if (choice == QLatin1String("?")) {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Reducer for %1 streams").arg(category()), QString(), tr("JavaScript (*.js);;All files (*)"));
        if (file.isEmpty()) {
            fillReducerChoices();
            return;
        }
        setReducerFile(file);
        return;
    }
    if (choice != m_reducerFile)
        setReducerFile(choice);
}

void StreamPage::showTimeline(const ReplayTimeline& timeline)
{
    m_progress->hide();
    m_cancel->hide();
    m_loaded = std::make_unique<ReplayTimeline>(timeline);
    std::vector<TimelineEvent> events;
    events.reserve(timeline.points.size());
    for (const StreamPoint& point : timeline.points)
        events.push_back({ point.time, point.version, point.typeIndex });
    QStringList types;
    for (const auto& type : timeline.typeNames)
        types.append(QString::fromStdString(type));
    m_timeline->setTypeNames(types);
    m_timeline->setEvents(std::move(events));
    m_timeline->setFailedVersion(timeline.failure ? std::optional<qint64>(timeline.failure->version) : std::nullopt);
    m_timeline->setPins(m_pinA, m_pinB);
    if (timeline.failure)
        showFailure(tr("The reducer failed at version %1 (%2): %3")
                        .arg(timeline.failure->version)
                        .arg(QString::fromStdString(timeline.failure->type),
                            QString::fromStdString(timeline.failure->message)));

    m_drift->setDrift(timeline.drift);
    emit message(tr("Replayed %1 events of %2 in %3 ms")
                     .arg(QLocale().toString(qint64(timeline.points.size())), m_stream)
                     .arg(timeline.loadMs));
    moveTo(m_openAt.value_or(timeline.headVersion));
    m_openAt.reset();
}

void StreamPage::moveTo(qint64 version)
{
    if (!m_session || !m_loaded)
        return;
    m_timeline->setCurrentVersion(version);
    m_session->moveTo(m_timeline->currentVersion());
}

QTreeWidget* StreamPage::driftList() const
{
    return m_drift->list();
}

qint64 StreamPage::currentVersion() const
{
    return m_timeline->currentVersion();
}

bool StreamPage::isPlaying() const
{
    return m_player->isActive();
}

void StreamPage::step(int events)
{
    const auto& all = m_timeline->events();
    if (all.empty())
        return;
    const auto at = std::lower_bound(all.begin(), all.end(), currentVersion(),
        [](const TimelineEvent& e, qint64 version) { return e.version < version; });
    const qint64 index = std::clamp<qint64>((at - all.begin()) + events, 0, qint64(all.size()) - 1);
    moveTo(all[std::size_t(index)].version);
}

void StreamPage::togglePlay()
{
    if (m_player->isActive()) {
        m_player->stop();
    } else if (m_loaded) {
        if (currentVersion() >= m_loaded->headVersion)
            moveTo(0);
        m_player->start();
    }
    m_play->setIcon(style()->standardIcon(m_player->isActive() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_play->setToolTip(m_player->isActive() ? tr("Pause") : tr("Play"));
}

void StreamPage::jump()
{
    const QString text = m_jump->text().trimmed();
    if (!m_loaded || text.isEmpty())
        return;
    bool isNumber = false;
    const qint64 version = text.toLongLong(&isNumber);
    if (isNumber) {
        moveTo(version);
        return;
    }
    std::optional<Micros> time = tryParseTime(text.toStdString());
    if (!time) {
        QDateTime local = QDateTime::fromString(text, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        if (!local.isValid())
            local = QDateTime::fromString(text, QStringLiteral("yyyy-MM-dd HH:mm"));
        if (local.isValid()) {
            local.setTimeZone(m_timeline->isLocalTime() ? QTimeZone::systemTimeZone() : QTimeZone::utc());
            time = Micros(local.toMSecsSinceEpoch()) * 1000;
        }
    }
    if (!time) {
        emit message(tr("“%1” is neither a version nor a time like 2024-01-15 14:02.").arg(text));
        return;
    }
    // The state at a time: the last event at or before it.
    const auto& points = m_loaded->points;
    const auto after = std::upper_bound(
        points.begin(), points.end(), *time, [](Micros t, const StreamPoint& point) { return t < point.time; });
    moveTo(after == points.begin() ? 0 : std::prev(after)->version);
}

void StreamPage::pin(bool first)
{
    (first ? m_pinA : m_pinB) = currentVersion();
    m_timeline->setPins(m_pinA, m_pinB);
    m_pins->setText(tr("A: %1 · B: %2")
                        .arg(m_pinA ? tr("version %1").arg(*m_pinA) : tr("not pinned"),
                            m_pinB ? tr("version %1").arg(*m_pinB) : tr("not pinned")));
    if (m_pinA && m_pinB && m_session) {
        m_session->compare(*m_pinA, *m_pinB);
        m_views->setCurrentIndex(2);
    }
}

void StreamPage::showCompared(const ReplayFrame& a, const ReplayFrame& b)
{
    m_compare->setChanges(diffJson(parseJsonOrText(a.state), parseJsonOrText(b.state)),
        tr("The states at versions %1 and %2 are the same.").arg(a.version).arg(b.version));
    m_pins->setText(tr("From A (version %1) to B (version %2): %n change(s)", nullptr, m_compare->changeCount())
                        .arg(a.version)
                        .arg(b.version));
}

void StreamPage::showFrame(const ReplayFrame& frame)
{
    m_shownVersion = frame.version;
    const auto before = parseJsonOrText(frame.stateBefore);
    const auto after = parseJsonOrText(frame.state);
    const std::vector<JsonChange> changes = diffJson(before, after);
    m_state->showJson(frame.state);
    m_state->showChanges(changes);
    const QString what = frame.event ? QString::fromStdString(frame.event->type) : tr("the initial state");
    m_diff->setChanges(
        changes, frame.version == 0 ? tr("Before the first event.") : tr("The event changed nothing in the state."));
    if (frame.failure) {
        showFailure(
            tr("The reducer failed at version %1 (%2): %3")
                .arg(frame.failure->version)
                .arg(QString::fromStdString(frame.failure->type), QString::fromStdString(frame.failure->message)));
        m_error->setToolTip(QString::fromStdString(frame.failure->stack));
    } else {
        m_error->hide();
    }
    const qint64 head = m_loaded ? m_loaded->headVersion : 0;
    m_position->setText(frame.event ? tr("Version %1 of %2 · %3 · %4 · %n change(s)", nullptr, int(changes.size()))
                                          .arg(frame.version)
                                          .arg(head)
                                          .arg(what, QString::fromStdString(formatTime(frame.event->time)))
                                    : tr("Before version 1 of %1").arg(head));
    emit frameShown(frame.version);
}

void StreamPage::showFailure(const QString& text)
{
    m_error->setText(text);
    m_error->show();
}

} // namespace eventscope
