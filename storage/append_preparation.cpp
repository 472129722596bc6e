#include "storage/append_preparation.h"

#include "storage/conventions.h"
#include "storage/error.h"
#include "storage/time_format.h"
#include "storage/uuid.h"

#include <nlohmann/json.hpp>
#include <unordered_set>

namespace eventscope {
namespace {

nlohmann::json parseJson(const std::string& text, const std::string& what)
{
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        std::string reason = e.what();
        const auto colon = reason.rfind(": ");
        if (colon != std::string::npos)
            reason = reason.substr(colon + 2);
        fail(ErrorKind::BadInput, what + " is not valid JSON: " + reason);
    }
}

void checkName(const std::string& name, const std::string& what)
{
    if (name.empty())
        fail(ErrorKind::BadInput, what + " is empty");
    for (const char c : name) {
        if (static_cast<unsigned char>(c) < 0x20)
            fail(ErrorKind::BadInput, what + " '" + name + "' contains a control character");
    }
}

} // namespace

std::vector<PreparedAppend> prepareAppend(std::span<const AppendRequest> requests)
{
    std::vector<PreparedAppend> prepared;
    prepared.reserve(requests.size());
    std::unordered_set<std::string> ids;
    const Micros now = nowMicros();
    for (const auto& request : requests) {
        checkName(request.stream, "the stream name");
        if (request.events.empty())
            fail(ErrorKind::BadInput, "the append to stream " + request.stream + " has no events");
        PreparedAppend append;
        append.stream = request.stream;
        append.category = categoryOf(request.stream);
        append.expected = request.expected;
        append.events.reserve(request.events.size());
        const Event* previous = nullptr; // stays valid: the vector never grows past its reserve
        for (std::size_t i = 0; i < request.events.size(); ++i) {
            const NewEvent& in = request.events[i];
            const std::string what = "event " + std::to_string(i + 1) + " for stream " + request.stream;
            checkName(in.type, "the type of " + what);
            Event event;
            event.stream = request.stream;
            event.type = in.type;
            event.id = in.id.empty() ? makeUuid() : normalizeUuid(in.id);
            if (!ids.insert(event.id).second)
                fail(ErrorKind::BadInput, "event ID " + event.id + " appears twice in one append");
            event.time = in.time.value_or(now);
            event.data = in.data;
            event.metadata = in.metadata;
            // The data only has to be JSON; checking it without building a document is several times faster.
            if (!nlohmann::json::accept(event.data))
                parseJson(event.data, "the data of " + what); // throws with the parser's reason
            // The events of one command usually share their metadata: derive it once.
            if (previous && previous->metadata == event.metadata) {
                event.correlation = previous->correlation;
                event.causation = previous->causation;
                event.actor = previous->actor;
                event.schemaVersion = previous->schemaVersion;
            } else {
                const auto metadata = parseJson(event.metadata, "the metadata of " + what);
                if (!metadata.is_object())
                    fail(ErrorKind::BadInput, "the metadata of " + what + " is not a JSON object");
                Conventions::defaults().derive(metadata, event);
            }
            append.events.push_back(std::move(event));
            previous = &append.events.back();
        }
        prepared.push_back(std::move(append));
    }
    return prepared;
}

void failWrongExpectedVersion(const std::string& stream, const ExpectedVersion& expected, std::int64_t actual)
{
    fail(ErrorKind::WrongExpectedVersion,
        "wrong expected version for stream " + stream + ": expected " + expected.toString() + ", actual "
            + (actual == 0 ? std::string("no-stream") : std::to_string(actual)));
}

AppendResult idempotentRepeat(const PreparedAppend& append, const std::string& storedStream, std::int64_t storedVersion,
    StoredRun stored, std::int64_t currentVersion)
{
    const std::string& firstId = append.events.front().id;
    bool sameEvents = storedStream == append.stream && stored.ids.size() >= append.events.size();
    for (std::size_t i = 0; sameEvents && i < append.events.size(); ++i)
        sameEvents = stored.ids[i] == append.events[i].id;
    if (!sameEvents)
        fail(ErrorKind::BadInput,
            "event ID " + firstId + " already exists in stream " + storedStream + " at version "
                + std::to_string(storedVersion));
    const auto kind = append.expected.kind;
    if ((kind == ExpectedVersion::Kind::Exact && append.expected.version != storedVersion - 1)
        || (kind == ExpectedVersion::Kind::NoStream && storedVersion != 1))
        failWrongExpectedVersion(append.stream, append.expected, currentVersion);
    AppendResult result;
    result.stream = append.stream;
    result.firstVersion = storedVersion;
    result.lastVersion = storedVersion + static_cast<std::int64_t>(append.events.size()) - 1;
    result.firstPosition = stored.positions.front();
    result.lastPosition = stored.positions.back();
    result.idempotent = true;
    result.ids = std::move(stored.ids);
    return result;
}

} // namespace eventscope
