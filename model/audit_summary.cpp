#include "model/audit_summary.h"

#include "storage/time_format.h"

#include <algorithm>

namespace eventscope {

std::string utcDay(Micros time)
{
    return formatTime(time).substr(0, 10);
}

void AuditSummary::add(const Event& event)
{
    m_first = m_total == 0 ? event.time : std::min(m_first, event.time);
    m_last = m_total == 0 ? event.time : std::max(m_last, event.time);
    ++m_total;
    ++m_byType[event.type];
    ++m_byDay[utcDay(event.time)][event.type];
}

std::int64_t AuditSummary::onDay(const std::string& day) const
{
    const auto found = m_byDay.find(day);
    if (found == m_byDay.end())
        return 0;
    std::int64_t count = 0;
    for (const auto& [type, n] : found->second)
        count += n;
    return count;
}

} // namespace eventscope
