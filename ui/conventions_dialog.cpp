#include "ui/conventions_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace eventscope {

namespace {

QString joined(const std::vector<std::string>& keys)
{
    QStringList list;
    for (const std::string& key : keys)
        list << QString::fromStdString(key);
    return list.join(QStringLiteral(", "));
}

std::vector<std::string> split(const QLineEdit* edit)
{
    std::vector<std::string> keys;
    for (const QString& key : edit->text().split(u',', Qt::SkipEmptyParts))
        if (!key.trimmed().isEmpty())
            keys.push_back(key.trimmed().toStdString());
    return keys;
}

} // namespace

ConventionsDialog::ConventionsDialog(const Conventions& conventions, QWidget* parent)
    : QDialog(parent)
    , m_correlation(new QLineEdit(this))
    , m_causation(new QLineEdit(this))
    , m_actor(new QLineEdit(this))
    , m_schemaVersion(new QLineEdit(this))
    , m_problem(new QLabel(this))
{
    setWindowTitle(tr("Metadata conventions"));
    auto* intro = new QLabel(tr("The metadata keys this connection reads each field from, separated by commas. "
                                "The first key present in an event wins."),
        this);
    intro->setWordWrap(true);
    auto* form = new QFormLayout;
    form->addRow(tr("&Correlation:"), m_correlation);
    form->addRow(tr("C&ausation:"), m_causation);
    form->addRow(tr("A&ctor:"), m_actor);
    form->addRow(tr("&Schema version:"), m_schemaVersion);
    auto* note = new QLabel(tr("Message DB's causationMessageGlobalPosition and causationMessageStreamName + "
                               "causationMessagePosition are always read as causation by position."),
        this);
    note->setWordWrap(true);
    note->setEnabled(false);
    m_problem->setStyleSheet(QStringLiteral("color: #c62828"));
    auto* buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
        [this] { fill(Conventions::defaults()); });
    for (QLineEdit* edit : { m_correlation, m_causation, m_actor, m_schemaVersion })
        connect(edit, &QLineEdit::textChanged, this, &ConventionsDialog::validate);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    resize(560, sizeHint().height());
    fill(conventions);
}

Conventions ConventionsDialog::conventions() const
{
    Conventions conventions;
    conventions.correlation = split(m_correlation);
    conventions.causation = split(m_causation);
    conventions.actor = split(m_actor);
    conventions.schemaVersion = split(m_schemaVersion);
    return conventions;
}

void ConventionsDialog::fill(const Conventions& conventions)
{
    m_correlation->setText(joined(conventions.correlation));
    m_causation->setText(joined(conventions.causation));
    m_actor->setText(joined(conventions.actor));
    m_schemaVersion->setText(joined(conventions.schemaVersion));
    validate();
}

void ConventionsDialog::validate()
{
    QString problem;
    if (split(m_correlation).empty())
        problem = tr("Name at least one correlation key.");
    else if (split(m_causation).empty())
        problem = tr("Name at least one causation key.");
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_ok->setEnabled(problem.isEmpty());
}

} // namespace eventscope
