#pragma once
// One layer of a Flow tab drawing (curves, boxes or labels) as a single scene item: it paints what of the drawing
// meets the exposed part of the view, so that the scene holds a handful of items whatever the flow's size.

#include "ui/flow_drawing.h"

#include <QGraphicsItem>

#include <memory>

namespace eventscope {

class FlowLayerItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 0x0f10 };

    FlowLayerItem(std::shared_ptr<const FlowDrawing> drawing, FlowDrawing::Layer layer);

    int type() const override { return Type; }
    QRectF boundingRect() const override { return m_bounds; }
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    FlowDrawing::Layer layer() const { return m_layer; }
    QStringList texts() const { return m_drawing->texts(m_layer); } // what it shows, in full

private:
    std::shared_ptr<const FlowDrawing> m_drawing;
    FlowDrawing::Layer m_layer;
    QRectF m_bounds;
};

} // namespace eventscope
