#include "ui/mapping_editor.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStyle>
#include <QVBoxLayout>

namespace eventscope {
namespace {

constexpr int kRowsPerColumn = 7; // the fourteen roles in two columns; the ones the events need come first

} // namespace

MappingEditor::MappingEditor(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);

    auto* tableRow = new QHBoxLayout;
    m_tableRow = tableRow;
    tableRow->setSpacing(8);
    auto* tableLabel = new QLabel(tr("&Table:"), this);
    m_tableLabel = tableLabel;
    m_table = new QLineEdit(this);
    m_table->setObjectName(QStringLiteral("mappingTableEdit"));
    m_table->setPlaceholderText(tr("events, or schema.events"));
    m_table->setToolTip(tr("The table that holds the events. Without a schema it is looked for in public."));
    tableLabel->setBuddy(m_table);
    m_read = new QPushButton(tr("&Read columns"), this);
    m_read->setObjectName(QStringLiteral("readColumnsButton"));
    m_read->setAutoDefault(false);
    tableRow->addWidget(tableLabel);
    tableRow->addWidget(m_table, 1);
    tableRow->addWidget(m_read);
    layout->addLayout(tableRow);

    auto* statusRow = new QHBoxLayout;
    statusRow->setSpacing(8);
    m_statusIcon = new QLabel(this);
    m_statusIcon->setObjectName(QStringLiteral("mappingStatusIcon"));
    m_statusIcon->setFixedSize(16, 16);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("mappingStatusLabel"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusRow->addWidget(m_statusIcon, 0, Qt::AlignTop);
    statusRow->addWidget(m_status, 1);
    layout->addLayout(statusRow);

    m_columnsBox = new QGroupBox(tr("Columns"), this);
    m_columnsBox->setObjectName(QStringLiteral("mappingColumnsBox"));
    auto* boxLayout = new QVBoxLayout(m_columnsBox);
    boxLayout->setSpacing(8);
    m_grid = new QGridLayout;
    m_grid->setHorizontalSpacing(10);
    m_grid->setVerticalSpacing(6);
    m_grid->setColumnStretch(1, 1);
    m_grid->setColumnStretch(4, 1);
    m_grid->setColumnMinimumWidth(2, 12);
    for (int row = 0; row < MappingEditModel::roleCount(); ++row) {
        QString text = MappingEditModel::roleLabel(row);
        switch (MappingEditModel::requirement(row)) {
        case MappingEditModel::Requirement::Required:
            text += QStringLiteral(" *");
            break;
        case MappingEditModel::Requirement::Ordering:
            text += QStringLiteral(" \u2020");
            break;
        case MappingEditModel::Requirement::Optional:
            break;
        }
        auto* label = new QLabel(text + QLatin1Char(':'), m_columnsBox);
        if (MappingEditModel::requirement(row) != MappingEditModel::Requirement::Optional) {
            QFont bold = label->font(); // the fields the events need stand out
            bold.setBold(true);
            label->setFont(bold);
        }
        auto* combo = new QComboBox(m_columnsBox);
        combo->setObjectName(QLatin1String("mappingCombo_") + MappingEditModel::roleKey(row));
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(12);
        label->setBuddy(combo);
        const int gridRow = row % kRowsPerColumn;
        const int gridColumn = row / kRowsPerColumn * 3;
        m_grid->addWidget(label, gridRow, gridColumn);
        m_grid->addWidget(combo, gridRow, gridColumn + 1);
        m_labels.append(label);
        m_combos.append(combo);
        connect(combo, &QComboBox::activated, this, [this, row, combo] {
            m_note.clear(); // a remark about the last load or save is stale once the user edits
            m_model.setColumnFor(row, combo->currentData().toString());
        });
    }
    boxLayout->addLayout(m_grid);
    auto* footer = new QHBoxLayout;
    auto* legend
        = new QLabel(tr("* needed to read the events   \u2020 the position or the time: one is enough"), m_columnsBox);
    legend->setObjectName(QStringLiteral("mappingLegendLabel"));
    legend->setEnabled(false); // dimmed: a key to the marks, not something to act on
    m_save = new QPushButton(tr("&Save mapping…"), m_columnsBox);
    m_save->setObjectName(QStringLiteral("saveMappingButton"));
    m_save->setAutoDefault(false);
    footer->addWidget(legend, 1);
    footer->addWidget(m_save);
    boxLayout->addLayout(footer);
    layout->addWidget(m_columnsBox);

    connect(m_table, &QLineEdit::textEdited, this, &MappingEditor::tableEdited);
    connect(m_table, &QLineEdit::returnPressed, this, &MappingEditor::readColumns);
    connect(m_read, &QPushButton::clicked, this, &MappingEditor::readColumns);
    connect(m_save, &QPushButton::clicked, this, &MappingEditor::chooseFile);
    connect(&m_watcher, &QFutureWatcher<TableColumnsResult>::finished, this, &MappingEditor::columnsArrived);
    connect(&m_model, &QAbstractItemModel::modelReset, this, &MappingEditor::rebuildRows);
    connect(&m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& from, const QModelIndex& to) {
        for (int row = from.row(); row <= to.row(); ++row)
            showColumn(row);
    });
    connect(&m_model, &MappingEditModel::mappingChanged, this, [this] {
        updateState();
        emit changed();
    });
    rebuildRows();
    updateState();
}

