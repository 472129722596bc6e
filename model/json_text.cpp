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
    const auto hexUnit = [&]() -> long {
        long unit = 0;
        for (int i = 0; i < 4; ++i) {
            if (++p == end || !std::isxdigit(static_cast<unsigned char>(*p)))
                return -1;
            const char c = *p;
            unit = unit * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        return unit;
    };
    // One UTF-8 sequence at p (lead byte >= 0x80), as RFC 3629 has it: shortest form, no surrogates, at most
    // U+10FFFF. Leaves p on its last byte.
    const auto utf8 = [&] {
        const auto lead = static_cast<unsigned char>(*p);
        int length = 0;
        unsigned char low = 0x80, high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            low = lead == 0xE0 ? 0xA0 : 0x80;
            high = lead == 0xED ? 0x9F : 0xBF;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            low = lead == 0xF0 ? 0x90 : 0x80;
            high = lead == 0xF4 ? 0x8F : 0xBF;
        } else {
            return false;
        }
        if (end - p < length)
            return false;
        const auto second = static_cast<unsigned char>(p[1]);
        if (second < low || second > high)
            return false;
        for (int i = 2; i < length; ++i)
            if ((static_cast<unsigned char>(p[i]) & 0xC0) != 0x80)
                return false;
        p += length - 1;
        return true;
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
            if (c >= 0x80) {
                if (!utf8())
                    return false;
                continue;
            }
            if (c != '\\')
                continue;
            if (++p == end)
                return false;
            if (*p == 'u') {
                const long unit = hexUnit();
                if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF))
                    return false;
                if (unit >= 0xD800 && unit <= 0xDBFF) { // a high surrogate needs its low one
                    if (end - p < 3 || p[1] != '\\' || p[2] != 'u')
                        return false;
                    p += 2;
                    const long low = hexUnit();
                    if (low < 0xDC00 || low > 0xDFFF)
                        return false;
                }
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
