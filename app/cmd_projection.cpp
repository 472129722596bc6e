// `projection`: run, list, look at, delete, compare, swap and roll back projections (DESIGN §5, §8).
// `projection run` prints {"partition","state"} lines (or one state when the projection is not partitioned) and
// its progress on stderr; a faulted projection exits 5 with the event and the script's message.

#include "app/cli_parser.h"
#include "app/commands.h"
#include "app/store_access.h"
#include "model/js_projection.h"
#include "model/projection_admin.h"
#include "model/projection_runner.h"
#include "storage/error.h"
#include "storage/store_uri.h"

#include <QFileInfo>

#include <csignal>
#include <cstdio>
#include <pthread.h>
#include <thread>

using namespace Qt::Literals::StringLiterals;

namespace eventscope::cli {
namespace {

std::string dumpJson(const nlohmann::ordered_json& json)
{
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Turns Ctrl+C and SIGTERM into a clean stop of a live run: the signals are taken by a thread of their own
// (sigwait), so the run ends after its current batch, with its checkpoint committed, and prints its states.
class InterruptWatcher
{
public:
    explicit InterruptWatcher(ProjectionControl& control)
    {
        sigemptyset(&m_signals);
        sigaddset(&m_signals, SIGINT);
        sigaddset(&m_signals, SIGTERM);
        sigaddset(&m_signals, SIGUSR1); // how the destructor wakes the thread
        pthread_sigmask(SIG_BLOCK, &m_signals, &m_previous);
        m_thread = std::thread([this, &control] {
            int received = 0;
            sigwait(&m_signals, &received);
            if (received != SIGUSR1)
                control.cancel();
        });
    }
    ~InterruptWatcher()
    {
        pthread_kill(m_thread.native_handle(), SIGUSR1);
        m_thread.join();
        pthread_sigmask(SIG_SETMASK, &m_previous, nullptr);
    }

private:
    sigset_t m_signals {};
    sigset_t m_previous {};
    std::thread m_thread;
};

// Where a projection of this source is kept: the workspace when one is given, else the source itself (which must
// then be writable) through a second connection, so that the runner can read ahead on another thread.
struct Stores
{
    std::unique_ptr<EventStore> source;
    std::unique_ptr<EventStore> kept;
    EventStore& target() { return *kept; }
};

void addWorkspaceOption(Command& cmd)
{
    cmd.addValueOption(u"workspace"_s, u"PATH"_s,
        u"A native SQLite file that keeps the projection (its states, checkpoint and emitted events) instead of "
        "the store; needed for read-only stores."_s);
}

Stores openStores(const Command& cmd, bool createWorkspace)
{
    const QString storeName = cmd.positional(0);
    checkStoreString(storeName);
    std::optional<QString> workspace = cmd.value(u"workspace"_s);
    if (workspace) {
        checkStoreString(*workspace);
        if (StoreUri::parse(toStd(*workspace)).kind != StoreUri::Kind::Sqlite)
            badInput(u"the workspace "_s + *workspace + u" must be a SQLite file (PATH.db)"_s);
    }
    Stores stores;
    stores.source = openExistingStore(storeName);
    if (workspace)
        stores.kept = createWorkspace ? openStoreForWriting(*workspace) : openExistingStore(*workspace);
    else if (stores.source->describe().readOnly)
        badInput(u"the store "_s + storeName + u" is read-only: give --workspace PATH to keep projections of it"_s);
    else
        stores.kept = openExistingStore(storeName);
    return stores;
}

std::string requiredName(const Command& cmd)
{
    const std::string name = toStd(cmd.required(u"name"_s));
    checkProjectionName(name);
    return name;
}

// What the actions on one projection share: --name N and --workspace PATH, then the stores opened.
struct NamedAction
{
    std::string name;
    Stores stores;
};

std::optional<NamedAction> parseNamedAction(Command& cmd, const QStringList& arguments)
{
    cmd.addValueOption(u"name"_s, u"N"_s, u"The projection."_s);
    addWorkspaceOption(cmd);
    if (!cmd.parse(arguments))
        return std::nullopt;
    std::string name = requiredName(cmd);
    return NamedAction { std::move(name), openStores(cmd, false) };
}

QString progressLine(const std::string& name, const ProjectionProgress& progress)
{
    QString line = u"projection "_s + fromStd(name) + u": "_s + QString::number(progress.eventsDone) + u" of "_s
        + QString::number(progress.eventsTotal) + u" events, position "_s + QString::number(progress.position)
        + u" of "_s + QString::number(progress.head) + u", "_s
        + QString::number(static_cast<qint64>(progress.eventsPerSecond)) + u" events/s"_s;
    if (progress.etaSeconds)
        line += u", ETA "_s + QString::number(*progress.etaSeconds, 'f', 1) + u" s"_s;
    return line;
}

// The partitions' results, a thousand at a time: memory stays flat however many there are.
void printResults(EventStore& target, const std::string& name, JsProjection& runtime)
{
    const bool partitioned = runtime.definition().partitioned() || runtime.definition().biState;
    if (!partitioned) {
        // Its one state is the root partition's: a key lookup, whatever else the store may hold.
        const std::string root;
        const std::vector<PartitionState> states = target.projectionStates(name, std::span(&root, 1));
        std::optional<std::string> result;
        if (!states.empty())
            result = runtime.results(std::span(states).first(1)).front();
        const std::string text = result.value_or("null");
        out(dumpJson(nlohmann::ordered_json::parse(text, nullptr, false)) + '\n');
        return;
    }
    constexpr std::size_t kPage = 1000;
    std::optional<std::string> after;
    for (;;) {
        const std::vector<PartitionState> page = target.projectionStatesPage(name, after, kPage);
        if (page.empty())
            return;
        const auto results = runtime.results(page);
        for (std::size_t i = 0; i < page.size(); ++i) {
            if (!results[i])
                continue; // filterBy said no
            nlohmann::ordered_json line;
            line["partition"] = page[i].partition;
            line["state"] = nlohmann::ordered_json::parse(*results[i], nullptr, false);
            out(dumpJson(line) + '\n');
        }
        if (page.size() < kPage)
            return;
        after = page.back().partition;
    }
}

int runRun(const QStringList& arguments)
{
    Command cmd(u"projection run"_s, u"STORE"_s,
        u"Runs a JavaScript projection (the KurrentDB API) from its checkpoint to the head and prints its state: "
        "{\"partition\",\"state\"} lines, or one state when it is not partitioned."_s);
    cmd.addValueOption(u"script"_s, u"FILE.js"_s, u"The projection's script."_s);
    cmd.addValueOption(u"name"_s, u"N"_s, u"The projection's name (default: the script's file name)."_s);
    cmd.addFlag(u"reset"_s, u"Forget the states and checkpoint and run from the start (a rebuild)."_s);
    cmd.addFlag(
        u"shadow"_s, u"Rebuild into a shadow version beside the live one, to compare (projection diff) and swap."_s);
    cmd.addFlag(u"skip-fault"_s, u"Step over the event the projection faulted on (recorded), then go on."_s);
    cmd.addFlag(u"live"_s,
        u"After catching up, follow new events until interrupted (Ctrl+C or SIGTERM), then print the states."_s);
    cmd.addValueOption(u"until"_s, u"TIME"_s, u"Stop before the first event later than this (RFC 3339)."_s);
    cmd.addValueOption(u"time-limit"_s, u"SECONDS"_s, u"Stop a handler batch that runs longer (default 10)."_s);
    addWorkspaceOption(cmd);
    if (!cmd.parse(arguments))
        return 0;
    const QString scriptPath = cmd.required(u"script"_s);
    std::string name
        = cmd.isSet(u"name"_s) ? toStd(cmd.required(u"name"_s)) : toStd(QFileInfo(scriptPath).completeBaseName());
    checkProjectionName(name);
    ProjectionRunOptions options;
    options.script = readScriptFile(scriptPath, u"projection script"_s);
    options.until = cmd.time(u"until"_s);
    options.timeLimit = std::chrono::milliseconds(cmd.integer(u"time-limit"_s, 1).value_or(10) * 1000);
    options.reset = cmd.isSet(u"reset"_s) || cmd.isSet(u"shadow"_s);
    options.skipFault = cmd.isSet(u"skip-fault"_s);
    options.live = cmd.isSet(u"live"_s);
    if (options.live && options.until)
        badInput(u"--live follows new events; it cannot be used with --until"_s);
    if (options.skipFault && options.reset)
        badInput(u"--skip-fault goes on from the fault; it cannot be used with --reset or --shadow"_s);
    if (cmd.isSet(u"shadow"_s)) {
        options.name = shadowName(name);
        options.writeEmitted = false;
        options.status = projection_status::rebuilding;
    } else {
        options.name = name;
        options.status = options.reset ? projection_status::rebuilding : projection_status::running;
    }

    // Before any thread starts (the runner's watchdog and reader), so that every thread blocks the signals.
    ProjectionControl control;
    std::optional<InterruptWatcher> interrupts;
    if (options.live)
        interrupts.emplace(control);
    Stores stores = openStores(cmd, true);
    ProjectionRunner runner(*stores.source, stores.target(), options);
    const ProjectionRunResult result = runner.run(
        control, [&](const ProjectionProgress& progress) { note(progressLine(options.name, progress)); },
        [&](const std::string& line, std::int64_t position) {
            note(u"log at position "_s + QString::number(position) + u": "_s + fromStd(line));
        });
    if (result.end == ProjectionRunResult::End::Faulted)
        throw Error(ErrorKind::Script, "the projection " + options.name + " faulted " + result.fault->describe());
    printResults(stores.target(), options.name, runner.runtime());
    return 0;
}

int runList(const QStringList& arguments)
{
    Command cmd(u"projection list"_s, u"STORE"_s,
        u"Lists the projections, one JSON line each: name, status, source, position, head, lag."_s);
    addWorkspaceOption(cmd);
    if (!cmd.parse(arguments))
        return 0;
    Stores stores = openStores(cmd, false);
    for (const ProjectionSummary& summary : listProjections(stores.target(), *stores.source))
        out(dumpJson(summary.toJson(false)) + '\n');
    return 0;
}

int runStatus(const QStringList& arguments)
{
    Command cmd(u"projection status"_s, u"STORE"_s,
        u"Prints one projection's status as JSON: position, lag, partitions, its fault and skipped events."_s);
    std::optional<NamedAction> action = parseNamedAction(cmd, arguments);
    if (!action)
        return 0;
    const std::string& name = action->name;
    Stores& stores = action->stores;
    out(projectionSummary(stores.target(), *stores.source, name).toJson(true).dump(2) + '\n');
    return 0;
}

int runDelete(const QStringList& arguments)
{
    Command cmd(u"projection delete"_s, u"STORE"_s,
        u"Deletes a projection: its states, checkpoint, shadow and previous version (recorded in the audit "
        "stream). Events it emitted stay."_s);
    std::optional<NamedAction> action = parseNamedAction(cmd, arguments);
    if (!action)
        return 0;
    const std::string& name = action->name;
    Stores& stores = action->stores;
    deleteProjectionVersions(stores.target(), name, AuditTool::CommandLine);
    return 0;
}

int runDiff(const QStringList& arguments)
{
    Command cmd(u"projection diff"_s, u"STORE"_s,
        u"Compares a shadow rebuild with the live version: one JSON line per partition added, removed or "
        "changed."_s);
    std::optional<NamedAction> action = parseNamedAction(cmd, arguments);
    if (!action)
        return 0;
    const std::string& name = action->name;
    Stores& stores = action->stores;
    if (!stores.target().projection(shadowName(name)))
        badInput(u"the projection "_s + fromStd(name) + u" has no shadow rebuild; run it with --shadow first"_s);
    const ProjectionComparison comparison = compareProjections(stores.target(), name, shadowName(name));
    for (const PartitionDifference& difference : comparison.differences) {
        nlohmann::ordered_json line;
        line["partition"] = difference.partition;
        line["change"] = difference.kind == PartitionDifference::Kind::Added ? "added"
            : difference.kind == PartitionDifference::Kind::Removed          ? "removed"
                                                                             : "changed";
        line["live"] = difference.before.empty() ? nlohmann::ordered_json() : parseJsonOrText(difference.before);
        line["shadow"] = difference.after.empty() ? nlohmann::ordered_json() : parseJsonOrText(difference.after);
        out(dumpJson(line) + '\n');
    }
    note(QString::number(comparison.differences.size()) + u" partitions differ, "_s
        + QString::number(comparison.unchanged) + u" are the same"_s);
    return 0;
}

int runSwap(const QStringList& arguments, bool rollback)
{
    Command cmd(rollback ? u"projection rollback"_s : u"projection swap"_s, u"STORE"_s,
        rollback ? u"Makes the version a swap put aside live again."_s
                 : u"Makes the shadow rebuild live, keeping the live version for rollback."_s);
    std::optional<NamedAction> action = parseNamedAction(cmd, arguments);
    if (!action)
        return 0;
    const std::string& name = action->name;
    Stores& stores = action->stores;
    if (rollback)
        rollbackSwap(stores.target(), name, AuditTool::CommandLine);
    else
        swapShadow(stores.target(), name, AuditTool::CommandLine);
    return 0;
}

} // namespace

int runProjection(const QStringList& arguments)
{
    if (arguments.isEmpty())
        badInput(u"the projection command needs one of run, list, status, delete, diff, swap, rollback"_s);
    const QString action = arguments.front();
    const QStringList rest = arguments.mid(1);
    if (action == u"run"_s)
        return runRun(rest);
    if (action == u"list"_s)
        return runList(rest);
    if (action == u"status"_s)
        return runStatus(rest);
    if (action == u"delete"_s)
        return runDelete(rest);
    if (action == u"diff"_s)
        return runDiff(rest);
    if (action == u"swap"_s)
        return runSwap(rest, false);
    if (action == u"rollback"_s)
        return runSwap(rest, true);
    badInput(u"unknown projection action '"_s + action + u"': use run, list, status, delete, diff, swap or rollback"_s);
}

} // namespace eventscope::cli
