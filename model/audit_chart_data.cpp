#include "model/audit_chart_data.h"

#include <set>

namespace eventscope {

AuditChartData AuditChartData::from(const AuditSummary& summary, int maxDays)
{
    AuditChartData data;
    data.total = summary.total();
    const auto& byDay = summary.byDay();
    data.totalDays = int(byDay.size());
    data.hiddenDays = std::max(0, data.totalDays - std::max(0, maxDays));
    auto day = byDay.begin();
    for (int skipped = 0; skipped < data.hiddenDays; ++skipped, ++day)
        for (const auto& [type, count] : day->second)
            data.hiddenEvents += count;
    std::set<std::string> types; // only the types of the days shown get a set
    for (auto shown = day; shown != byDay.end(); ++shown)
        for (const auto& entry : shown->second)
            types.insert(entry.first);
    for (const std::string& type : types)
        data.types.append(QString::fromStdString(type));
    data.counts.resize(data.types.size());
    for (; day != byDay.end(); ++day) {
        data.days.append(QString::fromStdString(day->first));
        int index = 0;
        for (const std::string& type : types) {
            const auto found = day->second.find(type);
            data.counts[index++].append(found == day->second.end() ? 0 : found->second);
        }
    }
    return data;
}

} // namespace eventscope
