#include "ui/projections_page.h"

#include "model/projection_list_model.h"
#include "ui/projection_editor.h"
#include "ui/projection_fault_view.h"
#include "ui/projection_progress_view.h"
#include "ui/projection_shadow_view.h"
#include "ui/projection_states_view.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace eventscope {
namespace {

constexpr int kSideBySideWidth = 1180;

} // namespace

ProjectionsPage::ProjectionsPage(QWidget* parent)
    : QWidget(parent)
    , m_list(new ProjectionListModel(this))
    , m_tabs(new QTabWidget(this))
    , m_editor(new ProjectionEditor(this))
    , m_states(new ProjectionStatesView(this))
    , m_progress(new ProjectionProgressView(this))
    , m_fault(new ProjectionFaultView(this))
    , m_shadow(new ProjectionShadowView(this))
    , m_refreshTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("projectionsPage"));
    m_list->setStatusForeground(QStringLiteral("running"), QBrush(QColor(0x2e, 0xa0, 0x43)));
    m_list->setStatusForeground(QStringLiteral("rebuilding"), QBrush(QColor(0xc0, 0x7a, 0x00)));
    m_list->setStatusForeground(QStringLiteral("faulted"), QBrush(QColor(0xd1, 0x24, 0x2f)));
    m_list->setStatusForeground(QStringLiteral("stopped"), palette().placeholderText());

    m_tabs->setObjectName(QStringLiteral("projectionTabs"));
    m_tabs->setDocumentMode(true);
    auto* scriptPage = new QWidget(this);
    auto* scriptLayout = new QVBoxLayout(scriptPage);
    scriptLayout->setContentsMargins(0, 6, 0, 0);
    m_title = new QLabel(scriptPage);
    m_title->setObjectName(QStringLiteral("projectionTitle"));
    m_title->setWordWrap(true);
    scriptLayout->addWidget(m_title);
    scriptLayout->addWidget(m_editor, 1);
    m_tabs->addTab(scriptPage, tr("Script"));
    m_tabs->addTab(m_states, tr("States"));
    m_tabs->addTab(m_progress, tr("Progress"));
    m_tabs->addTab(m_fault, tr("Fault"));
    m_tabs->addTab(m_shadow, tr("Shadow diff"));

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(createListSide());
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_splitter);

    m_refreshTimer->setInterval(1000);
    connect(m_refreshTimer, &QTimer::timeout, m_list, &ProjectionListModel::refresh);
    connect(m_list, &ProjectionListModel::loaded, this, &ProjectionsPage::listLoaded);
    connect(m_list, &ProjectionListModel::loadFailed, this, [this](const QString& error) {
        m_listHint->setText(error);
        m_listHint->show();
    });
    connect(m_list, &QAbstractItemModel::modelReset, this, [this] {
        // A reset drops the selection: keep the projection chosen.
        if (!m_selected.isEmpty())
            selectProjection(m_selected);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ProjectionsPage::currentChanged);
    connect(m_shadow, &ProjectionShadowView::swapRequested, this, &ProjectionsPage::swapShadow);
    connect(m_shadow, &ProjectionShadowView::rollbackRequested, this, &ProjectionsPage::rollback);
    connect(m_fault, &ProjectionFaultView::showEventRequested, this, &ProjectionsPage::showEventRequested);
    replaceJob();
    updateTitle();
    updateActions();
}

ProjectionsPage::~ProjectionsPage() = default;

void ProjectionsPage::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    // Beside the docks the tab is narrow: the list goes above the details then, and beside them when there is room.
    const Qt::Orientation wanted = width() >= kSideBySideWidth ? Qt::Horizontal : Qt::Vertical;
    if (m_splitter->orientation() == wanted)
        return;
    m_splitter->setOrientation(wanted);
    const int length = wanted == Qt::Horizontal ? m_splitter->width() : m_splitter->height();
    m_splitter->setSizes({ length * 2 / 5, length * 3 / 5 });
}

