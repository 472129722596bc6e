// `demo` and `append`: the two commands that write, and so the only ones that create a missing store.
// Everything they are given is checked before the store is opened, so bad input writes nothing.

#include "app/append_input.h"
#include "app/cli_parser.h"
#include "app/commands.h"
#include "app/event_output.h"
#include "app/store_access.h"
#include "model/audit_record.h"
#include "model/demo_generator.h"
#include "storage/append_preparation.h"
#include "storage/error.h"
#include "storage/time_format.h"
#include "storage/uuid.h"

#include <QElapsedTimer>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

using namespace Qt::Literals::StringLiterals;

namespace eventscope::cli {
namespace {

std::string resultLine(const AppendResult& result)
{
    nlohmann::ordered_json line;
    line["stream"] = result.stream;
    line["first_version"] = result.firstVersion;
    line["last_version"] = result.lastVersion;
    line["first_position"] = result.firstPosition;
    line["last_position"] = result.lastPosition;
    line["idempotent"] = result.idempotent;
    line["ids"] = result.ids;
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n';
}

AppendRequest singleRequest(const Command& cmd)
{
    NewEvent event;
    event.type = toStd(cmd.required(u"type"_s));
    if (const auto data = cmd.value(u"data"_s))
        event.data = toStd(*data);
    if (const auto metadata = cmd.value(u"metadata"_s))
        event.metadata = toStd(*metadata);
    checkJson(event.data, u"--data"_s, false);
    checkJson(event.metadata, u"--metadata"_s, true);
    if (const auto id = cmd.value(u"id"_s))
        event.id = normalizeUuid(toStd(*id));
    AppendRequest request;
    request.stream = toStd(cmd.required(u"stream"_s));
    if (const auto expected = cmd.value(u"expected-version"_s))
        request.expected = ExpectedVersion::parse(toStd(*expected));
    request.events.push_back(std::move(event));
    // The store's own checks (names, IDs, JSON), run here so that they fail before anything is opened.
    prepareAppend(std::span<const AppendRequest>(&request, 1));
    return request;
}

} // namespace

int runDemo(const QStringList& arguments)
{
    Command cmd(u"demo"_s, u"PATH"_s,
        u"Creates a demo store at PATH (a new .db file or an empty store) with bank accounts, orders, payments, "
        "inventory and shipments tied by correlation IDs. Prints a one-line JSON summary."_s);
    cmd.addValueOption(u"streams"_s, u"N"_s, u"About how many streams to make (default: one per 12 events)."_s);
    cmd.addValueOption(u"events"_s, u"N"_s, u"How many events to write (default 50000)."_s);
    cmd.addValueOption(u"seed"_s, u"S"_s, u"Seed of the generator; the same seed makes the same store (default 1)."_s);
    if (!cmd.parse(arguments))
        return 0;
    DemoOptions options;
    if (const auto events = cmd.integer(u"events"_s, 1))
        options.events = *events;
    if (const auto streams = cmd.integer(u"streams"_s, 1))
        options.streams = *streams;
    if (options.streams > options.events)
        badInput(u"--streams cannot exceed the number of events ("_s + QString::number(options.events) + u")"_s);
    if (const auto seed = cmd.value(u"seed"_s)) {
        bool ok = false;
        options.seed = seed->toULongLong(&ok);
        if (!ok || seed->trimmed() != *seed || seed->startsWith(u'+'))
            badInput(u"--seed '"_s + *seed + u"' is not a whole number"_s);
    }
    const QString path = cmd.positional(0);
    checkStoreString(path);

    auto store = openStoreForWriting(path);
    if (const auto head = store->headPosition(); head > 0)
        badInput(path + u" already holds events; demo writes only to a new or empty store"_s);
    note(u"writing "_s + QString::number(options.events) + u" demo events to "_s + path);
    QElapsedTimer sinceNote;
    sinceNote.start();
    const auto progress = [&](std::int64_t written) {
        if (sinceNote.elapsed() < 1000)
            return;
        sinceNote.restart();
        note(u"demo: "_s + QString::number(written) + u" of "_s + QString::number(options.events)
            + u" events written"_s);
    };
    const DemoSummary summary = generateDemo(*store, options, progress);
    const AppendRequest audit = auditRequest("DemoGenerated",
        { { "action", "demo" }, { "events", summary.events }, { "streams", summary.streams },
            { "seed", options.seed } },
        AuditTool::CommandLine);
    store->append(std::span<const AppendRequest>(&audit, 1));

    nlohmann::ordered_json line;
    line["store"] = toStd(path);
    line["events"] = summary.events;
    line["streams"] = summary.streams;
    line["first_time"] = formatTime(summary.firstTime);
    line["last_time"] = formatTime(summary.lastTime);
    line["seed"] = options.seed;
    out(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n');
    return 0;
}

int runAppend(const QStringList& arguments)
{
    Command cmd(u"append"_s, u"STORE"_s,
        u"Appends events to a store, creating a missing native store. Either one event (--stream, --type, ...) or "
        "every line of --input, in one transaction. Prints one JSON line per stream appended to."_s);
    cmd.addValueOption(u"stream"_s, u"S"_s, u"The stream to append to."_s);
    cmd.addValueOption(u"type"_s, u"T"_s, u"The event type."_s);
    cmd.addValueOption(u"data"_s, u"JSON"_s, u"The event's data as JSON text (default {})."_s);
    cmd.addValueOption(u"metadata"_s, u"JSON"_s, u"The event's metadata, a JSON object (default {})."_s);
    cmd.addValueOption(u"id"_s, u"UUID"_s, u"The event ID (default: a new UUID)."_s);
    cmd.addValueOption(u"expected-version"_s, u"N|any|no-stream|exists"_s,
        u"Append only when the stream is at this version (default any)."_s);
    cmd.addValueOption(u"input"_s, u"FILE.ndjson"_s,
        u"Append every line of FILE ('-': standard input), one {\"stream\",\"type\",\"data\",\"metadata\",\"id\"?,"
        "\"time\"?} a line; all lines or none."_s);
    if (!cmd.parse(arguments))
        return 0;
    const QString storeName = cmd.positional(0);
    checkStoreString(storeName);

    std::vector<AppendRequest> requests;
    if (cmd.isSet(u"input"_s)) {
        for (const QString& single : { u"stream"_s, u"type"_s, u"data"_s, u"metadata"_s, u"id"_s })
            cmd.exclusive(u"input"_s, single);
        if (cmd.isSet(u"expected-version"_s))
            badInput(u"--expected-version applies to a single event, not to --input"_s);
        requests = readAppendInput(cmd.required(u"input"_s));
    } else {
        requests.push_back(singleRequest(cmd));
    }

    // A store that does not exist yet is at version 0 everywhere: refuse an impossible expectation before
    // the file is made, so that a refused append leaves nothing behind.
    if (isMissingSqliteStore(storeName)) {
        for (const auto& request : requests) {
            if (!request.expected.matches(0))
                failWrongExpectedVersion(request.stream, request.expected, 0);
        }
    }

    requests.push_back(appendAudit(requests, AuditTool::CommandLine));

    auto store = openStoreForWriting(storeName);
    const std::vector<AppendResult> results = store->append(requests);
    std::string text;
    for (std::size_t i = 0; i + 1 < results.size(); ++i)
        text += resultLine(results[i]);
    out(text);
    return 0;
}

} // namespace eventscope::cli
