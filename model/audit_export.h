#pragma once
// Audit answers written to files (DESIGN §7, §8 `eventscope audit`): CSV, NDJSON or a PDF report, each with
// FILE.sha256 beside it, redaction rules applied to every event. Events stream a page at a time, so memory stays
// flat; progress is reported a page at a time, and a cancel leaves no file behind. Shared by the command line
// and the Audit tab's worker.

#include "model/audit_pdf_report.h"
#include "model/audit_query.h"
#include "model/audit_summary.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eventscope {

class EventStore;

enum class AuditFormat { Csv, Ndjson, Pdf };

std::optional<AuditFormat> auditFormatNamed(std::string_view name); // "csv", "ndjson" or "pdf"
std::string auditFormatName(AuditFormat format);

struct AuditExportRequest
{
    AuditQuery query;
    std::vector<std::string> redactions; // paths for Redaction
    AuditFormat format = AuditFormat::Csv;
    QString path;
};

struct AuditExportResult
{
    std::int64_t events = 0;
    QByteArray sha256; // hex
    QString path;
    QString digestPath;
};

// done so far, and the total expected (-1 when unknown).
using AuditProgress = std::function<void(std::int64_t done, std::int64_t total)>;

// Hands each event the query matches to `sink`, in the store's order, a page in memory at a time; `pageDone`
// gets the running count after each page. Throws Error(Cancelled) as soon as `cancel` is seen set.
void forEachAuditEvent(EventStore& store, const AuditQuery& query, const std::function<void(const Event&)>& sink,
    const std::atomic<bool>* cancel = nullptr, const std::function<void(std::int64_t)>& pageDone = {});

// Counts the answer by type and day (the chart, the PDF's summary).
AuditSummary summarizeAudit(EventStore& store, const AuditQuery& query, const std::atomic<bool>* cancel = nullptr);

// The PDF's first page: the query, the store's identity and head, its last seal, who made the report and when.
AuditReportHeader auditReportHeader(
    EventStore& store, const AuditQuery& query, const std::vector<std::string>& redactions);

// Writes the export and its digest. Throws Error(BadInput) for a bad query, bad redaction path or a file that cannot
// be written, and Error(Cancelled); either way nothing is left at `request.path` or beside it.
AuditExportResult exportAudit(EventStore& store, const AuditExportRequest& request, const AuditProgress& progress = {},
    const std::atomic<bool>* cancel = nullptr);

} // namespace eventscope
