#include "ui/type_picker.h"

#include "model/store_catalog.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMouseEvent>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace eventscope {

TypePicker::TypePicker(QWidget* anchor, QWidget* parent)
    : QFrame(parent, Qt::Popup)
    , m_anchor(anchor)
{
    setObjectName(QStringLiteral("typesPopup"));
    setFrameShape(QFrame::StyledPanel);
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("typeSearch"));
    m_search->setPlaceholderText(tr("Search types"));
    m_search->setClearButtonEnabled(true);
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("typesList"));
    m_list->setUniformItemSizes(true);
    auto* allButton = new QPushButton(tr("All types"), this);
    allButton->setObjectName(QStringLiteral("allTypesButton"));
    allButton->setAutoDefault(false);
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("typesCount"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_search);
    layout->addWidget(m_list);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_count, 1);
    bottom->addWidget(allButton);
    layout->addLayout(bottom);

    connect(m_list, &QListWidget::itemChanged, this, &TypePicker::updateCount);
    connect(m_search, &QLineEdit::textChanged, this, &TypePicker::filter);
    // Enter in the search field ticks the one type it leaves visible; the popup then closes as on any Enter.
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        QList<QListWidgetItem*> visible;
        for (int i = 0; i < m_list->count() && visible.size() < 2; ++i) {
            if (!m_list->item(i)->isHidden())
                visible.append(m_list->item(i));
        }
        if (visible.size() == 1)
            visible.front()->setCheckState(Qt::Checked);
    });
    connect(allButton, &QPushButton::clicked, this, [this] {
        for (int i = 0; i < m_list->count(); ++i)
            m_list->item(i)->setCheckState(Qt::Unchecked);
    });
    updateCount();
}

void TypePicker::setCatalog(StoreCatalog* catalog)
{
    m_catalog = catalog;
}

void TypePicker::updateCount()
{
    int checked = 0;
    for (int i = 0; i < m_list->count(); ++i)
        checked += m_list->item(i)->checkState() == Qt::Checked;
    QString text = checked == 0 ? tr("None ticked: all types are shown") : tr("%n ticked", nullptr, checked);
    if (m_catalog && m_catalog->typesTruncated())
        text += tr(" (the first %1 types)").arg(StoreCatalog::maxEntries);
    m_count->setText(text);
}

void TypePicker::popUp(const QStringList& chosen)
{
    fill(chosen);
    m_search->clear();
    // As tall as the list needs, within reason: four types do not deserve a tall empty box.
    const int rows = std::clamp(static_cast<int>(m_list->count()), 6, 16);
    const int rowHeight = parentWidget() ? parentWidget()->fontMetrics().height() : fontMetrics().height();
    m_list->setFixedHeight(rows * std::max(m_list->sizeHintForRow(0), rowHeight + 2) + 2 * m_list->frameWidth());
    adjustSize();
    resize(std::max(300, m_anchor->width()), sizeHint().height());
    move(m_anchor->mapToGlobal(QPoint(0, m_anchor->height())));
    show();
    m_search->setFocus(Qt::PopupFocusReason);
}

void TypePicker::fill(const QStringList& chosen)
{
    m_chosen = chosen;
    QStringList names = m_catalog ? m_catalog->types() : QStringList();
    names += chosen;
    names.sort();
    names.removeDuplicates();
    const QSignalBlocker blocker(m_list);
    m_list->clear();
    for (const QString& name : std::as_const(names)) {
        auto* item = new QListWidgetItem(name, m_list);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        item->setCheckState(chosen.contains(name) ? Qt::Checked : Qt::Unchecked);
    }
    filter(m_search->text());
    updateCount();
}

void TypePicker::filter(const QString& text)
{
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem* item = m_list->item(i);
        item->setHidden(!item->text().contains(text, Qt::CaseInsensitive));
    }
}

QStringList TypePicker::ticked() const
{
    QStringList chosen;
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->checkState() == Qt::Checked)
            chosen.append(m_list->item(i)->text());
    }
    return chosen;
}

bool TypePicker::event(QEvent* event)
{
    if (event->type() == QEvent::Hide) {
        emit closed(ticked());
    } else if (event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            hide();
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            fill(m_chosen); // Escape forgets the ticks of this visit
            hide();
            return true;
        }
    } else if (event->type() == QEvent::MouseButtonPress) {
        // A click on the button that closes the popup must not open it again at once.
        const auto* mouse = static_cast<QMouseEvent*>(event);
        const QPoint onButton = m_anchor->mapFromGlobal(mouse->globalPosition().toPoint());
        setAttribute(Qt::WA_NoMouseReplay, m_anchor->rect().contains(onButton));
    }
    return QFrame::event(event);
}

} // namespace eventscope