QWidget* ProjectionsPage::createListSide()
{
    auto* side = new QWidget(this);
    m_view = new QTableView(side);
    m_view->setObjectName(QStringLiteral("projectionList"));
    m_view->setModel(m_list);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(ProjectionListModel::Source, QHeaderView::Stretch);
    m_view->horizontalHeader()->setMinimumSectionSize(56);
    m_listHint = new QLabel(side);
    m_listHint->setObjectName(QStringLiteral("projectionListHint"));
    m_listHint->setWordWrap(true);
    m_listHint->setForegroundRole(QPalette::PlaceholderText);

    m_live = new QCheckBox(tr("Follow"), side);
    m_live->setObjectName(QStringLiteral("liveCheck"));
    m_live->setToolTip(tr("After catching up, keep following new events until cancelled"));
    m_new = addButton(tr("New…"), "newButton", tr("Start a new projection from an example script"));
    m_run = addButton(tr("Run"), "runButton", tr("Run the script from the projection's checkpoint to the head"));
    m_pause = addButton(tr("Pause"), "pauseButton", tr("Pause or resume the run"));
    m_cancel = addButton(tr("Cancel"), "cancelButton", tr("Stop the run after its current batch"));
    m_rebuild = addButton(tr("Rebuild"), "rebuildButton", tr("Forget the states and run from the first event"));
    m_shadowRebuild = addButton(tr("Shadow rebuild…"), "shadowButton",
        tr("Rebuild beside the live version, then compare and swap (Shadow diff)"));
    m_retry = addButton(tr("Retry"), "retryButton", tr("Run again from the event the projection faulted on"));
    m_skip = addButton(tr("Skip event"), "skipButton", tr("Step over the faulted event (recorded), then run on"));
    m_delete = addButton(tr("Delete"), "deleteButton", tr("Delete the projection's states, checkpoint and versions"));
    m_export = addButton(tr("Export states…"), "exportButton", tr("Write the states to a CSV or NDJSON file"));

    auto* buttons = new QGridLayout;
    buttons->setHorizontalSpacing(4);
    buttons->setVerticalSpacing(4);
    // Running on the first row, upkeep on the second: two rows fit beside the tabs and above them alike.
    const QList<QList<QWidget*>> rows { { m_new, m_run, m_live, m_pause, m_cancel, m_export },
        { m_rebuild, m_shadowRebuild, m_retry, m_skip, m_delete } };
    for (int row = 0; row < rows.size(); ++row)
        for (int column = 0; column < rows[row].size(); ++column)
            buttons->addWidget(rows[row][column], row, column);
    buttons->setColumnStretch(int(rows.front().size()), 1);
    auto* layout = new QVBoxLayout(side);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_listHint);
    layout->addLayout(buttons);

    connect(m_new, &QPushButton::clicked, this, [this] { promptNewProjection(); });
    connect(m_run, &QPushButton::clicked, this, &ProjectionsPage::run);
    connect(m_pause, &QPushButton::clicked, this, &ProjectionsPage::togglePause);
    connect(m_cancel, &QPushButton::clicked, this, &ProjectionsPage::cancel);
    connect(m_rebuild, &QPushButton::clicked, this, &ProjectionsPage::rebuild);
    connect(m_shadowRebuild, &QPushButton::clicked, this, &ProjectionsPage::shadowRebuild);
    connect(m_retry, &QPushButton::clicked, this, &ProjectionsPage::retry);
    connect(m_skip, &QPushButton::clicked, this, &ProjectionsPage::skipFault);
    connect(m_delete, &QPushButton::clicked, this, &ProjectionsPage::deleteProjection);
    connect(m_export, &QPushButton::clicked, this, [this] { promptExport(); });
    return side;
}

QPushButton* ProjectionsPage::addButton(const QString& text, const char* name, const QString& tip)
{
    auto* button = new QPushButton(text, this);
    button->setObjectName(QLatin1String(name));
    button->setToolTip(tip);
    button->setProperty("tip", tip);
    return button;
}

void ProjectionsPage::setStore(const QString& uri, bool readOnly, const QString& workspaceUri)
{
    if (m_job->isRunning())
        replaceJob(); // the old run is cancelled; its end no longer concerns this page
    m_sourceUri = uri;
    m_readOnly = readOnly;
    m_targetUri = uri.isEmpty() ? QString() : (readOnly ? workspaceUri : uri);
    m_selected.clear();
    m_newName.clear();
    m_list->setStores(m_sourceUri, m_targetUri);
    m_editor->setScript({});
    showDetails(false);
    if (!uri.isEmpty() && m_targetUri.isEmpty()) {
        m_listHint->setText(tr("This store is read-only; projections of it need a workspace."));
        m_listHint->show();
    } else {
        m_listHint->hide();
    }
    updateTitle();
    updateActions();
}

void ProjectionsPage::setWritable(bool writable)
{
    m_writable = writable;
    updateActions();
}

void ProjectionsPage::setProduction(bool production)
{
    m_production = production;
}

QString ProjectionsPage::writeBlockedReason() const
{
    if (m_sourceUri.isEmpty())
        return tr("Open a store first");
    if (m_targetUri.isEmpty())
        return tr("This store is read-only; projections of it need a workspace");
    if (!m_writable)
        return tr("Turn on admin mode (Store ▸ Admin mode) to run projections");
    return {};
}

QString ProjectionsPage::currentName() const
{
    return m_newName.isEmpty() ? m_selected : m_newName;
}

