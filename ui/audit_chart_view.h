#pragma once
// The Audit tab's summary (DESIGN §9): events per day, stacked by type, with the total above. Qt Charts draws
// thousands of bars slowly and unreadably, so the chart keeps the last days (AuditChartData) and says so.

#include "model/audit_chart_data.h"

#include <QWidget>

class QChartView;
class QLabel;
class QStackedBarSeries;

namespace eventscope {

class AuditChartView : public QWidget
{
    Q_OBJECT

public:
    static constexpr int maxDays = 366;

    explicit AuditChartView(QWidget* parent = nullptr);

    void setSummary(const AuditSummary& summary);
    void setBusy(const QString& text); // a query is counting
    void clear();

    const AuditChartData& data() const { return m_data; }
    int barSetCount() const;
    int dayCount() const;
    QString totalText() const;
    QChartView* chartView() const { return m_view; }

private:
    QLabel* m_total;
    QChartView* m_view;
    QStackedBarSeries* m_series = nullptr;
    AuditChartData m_data;
};

} // namespace eventscope
