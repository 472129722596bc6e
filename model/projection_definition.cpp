#include "model/projection_definition.h"

#include "storage/event.h"

#include <algorithm>

namespace eventscope {
namespace {

std::string quoted(const std::string& text)
{
    return "'" + text + "'";
}

} // namespace

std::string ProjectionSource::describe() const
{
    switch (kind) {
    case Kind::All:
        return matching ? "fromStreamsMatching(...)" : "fromAll()";
    case Kind::Stream:
        return "fromStream(" + quoted(streams.empty() ? std::string() : streams.front()) + ")";
    case Kind::Streams: {
        std::string list;
        for (const auto& stream : streams)
            list += (list.empty() ? "" : ", ") + quoted(stream);
        return "fromStreams([" + list + "])";
    }
    case Kind::Category:
        return "fromCategory(" + quoted(category) + ")";
    }
    return {};
}

bool ProjectionSource::covers(const std::string& stream) const
{
    switch (kind) {
    case Kind::All:
        return !isSystemStream(stream);
    case Kind::Stream:
    case Kind::Streams:
        return std::find(streams.begin(), streams.end(), stream) != streams.end();
    case Kind::Category:
        return categoryOf(stream) == category;
    }
    return false;
}

} // namespace eventscope
