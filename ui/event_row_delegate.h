#pragma once
// Paints the Events table's rows: a highlight behind events the live tail just brought, and muted text for
// rows whose event is still being read.

#include <QStyledItemDelegate>

namespace eventscope {

class EventRowDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace eventscope