bool ProjectionsPage::isBusy() const
{
    return m_job->isRunning() || m_adminBusy;
}

void ProjectionsPage::refresh()
{
    m_list->refresh();
}

void ProjectionsPage::selectProjection(const QString& name)
{
    const int row = m_list->rowOf(name);
    if (row < 0)
        return;
    const QModelIndex index = m_list->index(row, 0);
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
}

void ProjectionsPage::currentChanged()
{
    const QModelIndex current = m_view->currentIndex();
    const QString name = current.isValid() ? current.data(ProjectionListModel::NameRole).toString() : QString();
    if (name.isEmpty() || name == m_selected)
        return; // a reset re-selecting the same projection keeps what is being edited
    m_selected = name;
    m_newName.clear();
    showDetails(true);
    updateTitle();
    updateActions();
}

void ProjectionsPage::listLoaded()
{
    if (!m_newName.isEmpty() && m_list->rowOf(m_newName) >= 0) {
        // The new projection's first run made it a projection of the store.
        m_selected = m_newName;
        m_newName.clear();
        selectProjection(m_selected);
        showDetails(false);
    }
    if (!m_selected.isEmpty() && m_list->rowOf(m_selected) < 0) {
        m_selected.clear(); // deleted
        showDetails(false);
    } else if (!m_selected.isEmpty()) {
        selectProjection(m_selected);
        m_fault->showSummary(m_list->summary(m_selected));
    }
    if (m_showFault && m_fault->hasFault())
        m_tabs->setCurrentWidget(m_fault);
    if (m_showShadow) {
        m_shadow->showProjection(m_targetUri, m_list->summary(m_selected));
        m_tabs->setCurrentWidget(m_shadow);
    }
    m_showFault = m_showShadow = false;
    if (m_list->error().isEmpty() && !m_targetUri.isEmpty()) {
        m_listHint->setVisible(m_list->rowCount() == 0);
        m_listHint->setText(tr("No projections yet. New… starts one from an example script."));
    }
    updateTitle();
    updateActions();
}

void ProjectionsPage::showDetails(bool reloadScript)
{
    const ProjectionSummary* summary = m_list->summary(m_selected);
    if (reloadScript && summary)
        m_editor->setScript(QString::fromStdString(summary->details.script));
    m_states->showProjection(m_targetUri, summary ? m_selected : QString());
    m_fault->showSummary(summary);
    m_shadow->showProjection(m_targetUri, summary);
}

void ProjectionsPage::updateTitle()
{
    if (!m_newName.isEmpty()) {
        m_title->setText(tr("<b>%1</b> · new projection, made by its first run").arg(m_newName.toHtmlEscaped()));
        return;
    }
    const ProjectionSummary* summary = m_list->summary(m_selected);
    if (!summary) {
        m_title->setText(m_sourceUri.isEmpty() ? QString() : tr("Choose a projection, or start one with New…"));
        return;
    }
    m_title->setText(
        tr("<b>%1</b> · %2 · %3 events processed, %4 emitted")
            .arg(m_selected.toHtmlEscaped(), QString::fromStdString(summary->details.source).toHtmlEscaped())
            .arg(summary->details.eventsProcessed)
            .arg(summary->details.eventsEmitted));
}

void ProjectionsPage::updateActions()
{
    const QString blocked = writeBlockedReason();
    const bool running = m_job->isRunning();
    const bool idle = blocked.isEmpty() && !running && !m_adminBusy;
    const ProjectionSummary* summary = m_newName.isEmpty() ? m_list->summary(m_selected) : nullptr;
    const bool faulted = summary && summary->details.fault;
    const auto allow = [&](QPushButton* button, bool on) {
        button->setEnabled(on);
        button->setToolTip(blocked.isEmpty() ? button->property("tip").toString() : blocked);
    };
    allow(m_new, idle);
    allow(m_run, idle && !currentName().isEmpty());
    allow(m_rebuild, idle && summary);
    allow(m_shadowRebuild, idle && summary);
    allow(m_retry, idle && faulted);
    allow(m_skip, idle && faulted);
    allow(m_delete, idle && summary);
    m_live->setEnabled(idle);
    m_live->setToolTip(
        blocked.isEmpty() ? tr("After catching up, keep following new events until cancelled") : blocked);
    m_pause->setEnabled(running && !m_job->isCancelling());
    m_pause->setText(m_job->isPaused() ? tr("Resume") : tr("Pause"));
    m_cancel->setEnabled(running && !m_job->isCancelling());
    m_export->setEnabled(!m_targetUri.isEmpty() && summary && !m_exporting);
    m_shadow->setActionsAllowed(idle, blocked.isEmpty() ? tr("Wait for the run to end") : blocked);
}

} // namespace eventscope