// A read still running keeps its own copy of the settings and its own connection; nothing here waits for it.
MappingEditor::~MappingEditor() = default;

void MappingEditor::setConnection(const ConnectionSettings& settings)
{
    m_connection = settings;
}

void MappingEditor::setTable(const QString& table)
{
    if (m_table->text() == table)
        return;
    m_table->setText(table);
    tableEdited();
}

void MappingEditor::setLabelWidth(int width, int spacing)
{
    m_tableLabel->setMinimumWidth(width);
    m_tableRow->setSpacing(spacing);
}

QString MappingEditor::table() const
{
    return m_table->text().trimmed();
}

void MappingEditor::setMappingFile(const QString& path)
{
    if (path == m_model.mappingFile())
        return;
    m_note.clear();
    m_model.clear(); // what was read came with another file
    m_model.setMappingFile(path);
}

QString MappingEditor::mappingFile() const
{
    return m_model.mappingFile();
}

QString MappingEditor::problem() const
{
    if (!m_readError.isEmpty())
        return m_readError;
    if (const QString problem = m_model.problem(); !problem.isEmpty())
        return problem;
    if (m_model.hasUnsavedChanges())
        return tr("The mapping has changes that are not saved: save it, so that the store opens with them.");
    return {};
}

void MappingEditor::tableEdited()
{
    // Columns read for another table say nothing about this one.
    m_readError.clear();
    m_note.clear();
    if (m_model.isLoaded())
        m_model.clear(); // emits changed
    else {
        updateState();
        emit changed();
    }
}

void MappingEditor::readColumns()
{
    if (m_reading || table().isEmpty())
        return;
    ConnectionSettings settings = m_connection;
    settings.table = table();
    // A read after a save, or after the URI named a file, shows that file's mapping rather than the bare guess.
    settings.mappingFile = m_model.mappingFile();
    m_readError.clear();
    m_note.clear();
    // Until the watcher reports: the worker may be done before isRunning() is first asked.
    m_reading = true;
    m_watcher.setFuture(readTableColumns(settings));
    updateState();
}

void MappingEditor::columnsArrived()
{
    m_reading = false;
    const TableColumnsResult result = m_watcher.result();
    if (result.table != table()) {
        updateState(); // the table was renamed meanwhile; its own read is still to come
        return;
    }
    m_readError = result.ok ? QString() : result.message;
    m_note = result.fileProblem;
    m_model.load(result);
    emit columnsRead(result.ok, result.ok ? m_status->text() : m_readError);
}

