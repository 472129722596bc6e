#include "ui/import_dialog.h"

#include "model/recent_stores.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

#include <cmath>

namespace eventscope {
namespace {

using Phase = DynamoDbImportProgress::Phase;

QString count(qint64 n)
{
    return QLocale().toString(n);
}

QString counted(qint64 n, const QString& one, const QString& many)
{
    return n == 1 ? one : many.arg(count(n));
}

QString size(quint64 bytes)
{
    return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeTraditionalFormat);
}

QString timeLeft(double seconds)
{
    if (seconds < 0)
        return ImportDialog::tr("Estimating the time left…");
    const auto whole = qint64(std::ceil(seconds));
    if (whole < 120)
        return ImportDialog::tr("About %1 s left").arg(std::max<qint64>(1, whole));
    return ImportDialog::tr("About %1 min left").arg((whole + 30) / 60);
}

QString phaseText(const DynamoDbImportJobProgress& progress)
{
    switch (progress.phase) {
    case Phase::Reading:
        return ImportDialog::tr("Reading %1: %2 items, %3 of %4")
            .arg(QFileInfo(progress.file).fileName(), count(progress.items), size(progress.bytes),
                size(progress.totalBytes));
    case Phase::Checking:
        return ImportDialog::tr("Checking versions and IDs: %1 of %2 events")
            .arg(count(progress.done), count(progress.total));
    case Phase::Appending:
        return ImportDialog::tr("Appending: %1 of %2 events").arg(count(progress.done), count(progress.total));
    case Phase::Snapshots:
        return ImportDialog::tr("Saving snapshots: %1 of %2").arg(count(progress.done), count(progress.total));
    }
    return {};
}

// A line edit for an optional file, with a Browse… button beside it.
QWidget* fileRow(QLineEdit* edit, QPushButton* browse)
{
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    return row;
}

} // namespace

