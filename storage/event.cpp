#include "storage/event.h"

#include "storage/error.h"

#include <charconv>

namespace eventscope {

std::string categoryOf(const std::string& stream)
{
    const auto dash = stream.find('-');
    return dash == std::string::npos ? stream : stream.substr(0, dash);
}

ExpectedVersion ExpectedVersion::parse(const std::string& text)
{
    if (text == "any")
        return any();
    if (text == "no-stream")
        return noStream();
    if (text == "exists")
        return exists();
    std::int64_t value = -1;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0 || text.empty())
        fail(ErrorKind::BadInput, "expected version '" + text + "' is not a number, 'any', 'no-stream' or 'exists'");
    return exact(value);
}

std::string ExpectedVersion::toString() const
{
    switch (kind) {
    case Kind::Any:
        return "any";
    case Kind::NoStream:
        return "no-stream";
    case Kind::Exists:
        return "exists";
    case Kind::Exact:
        break;
    }
    return std::to_string(version);
}

bool ExpectedVersion::matches(std::int64_t actual) const
{
    switch (kind) {
    case Kind::Any:
        return true;
    case Kind::NoStream:
        return actual == 0;
    case Kind::Exists:
        return actual > 0;
    case Kind::Exact:
        break;
    }
    return actual == version;
}

} // namespace eventscope
