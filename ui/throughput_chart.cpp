#include "ui/throughput_chart.h"

#include <QChart>
#include <QEvent>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>

namespace eventscope {

ThroughputChart::ThroughputChart(QWidget* parent)
    // Given its chart at construction: QChartView(parent) would make a default one that setChart() leaks.
    : QChartView(new QChart, parent)
    , m_series(new QLineSeries)
    , m_time(new QValueAxis)
    , m_rate(new QValueAxis)
{
    QChart* chart = this->chart();
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    chart->addSeries(m_series);
    m_time->setTitleText(tr("seconds"));
    m_time->setLabelFormat(QStringLiteral("%.0f"));
    m_rate->setTitleText(tr("events/s"));
    m_rate->setLabelFormat(QStringLiteral("%.0f"));
    chart->addAxis(m_time, Qt::AlignBottom);
    chart->addAxis(m_rate, Qt::AlignLeft);
    m_series->attachAxis(m_time);
    m_series->attachAxis(m_rate);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);
    applyPalette();
    clear();
}

void ThroughputChart::addPoint(double seconds, double eventsPerSecond)
{
    m_series->append(seconds, std::max(0.0, eventsPerSecond));
    if (m_series->count() > maxPoints)
        m_series->removePoints(0, m_series->count() - maxPoints);
    rescale();
}

void ThroughputChart::clear()
{
    m_series->clear();
    rescale();
}

int ThroughputChart::pointCount() const
{
    return int(m_series->count());
}

void ThroughputChart::rescale()
{
    if (m_series->count() == 0) {
        m_time->setRange(0, 10);
        m_rate->setRange(0, 100);
        m_time->applyNiceNumbers();
        m_rate->applyNiceNumbers();
        return;
    }
    const QList<QPointF> points = m_series->points();
    double top = 0;
    for (const QPointF& point : points)
        top = std::max(top, point.y());
    // Round numbers on both axes, with headroom above the line so that it does not touch the frame.
    m_rate->setRange(0, std::max(top * 1.1, 10.0));
    m_rate->applyNiceNumbers();
    const double first = points.front().x();
    m_time->setRange(first, std::max(points.back().x(), first + 10));
    m_time->applyNiceNumbers();
}

void ThroughputChart::applyPalette()
{
    QChart* chart = this->chart();
    const QPalette& colours = palette();
    chart->setBackgroundBrush(colours.base());
    chart->setPlotAreaBackgroundVisible(false);
    for (QValueAxis* axis : { m_time, m_rate }) {
        axis->setLabelsColor(colours.color(QPalette::Text));
        axis->setTitleBrush(colours.placeholderText());
        QColor grid = colours.color(QPalette::Text);
        grid.setAlpha(40);
        axis->setGridLineColor(grid);
        axis->setLinePenColor(grid);
    }
    QPen line(colours.color(QPalette::Highlight));
    line.setWidthF(2);
    m_series->setPen(line);
}

void ThroughputChart::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QChartView::changeEvent(event);
}

} // namespace eventscope
