#include "model/projection_export.h"

#include "storage/error.h"
#include "storage/event_store.h"

#include <QSaveFile>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

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
    // A page of states at a time, read by the key and written before the next is read: memory holds one page of
    // states and its text, however many partitions the projection has.
    std::int64_t written = 0;
    std::optional<std::string> after;
    std::string chunk;
    for (;;) {
        const std::vector<PartitionState> page = target.projectionStatesPage(name, after, kChunk);
        if (page.empty())
            break;
        if (cancel && cancel->load())
            fail(ErrorKind::Cancelled, "the export of " + name + " was cancelled");
        chunk.clear();
        for (const PartitionState& state : page)
            chunk += format == ProjectionExportFormat::Csv ? csvRow(state) : ndjsonLine(state);
        write(chunk);
        written += std::int64_t(page.size());
        if (page.size() < kChunk)
            break;
        after = page.back().partition;
    }
    if (!file.commit())
        fail(ErrorKind::BadInput, "cannot write " + path.toStdString() + ": " + file.errorString().toStdString());
    return written;
}

} // namespace eventscope
