// `replay`: one stream folded to a moment or version through the default merge-patch reducer (DESIGN §4),
// printed as one JSON document.

#include "app/cli_parser.h"
#include "app/commands.h"
#include "app/store_access.h"
#include "model/replay.h"

using namespace Qt::Literals::StringLiterals;

namespace eventscope::cli {

int runReplay(const QStringList& arguments)
{
    Command cmd(u"replay"_s, u"STORE"_s,
        u"Replays a stream to a time or version and prints its state as one JSON document: a JSON merge patch of "
        "each event's data, plus $version, $type and $time."_s);
    cmd.addValueOption(u"stream"_s, u"S"_s, u"The stream to replay."_s);
    cmd.addValueOption(u"at"_s, u"TIME"_s, u"Fold the events up to this time (RFC 3339, inclusive)."_s);
    cmd.addValueOption(u"version"_s, u"V"_s, u"Fold the events up to this version (inclusive)."_s);
    cmd.addValueOption(u"reducer"_s, u"FILE.js"_s, u"A JavaScript reducer (not available yet)."_s);
    if (!cmd.parse(arguments))
        return 0;
    const QString storeName = cmd.positional(0);
    checkStoreString(storeName);
    const std::string stream = toStd(cmd.required(u"stream"_s));
    cmd.exclusive(u"at"_s, u"version"_s);
    ReplayTarget target;
    target.at = cmd.time(u"at"_s);
    target.version = cmd.integer(u"version"_s, 0);
    if (cmd.isSet(u"reducer"_s))
        badInput(u"JavaScript reducers are not available yet; replay without --reducer uses the merge-patch reducer"_s);

    auto store = openExistingStore(storeName);
    const ReplayResult result = replayStream(*store, stream, target);
    out(result.state.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + '\n');
    return 0;
}

} // namespace eventscope::cli
