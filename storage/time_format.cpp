#include "storage/time_format.h"

#include "storage/error.h"

#include <chrono>
#include <cstdio>

namespace eventscope {
namespace {

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
constexpr std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil
{
    std::int64_t year;
    unsigned month;
    unsigned day;
};

constexpr Civil civilFromDays(std::int64_t z)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return { y + (m <= 2), m, d };
}

bool isLeap(std::int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned daysInMonth(std::int64_t y, unsigned m)
{
    static constexpr unsigned days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && isLeap(y) ? 29 : days[m - 1];
}

class Cursor
{
public:
    explicit Cursor(std::string_view text)
        : m_text(text)
    {
    }
    bool digits(int count, int& out)
    {
        out = 0;
        for (int i = 0; i < count; ++i) {
            if (m_pos >= m_text.size() || m_text[m_pos] < '0' || m_text[m_pos] > '9')
                return false;
            out = out * 10 + (m_text[m_pos++] - '0');
        }
        return true;
    }
    bool accept(char c)
    {
        if (m_pos < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }
    bool acceptAny(std::string_view chars)
    {
        if (m_pos < m_text.size() && chars.find(m_text[m_pos]) != std::string_view::npos) {
            ++m_pos;
            return true;
        }
        return false;
    }
    bool isDigit() const { return m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9'; }
    char take() { return m_text[m_pos++]; }
    bool atEnd() const { return m_pos == m_text.size(); }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
};

} // namespace

std::optional<Micros> tryParseTime(std::string_view text)
{
    Cursor c(text);
    int year, month, day, hour, minute, second;
    if (!c.digits(4, year) || !c.accept('-') || !c.digits(2, month) || !c.accept('-') || !c.digits(2, day))
        return std::nullopt;
    if (!c.acceptAny("Tt "))
        return std::nullopt;
    if (!c.digits(2, hour) || !c.accept(':') || !c.digits(2, minute) || !c.accept(':') || !c.digits(2, second))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || static_cast<unsigned>(day) > daysInMonth(year, month) || hour > 23
        || minute > 59 || second > 60)
        return std::nullopt;
    std::int64_t micros = 0;
    if (c.accept('.') || c.accept(',')) {
        if (!c.isDigit())
            return std::nullopt;
        int taken = 0;
        while (c.isDigit()) {
            const int digit = c.take() - '0';
            if (taken < 6)
                micros = micros * 10 + digit;
            ++taken;
        }
        for (int i = taken; i < 6; ++i)
            micros *= 10;
    }
    std::int64_t offsetSeconds = 0;
    if (!c.acceptAny("Zz")) {
        int sign;
        if (c.accept('+'))
            sign = 1;
        else if (c.accept('-'))
            sign = -1;
        else
            return std::nullopt;
        int offH, offM;
        if (!c.digits(2, offH) || !c.accept(':') || !c.digits(2, offM) || offH > 23 || offM > 59)
            return std::nullopt;
        offsetSeconds = sign * (offH * 3600 + offM * 60);
    }
    if (!c.atEnd())
        return std::nullopt;
    // A leap second (:60) folds onto the next second, as most systems do.
    const std::int64_t seconds
        = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
    return seconds * 1'000'000 + micros;
}

Micros parseTime(std::string_view text)
{
    if (auto t = tryParseTime(text))
        return *t;
    fail(ErrorKind::BadInput,
        "'" + std::string(text)
            + "' is not an RFC 3339 time such as 2024-01-15T14:00:00Z or 2024-01-15T15:00:00.5+01:00");
}

std::string formatTime(Micros time)
{
    std::int64_t seconds = time / 1'000'000;
    std::int64_t micros = time % 1'000'000;
    if (micros < 0) {
        micros += 1'000'000;
        seconds -= 1;
    }
    std::int64_t days = seconds / 86400;
    std::int64_t secOfDay = seconds % 86400;
    if (secOfDay < 0) {
        secOfDay += 86400;
        days -= 1;
    }
    const Civil civil = civilFromDays(days);
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ",
        static_cast<long long>(civil.year), civil.month, civil.day, static_cast<long long>(secOfDay / 3600),
        static_cast<long long>(secOfDay / 60 % 60), static_cast<long long>(secOfDay % 60),
        static_cast<long long>(micros));
    return buffer;
}

Micros nowMicros()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace eventscope
