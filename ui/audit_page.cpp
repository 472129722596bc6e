#include "ui/audit_page.h"

#include "model/audit_job.h"
#include "model/audit_record.h"
#include "model/event_table_model.h"
#include "model/saved_audit_queries.h"
#include "storage/error.h"
#include "storage/event_store.h"
#include "ui/audit_chart_view.h"
#include "ui/audit_query_form.h"
#include "ui/count_text.h"
#include "ui/integrity_panel.h"
#include "ui/redaction_list_editor.h"
#include "ui/windowed_table_view.h"

#include <QComboBox>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace eventscope {

namespace {

const QString kBad = QStringLiteral("color: #c62828;");

QString secondsText(double seconds)
{
    if (seconds < 0)
        return {};
    if (seconds < 60)
        return QObject::tr("about %1 s left").arg(qMax(1, qRound(seconds)));
    return QObject::tr("about %1 min left").arg(qRound(seconds / 60));
}

QGroupBox* boxed(const QString& title, QWidget* content, QWidget* parent)
{
    auto* box = new QGroupBox(title, parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(content);
    return box;
}

} // namespace

AuditPage::AuditPage(QWidget* parent)
    : QWidget(parent)
    , m_form(new AuditQueryForm(this))
    , m_run(new QPushButton(tr("Run"), this))
    , m_status(new QLabel(this))
    , m_saved(new QComboBox(this))
    , m_saveButton(new QPushButton(tr("Save…"), this))
    , m_deleteButton(new QPushButton(tr("Delete"), this))
    , m_table(new WindowedTableView(this))
    , m_chart(new AuditChartView(this))
    , m_redactions(new RedactionListEditor(this))
    , m_export(new QPushButton(tr("Export…"), this))
    , m_exportProgress(new QProgressBar(this))
    , m_exportEta(new QLabel(this))
    , m_exportCancel(new QPushButton(tr("Cancel"), this))
    , m_exportText(new QLabel(this))
    , m_integrity(new IntegrityPanel(this))
    , m_queryJob(new AuditJob(this))
    , m_exportJob(new AuditJob(this))
{
    setObjectName(QStringLiteral("auditPage"));
    m_table->setObjectName(QStringLiteral("auditResults"));
    auto* query = new QWidget(this);
    auto* queryLayout = new QVBoxLayout(query);
    queryLayout->setContentsMargins(0, 0, 0, 0);
    queryLayout->addWidget(m_form);
    queryLayout->addWidget(makeToolbar());

    // The chart below the table, across the page's width: a day per bar needs the width more than the height, and
    // the table keeps all its columns in view.
    auto* results = new QSplitter(Qt::Vertical, this);
    results->addWidget(m_table);
    results->addWidget(m_chart);
    results->setStretchFactor(0, 3);
    results->setStretchFactor(1, 2);

    auto* tools = new QWidget(this);
    auto* toolsLayout = new QHBoxLayout(tools);
    toolsLayout->setContentsMargins(0, 0, 0, 0);
    toolsLayout->addWidget(boxed(tr("Redaction in exports"), m_redactions, tools), 2);
    toolsLayout->addWidget(boxed(tr("Export"), makeExportBox(), tools), 3);
    toolsLayout->addWidget(boxed(tr("Integrity"), m_integrity, tools), 3);

    tools->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum); // the results get the height
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(results);
    split->addWidget(tools);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 0);
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(boxed(tr("Query"), query, this));
    layout->addWidget(split, 1);

    connect(m_run, &QPushButton::clicked, this, &AuditPage::run);
    connect(m_form, &AuditQueryForm::runRequested, this, &AuditPage::run);
    connect(m_form->ownWritesButton(), &QPushButton::clicked, this, &AuditPage::run);
    connect(m_queryJob, &AuditJob::finished, this, &AuditPage::takeSummary);
    connect(m_queryJob, &AuditJob::failed, this, [this](const QString& sentence) {
        m_chart->clear();
        showStatus(sentence, true);
    });
    connect(m_exportJob, &AuditJob::progress, this, [this](qint64 done, qint64 total, double secondsLeft) {
        m_exportProgress->setRange(0, total > 0 ? 1000 : 0);
        if (total > 0)
            m_exportProgress->setValue(int(1000 * std::min(done, total) / total));
        QString text = total > 0 ? tr("%1 of %2").arg(QLocale().toString(done), QLocale().toString(total))
                                 : countText(done, tr("event"), tr("events"));
        if (const QString left = secondsText(secondsLeft); !left.isEmpty())
            text += QStringLiteral(" · ") + left;
        m_exportEta->setText(text);
    });
    connect(m_exportJob, &AuditJob::finished, this, &AuditPage::takeExport);
    connect(m_exportJob, &AuditJob::failed, this, [this](const QString& sentence) {
        setExporting(false);
        showExportText(tr("Export failed: %1").arg(sentence), false);
        Q_EMIT exportEnded();
    });
    connect(m_exportJob, &AuditJob::cancelled, this, [this] {
        setExporting(false);
        showExportText(tr("Export cancelled; nothing was written."), false);
        Q_EMIT exportEnded();
    });
    connect(m_integrity, &IntegrityPanel::message, this, &AuditPage::message);
    // A seal is itself recorded: a person looking at Eventscope's own writes sees it appear.
    connect(m_integrity, &IntegrityPanel::sealed, this, [this] {
        if (m_model && m_model->query().stream == kAuditStream)
            run();
    });
    setStore({}, false, {});
}

