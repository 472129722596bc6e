#include "ui/flow_page.h"

#include "model/connection_conventions.h"
#include "model/flow_job.h"
#include "model/flow_table_model.h"
#include "ui/broken_flows_panel.h"
#include "ui/conventions_dialog.h"
#include "ui/count_text.h"
#include "ui/flow_graph_view.h"
#include "ui/flow_lanes_view.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <set>

namespace eventscope {

namespace {

// Writes the whole export or nothing: QSaveFile renames its temporary file only when everything was written.
QString writeExport(const std::shared_ptr<const FlowResult>& result, const QString& path, FlowFormat format)
{
    try {
        const std::string bytes = exportFlow(result->graph, format);
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
        if (file.write(bytes.data(), static_cast<qint64>(bytes.size())) != static_cast<qint64>(bytes.size()))
            return QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
        if (!file.commit())
            return QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
        return {};
    } catch (const std::exception& error) {
        return QString::fromStdString(error.what());
    }
}

QToolButton* toolButton(const QString& text, const QString& tip, QWidget* parent)
{
    auto* button = new QToolButton(parent);
    button->setText(text);
    button->setToolTip(tip);
    button->setAutoRaise(true);
    return button;
}

} // namespace

FlowPage::FlowPage(QWidget* parent)
    : QWidget(parent)
    , m_correlation(new QLineEdit(this))
    , m_show(new QPushButton(tr("Show flow"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_grouping(new QComboBox(this))
    , m_export(new QPushButton(tr("Export"), this))
    , m_conventionsButton(new QPushButton(tr("Conventions…"), this))
    , m_progress(new QProgressBar(this))
    , m_summary(new QLabel(this))
    , m_views(new QTabWidget(this))
    , m_lanes(new FlowLanesView(this))
    , m_graph(new FlowGraphView(this))
    , m_table(new QTableView(this))
    , m_tableModel(new FlowTableModel(this))
    , m_broken(new BrokenFlowsPanel(this))
    , m_job(new FlowJob(this))
{
    m_correlation->setPlaceholderText(tr("Correlation ID (from an event's metadata, or pick a broken flow)"));
    m_correlation->setClearButtonEnabled(true);
    m_grouping->addItem(tr("Lane per stream"));
    m_grouping->addItem(tr("Lane per category"));
    auto* exportMenu = new QMenu(m_export);
    for (const FlowFormat format :
        { FlowFormat::Json, FlowFormat::Mermaid, FlowFormat::Dot, FlowFormat::Svg, FlowFormat::Png }) {
        exportMenu->addAction(QString::fromLatin1(flowFormatName(format)).toUpper() + u'…', this, [this, format] {
            const QString suffix = QString::fromLatin1(flowFormatSuffix(format));
            const QString path = QFileDialog::getSaveFileName(this, tr("Export flow"),
                QStringLiteral("flow-") + m_correlation->text().left(36) + suffix,
                tr("%1 (*%2)").arg(QString::fromLatin1(flowFormatName(format)).toUpper(), suffix));
            if (!path.isEmpty())
                exportTo(path, format);
        });
    }
    m_export->setMenu(exportMenu);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(160);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);

    auto* zoomOut = toolButton(tr("−"), tr("Zoom out"), this);
    auto* zoomIn = toolButton(tr("+"), tr("Zoom in"), this);
    auto* fit = toolButton(tr("Fit"), tr("Show the whole flow"), this);
    // What to show on the first row; how to show it on the second, beside what was found.
    auto* query = new QHBoxLayout;
    query->addWidget(new QLabel(tr("Correlation:"), this));
    query->addWidget(m_correlation, 1);
    query->addWidget(m_show);
    query->addWidget(m_cancel);
    query->addWidget(m_progress);
    query->addWidget(m_conventionsButton);
    auto* shape = new QHBoxLayout;
    shape->addWidget(m_grouping);
    shape->addWidget(zoomOut);
    shape->addWidget(zoomIn);
    shape->addWidget(fit);
    shape->addWidget(m_export);
    shape->addStretch();

    m_table->setModel(m_tableModel);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_views->setDocumentMode(true);
    m_views->addTab(m_lanes, tr("Swimlanes"));
    m_views->addTab(m_graph, tr("Causation graph"));
    m_views->addTab(m_table, tr("Table"));

    auto* flowSide = new QWidget(this);
    auto* flowLayout = new QVBoxLayout(flowSide);
    flowLayout->setContentsMargins(0, 0, 0, 0);
    flowLayout->addLayout(query);
    flowLayout->addLayout(shape);
    flowLayout->addWidget(m_summary);
    flowLayout->addWidget(m_views, 1);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(flowSide);
    splitter->addWidget(m_broken);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 900, 380 });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(splitter);

    connect(m_show, &QPushButton::clicked, this, &FlowPage::load);
    connect(m_correlation, &QLineEdit::returnPressed, this, &FlowPage::load);
    connect(m_cancel, &QPushButton::clicked, m_job, &FlowJob::cancel);
    connect(m_grouping, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_lanes->setGrouping(index == 1 ? FlowLanesView::Grouping::Category : FlowLanesView::Grouping::Stream);
        if (m_selected >= 0)
            m_lanes->selectEvent(m_selected);
    });
    const auto currentView = [this]() -> FlowSceneView* {
        return m_views->currentWidget() == m_graph ? static_cast<FlowSceneView*>(m_graph) : m_lanes;
    };
    connect(zoomIn, &QToolButton::clicked, this, [currentView] { currentView()->zoomIn(); });
    connect(zoomOut, &QToolButton::clicked, this, [currentView] { currentView()->zoomOut(); });
    connect(fit, &QToolButton::clicked, this, [currentView] { currentView()->fitAll(); });
    connect(m_conventionsButton, &QPushButton::clicked, this, &FlowPage::editConventions);
    connect(m_lanes, &FlowSceneView::eventClicked, this, [this](int index) { selectEvent(index, true); });
    connect(m_graph, &FlowSceneView::eventClicked, this, [this](int index) { selectEvent(index, true); });
    connect(
        m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
            if (current.isValid())
                selectEvent(m_tableModel->eventIndexAt(current.row()), true);
        });
    connect(m_job, &FlowJob::progress, this, [this](qint64 found, double fraction, double secondsLeft) {
        m_progress->setValue(fraction < 0 ? 0 : qRound(fraction * 1000));
        const QString events = countText(found, tr("event"), tr("events"));
        m_summary->setText(secondsLeft < 0
                ? tr("Reading… %1 found").arg(events)
                : tr("Reading… %1 found, about %2 s left").arg(events).arg(qMax(1, qRound(secondsLeft))));
    });
    connect(m_job, &FlowJob::finished, this, &FlowPage::showResult);
    connect(m_job, &FlowJob::failed, this, &FlowPage::showFailure);
    connect(m_job, &FlowJob::laidOut, this, [this](std::shared_ptr<const FlowResult> result) {
        // The same events as on show, now with the graph's layout: only the graph view changes.
        m_result = std::move(result);
        m_graph->setFlow(m_result);
        if (m_selected >= 0)
            m_graph->selectEvent(m_selected);
        if (!m_result->layoutError.isEmpty())
            Q_EMIT message(tr("The causation graph could not be laid out: %1").arg(m_result->layoutError));
        Q_EMIT graphLaidOut();
    });
    connect(m_broken, &BrokenFlowsPanel::flowChosen, this,
        [this](const QString& correlation, const QString& orphanId) { showCorrelation(correlation, orphanId); });
    setStore({}, {});
}