void MappingEditor::rebuildRows()
{
    QStringList names;
    for (const ColumnInfo& column : m_model.columns())
        names.append(QString::fromStdString(column.name));
    for (int row = 0; row < m_combos.size(); ++row) {
        QComboBox* combo = m_combos.at(row);
        const QSignalBlocker quiet(combo);
        combo->clear();
        combo->addItem(tr("(none)"), QString());
        for (const ColumnInfo& column : m_model.columns()) {
            combo->addItem(QString::fromStdString(column.name), QString::fromStdString(column.name));
            combo->setItemData(combo->count() - 1, QString::fromStdString(column.type), Qt::ToolTipRole);
        }
        showColumn(row);
    }
    m_columnsBox->setVisible(m_model.isLoaded());
}

void MappingEditor::showColumn(int row)
{
    QComboBox* combo = m_combos.value(row);
    if (!combo)
        return;
    const QSignalBlocker quiet(combo);
    const QString column = m_model.columnFor(row);
    int at = combo->findData(column);
    if (at < 0) {
        // A mapping file may name a column the table lacks; shown, so the sentence about it has something to point at.
        combo->addItem(tr("%1 (not in the table)").arg(column), column);
        at = combo->count() - 1;
    }
    combo->setCurrentIndex(at);
    combo->setToolTip(combo->itemData(at, Qt::ToolTipRole).toString());
}

void MappingEditor::chooseFile()
{
    QString suggested = m_model.mappingFile();
    if (suggested.isEmpty()) {
        QString base = table();
        base.replace(QLatin1Char('"'), QString());
        suggested = QDir::home().filePath(base + QStringLiteral(".mapping.json"));
    }
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save mapping"), suggested, tr("Mapping files (*.json);;All files (*)"));
    if (!path.isEmpty())
        saveTo(path);
}

bool MappingEditor::saveTo(const QString& path)
{
    QString error;
    const bool ok = m_model.saveTo(path, &error);
    m_note = ok ? QString() : error;
    updateState();
    return ok;
}

void MappingEditor::setStatus(const QString& text, const char* themeIcon, int fallbackIcon)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    m_statusIcon->setVisible(!text.isEmpty());
    if (!themeIcon) {
        m_statusIcon->clear();
        return;
    }
    const QIcon icon
        = QIcon::fromTheme(QLatin1String(themeIcon), style()->standardIcon(QStyle::StandardPixmap(fallbackIcon)));
    m_statusIcon->setPixmap(icon.pixmap(m_statusIcon->size()));
}

void MappingEditor::updateState()
{
    const bool reading = m_reading;
    m_read->setEnabled(!reading && !table().isEmpty());
    m_save->setEnabled(!reading && m_model.isLoaded());
    m_columnsBox->setVisible(m_model.isLoaded());

    const QString problem = this->problem();
    if (reading)
        setStatus(
            tr("Reading the columns of %1…").arg(table()), "dialog-information", QStyle::SP_MessageBoxInformation);
    else if (!m_readError.isEmpty())
        setStatus(m_readError, "dialog-error", QStyle::SP_MessageBoxCritical);
    else if (!m_note.isEmpty())
        setStatus(m_note, "dialog-warning", QStyle::SP_MessageBoxWarning);
    else if (!m_model.isLoaded())
        // Without a table the dialog's own line asks for one.
        setStatus(table().isEmpty() ? QString() : tr("Read the columns to see which one holds what, and change it."),
            nullptr, 0);
    else if (!problem.isEmpty())
        setStatus(problem, "dialog-warning", QStyle::SP_MessageBoxWarning);
    else if (!m_model.mappingFile().isEmpty())
        setStatus(tr("Uses the mapping saved in %1.").arg(QDir::toNativeSeparators(m_model.mappingFile())), "dialog-ok",
            QStyle::SP_DialogApplyButton);
    else
        setStatus(tr("Guessed from the column names. Change any that are wrong, then save the mapping."), "dialog-ok",
            QStyle::SP_DialogApplyButton);
}

} // namespace eventscope
