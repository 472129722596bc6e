// `streams` and `read`: paged listings on stdout, at most 1000 lines unless --limit says otherwise, with a
// sentence on stderr that tells how to continue when more remain.

#include "app/cli_parser.h"
#include "app/commands.h"
#include "app/event_output.h"
#include "app/read_options.h"
#include "app/store_access.h"

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace eventscope::cli {
namespace {

// A value as the user would type it back into a shell.
QString shellWord(const QString& text)
{
    static const QString plain = u"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-:/@+,="_s;
    const bool safe
        = !text.isEmpty() && std::all_of(text.begin(), text.end(), [](QChar c) { return plain.contains(c); });
    if (safe)
        return text;
    QString quoted = text;
    quoted.replace(u"'"_s, u"'\\''"_s);
    return u"'"_s + quoted + u"'"_s;
}

} // namespace

int runStreams(const QStringList& arguments)
{
    Command cmd(u"streams"_s, u"STORE"_s,
        u"Lists a store's streams in name order with their version, first and last time and last position."_s);
    cmd.addValueOption(u"category"_s, u"C"_s, u"Only streams of this category."_s);
    cmd.addValueOption(u"prefix"_s, u"P"_s, u"Only streams whose names start with P."_s);
    cmd.addValueOption(u"limit"_s, u"N"_s, u"At most N streams (default: 1000, with a note when more remain)."_s);
    cmd.addValueOption(u"after"_s, u"NAME"_s, u"Start after this stream name (to continue a listing)."_s);
    cmd.addValueOption(u"format"_s, u"table|ndjson"_s, u"Output format (default table)."_s);
    cmd.addFlag(u"system"_s, u"Include system streams (names starting with '$')."_s);
    if (!cmd.parse(arguments))
        return 0;
    const QString storeName = cmd.positional(0);
    checkStoreString(storeName);
    const OutputFormat format = cmd.value(u"format"_s)
        ? parseFormat(*cmd.value(u"format"_s), { OutputFormat::Table, OutputFormat::Ndjson })
        : OutputFormat::Table;
    StreamQuery query;
    if (const auto category = cmd.value(u"category"_s))
        query.category = toStd(*category);
    if (const auto prefix = cmd.value(u"prefix"_s))
        query.prefix = toStd(*prefix);
    if (const auto after = cmd.value(u"after"_s))
        query.after = toStd(*after);
    query.includeSystem = cmd.isSet(u"system"_s);
    const auto limit = cmd.integer(u"limit"_s, 1);

    auto store = openExistingStore(storeName);
    auto writer = makeStreamWriter(format, [](std::string_view text) { out(text); });
    std::int64_t remaining = limit.value_or(kDefaultLineLimit);
    bool moreRemain = false;
    std::string lastName;
    while (remaining > 0) {
        const std::int64_t want = std::min(remaining, kPageSize);
        // One more than wanted tells whether another page follows, whichever way a store counts its limit.
        query.limit = static_cast<std::size_t>(want + 1);
        std::vector<StreamInfo> page = store->streams(query);
        moreRemain = static_cast<std::int64_t>(page.size()) > want;
        if (moreRemain)
            page.resize(static_cast<std::size_t>(want));
        for (const StreamInfo& stream : page)
            writer->write(stream);
        remaining -= static_cast<std::int64_t>(page.size());
        if (!moreRemain || page.empty())
            break;
        lastName = page.back().name;
        query.after = lastName;
    }
    writer->finish();
    if (moreRemain && !limit)
        note(u"more streams remain; continue with --after "_s + shellWord(fromStd(lastName)) + u" or give --limit"_s);
    return 0;
}

int runRead(const QStringList& arguments)
{
    Command cmd(u"read"_s, u"STORE"_s,
        u"Prints the events that match the filters: all streams in position order, or one stream (--stream) in "
        "version order."_s);
    addEventFilterOptions(cmd);
    cmd.addValueOption(u"format"_s, u"ndjson|table|csv"_s, u"Output format (default ndjson)."_s);
    if (!cmd.parse(arguments))
        return 0;
    const QString storeName = cmd.positional(0);
    checkStoreString(storeName);
    const OutputFormat format = cmd.value(u"format"_s)
        ? parseFormat(*cmd.value(u"format"_s), { OutputFormat::Ndjson, OutputFormat::Table, OutputFormat::Csv })
        : OutputFormat::Ndjson;
    const EventSelection selection = eventSelection(cmd);

    auto store = openExistingStore(storeName);
    auto writer = makeEventWriter(format, [](std::string_view text) { out(text); });
    const auto next = forEachEvent(*store, selection.query, selection.limit.value_or(kDefaultLineLimit),
        [&](const Event& event) { writer->write(event); });
    writer->finish();
    if (next && !selection.limit)
        note(u"more events remain; continue with "_s
            + (selection.query.stream ? u"--from-version "_s : u"--from-position "_s) + QString::number(*next)
            + u" or give --limit"_s);
    return 0;
}

} // namespace eventscope::cli
