#include "model/projection_export.h"

#include "storage/error.h"
#include "storage/event_store.h"

#include <QSaveFile>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace eventscope {
namespace {

constexpr std::size_t kChunk = 1000;

std::string ndjsonLine(const PartitionState& state)
{
    nlohmann::ordered_json line;
    line["partition"] = state.partition;
    auto value = nlohmann::ordered_json::parse(state.state, nullptr, false);
    // A state that is not JSON (written by something else) is kept as its text.
    line["state"] = value.is_discarded() ? nlohmann::ordered_json(state.state) : std::move(value);
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n';
}

std::string csvRow(const PartitionState& state)
{
    return csvField(state.partition) + ',' + csvField(state.state) + "\r\n";
}

} // namespace

ProjectionExportFormat projectionExportFormatFor(const QString& path)
{
    return path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive) ? ProjectionExportFormat::Csv
                                                                     : ProjectionExportFormat::Ndjson;
}

std::string csvField(const std::string& text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::int64_t exportProjectionStates(EventStore& target, const std::string& name, const QString& path,
    ProjectionExportFormat format, const std::atomic<bool>* cancel)
{
    if (!target.projection(name))
        fail(ErrorKind::BadInput, "there is no projection named " + name);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        fail(ErrorKind::BadInput, "cannot write " + path.toStdString() + ": " + file.errorString().toStdString());
    const auto write = [&](const std::string& text) {
        if (file.write(text.data(), qint64(text.size())) != qint64(text.size()))
            fail(ErrorKind::BadInput, "cannot write " + path.toStdString() + ": " + file.errorString().toStdString());
    };
    if (format == ProjectionExportFormat::Csv)
        write("partition,state\r\n");
    // The store hands the states over in one list (it has no paged read of them); the text is built and written a
    // chunk at a time so that the file's bytes never sit in memory beside them.
    const std::vector<PartitionState> states = target.projectionStates(name);
    std::string chunk;
    for (std::size_t from = 0; from < states.size(); from += kChunk) {
        if (cancel && cancel->load())
            fail(ErrorKind::Cancelled, "the export of " + name + " was cancelled");
        chunk.clear();
        const std::size_t to = std::min(states.size(), from + kChunk);
        for (std::size_t i = from; i < to; ++i)
            chunk += format == ProjectionExportFormat::Csv ? csvRow(states[i]) : ndjsonLine(states[i]);
        write(chunk);
    }
    if (!file.commit())
        fail(ErrorKind::BadInput, "cannot write " + path.toStdString() + ": " + file.errorString().toStdString());
    return std::int64_t(states.size());
}

} // namespace eventscope
