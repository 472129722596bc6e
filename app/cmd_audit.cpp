// `audit` (DESIGN §7, §8): the events an auditor asks for — by actor, time range, stream or category and type —
// written as CSV, NDJSON or a PDF report with FILE.sha256 beside it, redaction rules applied. Every option is
// checked before the store is opened, so that bad input never leaves a file behind.

#include "app/cli_parser.h"
#include "app/commands.h"
#include "app/store_access.h"
#include "model/audit_export.h"
#include "model/redaction.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <nlohmann/json.hpp>

using namespace Qt::Literals::StringLiterals;

namespace eventscope::cli {
namespace {

std::vector<std::string> stdList(const QStringList& values)
{
    std::vector<std::string> list;
    list.reserve(static_cast<std::size_t>(values.size()));
    for (const QString& value : values)
        list.push_back(toStd(value));
    return list;
}

// An empty value would silently widen the query to "anyone" or "every stream": refuse it instead.
std::string nonEmpty(const Command& cmd, const QString& name)
{
    const auto text = cmd.value(name);
    if (!text)
        return {};
    if (text->isEmpty())
        badInput(u"--"_s + name + u" needs a value"_s);
    return toStd(*text);
}

} // namespace

int runAudit(const QStringList& arguments)
{
    Command cmd(u"audit"_s, u"STORE"_s,
        u"Writes the events an audit asks for to FILE as CSV, NDJSON or a PDF report, and its SHA-256 to FILE.sha256. "
        "Prints a one-line JSON summary."_s);
    cmd.addValueOption(u"actor"_s, u"U"_s, u"Only events of this actor (read from the metadata)."_s);
    cmd.addValueOption(u"since"_s, u"TIME"_s, u"Only events at or after this RFC 3339 time."_s);
    cmd.addValueOption(u"until"_s, u"TIME"_s, u"Only events at or before this RFC 3339 time."_s);
    cmd.addValueOption(u"stream"_s, u"S"_s, u"Only this stream (a system stream too, when named)."_s);
    cmd.addValueOption(u"category"_s, u"C"_s, u"Only streams of this category."_s);
    cmd.addValueOption(u"type"_s, u"T"_s, u"Only events of this type; repeat for several."_s);
    cmd.addValueOption(u"redact"_s, u"PATH"_s,
        u"Replace the value at this JSON path (data.cardNumber, metadata.ip, data.lines[*].pan) with \"[redacted]\"; "
        "repeat for several."_s);
    cmd.addFlag(u"system"_s, u"Include system streams (names starting with $), such as Eventscope's own audit."_s);
    cmd.addValueOption(u"format"_s, u"csv|ndjson|pdf"_s, u"The file's format."_s);
    cmd.addValueOption(u"out"_s, u"FILE"_s, u"The file to write (replaced only when the export succeeds)."_s);
    if (!cmd.parse(arguments))
        return 0;
    const QString storeName = cmd.positional(0);
    checkStoreString(storeName);

    AuditExportRequest request;
    const QString formatName = cmd.required(u"format"_s);
    const auto format = auditFormatNamed(toStd(formatName));
    if (!format)
        badInput(u"--format '"_s + formatName + u"' is not one of csv, ndjson or pdf"_s);
    request.format = *format;
    request.path = cmd.required(u"out"_s);

    AuditQuery& query = request.query;
    query.actor = nonEmpty(cmd, u"actor"_s);
    query.since = cmd.time(u"since"_s);
    query.until = cmd.time(u"until"_s);
    cmd.exclusive(u"stream"_s, u"category"_s);
    query.stream = nonEmpty(cmd, u"stream"_s);
    query.category = nonEmpty(cmd, u"category"_s);
    query.types = stdList(cmd.values(u"type"_s));
    for (const std::string& type : query.types)
        if (type.empty())
            badInput(u"--type needs a value"_s);
    query.includeSystem = cmd.isSet(u"system"_s);
    query.check();
    request.redactions = stdList(cmd.values(u"redact"_s));
    (void)Redaction(request.redactions); // throws for a bad path, before anything is opened

    const QFileInfo target(request.path);
    if (target.isDir())
        badInput(u"cannot write "_s + request.path + u": it is a folder; give a file name"_s);
    if (!target.absoluteDir().exists())
        badInput(u"cannot write "_s + request.path + u": its folder does not exist"_s);

    auto store = openExistingStore(storeName);
    // A long export says how far it is, once a second at most, on stderr (stdout keeps its one JSON line).
    QElapsedTimer sinceNote;
    sinceNote.start();
    const auto progress = [&](std::int64_t done, std::int64_t total) {
        if (sinceNote.elapsed() < 1000)
            return;
        sinceNote.restart();
        note(u"audit: "_s + QString::number(done) + (total >= 0 ? u" of "_s + QString::number(total) : QString())
            + u" events written"_s);
    };
    const AuditExportResult result = exportAudit(*store, request, progress);

    nlohmann::ordered_json line;
    line["out"] = toStd(result.path);
    line["format"] = auditFormatName(request.format);
    line["events"] = result.events;
    line["sha256"] = result.sha256.toStdString();
    line["sha256_file"] = toStd(result.digestPath);
    out(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n');
    return 0;
}

} // namespace eventscope::cli
