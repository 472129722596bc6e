#include "ui/broken_flows_panel.h"

#include "model/broken_flows_job.h"
#include "model/broken_flows_model.h"
#include "ui/count_text.h"

#include <QDateTimeEdit>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace eventscope {

namespace {

// The earliest value of an edit stands for an open end, shown as "any time".
const QDateTime openEnd = QDateTime(QDate(1970, 1, 1), QTime(0, 0), Qt::UTC);

QDateTimeEdit* makeBoundEdit(QWidget* parent)
{
    auto* edit = new QDateTimeEdit(parent);
    edit->setTimeSpec(Qt::UTC);
    edit->setCalendarPopup(true);
    edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    edit->setMinimumDateTime(openEnd);
    edit->setSpecialValueText(QObject::tr("any time"));
    edit->setDateTime(openEnd);
    return edit;
}

QString durationText(double seconds)
{
    if (seconds < 0)
        return {};
    if (seconds < 60)
        return QObject::tr("about %1 s left").arg(qMax(1, qRound(seconds)));
    return QObject::tr("about %1 min left").arg(qRound(seconds / 60));
}

} // namespace

BrokenFlowsPanel::BrokenFlowsPanel(QWidget* parent)
    : QWidget(parent)
    , m_since(makeBoundEdit(this))
    , m_until(makeBoundEdit(this))
    , m_search(new QPushButton(tr("Find broken flows"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_view(new QTableView(this))
    , m_model(new BrokenFlowsModel(this))
    , m_job(new BrokenFlowsJob(this))
{
    auto* title
        = new QLabel(tr("<b>Broken flows</b>: correlations with an event whose cause is not in the store"), this);
    title->setWordWrap(true);
    auto* range = new QFormLayout;
    range->addRow(tr("From:"), m_since);
    range->addRow(tr("To:"), m_until);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_search);
    buttons->addWidget(m_cancel);
    buttons->addStretch();
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(6);
    m_status->setWordWrap(true);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    // A correlation ID is long and alike at both ends in many systems: keep both ends, the table keeps its room.
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(title);
    layout->addLayout(range);
    layout->addLayout(buttons);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_view, 1);

    connect(m_search, &QPushButton::clicked, this, &BrokenFlowsPanel::search);
    connect(m_cancel, &QPushButton::clicked, this, &BrokenFlowsPanel::cancel);
    connect(m_job, &BrokenFlowsJob::progress, this, [this](double fraction, double secondsLeft) {
        m_progress->setValue(fraction < 0 ? 0 : qRound(fraction * 1000));
        m_status->setText(tr("Searching… %1").arg(durationText(secondsLeft)));
    });
    connect(m_job, &BrokenFlowsJob::finished, this, [this](const std::vector<BrokenFlow>& flows) {
        setSearching(false);
        m_model->setFlows(flows);
        m_view->resizeColumnsToContents();
        m_view->setColumnWidth(0, qMin(m_view->columnWidth(0), m_view->fontMetrics().horizontalAdvance(u'0') * 18));
        m_status->setText(flows.empty()
                ? tr("No broken flow in this range.")
                : countText(qint64(flows.size()), tr("broken flow"), tr("broken flows")) + u'.');
        Q_EMIT searchFinished();
    });
    connect(m_job, &BrokenFlowsJob::failed, this, [this](const QString& sentence) {
        setSearching(false);
        m_status->setText(sentence.isEmpty() ? QString() : sentence.at(0).toUpper() + sentence.mid(1) + u'.');
        Q_EMIT searchFinished();
    });
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex& index) {
        Q_EMIT flowChosen(index.data(BrokenFlowsModel::CorrelationRole).toString(),
            index.data(BrokenFlowsModel::FirstOrphanIdRole).toString());
    });
    connect(m_view, &QTableView::clicked, m_view, &QTableView::activated);
    setStore({});
}

void BrokenFlowsPanel::setStore(const QString& uri)
{
    cancel();
    m_uri = uri;
    m_model->clear();
    m_status->clear();
    setSearching(false);
}

void BrokenFlowsPanel::setRange(std::optional<Micros> since, std::optional<Micros> until)
{
    const auto toEdit = [](std::optional<Micros> bound) {
        return bound ? QDateTime::fromMSecsSinceEpoch(*bound / 1000, Qt::UTC) : openEnd;
    };
    m_since->setDateTime(toEdit(since));
    m_until->setDateTime(toEdit(until));
}

std::optional<Micros> BrokenFlowsPanel::boundOf(const QDateTimeEdit* edit) const
{
    if (edit->dateTime() == openEnd)
        return std::nullopt;
    return edit->dateTime().toMSecsSinceEpoch() * 1000;
}

void BrokenFlowsPanel::search()
{
    if (m_uri.isEmpty())
        return;
    auto since = boundOf(m_since);
    auto until = boundOf(m_until);
    // The edit shows whole seconds: "To 14:00:00" includes everything in that second.
    if (until)
        *until += 999'999;
    if (since && until && *until < *since) {
        m_status->setText(tr("The range ends before it starts."));
        return;
    }
    setSearching(true);
    m_status->setText(tr("Searching…"));
    m_job->start(m_uri, since, until, m_conventions);
}

void BrokenFlowsPanel::cancel()
{
    if (m_job->isRunning()) {
        m_job->cancel();
        m_status->setText(tr("Cancelling…"));
    }
}

QString BrokenFlowsPanel::statusText() const
{
    return m_status->text();
}

void BrokenFlowsPanel::setSearching(bool searching)
{
    m_search->setEnabled(!searching && !m_uri.isEmpty());
    m_cancel->setEnabled(searching);
    m_progress->setVisible(searching);
    m_progress->setValue(0);
}

} // namespace eventscope
