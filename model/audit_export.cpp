#include "model/audit_export.h"

#include "model/atomic_output_file.h"
#include "model/audit_record.h"
#include "model/event_text.h"
#include "model/redaction.h"
#include "storage/error.h"
#include "storage/event_store.h"
#include "storage/time_format.h"

#include <QSysInfo>

namespace eventscope {
namespace {

constexpr std::size_t kPageSize = 1000;
// Lines are gathered and written this many bytes at a time: one write call per line would cost more than the line.
constexpr std::size_t kWriteChunk = 256 * 1024;

void checkCancel(const std::atomic<bool>* cancel)
{
    if (cancel && cancel->load(std::memory_order_relaxed))
        fail(ErrorKind::Cancelled, "the export was cancelled");
}

std::int64_t expectedTotal(EventStore& store, const AuditQuery& query)
{
    try {
        return store.countEvents(query.toEventQuery()).count;
    } catch (const Error& error) {
        if (error.kind == ErrorKind::Cancelled)
            throw;
        return -1; // progress without a total is still progress
    }
}

// Writes the lines of one text format, redacted, through a buffer.
std::int64_t writeText(EventStore& store, const AuditExportRequest& request, const Redaction& redaction,
    AtomicOutputFile& file, const AuditProgress& progress, const std::atomic<bool>* cancel)
{
    const bool csv = request.format == AuditFormat::Csv;
    std::string buffer;
    buffer.reserve(kWriteChunk + 4096);
    if (csv)
        buffer += kCsvEventHeader;
    const std::int64_t total = progress ? expectedTotal(store, request.query) : -1;
    std::int64_t count = 0;
    forEachAuditEvent(
        store, request.query,
        [&](const Event& stored) {
            const Event event = redaction.isEmpty() ? Event() : redaction.apply(stored);
            const Event& shown = redaction.isEmpty() ? stored : event;
            if (csv)
                appendCsvEventLine(buffer, shown);
            else
                appendNdjsonEventLine(buffer, shown);
            if (buffer.size() >= kWriteChunk) {
                file.write(buffer);
                buffer.clear();
            }
            ++count;
        },
        cancel,
        [&](std::int64_t done) {
            if (progress)
                progress(done, total);
        });
    file.write(buffer);
    return count;
}

std::int64_t writePdf(EventStore& store, const AuditExportRequest& request, const Redaction& redaction,
    AtomicOutputFile& file, const AuditProgress& progress, const std::atomic<bool>* cancel)
{
    // Two passes: the summary comes first in the report, and counting it first keeps memory flat.
    const AuditSummary summary = summarizeAudit(store, request.query, cancel);
    AuditPdfReport report(file.device(), auditReportHeader(store, request.query, request.redactions), summary);
    std::int64_t count = 0;
    forEachAuditEvent(
        store, request.query,
        [&](const Event& stored) {
            report.addEvent(redaction.isEmpty() ? stored : redaction.apply(stored));
            ++count;
        },
        cancel,
        [&](std::int64_t done) {
            if (progress)
                progress(done, summary.total());
        });
    report.finish();
    return count;
}

} // namespace

std::optional<AuditFormat> auditFormatNamed(std::string_view name)
{
    if (name == "csv")
        return AuditFormat::Csv;
    if (name == "ndjson")
        return AuditFormat::Ndjson;
    if (name == "pdf")
        return AuditFormat::Pdf;
    return std::nullopt;
}

std::string auditFormatName(AuditFormat format)
{
    switch (format) {
    case AuditFormat::Csv:
        return "csv";
    case AuditFormat::Ndjson:
        return "ndjson";
    case AuditFormat::Pdf:
        return "pdf";
    }
    return {};
}

void forEachAuditEvent(EventStore& store, const AuditQuery& query, const std::function<void(const Event&)>& sink,
    const std::atomic<bool>* cancel, const std::function<void(std::int64_t)>& pageDone)
{
    query.check();
    EventQuery page = query.toEventQuery(kPageSize);
    std::int64_t done = 0;
    for (;;) {
        checkCancel(cancel);
        const EventPage events = store.read(page);
        for (const Event& event : events.events)
            sink(event);
        done += static_cast<std::int64_t>(events.events.size());
        if (pageDone)
            pageDone(done);
        if (!events.next || events.events.empty())
            return;
        if (page.stream)
            page.fromVersion = events.next;
        else
            page.fromPosition = events.next;
    }
}

AuditSummary summarizeAudit(EventStore& store, const AuditQuery& query, const std::atomic<bool>* cancel)
{
    AuditSummary summary;
    forEachAuditEvent(
        store, query, [&](const Event& event) { summary.add(event); }, cancel);
    return summary;
}

AuditReportHeader auditReportHeader(
    EventStore& store, const AuditQuery& query, const std::vector<std::string>& redactions)
{
    AuditReportHeader header;
    const StoreDescription description = store.describe();
    header.query = query.describe();
    header.redactions = redactions;
    header.storeUri = description.uri;
    header.storeKind = description.kind;
    header.storeId = description.storeId;
    header.headPosition = store.headPosition();
    header.generatedAt = nowMicros();
    header.generatedBy = auditUserName() + "@" + QSysInfo::machineHostName().toStdString();
    // The newest seal, as `seal` and the window's Seal… recorded it.
    EventQuery seals;
    seals.stream = kAuditStream;
    seals.backward = true;
    seals.types = { "StoreSealed" };
    seals.limit = 1;
    try {
        const EventPage page = store.read(seals);
        if (!page.events.empty()) {
            const auto details = nlohmann::json::parse(page.events.front().data, nullptr, false);
            if (details.is_object() && details.contains("digest") && details["digest"].is_string()) {
                header.sealDigest = details["digest"].get<std::string>();
                header.sealHeadPosition = details.value("head_position", std::int64_t { 0 });
                header.sealTime = page.events.front().time;
            }
        }
    } catch (const Error& error) {
        if (error.kind == ErrorKind::Cancelled)
            throw;
        // A store without the audit stream (a foreign one) has no seal.
    }
    return header;
}

AuditExportResult exportAudit(EventStore& store, const AuditExportRequest& request, const AuditProgress& progress,
    const std::atomic<bool>* cancel)
{
    request.query.check();
    const Redaction redaction(request.redactions);
    AtomicOutputFile file(request.path);
    AuditExportResult result;
    result.events = request.format == AuditFormat::Pdf ? writePdf(store, request, redaction, file, progress, cancel)
                                                       : writeText(store, request, redaction, file, progress, cancel);
    checkCancel(cancel);
    file.commitWithDigest();
    result.sha256 = file.sha256Hex();
    result.path = request.path;
    result.digestPath = file.digestPath();
    return result;
}

} // namespace eventscope
