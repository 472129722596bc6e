#pragma once
// What the Flow tab's two drawings share (DESIGN §6, §9): a scene of event boxes that the wheel zooms around the
// cursor and a drag pans, a click on a box that reports the event, a selected event that is ringed and centred,
// a text in the middle when there is nothing to draw, and the colours both drawings use. What is drawn is plain
// data (FlowDrawing) painted by a few layer items, and a click finds its box in a spatial index, so that a flow of
// thousands of events is built and shown at once.

#include "ui/flow_drawing.h"
#include "ui/flow_spatial_index.h"

#include <QGraphicsView>
#include <QPoint>
#include <QRectF>

#include <memory>
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

    // A drawing is built between these two: the old one dropped, each event's box added and registered for clicks
    // and selection, curves and labels added to drawing(), then the scene's extent set and the view placed (fitted
    // when that leaves it readable). titleFont and detailFont are those of the boxes' text.
    void beginDrawing(FlowDrawing::TextLayout layout, const QFont& titleFont, const QFont& detailFont);
    FlowDrawing& drawing() { return *m_drawing; }
    // A rounded box with the tone of its category (by ordinal) on its left, and its text.
    void addEventBox(int index, const QRectF& rect, int category, FlowDrawing::Mark mark, QString title, QString detail,
        QString note);
    // The dashed arrow into `end` from an event of another flow, `length` long.
    void addExternalStub(const QPointF& end, qreal length);
    void endDrawing(const QRectF& extent); // extent: everything drawn, in scene coordinates
    // Instead of a drawing: one line in the middle.
    void showMessage(const QString& text);

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
    void dropDrawing();
    void zoomBy(double factor, const QPointF& viewportAnchor);
    void placeFreshDrawing();
    void placeSelectionMark();
    int eventAt(const QPointF& scenePos) const;

    QGraphicsScene* m_canvas;
    std::shared_ptr<FlowDrawing> m_drawing; // the one being built, then shared with the layer items
    std::vector<int> m_tones; // the drawing's tone by category ordinal; -1 until used
    std::vector<QRectF> m_eventRects; // by event index; null when not drawn
    FlowSpatialIndex m_eventIndex; // the same, for the box under a point
    QGraphicsPathItem* m_selectionMark = nullptr;
    Qt::Alignment m_drawingAlignment; // the subclass's; a message is centred instead
    bool m_showingMessage = false;
    int m_selected = -1;
    bool m_placementPending = false; // a fresh drawing waits for the view's real size
    QPoint m_pressAt;
    bool m_pressed = false;
};

} // namespace eventscope
