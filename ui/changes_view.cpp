#include "ui/changes_view.h"

#include <QFontDatabase>
#include <QHeaderView>

namespace eventscope {
namespace {

QString shown(const nlohmann::ordered_json& value)
{
    const std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return QString::fromStdString(text.size() > 300 ? text.substr(0, 300) + "…" : text);
}

} // namespace

ChangesView::ChangesView(QWidget* parent)
    : QTreeWidget(parent)
{
    setColumnCount(4);
    setHeaderLabels({ QString(), tr("Path"), tr("Before"), tr("After") });
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    header()->setStretchLastSection(true);
    header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    setColumnWidth(1, 220);
    setColumnWidth(2, 220);
}

void ChangesView::setChanges(const std::vector<JsonChange>& changes, const QString& emptyText)
{
    clear();
    m_count = static_cast<int>(changes.size());
    if (changes.empty()) {
        auto* item = new QTreeWidgetItem(this, { QString(), emptyText });
        item->setForeground(1, palette().brush(QPalette::PlaceholderText));
        item->setFirstColumnSpanned(true);
        return;
    }
    // Tinted backgrounds over the palette's base read in light and dark themes alike.
    const auto tint = [this](QColor colour) {
        colour.setAlpha(palette().base().color().lightness() < 128 ? 90 : 45);
        return colour;
    };
    for (const JsonChange& change : changes) {
        QString mark;
        QColor colour;
        switch (change.kind) {
        case JsonChange::Kind::Added:
            mark = QStringLiteral("+");
            colour = QColor(0x2e, 0xa0, 0x43);
            break;
        case JsonChange::Kind::Removed:
            mark = QStringLiteral("−");
            colour = QColor(0xd1, 0x24, 0x2f);
            break;
        case JsonChange::Kind::Changed:
            mark = QStringLiteral("~");
            colour = QColor(0xd4, 0xa7, 0x2c);
            break;
        }
        const QString path = change.path.empty() ? tr("(the whole state)") : QString::fromStdString(change.path);
        auto* item = new QTreeWidgetItem(this,
            { mark, path, change.kind == JsonChange::Kind::Added ? QString() : shown(change.before),
                change.kind == JsonChange::Kind::Removed ? QString() : shown(change.after) });
        for (int column = 0; column < 4; ++column)
            item->setBackground(column, tint(colour));
        item->setToolTip(2, item->text(2));
        item->setToolTip(3, item->text(3));
    }
}

} // namespace eventscope
