#include "ui/event_row_delegate.h"

#include "model/event_table_model.h"

#include <QPainter>

namespace eventscope {

void EventRowDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    if (index.data(EventTableModel::IsNewRole).toBool() && !(option.state & QStyle::State_Selected)) {
        // The palette's highlight, faint, so new rows stand out in light and dark themes alike.
        QColor fresh = option.palette.color(QPalette::Highlight);
        fresh.setAlpha(70);
        painter->fillRect(option.rect, fresh);
    }
    if (!index.data(EventTableModel::IsLoadedRole).toBool())
        opt.palette.setColor(QPalette::Text, option.palette.color(QPalette::PlaceholderText));
    QStyledItemDelegate::paint(painter, opt, index);
}

} // namespace eventscope
