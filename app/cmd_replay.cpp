// `replay`: one stream folded to a moment or version through the default merge-patch reducer or a JavaScript
// one (DESIGN §4), printed as one JSON document. A reducer that throws, does not compile or runs too long exits 5.

#include "app/cli_parser.h"
#include "app/commands.h"
#include "app/store_access.h"
#include "model/replay.h"
#include "storage/error.h"

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
    cmd.addValueOption(u"reducer"_s, u"FILE.js"_s,
        u"A JavaScript reducer: an object of handlers ($init, $any, one per event type), as in DESIGN §4."_s);
    cmd.addValueOption(u"time-limit"_s, u"SECONDS"_s, u"Stop a reducer that runs longer than this (default 10)."_s);
    if (!cmd.parse(arguments))
        return 0;
    const QString storeName = cmd.positional(0);
    checkStoreString(storeName);
    const std::string stream = toStd(cmd.required(u"stream"_s));
    cmd.exclusive(u"at"_s, u"version"_s);
    ReplayTarget target;
    target.at = cmd.time(u"at"_s);
    target.version = cmd.integer(u"version"_s, 0);
    std::unique_ptr<Reducer> reducer = makeMergePatchReducer();
    if (cmd.isSet(u"reducer"_s)) {
        const std::chrono::milliseconds limit(cmd.integer(u"time-limit"_s, 1).value_or(10) * 1000);
        reducer = makeJsReducer(readScriptFile(cmd.required(u"reducer"_s), u"reducer"_s), limit);
    }

    auto store = openExistingStore(storeName);
    const ReplayResult result = replayStream(*store, stream, target, *reducer);
    if (result.failure)
        throw Error(ErrorKind::Script, describeFailure(stream, *result.failure));
    out(result.state.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + '\n');
    return 0;
}

} // namespace eventscope::cli
