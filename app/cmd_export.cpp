// `export`: every matching event as NDJSON into a file that appears only complete, then its SHA-256 beside it
// in sha256sum's format (DESIGN §7). Events are streamed page by page, never all in memory.

#include "app/cli_parser.h"
#include "app/commands.h"
#include "app/event_output.h"
#include "app/read_options.h"
#include "app/store_access.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <limits>
#include <nlohmann/json.hpp>

using namespace Qt::Literals::StringLiterals;

namespace eventscope::cli {

int runExport(const QStringList& arguments)
{
    Command cmd(u"export"_s, u"STORE"_s,
        u"Writes every event that matches the filters of read to FILE.ndjson, and its SHA-256 to FILE.ndjson.sha256. "
        "Prints a one-line JSON summary."_s);
    cmd.addValueOption(u"out"_s, u"FILE.ndjson"_s, u"The file to write (replaced only when the export succeeds)."_s);
    addEventFilterOptions(cmd);
    if (!cmd.parse(arguments))
        return 0;
    const QString storeName = cmd.positional(0);
    checkStoreString(storeName);
    const QString outPath = cmd.required(u"out"_s);
    const EventSelection selection = eventSelection(cmd);
    if (!QFileInfo(outPath).absoluteDir().exists())
        badInput(u"cannot write "_s + outPath + u": its folder does not exist"_s);

    auto store = openExistingStore(storeName);
    AtomicOutputFile file(outPath);
    std::int64_t count = 0;
    forEachEvent(*store, selection.query, selection.limit.value_or(std::numeric_limits<std::int64_t>::max()),
        [&](const Event& event) {
            file.write(ndjsonEventLine(event));
            ++count;
        });
    file.commitWithDigest();
    const QByteArray digest = file.sha256Hex();

    nlohmann::ordered_json line;
    line["out"] = toStd(outPath);
    line["events"] = count;
    line["sha256"] = digest.toStdString();
    line["sha256_file"] = toStd(file.digestPath());
    out(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n');
    return 0;
}

} // namespace eventscope::cli
