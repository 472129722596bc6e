#include "ui/audit_chart_view.h"

#include "ui/count_text.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QLabel>
#include <QLegend>
#include <QSet>
#include <QStackedBarSeries>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <numeric>

namespace eventscope {

namespace {

// More sets than this make a legend nobody can read: the rest are summed into one.
constexpr int kMaxTypes = 12;

} // namespace

AuditChartView::AuditChartView(QWidget* parent)
    : QWidget(parent)
    , m_total(new QLabel(this))
    , m_view(new QChartView(new QChart, this))
{
    m_total->setObjectName(QStringLiteral("auditChartTotal"));
    m_total->setWordWrap(true);
    m_view->setObjectName(QStringLiteral("auditChart"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumSize(280, 200);
    QChart* chart = m_view->chart();
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignRight);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_total);
    layout->addWidget(m_view, 1);
    clear();
}

void AuditChartView::clear()
{
    QChart* chart = m_view->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    m_series = nullptr;
    m_data = {};
    m_total->setText(tr("Run a query to see its events per day."));
}

void AuditChartView::setBusy(const QString& text)
{
    m_total->setText(text);
}

void AuditChartView::setSummary(const AuditSummary& summary)
{
    clear();
    m_data = AuditChartData::from(summary, maxDays);
    QString total = countText(m_data.total, tr("event"), tr("events")) + QStringLiteral(", ")
        + countText(m_data.totalDays, tr("day"), tr("days"));
    if (m_data.hiddenDays > 0)
        total += tr(" — the chart shows the last %1 days; %2 earlier (%3) are left out")
                     .arg(m_data.days.size())
                     .arg(countText(m_data.hiddenDays, tr("day"), tr("days")),
                         countText(m_data.hiddenEvents, tr("event"), tr("events")));
    if (!m_data.days.isEmpty())
        total += tr(" (%1 to %2)").arg(m_data.days.first(), m_data.days.last());
    m_total->setText(total);
    if (m_data.days.isEmpty())
        return;

    m_series = new QStackedBarSeries;
    // The most frequent types get their own colour; the rest share one set.
    QList<int> order(m_data.types.size());
    std::iota(order.begin(), order.end(), 0);
    QList<qint64> sums(m_data.types.size());
    for (int type = 0; type < m_data.types.size(); ++type)
        for (qint64 count : m_data.counts[type])
            sums[type] += count;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return sums[a] > sums[b]; });
    QBarSet* others = nullptr;
    qreal highest = 0;
    QList<qreal> dayTotals(m_data.days.size());
    for (int rank = 0; rank < order.size(); ++rank) {
        const int type = order[rank];
        QBarSet* set = nullptr;
        if (rank < kMaxTypes || order.size() == kMaxTypes + 1) {
            set = new QBarSet(m_data.types[type]);
            for (qint64 count : m_data.counts[type])
                set->append(qreal(count));
            m_series->append(set);
        } else {
            if (!others) {
                others = new QBarSet(countText(order.size() - kMaxTypes, tr("other type"), tr("other types")));
                for (int day = 0; day < m_data.days.size(); ++day)
                    others->append(0);
            }
            for (int day = 0; day < m_data.days.size(); ++day)
                others->replace(day, others->at(day) + qreal(m_data.counts[type][day]));
        }
        for (int day = 0; day < m_data.days.size(); ++day)
            highest = std::max(highest, dayTotals[day] += qreal(m_data.counts[type][day]));
    }
    if (others)
        m_series->append(others);
    m_series->setBarWidth(m_data.days.size() > 60 ? 1.0 : 0.8);
    connect(m_series, &QStackedBarSeries::hovered, this, [this](bool inside, int day, QBarSet*) {
        if (!inside || day < 0 || day >= m_data.days.size()) {
            QToolTip::hideText();
            return;
        }
        QStringList lines { m_data.days[day] };
        qint64 dayTotal = 0;
        for (int type = 0; type < m_data.types.size(); ++type) {
            const qint64 count = m_data.counts[type][day];
            dayTotal += count;
            if (count > 0)
                lines.append(QStringLiteral("%1: %2").arg(m_data.types[type]).arg(count));
        }
        lines.insert(1, countText(dayTotal, tr("event"), tr("events")));
        QToolTip::showText(QCursor::pos(), lines.join(u'\n'), m_view);
    });

    QChart* chart = m_view->chart();
    chart->addSeries(m_series);
    auto* days = new QBarCategoryAxis;
    // Qt Charts cuts a bar's label to the bar's width, so days are named under the bars only while each fits;
    // otherwise the span above the chart names the range, and hovering a bar names its day and counts.
    days->append(m_data.days);
    days->setLabelsVisible(m_data.days.size() <= 12);
    if (m_data.days.size() <= 12) {
        QStringList labels;
        for (const QString& day : std::as_const(m_data.days))
            labels.append(day.mid(5)); // "MM-DD": the span above gives the year
        days->setCategories(labels);
    }
    auto* counts = new QValueAxis;
    counts->setRange(0, std::max<qreal>(1, highest));
    counts->setLabelFormat(QStringLiteral("%d"));
    counts->applyNiceNumbers();
    chart->addAxis(days, Qt::AlignBottom);
    chart->addAxis(counts, Qt::AlignLeft);
    m_series->attachAxis(days);
    m_series->attachAxis(counts);
    chart->legend()->setVisible(m_series->count() > 0);
}

int AuditChartView::barSetCount() const
{
    return m_series ? int(m_series->count()) : 0;
}

int AuditChartView::dayCount() const
{
    return m_series && m_series->count() > 0 ? int(m_series->barSets().first()->count()) : 0;
}

QString AuditChartView::totalText() const
{
    return m_total->text();
}

} // namespace eventscope
