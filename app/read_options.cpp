#include "app/read_options.h"

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace eventscope::cli {
namespace {

std::optional<std::string> nonEmpty(const Command& cmd, const QString& name)
{
    const auto text = cmd.value(name);
    if (!text)
        return std::nullopt;
    if (text->isEmpty())
        badInput(u"--"_s + name + u" is empty"_s);
    return toStd(*text);
}

} // namespace

void addEventFilterOptions(Command& cmd)
{
    cmd.addValueOption(u"stream"_s, u"S"_s, u"Read one stream, in version order (system streams included)."_s);
    cmd.addValueOption(u"from-position"_s, u"P"_s, u"Start at this position (inclusive)."_s);
    cmd.addValueOption(u"from-version"_s, u"V"_s, u"With --stream: start at this version (inclusive)."_s);
    cmd.addValueOption(u"limit"_s, u"N"_s, u"At most N events."_s);
    cmd.addFlag(u"backward"_s, u"Newest first."_s);
    cmd.addValueOption(u"type"_s, u"T"_s, u"Only events of this type; repeat for several."_s);
    cmd.addValueOption(u"category"_s, u"C"_s, u"Only streams of this category (the part before the first '-')."_s);
    cmd.addValueOption(u"correlation"_s, u"ID"_s, u"Only events with this correlation ID."_s);
    cmd.addValueOption(u"causation"_s, u"ID"_s, u"Only events with this causation ID."_s);
    cmd.addValueOption(u"actor"_s, u"U"_s, u"Only events of this actor."_s);
    cmd.addValueOption(u"since"_s, u"TIME"_s, u"Only events at or after TIME (RFC 3339)."_s);
    cmd.addValueOption(u"until"_s, u"TIME"_s, u"Only events at or before TIME (RFC 3339)."_s);
    cmd.addFlag(u"system"_s, u"Include system streams (names starting with '$')."_s);
}

EventSelection eventSelection(const Command& cmd)
{
    EventSelection selection;
    EventQuery& q = selection.query;
    q.stream = nonEmpty(cmd, u"stream"_s);
    cmd.exclusive(u"from-position"_s, u"from-version"_s);
    q.fromPosition = cmd.integer(u"from-position"_s, 0);
    q.fromVersion = cmd.integer(u"from-version"_s, 0);
    if (q.fromVersion && !q.stream)
        badInput(u"--from-version needs --stream"_s);
    if (q.fromPosition && q.stream)
        badInput(u"--from-position reads across streams; with --stream use --from-version"_s);
    selection.limit = cmd.integer(u"limit"_s, 1);
    q.backward = cmd.isSet(u"backward"_s);
    for (const QString& type : cmd.values(u"type"_s)) {
        if (type.isEmpty())
            badInput(u"--type is empty"_s);
        q.types.push_back(toStd(type));
    }
    q.category = nonEmpty(cmd, u"category"_s);
    q.correlation = nonEmpty(cmd, u"correlation"_s);
    q.causation = nonEmpty(cmd, u"causation"_s);
    q.actor = nonEmpty(cmd, u"actor"_s);
    q.since = cmd.time(u"since"_s);
    q.until = cmd.time(u"until"_s);
    if (q.since && q.until && *q.since > *q.until)
        badInput(u"--since "_s + *cmd.value(u"since"_s) + u" is after --until "_s + *cmd.value(u"until"_s));
    q.includeSystem = cmd.isSet(u"system"_s);
    return selection;
}

std::optional<std::int64_t> forEachEvent(
    EventStore& store, EventQuery query, std::int64_t maxEvents, const std::function<void(const Event&)>& sink)
{
    std::int64_t remaining = maxEvents;
    for (;;) {
        query.limit = static_cast<std::size_t>(std::min(remaining, kPageSize));
        const EventPage page = store.read(query);
        for (const Event& event : page.events)
            sink(event);
        remaining -= static_cast<std::int64_t>(page.events.size());
        if (!page.next || page.events.empty())
            return std::nullopt;
        if (remaining <= 0)
            return page.next;
        if (query.stream)
            query.fromVersion = page.next;
        else
            query.fromPosition = page.next;
    }
}

} // namespace eventscope::cli