FlowPage::~FlowPage() = default;

void FlowPage::setStore(const QString& uri, const QString& settingsKey)
{
    m_job->cancel();
    m_uri = uri;
    m_settingsKey = settingsKey;
    m_conventions = settingsKey.isEmpty() ? Conventions() : loadConventions(settingsKey);
    m_broken->setStore(uri);
    m_broken->setConventions(m_conventions);
    m_result.reset();
    m_selected = -1;
    m_lanes->setFlow(nullptr);
    m_graph->setFlow(nullptr);
    m_tableModel->clear();
    m_summary->setText(uri.isEmpty() ? QString() : tr("Enter a correlation ID, or pick a broken flow."));
    setLoading(false);
}

void FlowPage::showCorrelation(const QString& correlation, const QString& selectEventId)
{
    m_correlation->setText(correlation);
    m_pendingSelection = selectEventId;
    load();
}

void FlowPage::setConventions(const Conventions& conventions)
{
    m_conventions = conventions;
    m_broken->setConventions(conventions);
    if (!m_settingsKey.isEmpty())
        saveConventions(m_settingsKey, conventions);
}

void FlowPage::load()
{
    const QString correlation = m_correlation->text().trimmed();
    if (m_uri.isEmpty())
        return;
    if (correlation.isEmpty()) {
        m_summary->setText(tr("Enter a correlation ID to follow."));
        return;
    }
    setLoading(true);
    m_summary->setText(tr("Reading the events of %1…").arg(correlation));
    m_job->start(m_uri, correlation, m_conventions);
}

