#pragma once
// What one of the Flow tab's drawings shows, as plain data: event boxes with their text, causation curves with
// their heads, and small labels over them. A FlowLayerItem paints one layer of it, only the part in view and only
// the detail the zoom lets a person read, so that a flow of thousands of events costs what the boxes on screen
// cost, and building it costs no scene items per event.

#include "ui/flow_spatial_index.h"

#include <QColor>
#include <QFont>
#include <QFontMetricsF>
#include <QHash>
#include <QPainterPath>
#include <QRectF>
#include <QStringList>

#include <vector>

class QPainter;

namespace eventscope {

class FlowDrawing
{
public:
    enum class Layer { Curves, Boxes, Tags }; // bottom to top
    enum class Mark : quint8 { None, Critical, Orphan }; // a box's outline
    enum class Line : quint8 { Plain, Stub, Critical }; // a curve's pen; critical ones over the rest
    enum class TagKind : quint8 { Plain, Critical, Warning }; // a label's colour and weight, in this order on top
    // Corners: the type at the top left, the detail at the bottom left, the note at the bottom right (lanes).
    // Centred: three centred lines, type, detail and note (graph).
    enum class TextLayout : quint8 { Corners, Centred };

    struct Style
    {
        QColor text, mutedText, base, arrow, critical, orphan;
        QFont titleFont, detailFont, tagFont, tagBoldFont;
        TextLayout layout = TextLayout::Corners;
    };

    explicit FlowDrawing(Style style);

    // The colours of one category's boxes; returns the tone to give addBox().
    int addTone(const QColor& strong, const QColor& fill, const QColor& outline);
    // title: the event's type; detail: its stream and version; note: when it happened.
    void addBox(const QRectF& rect, int tone, Mark mark, QString title, QString detail, QString note);
    // A chain of cubic Bézier segments (a start point, then three points each; points left over are joined by
    // straight lines; two points are a straight line), then, when lineToTip, a straight stretch to the tip; and a
    // filled arrowhead whose tip is at `tip`, pointing away from `headFrom`.
    void addCurve(
        const std::vector<QPointF>& points, const QPointF& headFrom, const QPointF& tip, bool lineToTip, Line line);
    // A small label with a background that keeps it legible over lines, centred at `at`.
    void addTag(const QString& text, const QPointF& at, TagKind kind);
    // After the last add: indexes what was added for painting.
    void finish();

    QRectF bounds(Layer layer) const;
    // Paints what of `layer` meets `exposed` (scene coordinates); `lod` is the view's scale.
    void paint(Layer layer, QPainter* painter, const QRectF& exposed, qreal lod) const;
    // Every text the layer shows, in full (a box may show it elided).
    QStringList texts(Layer layer) const;

private:
    struct Tone
    {
        QColor strong, fill, outline;
    };
    struct Box
    {
        QRectF rect;
        int tone = 0;
        Mark mark = Mark::None;
        QString title, detail, note;
        // Elided to the box, and measured, the first time the box is painted legibly.
        mutable QString shownTitle, shownDetail;
        mutable qreal titleWidth = -1, detailWidth = 0, noteWidth = 0;
    };
    struct Curve
    {
        int first = 0; // into m_points
        int count = 0;
        QPointF headFrom, tip;
        bool lineToTip = false;
        Line line = Line::Plain;
        QRectF bounds;
    };
    struct Tag
    {
        QString text;
        QRectF back; // the background; the text sits 3 in and 1 down
        TagKind kind = TagKind::Plain;
    };

    void paintCurves(QPainter* painter, const std::vector<int>& ids, qreal lod) const;
    void paintBoxes(QPainter* painter, const std::vector<int>& ids, qreal lod) const;
    void paintBoxText(QPainter* painter, const Box& box, bool legible) const;
    void paintTags(QPainter* painter, const std::vector<int>& ids, qreal lod) const;
    void layOut(const Box& box) const;
    const QPainterPath& stripOf(const QSizeF& size) const;
    QPainterPath curvePath(const Curve& curve) const;
    static QPolygonF arrowHead(const QPointF& from, const QPointF& tip, qreal penWidth);
    static qreal penWidth(Line line);

    Style m_style;
    std::vector<Tone> m_tones;
    std::vector<Box> m_boxes;
    std::vector<Curve> m_curves;
    std::vector<QPointF> m_points;
    std::vector<Tag> m_tags;
    FlowSpatialIndex m_boxIndex, m_curveIndex, m_tagIndex;
    QFontMetricsF m_titleMetrics, m_detailMetrics, m_tagMetrics;
    qreal m_tagHeight = 0;
    QHash<QString, qreal> m_tagWidths[2]; // plain and bold: flows repeat a few gaps thousands of times
    mutable QHash<QString, QPair<QString, qreal>> m_elidedTitles; // by type and room: elided, and its width
    mutable QHash<quint64, QPainterPath> m_strips; // by box size
};

} // namespace eventscope
