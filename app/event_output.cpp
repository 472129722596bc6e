#include "app/event_output.h"

#include "app/cli_parser.h"
#include "storage/time_format.h"

#include <nlohmann/json.hpp>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace eventscope::cli {
namespace {

QString formatName(OutputFormat format)
{
    switch (format) {
    case OutputFormat::Ndjson:
        return u"ndjson"_s;
    case OutputFormat::Table:
        return u"table"_s;
    case OutputFormat::Csv:
        return u"csv"_s;
    }
    return {};
}

// Code points, which is what a terminal shows for most text.
std::size_t displayWidth(std::string_view text)
{
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string orDash(const std::string& text)
{
    return text.empty() ? std::string("-") : text;
}

class NdjsonEventWriter final : public EventWriter
{
public:
    explicit NdjsonEventWriter(Sink sink)
        : m_sink(std::move(sink))
    {
    }
    void write(const Event& event) override { m_sink(ndjsonEventLine(event)); }

private:
    Sink m_sink;
};

class CsvEventWriter final : public EventWriter
{
public:
    explicit CsvEventWriter(Sink sink)
        : m_sink(std::move(sink))
    {
        m_sink(kCsvEventHeader);
    }
    void write(const Event& event) override { m_sink(csvEventLine(event)); }

private:
    Sink m_sink;
};

class TableEventWriter final : public EventWriter
{
public:
    explicit TableEventWriter(Sink sink)
        : m_table(std::move(sink), { "position", "time", "stream", "version", "type", "actor", "correlation" },
            { true, false, false, true, false, false, false })
    {
    }
    void write(const Event& event) override
    {
        m_table.addRow({ std::to_string(event.position), formatTime(event.time), event.stream,
            std::to_string(event.version), event.type, orDash(event.actor), orDash(event.correlation) });
    }
    void finish() override { m_table.finish(); }

private:
    TextTable m_table;
};

class NdjsonStreamWriter final : public StreamWriter
{
public:
    explicit NdjsonStreamWriter(Sink sink)
        : m_sink(std::move(sink))
    {
    }
    void write(const StreamInfo& s) override
    {
        m_sink("{\"stream\":" + jsonString(s.name) + ",\"category\":" + jsonString(s.category)
            + ",\"version\":" + std::to_string(s.version) + ",\"count\":" + std::to_string(s.count)
            + ",\"first_time\":\"" + formatTime(s.firstTime) + "\",\"last_time\":\"" + formatTime(s.lastTime)
            + "\",\"last_position\":" + std::to_string(s.lastPosition) + "}\n");
    }

private:
    Sink m_sink;
};

class TableStreamWriter final : public StreamWriter
{
public:
    explicit TableStreamWriter(Sink sink)
        : m_table(std::move(sink), { "stream", "category", "version", "first_time", "last_time", "last_position" },
            { false, false, true, false, false, true })
    {
    }
    void write(const StreamInfo& s) override
    {
        m_table.addRow({ s.name, s.category, std::to_string(s.version), formatTime(s.firstTime), formatTime(s.lastTime),
            std::to_string(s.lastPosition) });
    }
    void finish() override { m_table.finish(); }

private:
    TextTable m_table;
};

constexpr std::size_t kRowsToMeasure = 1000;

} // namespace

OutputFormat parseFormat(const QString& text, const std::vector<OutputFormat>& allowed)
{
    QStringList names;
    for (const OutputFormat format : allowed) {
        if (formatName(format) == text)
            return format;
        names << formatName(format);
    }
    badInput(u"--format '"_s + text + u"' is not one of "_s + names.join(u", "_s));
}

TextTable::TextTable(Sink sink, std::vector<std::string> header, std::vector<bool> rightAligned)
    : m_sink(std::move(sink))
    , m_header(std::move(header))
    , m_right(std::move(rightAligned))
{
    for (const auto& title : m_header)
        m_widths.push_back(displayWidth(title));
}

void TextTable::addRow(std::vector<std::string> row)
{
    if (m_widthsFixed) {
        writeRow(row);
        return;
    }
    for (std::size_t i = 0; i < row.size() && i < m_widths.size(); ++i)
        m_widths[i] = std::max(m_widths[i], displayWidth(row[i]));
    m_buffered.push_back(std::move(row));
    if (m_buffered.size() >= kRowsToMeasure)
        flushBuffered();
}

void TextTable::finish()
{
    if (!m_widthsFixed)
        flushBuffered();
}

void TextTable::flushBuffered()
{
    m_widthsFixed = true;
    writeRow(m_header);
    for (const auto& row : m_buffered)
        writeRow(row);
    m_buffered.clear();
}

void TextTable::writeRow(const std::vector<std::string>& row)
{
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
        const bool last = i + 1 == row.size();
        const std::size_t width = i < m_widths.size() ? m_widths[i] : 0;
        const std::size_t shown = displayWidth(row[i]);
        const std::string padding(width > shown ? width - shown : 0, ' ');
        if (i < m_right.size() && m_right[i])
            line += padding + row[i];
        else
            line += last ? row[i] : row[i] + padding;
        if (!last)
            line += "  ";
    }
    m_sink(line + '\n');
}

std::unique_ptr<EventWriter> makeEventWriter(OutputFormat format, Sink sink)
{
    switch (format) {
    case OutputFormat::Ndjson:
        break;
    case OutputFormat::Csv:
        return std::make_unique<CsvEventWriter>(std::move(sink));
    case OutputFormat::Table:
        return std::make_unique<TableEventWriter>(std::move(sink));
    }
    return std::make_unique<NdjsonEventWriter>(std::move(sink));
}

std::unique_ptr<StreamWriter> makeStreamWriter(OutputFormat format, Sink sink)
{
    if (format == OutputFormat::Table)
        return std::make_unique<TableStreamWriter>(std::move(sink));
    return std::make_unique<NdjsonStreamWriter>(std::move(sink));
}

} // namespace eventscope::cli
