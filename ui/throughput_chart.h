#pragma once
// Events per second over the time of a projection run: one point per progress report, the last two minutes or
// so of them (maxPoints), with axes that follow the points.

#include <QChartView>

class QLineSeries;
class QValueAxis;

namespace eventscope {

class ThroughputChart : public QChartView
{
    Q_OBJECT

public:
    static constexpr int maxPoints = 120;

    explicit ThroughputChart(QWidget* parent = nullptr);

    // `seconds` since the run started.
    void addPoint(double seconds, double eventsPerSecond);
    void clear();
    int pointCount() const;
    QLineSeries* series() const { return m_series; }
    QValueAxis* timeAxis() const { return m_time; }
    QValueAxis* rateAxis() const { return m_rate; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyPalette();
    void rescale();

    QLineSeries* m_series = nullptr;
    QValueAxis* m_time = nullptr;
    QValueAxis* m_rate = nullptr;
};

} // namespace eventscope