AuditPage::~AuditPage() = default;

QWidget* AuditPage::makeToolbar()
{
    auto* bar = new QWidget(this);
    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_run->setObjectName(QStringLiteral("auditRun"));
    m_run->setDefault(true);
    m_status->setObjectName(QStringLiteral("auditStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_saved->setObjectName(QStringLiteral("auditSavedQueries"));
    m_saved->setMinimumContentsLength(18);
    m_saved->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_saveButton->setObjectName(QStringLiteral("auditSaveQuery"));
    m_saveButton->setToolTip(tr("Keeps this query and its redaction list, by name, beside the store's workspace."));
    m_deleteButton->setObjectName(QStringLiteral("auditDeleteQuery"));
    row->addWidget(m_run);
    row->addWidget(m_status, 1);
    row->addWidget(new QLabel(tr("Saved:"), bar));
    row->addWidget(m_saved);
    row->addWidget(m_saveButton);
    row->addWidget(m_deleteButton);
    connect(m_saved, &QComboBox::activated, this, [this](int index) {
        if (const QString name = m_saved->itemData(index).toString(); !name.isEmpty())
            loadSavedQuery(name);
    });
    connect(m_saved, &QComboBox::currentIndexChanged, this, &AuditPage::updateSavedButtons);
    connect(m_saveButton, &QPushButton::clicked, this, &AuditPage::askSaveName);
    connect(
        m_deleteButton, &QPushButton::clicked, this, [this] { deleteSavedQuery(m_saved->currentData().toString()); });
    return bar;
}

QWidget* AuditPage::makeExportBox()
{
    auto* box = new QWidget(this);
    m_export->setObjectName(QStringLiteral("auditExport"));
    m_export->setToolTip(tr("Writes the query's events as CSV, NDJSON or a PDF report, redacted, with FILE.sha256."));
    m_exportProgress->setObjectName(QStringLiteral("auditExportProgress"));
    m_exportEta->setObjectName(QStringLiteral("auditExportEta"));
    m_exportCancel->setObjectName(QStringLiteral("auditExportCancel"));
    m_exportText->setObjectName(QStringLiteral("auditExportText"));
    m_exportText->setWordWrap(true);
    m_exportText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    row->addWidget(m_export);
    row->addWidget(m_exportProgress, 1);
    row->addWidget(m_exportCancel);
    layout->addLayout(row);
    layout->addWidget(m_exportEta);
    layout->addWidget(m_exportText);
    layout->addStretch();
    connect(m_export, &QPushButton::clicked, this, &AuditPage::chooseExport);
    connect(m_exportCancel, &QPushButton::clicked, this, &AuditPage::cancelExport);
    setExporting(false);
    return box;
}

void AuditPage::setWritable(bool writable, bool production)
{
    m_integrity->setWritable(writable, production);
}

void AuditPage::setStore(const QString& uri, bool readOnly, const QString& workspacePath)
{
    m_queryJob->cancel();
    m_exportJob->cancel();
    m_uri = uri;
    m_readOnly = readOnly;
    m_workspace = workspacePath;
    m_table->setSourceModel(nullptr);
    m_model.reset();
    m_modelUri.clear();
    m_chart->clear();
    m_exportText->clear();
    setExporting(false);
    m_integrity->setStore(uri, readOnly);
    m_savedQueries.reset();
    setEnabled(!uri.isEmpty());
    showStatus(uri.isEmpty() ? QString() : tr("Ask a question and press Run."));
    if (uri.isEmpty()) {
        reloadSavedQueries();
        return;
    }
    m_savedQueries = std::make_unique<SavedAuditQueries>(SavedAuditQueries::pathFor(uri));
    reloadSavedQueries();
    // The store's types, for the types field's completion: a quick query, but not on the UI thread.
    auto* watcher = new QFutureWatcher<QStringList>(this);
    connect(watcher, &QFutureWatcher<QStringList>::finished, this, [this, watcher, uri] {
        if (uri == m_uri)
            m_form->setKnownTypes(watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run([target = uri.toStdString()] {
        QStringList types;
        try {
            for (const std::string& type : openStore(target)->eventTypes(2000))
                types.append(QString::fromStdString(type));
        } catch (const Error&) {
            // Completion is a convenience: a store that cannot list its types still answers queries.
        }
        return types;
    }));
}

QString AuditPage::uriFor(const AuditQuery& query) const
{
    // A foreign store's own-writes stream lives in its workspace (DESIGN §7).
    if (query.stream == kAuditStream && m_readOnly && !m_workspace.isEmpty())
        return m_workspace;
    return m_uri;
}

void AuditPage::attachModel(const QString& uri)
{
    m_table->setSourceModel(nullptr);
    m_model = std::make_unique<EventTableModel>(uri.toStdString());
    m_modelUri = uri;
    EventTableModel* model = m_model.get();
    m_table->setSourceModel(model);
    QTableView* view = m_table->table();
    view->verticalHeader()->hide(); // the position column numbers the rows
    view->setWordWrap(false);
    view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8); // as dense as the Events tab
    const QFontMetrics metrics = fontMetrics();
    const auto width = [&](const QString& sample) { return metrics.horizontalAdvance(sample) + 24; };
    view->setColumnWidth(EventTableModel::Position, width(QStringLiteral("100000000")));
    view->setColumnWidth(EventTableModel::Time, width(QStringLiteral("2024-01-15T14:02:03.123456Z")));
    view->setColumnWidth(EventTableModel::Stream, width(QStringLiteral("shipment-000000-xx")));
    view->setColumnWidth(EventTableModel::Version, width(QStringLiteral("Version")));
    view->setColumnWidth(EventTableModel::Type, width(QStringLiteral("InventoryReserved")));
    const auto select = [this] {
        const Event* event = m_model ? m_model->eventAt(m_table->currentRow()) : nullptr;
        if (event && m_shownId != QString::fromStdString(event->id)) {
            m_shownId = QString::fromStdString(event->id);
            Q_EMIT eventSelected(*event);
        }
    };
    connect(m_table, &WindowedTableView::currentRowChanged, model, select);
    // A row chosen before its event was read goes to the inspector once it arrives.
    connect(model, &EventTableModel::dataChanged, this, select);
    connect(model, &EventTableModel::loadFailed, this, [this](const QString& text) { showStatus(text, true); });
    connect(model, &EventTableModel::counted, this, [this](qint64 count) {
        showStatus(
            countText(count, tr("event matches"), tr("events match")) + QStringLiteral(": ") + m_status->toolTip());
    });
}

void AuditPage::run()
{
    if (m_uri.isEmpty())
        return;
    AuditQuery query;
    try {
        query = m_form->query();
    } catch (const Error& error) {
        showStatus(QString::fromStdString(error.what()), true);
        return;
    }
    const QString uri = uriFor(query);
    if (!m_model || m_modelUri != uri)
        attachModel(uri);
    m_shownId.clear();
    m_status->setToolTip(QString::fromStdString(query.describe()));
    m_model->setQuery(query.toEventQuery());
    m_queryJob->startQuery(uri, query);
    m_chart->setBusy(tr("Counting the events by day and type…"));
    showStatus(tr("Running: %1").arg(m_status->toolTip()));
}

void AuditPage::takeSummary(const std::shared_ptr<const AuditJobResult>& result)
{
    m_chart->setSummary(result->summary);
}

QString AuditPage::statusText() const
{
    return m_status->text();
}

void AuditPage::showStatus(const QString& text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? kBad : QString());
}

} // namespace eventscope
