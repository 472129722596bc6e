#include "ui/json_pane.h"

#include "model/json_tree_model.h"

#include <QAction>
#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace eventscope {
namespace {

void copyText(const QString& text)
{
    QGuiApplication::clipboard()->setText(text);
}

} // namespace

JsonPane::JsonPane(const QString& name, QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);

    m_model = new JsonTreeModel(this);
    m_model->setRootName(name);

    auto* searchRow = new QHBoxLayout;
    searchRow->setSpacing(8);
    m_search = new QLineEdit(this);
    m_search->setObjectName(name + u"Search"_s);
    m_search->setPlaceholderText(tr("Search keys and values"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Enter goes to the next match"));
    m_count = new QLabel(this);
    m_count->setObjectName(name + u"MatchCount"_s);
    m_count->setForegroundRole(QPalette::PlaceholderText);
    m_count->setMinimumWidth(m_count->fontMetrics().horizontalAdvance(u"No matches"_s));
    m_count->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(m_count);
    layout->addLayout(searchRow);
    connect(m_search, &QLineEdit::textChanged, this, &JsonPane::search);
    connect(m_search, &QLineEdit::returnPressed, this, &JsonPane::nextMatch);

    m_tree = new QTreeView(this);
    m_tree->setObjectName(name + u"Tree"_s);
    m_tree->setModel(m_model);
    m_tree->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setTextElideMode(Qt::ElideRight);
    m_tree->setIndentation(14);
    QHeaderView* header = m_tree->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(JsonTreeModel::Key, QHeaderView::Interactive);
    header->setSectionResizeMode(JsonTreeModel::Value, QHeaderView::Stretch);
    header->setSectionResizeMode(JsonTreeModel::Type, QHeaderView::ResizeToContents);
    layout->addWidget(m_tree, 1);

    auto treeAction = [&](const QString& text, const QKeySequence& shortcut, auto&& slot) {
        auto* action = new QAction(text, m_tree);
        action->setShortcut(shortcut);
        action->setShortcutContext(Qt::WidgetShortcut);
        connect(action, &QAction::triggered, this, slot);
        m_tree->addAction(action);
        return action;
    };
    treeAction(tr("Copy value"), QKeySequence::Copy, [this] {
        const QModelIndex index = m_tree->currentIndex();
        if (index.isValid())
            copyText(index.data(JsonTreeModel::ValueTextRole).toString());
    })->setObjectName(name + u"CopyValue"_s);
    treeAction(tr("Copy path"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), [this] {
        const QModelIndex index = m_tree->currentIndex();
        if (index.isValid())
            copyText(index.data(JsonTreeModel::PathRole).toString());
    })->setObjectName(name + u"CopyPath"_s);
    treeAction(tr("Copy as JSON"), QKeySequence(), [this] {
        copyText(m_model->toJson(m_tree->currentIndex(), JsonTreeModel::Format::Indented));
    })->setObjectName(name + u"CopySubtree"_s);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(6);
    auto* expand = new QPushButton(tr("Expand all"), this);
    expand->setObjectName(name + u"ExpandAll"_s);
    connect(expand, &QPushButton::clicked, m_tree, &QTreeView::expandAll);
    auto* collapse = new QPushButton(tr("Collapse all"), this);
    collapse->setObjectName(name + u"CollapseAll"_s);
    connect(collapse, &QPushButton::clicked, m_tree, &QTreeView::collapseAll);
    auto* copy = new QPushButton(tr("Copy as JSON"), this);
    copy->setObjectName(name + u"CopyJson"_s);
    copy->setToolTip(tr("Copy the selected node as JSON, or the whole document when nothing is selected"));
    copy->setMinimumWidth(copy->sizeHint().width());
    connect(copy, &QPushButton::clicked, this, [this, copy] { copyAsJson(copy); });
    buttons->addWidget(expand);
    buttons->addWidget(collapse);
    buttons->addStretch(1);
    buttons->addWidget(copy);
    layout->addLayout(buttons);
}

void JsonPane::showChanges(const std::vector<JsonChange>& changes)
{
    // Tints over the palette's base, so that light and dark themes both read.
    const bool dark = palette().base().color().lightness() < 128;
    const auto tint = [dark](QColor colour) {
        colour.setAlpha(dark ? 90 : 55);
        return QBrush(colour);
    };
    m_model->setChangeBackground(JsonTreeModel::Changed, tint(QColor(0xd4, 0xa7, 0x2c)));
    m_model->setChangeBackground(JsonTreeModel::Added, tint(QColor(0x2e, 0xa0, 0x43)));
    m_model->setChangeBackground(JsonTreeModel::ChangedBelow, tint(QColor(0x3d, 0x8b, 0xfd)));
    m_model->setChanges(changes);
    QModelIndex first;
    for (const JsonChange& change : changes) {
        QModelIndex index = m_model->indexForPath(QString::fromStdString(change.path));
        if (!index.isValid())
            continue;
        if (!first.isValid())
            first = index;
        for (QModelIndex parent = index.parent(); parent.isValid(); parent = parent.parent())
            m_tree->expand(parent);
    }
    if (first.isValid())
        m_tree->scrollTo(first);
}

void JsonPane::showJson(const std::string& json)
{
    m_model->setJson(json);
    // Event payloads are mostly small: all of one shows at once; a large one opens its first level only.
    if (m_model->nodeCount() <= 300)
        m_tree->expandAll();
    else
        m_tree->expandToDepth(0);
    m_tree->resizeColumnToContents(JsonTreeModel::Key);
    const int width = m_tree->viewport()->width();
    if (width > 200)
        m_tree->setColumnWidth(JsonTreeModel::Key, std::min(m_tree->columnWidth(JsonTreeModel::Key), width * 2 / 5));
    search();
}

void JsonPane::clear()
{
    m_model->clear();
    m_matches.clear();
}

void JsonPane::search()
{
    const QString text = m_search->text();
    m_matches = m_model->setSearch(text);
    m_current = -1;
    for (const QModelIndex& match : std::as_const(m_matches)) {
        for (QModelIndex parent = match.parent(); parent.isValid(); parent = parent.parent())
            m_tree->expand(parent);
    }
    if (text.isEmpty())
        m_count->clear();
    else if (m_matches.isEmpty())
        m_count->setText(tr("No matches"));
    else
        nextMatch();
}

void JsonPane::nextMatch()
{
    if (m_matches.isEmpty())
        return;
    m_current = (m_current + 1) % int(m_matches.size());
    const QModelIndex match = m_matches.at(m_current);
    // Current, not selected: "Copy as JSON" keeps copying the whole document unless the person picks a node.
    m_tree->selectionModel()->setCurrentIndex(match, QItemSelectionModel::NoUpdate);
    m_tree->scrollTo(match);
    m_count->setText(tr("%1 of %2").arg(m_current + 1).arg(m_matches.size()));
}

void JsonPane::copyAsJson(QPushButton* button)
{
    const QModelIndexList selected = m_tree->selectionModel()->selectedRows(JsonTreeModel::Key);
    copyText(m_model->toJson(selected.isEmpty() ? QModelIndex() : selected.front()));
    button->setText(tr("Copied"));
    QTimer::singleShot(1500, button, [button] { button->setText(JsonPane::tr("Copy as JSON")); });
}

} // namespace eventscope
