#pragma once
// What the Flow tab's two drawings share (DESIGN §6, §9): a scene of event boxes that the wheel zooms around the
// cursor and a drag pans, a click on a box that reports the event, a selected event that is ringed and centred,
// a text in the middle when there is nothing to draw, and the colours both drawings use.

#include <QFont>
#include <QGraphicsView>
#include <QPoint>
#include <QRectF>

#include <vector>

class QGraphicsPathItem;

namespace eventscope {

struct Event;

class FlowSceneView : public QGraphicsView
{
    Q_OBJECT

public:
    explicit FlowSceneView(QWidget* parent = nullptr);

    double zoomFactor() const;
    int selectedEvent() const { return m_selected; }
    int eventCount() const { return static_cast<int>(m_eventRects.size()); }
    // An event's box in scene coordinates; a null rectangle for an index that is not drawn.
    QRectF eventRect(int index) const;
    // Rings the event and scrolls it into the middle of the view; -1 clears. Reports nothing: eventClicked() is
    // for the user's clicks.
    void selectEvent(int index);

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void fitAll();

Q_SIGNALS:
    void eventClicked(int eventIndex);

protected:
    // The colours of both drawings, from the widget's palette so that a dark theme reads too.
    struct Colours
    {
        QColor text, mutedText, base, window, stripe, grid, arrow, critical, orphan, selection;
        QColor category(int ordinal) const; // strong tones, ordinal by first appearance
        QColor tint(const QColor& strong) const; // the same tone faded toward the background, for box fills
        bool dark = false;
    };
    Colours colours() const;

    // UTC, to the microsecond: "2024-01-15 14:00:00.012345".
    static QString timeText(qint64 micros);
    // What a box's tooltip says: type, stream and version, position, time, ID, and why it has no drawn cause.
    static QString eventToolTip(const Event& event, bool orphan, bool external);

    // A drawing is built between these two, on canvas(): the scene emptied, each event's box registered for clicks
    // and selection, then the scene's extent set and the view placed (fitted when that leaves it readable). The
    // scene is taken off the view meanwhile: a shown scene tracks every added and removed item for repainting,
    // which doubles the cost of a big flow.
    void beginDrawing();
    QGraphicsScene* canvas() const { return m_canvas; }
    void addEventBox(int index, const QRectF& rect);
    void endDrawing(const QRectF& extent); // extent: everything drawn, in scene coordinates
    // Instead of a drawing: one line in the middle.
    void showMessage(const QString& text);

    // A rounded box with the tone's strip on its left, as both drawings draw an event; returns the box item.
    QGraphicsPathItem* addBoxShape(const QRectF& rect, const QColor& tone, bool critical, bool orphan);
    // A filled arrowhead whose tip is at `tip`, pointing away from `from`.
    void addArrowHead(const QPointF& from, const QPointF& tip, const QPen& pen, qreal z);
    // A small label with a background that keeps it legible over lines, centred at `at`.
    void addTag(const QString& text, const QPointF& at, const QColor& colour, bool bold, qreal z);

    // The tooltip of an event's box; asked for when the mouse rests on it, so a big flow builds no text up front.
    virtual QString toolTipFor(int index) const = 0;
    // Called after every zoom and scroll, for what is painted pinned to the view.
    virtual void viewChanged() { }
    // Below this, a fresh drawing is shown at 100% from its start instead of fitted: text would not read.
    virtual double minimumReadableZoom() const { return 0.6; }

    bool viewportEvent(QEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    void zoomBy(double factor, const QPointF& viewportAnchor);
    void placeFreshDrawing();
    void placeSelectionMark();
    int eventAt(const QPointF& scenePos) const;

    QGraphicsScene* m_canvas;
    std::vector<QRectF> m_eventRects; // by event index; null when not drawn
    QGraphicsPathItem* m_selectionMark = nullptr;
    QFont m_tagFont;
    QFont m_tagBoldFont;
    Qt::Alignment m_drawingAlignment; // the subclass's; a message is centred instead
    bool m_showingMessage = false;
    int m_selected = -1;
    bool m_placementPending = false; // a fresh drawing waits for the view's real size
    QPoint m_pressAt;
    bool m_pressed = false;
};

} // namespace eventscope