ImportDialog::ImportDialog(QWidget* parent)
    : QDialog(parent)
    , m_job(new DynamoDbImportJob(this))
{
    setWindowTitle(tr("Import DynamoDB export"));
    // The JSON examples are kept whole on a line.
    auto* intro = new QLabel(tr("Appends the items of DynamoDB exports as events, each stream in version order: "
                                "<span style=\"white-space:nowrap\">{\"Item\":…}</span> lines, or a scan's "
                                "<span style=\"white-space:nowrap\">{\"Items\":[…]}</span>. Every file is checked "
                                "before the first event is written."),
        this);
    intro->setWordWrap(true);

    m_fileList = new QListWidget(this);
    m_fileList->setObjectName(QStringLiteral("fileList"));
    m_fileList->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_fileList->setFixedHeight(m_fileList->fontMetrics().lineSpacing() * 5 + 2 * m_fileList->frameWidth() + 4);
    auto* addButton = new QPushButton(tr("&Add…"), this);
    addButton->setObjectName(QStringLiteral("addFilesButton"));
    m_removeButton = new QPushButton(tr("&Remove"), this);
    m_removeButton->setObjectName(QStringLiteral("removeFilesButton"));
    auto* fileButtons = new QVBoxLayout;
    fileButtons->addWidget(addButton);
    fileButtons->addWidget(m_removeButton);
    fileButtons->addStretch(1);
    auto* filesRow = new QHBoxLayout;
    filesRow->addWidget(m_fileList, 1);
    filesRow->addLayout(fileButtons);

    m_mappingEdit = new QLineEdit(this);
    m_mappingEdit->setObjectName(QStringLiteral("mappingEdit"));
    m_mappingEdit->setPlaceholderText(tr("Optional: a JSON file naming the attributes"));
    m_mappingEdit->setClearButtonEnabled(true);
    auto* mappingBrowse = new QPushButton(tr("Browse…"), this);
    m_snapshotsEdit = new QLineEdit(this);
    m_snapshotsEdit->setObjectName(QStringLiteral("snapshotsEdit"));
    m_snapshotsEdit->setPlaceholderText(tr("Optional: the items of a snapshot table"));
    m_snapshotsEdit->setClearButtonEnabled(true);
    auto* snapshotsBrowse = new QPushButton(tr("Browse…"), this);
    auto* form = new QFormLayout;
    form->addRow(tr("Export files:"), filesRow);
    form->addRow(tr("&Mapping file:"), fileRow(m_mappingEdit, mappingBrowse));
    form->addRow(tr("&Snapshots file:"), fileRow(m_snapshotsEdit, snapshotsBrowse));

    auto* target = new QGroupBox(tr("Import into"), this);
    m_openStoreRadio = new QRadioButton(target);
    m_openStoreRadio->setObjectName(QStringLiteral("openStoreRadio"));
    m_openStoreNote = new QLabel(target);
    m_openStoreNote->setObjectName(QStringLiteral("openStoreNote"));
    m_openStoreNote->setWordWrap(true);
    m_openStoreNote->setForegroundRole(QPalette::PlaceholderText);
    m_openStoreNote->setContentsMargins(m_openStoreRadio->sizeHint().height(), 0, 0, 0);
    m_sqliteRadio = new QRadioButton(tr("A SQLite &file:"), target);
    m_sqliteRadio->setObjectName(QStringLiteral("sqliteRadio"));
    m_sqliteEdit = new QLineEdit(target);
    m_sqliteEdit->setObjectName(QStringLiteral("sqliteEdit"));
    m_sqliteEdit->setPlaceholderText(tr("A new file, or one an earlier import of these files wrote"));
    auto* sqliteBrowse = new QPushButton(tr("Browse…"), target);
    auto* sqliteRow = new QHBoxLayout;
    sqliteRow->addWidget(m_sqliteRadio);
    sqliteRow->addWidget(m_sqliteEdit, 1);
    sqliteRow->addWidget(sqliteBrowse);
    m_productionCheck = new QCheckBox(tr("I understand this writes to a production store"), target);
    m_productionCheck->setObjectName(QStringLiteral("productionCheck"));
    m_productionCheck->hide();
    auto* targetLayout = new QVBoxLayout(target);
    targetLayout->addWidget(m_openStoreRadio);
    targetLayout->addWidget(m_openStoreNote);
    targetLayout->addLayout(sqliteRow);
    targetLayout->addWidget(m_productionCheck);

    m_progressBar = new QProgressBar(this);
    m_progressBar->setObjectName(QStringLiteral("progressBar"));
    m_progressBar->setRange(0, 1000);
    m_progressBar->setValue(0);
    m_progressBar->setTextVisible(false);
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("statusLabel"));
    m_timeLabel = new QLabel(this);
    m_timeLabel->setObjectName(QStringLiteral("timeLabel"));
    m_timeLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(m_statusLabel, 1);
    statusRow->addWidget(m_timeLabel);
    m_resultLabel = new QLabel(this);
    m_resultLabel->setObjectName(QStringLiteral("resultLabel"));
    m_resultLabel->setWordWrap(true);
    m_resultLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_resultLabel->hide();
    m_problemLabel = new QLabel(this);
    m_problemLabel->setObjectName(QStringLiteral("problemLabel"));
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setForegroundRole(QPalette::PlaceholderText);

    m_buttons = new QDialogButtonBox(this);
    m_importButton = m_buttons->addButton(tr("&Import"), QDialogButtonBox::ActionRole);
    m_importButton->setObjectName(QStringLiteral("importButton"));
    m_importButton->setDefault(true);
    m_cancelButton = m_buttons->addButton(tr("&Cancel import"), QDialogButtonBox::ActionRole);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    m_closeButton = m_buttons->addButton(QDialogButtonBox::Close);
    m_closeButton->setObjectName(QStringLiteral("closeButton"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(target);
    layout->addWidget(m_progressBar);
    layout->addLayout(statusRow);
    layout->addWidget(m_resultLabel);
    layout->addWidget(m_problemLabel);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    // Room for the few lines of an end's text below the progress bar.
    resize(640, sizeHint().height() + fontMetrics().lineSpacing() * 4);

    m_inputs = { m_fileList, addButton, m_removeButton, m_mappingEdit, mappingBrowse, m_snapshotsEdit, snapshotsBrowse,
        target };
    connect(addButton, &QPushButton::clicked, this, &ImportDialog::addFiles);
    connect(m_removeButton, &QPushButton::clicked, this, [this] {
        qDeleteAll(m_fileList->selectedItems());
        validate();
    });
    connect(m_fileList, &QListWidget::itemSelectionChanged, this, &ImportDialog::validate);
    connect(mappingBrowse, &QPushButton::clicked, this, &ImportDialog::browseMapping);
    connect(snapshotsBrowse, &QPushButton::clicked, this, &ImportDialog::browseSnapshots);
    connect(sqliteBrowse, &QPushButton::clicked, this, &ImportDialog::browseSqliteFile);
    for (QLineEdit* edit : { m_mappingEdit, m_snapshotsEdit, m_sqliteEdit })
        connect(edit, &QLineEdit::textChanged, this, &ImportDialog::validate);
    connect(m_sqliteEdit, &QLineEdit::textEdited, m_sqliteRadio, [this] { m_sqliteRadio->setChecked(true); });
    for (QAbstractButton* button :
        std::initializer_list<QAbstractButton*> { m_openStoreRadio, m_sqliteRadio, m_productionCheck })
        connect(button, &QAbstractButton::toggled, this, &ImportDialog::validate);
    connect(m_importButton, &QPushButton::clicked, this, &ImportDialog::startImport);
    connect(m_cancelButton, &QPushButton::clicked, this, &ImportDialog::cancelImport);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ImportDialog::reject);
    connect(m_job, &DynamoDbImportJob::progress, this, &ImportDialog::showProgress);
    connect(m_job, &DynamoDbImportJob::noted, this, [this](QString note) {
        // The engine's notes are sentences of a command's output: lower case first, no full stop.
        if (!note.isEmpty())
            note[0] = note[0].toUpper();
        m_notes += note.endsWith(QLatin1Char('.')) ? note : note + QLatin1Char('.');
    });
    connect(m_job, &DynamoDbImportJob::finished, this, &ImportDialog::showFinished);
    connect(m_job, &DynamoDbImportJob::failed, this, &ImportDialog::showFailed);

    setTarget({}, false, {});
    setRunning(false);
}