void FlowPage::showResult(std::shared_ptr<const FlowResult> result)
{
    m_result = std::move(result);
    m_selected = -1;
    setLoading(false);
    m_lanes->setFlow(m_result);
    m_graph->setFlow(m_result);
    m_tableModel->setResult(m_result);
    m_table->resizeColumnsToContents();
    m_summary->setText(summaryText());
    if (!m_pendingSelection.isEmpty()) {
        const auto& events = m_result->graph.events;
        for (std::size_t i = 0; i < events.size(); ++i)
            if (QString::fromStdString(events[i].id) == m_pendingSelection)
                selectEvent(static_cast<int>(i), true);
        m_pendingSelection.clear();
    }
    Q_EMIT flowShown();
}

void FlowPage::showFailure(const QString& sentence)
{
    setLoading(false);
    m_pendingSelection.clear();
    m_summary->setText(sentence.isEmpty() ? QString() : sentence.at(0).toUpper() + sentence.mid(1) + u'.');
    Q_EMIT message(m_summary->text());
    Q_EMIT flowShown();
}

QString FlowPage::summaryText() const
{
    if (!m_result)
        return {};
    const FlowGraph& graph = m_result->graph;
    if (graph.events.empty())
        return tr("No event carries the correlation ID %1.").arg(QString::fromStdString(graph.correlation));
    std::set<std::string> streams;
    for (const Event& event : graph.events)
        streams.insert(event.stream);
    QStringList parts;
    parts << countText(qint64(graph.events.size()), tr("event"), tr("events"))
          << countText(qint64(streams.size()), tr("stream"), tr("streams"))
          << countText(qint64(graph.orphans.size()), tr("orphan"), tr("orphans"));
    if (!graph.externalCauses.empty())
        parts << countText(
            qint64(graph.externalCauses.size()), tr("caused outside the flow"), tr("caused outside the flow"));
    if (!graph.cycles.empty())
        parts << countText(qint64(graph.cycles.size()), tr("causation loop broken"), tr("causation loops broken"));
    if (graph.criticalPath.size() > 1) {
        const Micros span
            = graph.events[graph.criticalPath.back()].time - graph.events[graph.criticalPath.front()].time;
        parts << tr("critical path: %1 over %2")
                     .arg(countText(qint64(graph.criticalPath.size()), tr("event"), tr("events")),
                         QString::fromStdString(formatFlowGap(span)));
    }
    return parts.join(QStringLiteral(" · "));
}

void FlowPage::selectEvent(int index, bool report)
{
    if (!m_result || index < 0 || index >= static_cast<int>(m_result->graph.events.size()))
        return;
    if (index == m_selected)
        return;
    m_selected = index;
    m_lanes->selectEvent(index);
    m_graph->selectEvent(index);
    const int row = m_tableModel->rowOfEvent(index);
    if (row >= 0 && m_table->currentIndex().row() != row)
        m_table->setCurrentIndex(m_tableModel->index(row, 0));
    if (report)
        Q_EMIT eventSelected(m_result->graph.events[static_cast<std::size_t>(index)]);
}

void FlowPage::exportTo(const QString& path, FlowFormat format)
{
    if (!m_result) {
        Q_EMIT exportFinished(path, tr("There is no flow to export."));
        return;
    }
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, path] {
        const QString error = watcher->result();
        watcher->deleteLater();
        Q_EMIT message(error.isEmpty() ? tr("Flow exported to %1").arg(path) : error);
        Q_EMIT exportFinished(path, error);
    });
    watcher->setFuture(QtConcurrent::run(writeExport, m_result, path, format));
}

void FlowPage::editConventions()
{
    ConventionsDialog dialog(m_conventions, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    setConventions(dialog.conventions());
    if (!m_correlation->text().trimmed().isEmpty())
        load();
}

void FlowPage::setLoading(bool loading)
{
    const bool open = !m_uri.isEmpty();
    m_show->setEnabled(open && !loading);
    m_cancel->setEnabled(loading);
    m_cancel->setVisible(loading);
    m_progress->setVisible(loading);
    m_progress->setValue(0);
    m_export->setEnabled(!loading && m_result && !m_result->graph.events.empty());
    m_conventionsButton->setEnabled(open);
    m_correlation->setEnabled(open);
}

} // namespace eventscope
