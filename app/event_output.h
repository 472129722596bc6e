#pragma once
// The machine-readable writers of the command line (DESIGN §8): events as NDJSON, RFC 4180 CSV or an aligned
// table, and streams as NDJSON or a table. Writers hand text to a sink (stdout, or an export file) as they go,
// so a long read never piles up in memory.

#include "model/event_text.h"
#include "storage/event.h"
#include "storage/query.h"

#include <QString>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace eventscope::cli {

using Sink = std::function<void(std::string_view)>;

enum class OutputFormat { Ndjson, Table, Csv };

// Parses --format; `allowed` lists the accepted names in the order --help shows them.
OutputFormat parseFormat(const QString& text, const std::vector<OutputFormat>& allowed);

// Columns aligned by the widest of the first rows; later rows that are wider simply push their line out.
class TextTable
{
public:
    TextTable(Sink sink, std::vector<std::string> header, std::vector<bool> rightAligned);
    void addRow(std::vector<std::string> row);
    void finish();

private:
    void flushBuffered();
    void writeRow(const std::vector<std::string>& row);

    Sink m_sink;
    std::vector<std::string> m_header;
    std::vector<bool> m_right;
    std::vector<std::size_t> m_widths;
    std::vector<std::vector<std::string>> m_buffered;
    bool m_widthsFixed = false;
};

class EventWriter
{
public:
    virtual ~EventWriter() = default;
    virtual void write(const Event& event) = 0;
    virtual void finish() { }
};

std::unique_ptr<EventWriter> makeEventWriter(OutputFormat format, Sink sink);

class StreamWriter
{
public:
    virtual ~StreamWriter() = default;
    virtual void write(const StreamInfo& stream) = 0;
    virtual void finish() { }
};

std::unique_ptr<StreamWriter> makeStreamWriter(OutputFormat format, Sink sink);

} // namespace eventscope::cli
