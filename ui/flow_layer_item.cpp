#include "ui/flow_layer_item.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace eventscope {

FlowLayerItem::FlowLayerItem(std::shared_ptr<const FlowDrawing> drawing, FlowDrawing::Layer layer)
    : m_drawing(std::move(drawing))
    , m_layer(layer)
    , m_bounds(m_drawing->bounds(layer))
{
    // exposedRect is only filled in with this flag; without it, every repaint would paint the whole layer.
    setFlag(ItemUsesExtendedStyleOption);
    setAcceptedMouseButtons(Qt::NoButton); // clicks are the view's: it finds the box by its own index
    setZValue(layer == FlowDrawing::Layer::Curves ? 1 : layer == FlowDrawing::Layer::Boxes ? 2 : 3);
}

void FlowLayerItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget)
{
    Q_UNUSED(widget)
    const QRectF exposed = option->exposedRect.isEmpty() ? m_bounds : option->exposedRect;
    m_drawing->paint(
        m_layer, painter, exposed, QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform()));
}

} // namespace eventscope
