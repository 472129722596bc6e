#pragma once
// What an audit answer holds, counted as it streams by (DESIGN §7, §9): events by type, and by day (UTC) and
// type, for the Audit tab's chart and the PDF report's summary. Its size grows with days × types, never with
// the number of events.

#include "storage/event.h"

#include <cstdint>
#include <map>
#include <string>

namespace eventscope {

class AuditSummary
{
public:
    void add(const Event& event);

    std::int64_t total() const { return m_total; }
    const std::map<std::string, std::int64_t>& byType() const { return m_byType; }
    // "YYYY-MM-DD" (UTC) → type → count, days in order.
    const std::map<std::string, std::map<std::string, std::int64_t>>& byDay() const { return m_byDay; }
    std::int64_t onDay(const std::string& day) const;
    Micros firstTime() const { return m_first; } // 0 when empty
    Micros lastTime() const { return m_last; }

private:
    std::int64_t m_total = 0;
    std::map<std::string, std::int64_t> m_byType;
    std::map<std::string, std::map<std::string, std::int64_t>> m_byDay;
    Micros m_first = 0;
    Micros m_last = 0;
};

// "YYYY-MM-DD" of a time, in UTC.
std::string utcDay(Micros time);

} // namespace eventscope
