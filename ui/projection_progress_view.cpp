#include "ui/projection_progress_view.h"

#include "model/projection_runner.h"
#include "ui/throughput_chart.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSplitter>
#include <QVBoxLayout>

#include <cmath>

namespace eventscope {
namespace {

QString duration(double seconds)
{
    const qint64 total = std::llround(seconds);
    if (total >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(total / 3600)
            .arg(total / 60 % 60, 2, 10, QLatin1Char('0'))
            .arg(total % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
}

QLabel* valueLabel(QWidget* parent, const char* name)
{
    auto* label = new QLabel(QStringLiteral("—"), parent);
    label->setObjectName(QLatin1String(name));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

ProjectionProgressView::ProjectionProgressView(QWidget* parent)
    : QWidget(parent)
    , m_state(new QLabel(tr("No run yet. Choose a projection and press Run."), this))
    , m_events(valueLabel(this, "progressEvents"))
    , m_position(valueLabel(this, "progressPosition"))
    , m_rate(valueLabel(this, "progressRate"))
    , m_eta(valueLabel(this, "progressEta"))
    , m_bar(new QProgressBar(this))
    , m_chart(new ThroughputChart(this))
    , m_log(new QPlainTextEdit(this))
{
    m_state->setObjectName(QStringLiteral("progressState"));
    m_state->setWordWrap(true);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_state->font();
    bold.setBold(true);
    m_state->setFont(bold);
    m_bar->setObjectName(QStringLiteral("progressBar"));
    m_bar->setRange(0, 1000);
    m_bar->setValue(0);
    m_bar->setTextVisible(true);
    m_bar->setFormat(QStringLiteral("%p%"));
    m_chart->setObjectName(QStringLiteral("throughputChart"));
    m_log->setObjectName(QStringLiteral("projectionLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(1000);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setPlaceholderText(tr("What the script passes to log(…) shows here"));

    auto* figures = new QFormLayout;
    figures->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    figures->addRow(tr("Events"), m_events);
    figures->addRow(tr("Position"), m_position);
    figures->addRow(tr("Throughput"), m_rate);
    figures->addRow(tr("Time left"), m_eta);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_chart);
    splitter->addWidget(m_log);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 300, 100 });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->addWidget(m_state);
    layout->addLayout(figures);
    layout->addWidget(m_bar);
    layout->addWidget(splitter, 1);
}

void ProjectionProgressView::start(const QString& what)
{
    m_clock.start();
    m_state->setText(what);
    for (QLabel* label : { m_events, m_position, m_rate, m_eta })
        label->setText(QStringLiteral("—"));
    m_bar->setRange(0, 0); // busy until the first report says how much there is
    m_chart->clear();
    m_log->clear();
}

void ProjectionProgressView::showProgress(const ProjectionProgress& progress)
{
    const QLocale locale;
    const qint64 total = std::max(progress.eventsTotal, progress.eventsDone);
    m_events->setText(tr("%1 of %2").arg(locale.toString(qint64(progress.eventsDone)), locale.toString(total)));
    m_position->setText(
        tr("%1 · head %2").arg(locale.toString(qint64(progress.position)), locale.toString(qint64(progress.head))));
    m_rate->setText(tr("%1 events/s").arg(locale.toString(std::llround(progress.eventsPerSecond))));
    if (progress.paused)
        m_eta->setText(tr("paused"));
    else if (progress.live)
        m_eta->setText(tr("caught up, following new events"));
    else if (progress.etaSeconds)
        m_eta->setText(duration(*progress.etaSeconds));
    else
        m_eta->setText(QStringLiteral("—"));
    m_bar->setRange(0, 1000);
    m_bar->setValue(total > 0 ? int(1000 * progress.eventsDone / total) : (progress.live ? 1000 : 0));
    m_chart->addPoint(double(m_clock.elapsed()) / 1000.0, progress.eventsPerSecond);
}

void ProjectionProgressView::appendLog(const QString& line, qint64 position)
{
    m_log->appendPlainText(tr("%1  %2").arg(position).arg(line));
}

void ProjectionProgressView::finish(const QString& sentence)
{
    m_state->setText(sentence);
    if (m_bar->maximum() == 0)
        m_bar->setRange(0, 1000);
}

} // namespace eventscope
