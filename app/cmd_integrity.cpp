// `verify` and `seal` (DESIGN §7): walk the hash chains, optionally against a seal kept outside the store,
// and write a seal.

#include "app/cli_parser.h"
#include "app/commands.h"
#include "app/store_access.h"
#include "model/audit_record.h"
#include "storage/error.h"

#include <QDir>
#include <QFileInfo>

#include <nlohmann/json.hpp>

using namespace Qt::Literals::StringLiterals;

namespace eventscope::cli {

int runVerify(const QStringList& arguments)
{
    Command cmd(u"verify"_s, u"STORE"_s,
        u"Checks every stream's hash chain, and with --seal that the store still holds what was sealed. Prints a "
        "JSON report; exits with 4 and names the first event that does not match on failure."_s);
    cmd.addValueOption(u"seal"_s, u"FILE"_s, u"A seal written by `eventscope seal`."_s);
    if (!cmd.parse(arguments))
        return 0;
    const QString storeName = cmd.positional(0);
    checkStoreString(storeName);
    std::optional<Seal> seal;
    if (const auto sealPath = cmd.value(u"seal"_s)) {
        if (!QFileInfo(*sealPath).isFile())
            badInput(u"there is no seal file at "_s + *sealPath);
        seal = Seal::load(toStd(*sealPath));
    }

    auto store = openExistingStore(storeName);
    const VerifyReport report = store->verify(seal);
    if (!report.ok)
        fail(ErrorKind::Integrity,
            report.message.empty() ? "stream " + report.failedStream + " fails verification at version "
                    + std::to_string(report.failedVersion)
                                   : report.message);
    nlohmann::ordered_json line;
    line["ok"] = true;
    line["events_checked"] = report.eventsChecked;
    line["streams_checked"] = report.streamsChecked;
    line["seal"] = seal ? nlohmann::ordered_json(toStd(*cmd.value(u"seal"_s))) : nlohmann::ordered_json();
    if (seal) {
        line["sealed_head_position"] = seal->headPosition;
        line["sealed_digest"] = seal->digest;
    }
    out(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n');
    return 0;
}

int runSeal(const QStringList& arguments)
{
    Command cmd(u"seal"_s, u"STORE"_s,
        u"Writes a seal of the store (head position and a digest over every stream's head) to FILE, to keep "
        "outside the store and check later with verify --seal."_s);
    cmd.addValueOption(u"out"_s, u"FILE"_s, u"The seal file to write (replaced only when sealing succeeds)."_s);
    if (!cmd.parse(arguments))
        return 0;
    const QString storeName = cmd.positional(0);
    checkStoreString(storeName);
    const QString outPath = cmd.required(u"out"_s);
    if (!QFileInfo(outPath).absoluteDir().exists())
        badInput(u"cannot write "_s + outPath + u": its folder does not exist"_s);

    auto store = openExistingStore(storeName);
    const Seal seal = store->seal();
    AtomicOutputFile file(outPath);
    file.write(seal.toJson());
    file.commit();
    // Recorded after the file exists: the sealed range ends before this event, so the seal stays valid.
    const AppendRequest audit = auditRequest("StoreSealed",
        { { "action", "seal" }, { "head_position", seal.headPosition }, { "digest", seal.digest },
            { "out", toStd(outPath) } },
        AuditTool::CommandLine);
    store->append(std::span<const AppendRequest>(&audit, 1));

    nlohmann::ordered_json line;
    line["out"] = toStd(outPath);
    line["store_id"] = seal.storeId;
    line["head_position"] = seal.headPosition;
    line["streams"] = seal.streamCount;
    line["events"] = seal.eventCount;
    line["digest"] = seal.digest;
    out(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n');
    return 0;
}

} // namespace eventscope::cli
