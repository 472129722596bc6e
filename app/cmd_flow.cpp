// `flow`: the events of one correlation ID joined by causation (DESIGN §6), printed or written as JSON (§8),
// a Mermaid sequenceDiagram, Graphviz DOT, SVG or PNG. An unknown correlation is an empty flow, not an error.

#include "app/cli_parser.h"
#include "app/commands.h"
#include "app/store_access.h"
#include "model/flow_collector.h"
#include "model/flow_exports.h"
#include "storage/error.h"

#include <QFile>

using namespace Qt::Literals::StringLiterals;

namespace eventscope::cli {

namespace {

Conventions readConventions(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        badInput(u"cannot read the conventions file "_s + path + u": "_s + file.errorString());
    try {
        return Conventions::fromJson(file.readAll().toStdString());
    } catch (const Error& error) {
        badInput(fromStd(error.what()) + u" ("_s + path + u")"_s);
    }
}

} // namespace

int runFlow(const QStringList& arguments)
{
    Command cmd(u"flow"_s, u"STORE"_s,
        u"Follows one correlation ID across every stream it touched and joins its events by causation (by event ID, "
        "or by Message DB's global position or stream position). JSON lists the events in time order, the edges "
        "from cause to effect and the orphans, whose cause is not in the store."_s);
    cmd.addValueOption(u"correlation"_s, u"ID"_s, u"The correlation ID to follow."_s);
    cmd.addValueOption(u"format"_s, u"FORMAT"_s, u"json (default), mermaid, dot, svg or png."_s);
    cmd.addValueOption(u"out"_s, u"FILE"_s, u"Write to FILE (complete or not at all) instead of stdout."_s);
    cmd.addValueOption(u"conventions"_s, u"FILE.json"_s,
        uR"(Metadata keys to read correlation and causation from, first present wins, instead of DESIGN §2's: {"correlation":[...],"causation":[...]}.)"_s);
    if (!cmd.parse(arguments))
        return 0;
    const QString storeName = cmd.positional(0);
    checkStoreString(storeName);
    const std::string correlation = toStd(cmd.required(u"correlation"_s));
    if (QString::fromStdString(correlation).trimmed().isEmpty())
        badInput(u"the correlation ID is empty"_s);
    const QString formatName = cmd.value(u"format"_s).value_or(u"json"_s);
    const auto format = parseFlowFormat(toStd(formatName));
    if (!format)
        badInput(u"unknown format '"_s + formatName + u"'; use json, mermaid, dot, svg or png"_s);
    FlowCollectOptions options;
    if (cmd.isSet(u"conventions"_s))
        options.conventions = readConventions(cmd.required(u"conventions"_s));
    const std::optional<QString> outPath = cmd.value(u"out"_s);
    // Before the store is read: a file that cannot be made is bad input, and the store stays untouched.
    std::optional<AtomicOutputFile> file;
    if (outPath)
        file.emplace(*outPath);

    auto store = openExistingStore(storeName);
    options.streamPositionsFromZero = store->describe().versionsFromZero;
    const FlowGraph flow = collectFlow(*store, correlation, options);
    const std::string bytes = exportFlow(flow, *format);
    if (flow.events.empty())
        note(u"no event carries the correlation ID "_s + fromStd(correlation));
    if (file) {
        file->write(bytes);
        file->commit();
    } else {
        out(bytes);
    }
    return 0;
}

} // namespace eventscope::cli
