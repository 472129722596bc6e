#pragma once
// The Audit tab's chart (DESIGN §9) as plain series: events per day, stacked by type. A chart of thousands of
// days is slow to draw and unreadable, so only the last `maxDays` days that have events are kept, and the
// data says how many were left out.

#include "model/audit_summary.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace eventscope {

struct AuditChartData
{
    QStringList days; // "YYYY-MM-DD", oldest first: the bars
    QStringList types; // in name order: one stacked set each
    QList<QList<qint64>> counts; // counts[type][day]
    qint64 total = 0; // every event of the summary, shown days or not
    int totalDays = 0; // days with events, shown or not
    int hiddenDays = 0; // the oldest days left out
    qint64 hiddenEvents = 0; // their events

    static AuditChartData from(const AuditSummary& summary, int maxDays = 366);
};

} // namespace eventscope
