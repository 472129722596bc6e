#pragma once
// The PDF report of an audit (DESIGN §7): a first page with the query, the store's identity and head position,
// the seal digest when the store has been sealed, the redaction rules and a summary by type and by day; then
// the events, page after page. Drawn with QPdfWriter and QPainter as the events stream by, so that memory stays
// flat however many events there are. Needs a QGuiApplication (the command line makes an offscreen one).

#include "model/audit_summary.h"
#include "storage/event.h"

#include <QIODevice>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace eventscope {

struct AuditReportHeader
{
    std::string query; // AuditQuery::describe()
    std::vector<std::string> redactions; // the paths masked, as given
    std::string storeUri; // without a password
    std::string storeKind;
    std::string storeId;
    std::int64_t headPosition = 0;
    // The store's last seal (the newest StoreSealed record of $eventscope-audit), when there is one.
    std::optional<std::string> sealDigest;
    std::int64_t sealHeadPosition = 0;
    Micros sealTime = 0;
    Micros generatedAt = 0;
    std::string generatedBy; // "user@host"
};

class AuditPdfReport
{
public:
    // Starts the document on `device` (open for writing) and draws the first page(s): header and summary.
    AuditPdfReport(QIODevice& device, const AuditReportHeader& header, const AuditSummary& summary);
    ~AuditPdfReport();
    AuditPdfReport(const AuditPdfReport&) = delete;
    AuditPdfReport& operator=(const AuditPdfReport&) = delete;

    // Draws one event (already redacted): position, time, stream and version, type, actor, ID, then its data
    // and metadata wrapped to the page width.
    void addEvent(const Event& event);
    // Ends the document; throws Error(BadInput) when the device refused the bytes.
    void finish();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace eventscope
