#include "ui/redaction_list_editor.h"

#include "model/redaction.h"
#include "storage/error.h"

#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>

namespace eventscope {

RedactionListEditor::RedactionListEditor(QWidget* parent)
    : QWidget(parent)
    , m_list(new QListWidget(this))
    , m_edit(new QLineEdit(this))
    , m_add(new QPushButton(tr("Add"), this))
    , m_remove(new QPushButton(tr("Remove"), this))
    , m_error(new QLabel(this))
{
    m_list->setObjectName(QStringLiteral("auditRedactions"));
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setMinimumHeight(48);
    m_list->setMaximumHeight(120);
    m_edit->setObjectName(QStringLiteral("auditRedactionPath"));
    m_edit->setPlaceholderText(tr("data.cardNumber"));
    m_edit->setToolTip(tr("A path into data or metadata: data.card.number, metadata.ip, data.lines[*].pan. Its "
                          "values become \"[redacted]\" in exports."));
    m_add->setObjectName(QStringLiteral("auditRedactionAdd"));
    m_remove->setObjectName(QStringLiteral("auditRedactionRemove"));
    m_remove->setEnabled(false);
    m_error->setObjectName(QStringLiteral("auditRedactionError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();

    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 0, 0);
    layout->addWidget(m_add, 0, 1);
    layout->addWidget(m_list, 1, 0, 2, 1);
    layout->addWidget(m_remove, 1, 1, Qt::AlignTop);
    layout->addWidget(m_error, 3, 0, 1, 2);
    layout->setRowStretch(2, 1);

    connect(m_add, &QPushButton::clicked, this, &RedactionListEditor::addPath);
    connect(m_edit, &QLineEdit::returnPressed, this, &RedactionListEditor::addPath);
    connect(m_edit, &QLineEdit::textEdited, m_error, &QLabel::hide);
    connect(m_list, &QListWidget::itemSelectionChanged, this,
        [this] { m_remove->setEnabled(!m_list->selectedItems().isEmpty()); });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        qDeleteAll(m_list->selectedItems());
        Q_EMIT changed();
    });
}

std::vector<std::string> RedactionListEditor::paths() const
{
    std::vector<std::string> paths;
    for (int row = 0; row < m_list->count(); ++row)
        paths.push_back(m_list->item(row)->text().toStdString());
    return paths;
}

void RedactionListEditor::setPaths(const std::vector<std::string>& paths)
{
    m_list->clear();
    for (const std::string& path : paths)
        m_list->addItem(QString::fromStdString(path));
    m_error->hide();
    Q_EMIT changed();
}

bool RedactionListEditor::addPath()
{
    const QString path = m_edit->text().trimmed();
    if (path.isEmpty())
        return false;
    try {
        Redaction check({ path.toStdString() });
    } catch (const Error& error) {
        m_error->setText(QString::fromStdString(error.what()));
        m_error->show();
        return false;
    }
    if (m_list->findItems(path, Qt::MatchExactly).isEmpty())
        m_list->addItem(path);
    m_edit->clear();
    m_error->hide();
    Q_EMIT changed();
    return true;
}

} // namespace eventscope
