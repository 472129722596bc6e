#include "model/json_text.h"

#include <cctype>
#include <cstdio>
#include <cstring>

namespace eventscope {
namespace {

constexpr int kMaxDepth = 512; // deeper data is passed as text: V4's JSON.parse recurses

} // namespace

bool isJsonText(std::string_view text)
{
    const char* p = text.data();
    const char* const end = p + text.size();
    const auto space = [&] {
        while (p != end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
            ++p;
    };
    const auto string = [&] {
        if (p == end || *p != '"')
            return false;
        for (++p; p != end; ++p) {
            const auto c = static_cast<unsigned char>(*p);
            if (c == '"') {
                ++p;
                return true;
            }
            if (c < 0x20)
                return false;
            if (c != '\\')
                continue;
            if (++p == end)
                return false;
            if (*p == 'u') {
                for (int i = 0; i < 4; ++i)
                    if (++p == end || !std::isxdigit(static_cast<unsigned char>(*p)))
                        return false;
            } else if (!std::strchr("\"\\/bfnrt", *p) || *p == '\0') {
                return false;
            }
        }
        return false;
    };
    const auto digits = [&] {
        const char* start = p;
        while (p != end && *p >= '0' && *p <= '9')
            ++p;
        return p != start;
    };
    const auto number = [&] {
        if (p != end && *p == '-')
            ++p;
        if (p != end && *p == '0')
            ++p;
        else if (!digits())
            return false;
        if (p != end && *p == '.') {
            ++p;
            if (!digits())
                return false;
        }
        if (p != end && (*p == 'e' || *p == 'E')) {
            ++p;
            if (p != end && (*p == '+' || *p == '-'))
                ++p;
            if (!digits())
                return false;
        }
        return true;
    };
    const auto word = [&](std::string_view w) {
        if (static_cast<std::size_t>(end - p) < w.size() || std::string_view(p, w.size()) != w)
            return false;
        p += w.size();
        return true;
    };
    // A member's key and colon, after which its value follows.
    const auto key = [&] {
        if (!string())
            return false;
        space();
        if (p == end || *p != ':')
            return false;
        ++p;
        space();
        return true;
    };

    char open[kMaxDepth];
    int depth = 0;
    space();
    for (;;) {
        if (p == end)
            return false;
        switch (*p) {
        case '{':
        case '[': {
            if (depth == kMaxDepth)
                return false;
            const char bracket = *p++;
            open[depth++] = bracket;
            space();
            if (p != end && *p == (bracket == '{' ? '}' : ']')) {
                ++p;
                --depth;
                break;
            }
            if (bracket == '{' && !key())
                return false;
            continue;
        }
        case '"':
            if (!string())
                return false;
            break;
        case 't':
        case 'f':
        case 'n':
            if (!word("true") && !word("false") && !word("null"))
                return false;
            break;
        default:
            if (!number())
                return false;
        }
        // A value is complete: close what it completes, or go on to the next element.
        for (;;) {
            space();
            if (depth == 0)
                return p == end;
            if (p == end)
                return false;
            if (*p == (open[depth - 1] == '{' ? '}' : ']')) {
                ++p;
                --depth;
                continue;
            }
            if (*p != ',')
                return false;
            ++p;
            space();
            if (open[depth - 1] == '{' && !key())
                return false;
            break;
        }
    }
}

void appendJsonString(std::string& out, std::string_view text)
{
    out += '"';
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", c);
            out += escape;
        } else {
            out += ch;
        }
    }
    out += '"';
}

} // namespace eventscope