void ImportDialog::setTarget(const QString& uri, bool writable, const QString& reason)
{
    m_storeUri = uri;
    m_storeWritable = writable && !uri.isEmpty();
    m_openStoreRadio->setText(uri.isEmpty() ? tr("The open store (none is open)")
                                            : tr("The open store, %1").arg(RecentStores::displayNameFor(uri)));
    m_openStoreRadio->setEnabled(m_storeWritable);
    m_openStoreNote->setText(uri.isEmpty()
            ? tr("Open a native store and turn on admin mode (Store ▸ Admin mode) to import into it.")
            : reason);
    m_openStoreNote->setVisible(!m_storeWritable && !m_openStoreNote->text().isEmpty());
    (m_storeWritable ? m_openStoreRadio : m_sqliteRadio)->setChecked(true);
    setProductionStore(m_production);
}

void ImportDialog::setProductionStore(bool production)
{
    m_production = production;
    m_productionCheck->setVisible(production && m_storeWritable);
    validate();
}

void ImportDialog::setFiles(const QStringList& files)
{
    m_fileList->clear();
    for (const QString& file : files) {
        auto* item = new QListWidgetItem(QDir::toNativeSeparators(file), m_fileList);
        item->setData(Qt::UserRole, file);
        item->setToolTip(QDir::toNativeSeparators(QFileInfo(file).absoluteFilePath()));
    }
    validate();
}

QStringList ImportDialog::files() const
{
    QStringList files;
    for (int row = 0; row < m_fileList->count(); ++row)
        files += m_fileList->item(row)->data(Qt::UserRole).toString();
    return files;
}

void ImportDialog::setMappingFile(const QString& path)
{
    m_mappingEdit->setText(path);
}

void ImportDialog::setSnapshotsFile(const QString& path)
{
    m_snapshotsEdit->setText(path);
}

void ImportDialog::setSqliteFile(const QString& path)
{
    m_sqliteEdit->setText(path);
    m_sqliteRadio->setChecked(true);
}

void ImportDialog::chooseOpenStore()
{
    if (m_storeWritable)
        m_openStoreRadio->setChecked(true);
}

QString ImportDialog::targetUri() const
{
    if (m_openStoreRadio->isChecked())
        return m_storeUri;
    const QString path = m_sqliteEdit->text().trimmed();
    return path.isEmpty() ? QString() : QStringLiteral("sqlite:") + path;
}

QStringList ImportDialog::problems() const
{
    QStringList problems;
    const QStringList chosen = files();
    if (chosen.isEmpty())
        problems += tr("Add the export files to import.");
    for (const QString& file : chosen) {
        if (!QFileInfo(file).isFile())
            problems += tr("%1 is not a file.").arg(QDir::toNativeSeparators(file));
    }
    for (const QLineEdit* edit : { m_mappingEdit, m_snapshotsEdit }) {
        const QString file = edit->text().trimmed();
        if (!file.isEmpty() && !QFileInfo(file).isFile())
            problems += tr("%1 is not a file.").arg(QDir::toNativeSeparators(file));
    }
    if (m_openStoreRadio->isChecked() && m_production && !m_productionCheck->isChecked())
        problems += tr("Tick the box to import into a production store.");
    if (m_sqliteRadio->isChecked() && m_sqliteEdit->text().trimmed().isEmpty())
        problems += tr("Choose the SQLite file to import into.");
    return problems;
}

QString ImportDialog::resultText() const
{
    return m_result;
}

void ImportDialog::addFiles()
{
    const QStringList chosen = QFileDialog::getOpenFileNames(
        this, tr("DynamoDB export files"), QString(), tr("DynamoDB exports (*.json *.jsonl *.txt);;All files (*)"));
    if (!chosen.isEmpty())
        setFiles(files() + chosen);
}

