#include "model/projection_definition.h"

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

} // namespace eventscope
