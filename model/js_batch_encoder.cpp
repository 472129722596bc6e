#include "model/js_batch_encoder.h"

#include "model/json_text.h"
#include "storage/error.h"
#include "storage/time_format.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace eventscope {
namespace {

constexpr std::size_t kChunkEvents = 4096;
constexpr std::size_t kChunkBytes = std::size_t(64) << 20; // keeps offsets well inside Int32

// formatTime's text, written without snprintf (which costs ~300 ns an event): the date part is formatted once
// a day, the rest digit by digit.
struct DayCache
{
    std::int64_t day = std::numeric_limits<std::int64_t>::min();
    std::string prefix; // "2024-01-15T"
};

void appendTime(std::string& out, Micros time, DayCache& cache)
{
    constexpr Micros perDay = 86'400'000'000;
    if (time < std::numeric_limits<Micros>::min() + 2 * perDay) {
        out += formatTime(time);
        return;
    }
    Micros day = time / perDay;
    Micros rest = time % perDay;
    if (rest < 0) {
        rest += perDay;
        --day;
    }
    if (day != cache.day) {
        const std::string text = formatTime(day * perDay);
        cache.prefix = text.substr(0, text.find('T') + 1);
        cache.day = day;
    }
    out += cache.prefix;
    char clock[16] = "00:00:00.000000";
    const auto put = [&](int at, int width, std::int64_t value) {
        for (int i = at + width - 1; i >= at; --i, value /= 10)
            clock[i] = static_cast<char>('0' + value % 10);
    };
    put(0, 2, rest / 3'600'000'000);
    put(3, 2, rest / 60'000'000 % 60);
    put(6, 2, rest / 1'000'000 % 60);
    put(9, 6, rest % 1'000'000);
    out.append(clock, 15);
    out += 'Z';
}

} // namespace

JsBatchEncoder::JsBatchEncoder(Wants wants)
    : m_wants(std::move(wants))
{
}

std::int32_t JsBatchEncoder::intern(const std::string& text)
{
    // A batch has a few types and streams; past 64 distinct strings, stop looking and just add.
    std::vector<std::string>& strings = m_text->strings;
    const std::size_t look = std::min<std::size_t>(strings.size(), 64);
    for (std::size_t i = 0; i < look; ++i)
        if (strings[i] == text)
            return static_cast<std::int32_t>(i);
    strings.push_back(text);
    return static_cast<std::int32_t>(strings.size() - 1);
}

bool JsBatchEncoder::wanted(std::int32_t type)
{
    if (!m_wants)
        return true;
    const std::vector<std::string>& strings = m_text->strings;
    if (m_wanted.size() < strings.size())
        m_wanted.resize(strings.size(), -1);
    signed char& known = m_wanted[static_cast<std::size_t>(type)];
    if (known < 0)
        known = m_wants(strings[static_cast<std::size_t>(type)]) ? 1 : 0;
    return known == 1;
}

void JsBatchEncoder::encode(std::span<const Event> events, JsBatchText& out)
{
    auto& data = out.data;
    auto& blob = out.blob;
    auto& ints = out.ints;
    auto& numbers = out.numbers;
    auto& strings = out.strings;
    std::size_t& count = out.count;
    m_text = &out;
    data.assign(1, '[');
    blob.clear();
    ints.clear();
    numbers.clear();
    strings.clear();
    m_wanted.clear();
    const std::size_t expected = std::min(events.size(), kChunkEvents);
    ints.reserve(expected * kIntsPerEvent);
    numbers.reserve(expected * kNumbersPerEvent);
    DayCache day;
    const auto text = [&](std::string_view s) {
        ints.push_back(static_cast<std::int32_t>(blob.size()));
        blob += s;
    };
    count = 0;
    for (const Event& event : events) {
        if (count == kChunkEvents || blob.size() > kChunkBytes)
            break;
        if (event.data.size() + event.metadata.size() > kChunkBytes)
            fail(ErrorKind::BadInput,
                "event " + std::to_string(event.version) + " of " + event.stream + " is too large for a script");
        const std::int32_t type = intern(event.type);
        ints.push_back(type);
        ints.push_back(intern(event.stream));
        if (!wanted(type)) {
            // No handler will see it: no texts, no data to parse.
            ints.insert(ints.end(), 8, static_cast<std::int32_t>(blob.size()));
            data += count > 0 ? ",null" : "null";
            numbers.insert(numbers.end(),
                { static_cast<double>(event.version), static_cast<double>(event.position),
                    static_cast<double>(event.time), 0.0, std::nan("") });
            ++count;
            continue;
        }
        text(event.id);
        text(event.correlation);
        text(event.causation);
        text(event.actor);
        ints.push_back(static_cast<std::int32_t>(blob.size()));
        appendTime(blob, event.time, day);
        text(event.metadata);
        text(event.data);
        ints.push_back(static_cast<std::int32_t>(blob.size()));
        const bool json = isJsonText(event.data);
        if (count > 0)
            data += ',';
        if (json)
            data += event.data;
        else
            appendJsonString(data, event.data);
        numbers.insert(numbers.end(),
            { static_cast<double>(event.version), static_cast<double>(event.position), static_cast<double>(event.time),
                json ? 1.0 : 0.0, event.schemaVersion ? static_cast<double>(*event.schemaVersion) : std::nan("") });
        ++count;
    }
    data += ']';
    m_text = nullptr;
}

} // namespace eventscope
