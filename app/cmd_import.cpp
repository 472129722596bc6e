// `import`: DynamoDB exports and scan output into a native store (DESIGN §3, §8). Every file is read and staged,
// and everything is checked, before the first event is appended (model/dynamodb_import.h says how the import
// stays whole and why running it again completes it). Progress goes to stderr; one JSON line to stdout.

#include "app/cli_parser.h"
#include "app/commands.h"
#include "app/store_access.h"
#include "model/dynamodb_import.h"

#include <QDir>
#include <QElapsedTimer>

#include <nlohmann/json.hpp>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace eventscope::cli {
namespace {

QString megabytes(std::uint64_t bytes)
{
    return QString::number(static_cast<double>(bytes) / (1024.0 * 1024.0), 'f', 1) + u" MB"_s;
}

// "about 3 min left" from the time spent and the fraction done; empty until it means something.
QString eta(const QElapsedTimer& timer, double fraction)
{
    if (fraction <= 0.01 || fraction >= 1.0 || timer.elapsed() < 2000)
        return {};
    const auto seconds
        = static_cast<qint64>(static_cast<double>(timer.elapsed()) / 1000.0 * (1.0 - fraction) / fraction);
    return seconds < 120 ? u", about "_s + QString::number(seconds) + u" s left"_s
                         : u", about "_s + QString::number(seconds / 60) + u" min left"_s;
}

QString progressLine(const DynamoDbImportProgress& progress, const QElapsedTimer& phaseTimer)
{
    using Phase = DynamoDbImportProgress::Phase;
    switch (progress.phase) {
    case Phase::Reading: {
        QString line = u"import: "_s + fromStd(progress.source) + u": "_s + QString::number(progress.items)
            + u" items, "_s + megabytes(progress.bytes);
        if (progress.totalBytes > 0) {
            const double fraction = static_cast<double>(progress.bytes) / static_cast<double>(progress.totalBytes);
            line += u" of "_s + megabytes(progress.totalBytes) + u" ("_s + QString::number(qRound(fraction * 100))
                + u"%)"_s + eta(phaseTimer, fraction);
        }
        return line;
    }
    case Phase::Checking:
        return u"import: checking "_s + QString::number(progress.done) + u" of "_s + QString::number(progress.total)
            + u" events"_s;
    case Phase::Appending: {
        const double fraction
            = progress.total > 0 ? static_cast<double>(progress.done) / static_cast<double>(progress.total) : 1.0;
        return u"import: appended "_s + QString::number(progress.done) + u" of "_s + QString::number(progress.total)
            + u" events ("_s + QString::number(qRound(fraction * 100)) + u"%)"_s + eta(phaseTimer, fraction);
    }
    case Phase::Snapshots:
        return u"import: saved "_s + QString::number(progress.done) + u" of "_s + QString::number(progress.total)
            + u" snapshots"_s;
    }
    return {};
}

} // namespace

int runImport(const QStringList& arguments)
{
    Command cmd(u"import"_s, u"SOURCE..."_s,
        u"Imports DynamoDB items (an export's {\"Item\":...} lines, or a scan's {\"Items\":[...]}) into a native "
        "store, each stream in version order with its own versions. Everything is checked before anything is "
        "written; running the same import again writes nothing more. Prints a one-line JSON summary."_s);
    cmd.addValueOption(u"into"_s, u"STORE"_s, u"The native store to import into (created when missing)."_s);
    cmd.addValueOption(u"mapping"_s, u"FILE"_s,
        u"A JSON file naming the attributes, e.g. {\"stream\":\"aggId\",\"version\":\"seq\",\"type\":\"kind\"}."_s);
    cmd.addValueOption(
        u"snapshots"_s, u"FILE"_s, u"Items of a snapshot table keyed entityId/version, saved as snapshots."_s);
    // Any number of SOURCE files: count them with a first parse, then parse for real.
    QStringList withProgram { u"eventscope"_s };
    withProgram += arguments;
    const qsizetype sourceCount = cmd.parser().parse(withProgram) ? cmd.parser().positionalArguments().size() : 1;
    if (!cmd.parse(arguments, static_cast<int>(std::max<qsizetype>(1, sourceCount))))
        return 0;
    const QStringList sources = cmd.parser().positionalArguments();
    const QString storeName = cmd.required(u"into"_s);
    checkStoreString(storeName);

    DynamoDbImportOptions options;
    if (const auto mapping = cmd.value(u"mapping"_s))
        options.mapping = DynamoDbMapping::fromFile(toStd(*mapping));
    options.stagingDirectory = toStd(QDir::tempPath());
    options.auditTool = AuditTool::CommandLine;
    options.note = [](const std::string& text) { note(fromStd(text)); };
    QElapsedTimer sinceNote;
    sinceNote.start();
    QElapsedTimer phaseTimer;
    phaseTimer.start();
    DynamoDbImportProgress::Phase phase = DynamoDbImportProgress::Phase::Reading;
    std::string phaseSource;
    options.progress = [&](const DynamoDbImportProgress& progress) {
        if (progress.phase != phase || progress.source != phaseSource) {
            phase = progress.phase;
            phaseSource = progress.source;
            phaseTimer.restart();
        }
        if (sinceNote.elapsed() < 1000)
            return;
        sinceNote.restart();
        note(progressLine(progress, phaseTimer));
    };

    // An unreachable store fails before a large file is read; a missing SQLite file is made only once the
    // input has been found good, so that bad input leaves nothing behind.
    // The store is written in batches and read back only to tell a repeat: a small SQLite cache and no mapping
    // keep the import's memory flat however large the store grows.
    setSqliteMemoryBudget({ 16384, 0 });
    std::unique_ptr<EventStore> store;
    if (!isMissingSqliteStore(storeName))
        store = openStoreForWriting(storeName);
    if (store && store->describe().readOnly)
        badInput(storeName + u" is a read-only store; import writes to native SQLite and PostgreSQL stores"_s);

    DynamoDbImport import(std::move(options));
    for (const QString& source : sources)
        import.addEventsFile(toStd(source));
    if (const auto snapshots = cmd.value(u"snapshots"_s))
        import.addSnapshotsFile(toStd(*snapshots));
    import.check();
    if (!store)
        store = openStoreForWriting(storeName);
    const DynamoDbImportSummary summary = import.writeTo(*store, toStd(storeName));
    if (summary.written < summary.events)
        note(u"import: "_s + QString::number(summary.events - summary.written) + u" of "_s
            + QString::number(summary.events) + u" events were already in the store (an earlier run of this import)"_s);

    nlohmann::ordered_json line;
    line["items"] = summary.items;
    line["events"] = summary.events;
    line["streams"] = summary.streams;
    line["snapshots"] = summary.snapshots;
    line["written"] = summary.written;
    line["into"] = toStd(storeName);
    out(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n');
    return 0;
}

} // namespace eventscope::cli