void ImportDialog::browseMapping()
{
    const QString file
        = QFileDialog::getOpenFileName(this, tr("Mapping file"), QString(), tr("JSON files (*.json);;All files (*)"));
    if (!file.isEmpty())
        setMappingFile(file);
}

void ImportDialog::browseSnapshots()
{
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Snapshots file"), QString(), tr("DynamoDB exports (*.json *.jsonl *.txt);;All files (*)"));
    if (!file.isEmpty())
        setSnapshotsFile(file);
}

void ImportDialog::browseSqliteFile()
{
    // An existing file is imported into, never replaced: no overwrite question.
    const QString file = QFileDialog::getSaveFileName(this, tr("Import into SQLite file"), QString(),
        tr("Event stores (*.db *.sqlite *.sqlite3);;All files (*)"), nullptr, QFileDialog::DontConfirmOverwrite);
    if (!file.isEmpty())
        setSqliteFile(file);
}

void ImportDialog::validate()
{
    const bool running = m_job->isRunning();
    const QStringList problems = this->problems();
    m_importButton->setEnabled(!running && problems.isEmpty());
    m_removeButton->setEnabled(!running && !m_fileList->selectedItems().isEmpty());
    m_problemLabel->setText(problems.isEmpty() ? QString() : problems.first());
    m_problemLabel->setVisible(!running && !problems.isEmpty());
}

void ImportDialog::startImport()
{
    if (m_job->isRunning() || !problems().isEmpty())
        return;
    DynamoDbImportJob::Request request;
    request.files = files();
    request.mappingFile = m_mappingEdit->text().trimmed();
    request.snapshotsFile = m_snapshotsEdit->text().trimmed();
    request.storeUri = targetUri();
    m_runningUri = request.storeUri;
    m_notes.clear();
    m_result.clear();
    m_cancelled = false;
    m_resultLabel->hide();
    m_progressBar->setValue(0);
    m_statusLabel->setText(tr("Starting…"));
    m_timeLabel->clear();
    m_job->start(request);
    setRunning(true);
}

void ImportDialog::cancelImport()
{
    if (!m_job->isRunning())
        return;
    m_job->cancel();
    m_cancelled = true;
    m_cancelButton->setEnabled(false);
    m_statusLabel->setText(tr("Cancelling: the import stops after the batch it is writing…"));
}

void ImportDialog::reject()
{
    if (m_job->isRunning()) {
        cancelImport();
        return;
    }
    QDialog::reject();
}

void ImportDialog::showProgress(const DynamoDbImportJobProgress& progress)
{
    if (m_job->isCancelling())
        return;
    m_progressBar->setValue(qRound(progress.fraction * 1000));
    m_statusLabel->setText(phaseText(progress));
    m_timeLabel->setText(timeLeft(progress.secondsLeft));
}

void ImportDialog::showFinished(const DynamoDbImportSummary& summary)
{
    m_progressBar->setValue(m_progressBar->maximum());
    m_statusLabel->setText(tr("Done."));
    m_timeLabel->clear();
    QStringList lines;
    const QString events = counted(summary.events, tr("1 event"), tr("%1 events"));
    const QString streams = counted(summary.streams, tr("1 stream"), tr("%1 streams"));
    const QString into = RecentStores::displayNameFor(m_runningUri);
    lines += summary.snapshots == 0
        ? tr("Imported %1 in %2 into %3.").arg(events, streams, into)
        : tr("Imported %1 in %2, and %3, into %4.")
              .arg(events, streams, counted(summary.snapshots, tr("1 snapshot"), tr("%1 snapshots")), into);
    if (summary.written < summary.events)
        lines += tr("%1 of the events were in the store already, from an earlier run of this import.")
                     .arg(count(summary.events - summary.written));
    lines += m_notes;
    m_result = lines.join(QLatin1Char('\n'));
    showResult();
    emit imported(m_runningUri);
}

void ImportDialog::showFailed(const QString& sentence)
{
    m_statusLabel->setText(m_cancelled ? tr("Cancelled.") : tr("The import stopped."));
    m_timeLabel->clear();
    m_result = sentence;
    showResult();
}

void ImportDialog::showResult()
{
    m_resultLabel->setText(m_result);
    m_resultLabel->show();
    setRunning(false);
    if (sizeHint().height() > height())
        resize(width(), sizeHint().height());
}

void ImportDialog::setRunning(bool running)
{
    for (QWidget* input : std::as_const(m_inputs))
        input->setEnabled(!running);
    m_progressBar->setTextVisible(running || m_progressBar->value() > 0);
    m_cancelButton->setVisible(running);
    m_cancelButton->setEnabled(running);
    m_closeButton->setEnabled(!running);
    validate();
}

} // namespace eventscope
