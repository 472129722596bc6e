#pragma once
// The Stream tab's timeline: one stream's events across its time span, as ticks coloured by type when they are
// few and as a density histogram when they are many, with a cursor the user clicks, drags or steps to pick the
// version to replay to, two pins for comparing moments and a mark on a version that failed. Painting and
// hit-testing cost O(width), never O(events): a stream may hold a million events.

#include "ui/timeline_axis.h"

#include <QStringList>
#include <QWidget>

#include <optional>
#include <vector>

namespace eventscope {

struct TimelineEvent
{
    qint64 time; // µs since the epoch, UTC
    qint64 version;
    int typeIndex; // into setTypeNames(); also picks the tick's colour
};

class TimelineWidget : public QWidget
{
    Q_OBJECT

public:
    // Index spaces events evenly by their order. Time falls back to it when all events share one instant.
    enum class Axis { Time, Index };
    Q_ENUM(Axis)

    explicit TimelineWidget(QWidget* parent = nullptr);

    // Events sorted by version. The current version is kept if it is still in range, else it is the last event.
    void setEvents(std::vector<TimelineEvent> events);
    const std::vector<TimelineEvent>& events() const { return m_events; }
    void setTypeNames(QStringList names);

    void setAxis(Axis axis);
    Axis axis() const { return m_axis; }
    Axis effectiveAxis() const;
    void setLocalTime(bool local);
    bool isLocalTime() const { return m_localTime; }

    // The cursor sits on an event: a version between two events means the earlier one (the state at it).
    // Setting it does not emit currentVersionChanged(), which reports the user's moves only. Without events,
    // currentVersion() is the version last set, or -1.
    void setCurrentVersion(qint64 version);
    qint64 currentVersion() const;
    void setPins(std::optional<qint64> versionA, std::optional<qint64> versionB);
    void setFailedVersion(std::optional<qint64> version);

    // The zoom range is in the effective axis' units: µs since the epoch (Time), or the versions of the first
    // and last events in view (Index).
    void setZoomRange(qint64 from, qint64 to);
    qint64 zoomFrom() const;
    qint64 zoomTo() const;
    bool isZoomed() const;
    void resetZoom();

    // Where things are, for the Stream tab and tests: the band events are drawn in, an event's x (nullopt when
    // it is out of view), the version a click at x picks, and the axis' labels as they are painted.
    QRect trackRect() const;
    std::optional<int> xForVersion(qint64 version) const;
    std::optional<qint64> versionAt(int x) const;
    QStringList axisLabels() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void currentVersionChanged(qint64 version);
    void zoomChanged(qint64 from, qint64 to);

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    friend class TimelinePainter; // the paintEvent(), split off: it reads the state below
    using AxisMark = TimelineAxis::Mark;
    enum class Drag { None, Cursor, Range, Pan };
    static constexpr int kMarkerBand = 18; // above the track: the cursor's handle and the pins' flags
    static constexpr int kMargin = 6;
    static constexpr int kTickSpacing = 3; // fewer events than one per this many pixels are drawn as ticks

    int count() const { return static_cast<int>(m_events.size()); }
    QRectF contentRect() const;
    double xOf(double coord) const;
    double coordAt(double x) const;
    int indexOfVersion(qint64 version) const; // the last event at or before version; -1 when none is
    int exactIndexOfVersion(qint64 version) const;
    int nearestIndexAt(double x) const;
    void setView(double lo, double hi);
    void viewChanged();
    void zoomAround(double x, double factor);
    void ensureIndexVisible(int index);
    void moveCursorTo(int index, bool byUser);
    QString tooltipText(int index, int columnCount) const;
    std::vector<AxisMark> axisMarks() const;
    const std::vector<int>& bucketStarts() const;

    std::vector<TimelineEvent> m_events;
    TimelineAxis m_scale; // where each event lies along the track, and the stretch in view
    QStringList m_typeNames;
    Axis m_axis = Axis::Time;
    bool m_localTime = false;
    int m_current = -1;
    std::optional<qint64> m_wanted; // the version last set or picked, kept across setEvents()
    std::optional<qint64> m_pinA, m_pinB, m_failed;
    Drag m_drag = Drag::None;
    double m_dragStartX = 0, m_dragX = 0, m_panStartLo = 0;
    int m_hover = -1;
    mutable std::vector<int> m_bucketStarts; // per histogram column, the first event in it; built per zoom
    mutable int m_bucketPx = 3;
    mutable bool m_bucketsDirty = true;
};

} // namespace eventscope
