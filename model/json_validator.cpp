#include "model/json_validator.h"

#include <cstdint>
#include <vector>

namespace eventscope {
namespace {

class Validator
{
public:
    explicit Validator(std::string_view text)
        : m_at(reinterpret_cast<const unsigned char*>(text.data()))
        , m_end(m_at + text.size())
    {
    }

    bool run()
    {
        skipSpace();
        if (!value())
            return false;
        skipSpace();
        return m_at == m_end;
    }

private:
    // Arrays and objects are followed with an explicit stack, so that deep nesting cannot overflow the C++ stack.
    bool value()
    {
        std::vector<char> open; // '[' or '{'
        for (;;) {
            skipSpace();
            if (m_at == m_end)
                return false;
            bool scalarDone = true;
            switch (*m_at) {
            case '{':
                ++m_at;
                skipSpace();
                if (m_at < m_end && *m_at == '}') {
                    ++m_at;
                    break;
                }
                open.push_back('{');
                if (!member())
                    return false;
                scalarDone = false;
                break;
            case '[':
                ++m_at;
                skipSpace();
                if (m_at < m_end && *m_at == ']') {
                    ++m_at;
                    break;
                }
                open.push_back('[');
                scalarDone = false;
                break;
            case '"':
                if (!string())
                    return false;
                break;
            case 't':
                if (!literal("true"))
                    return false;
                break;
            case 'f':
                if (!literal("false"))
                    return false;
                break;
            case 'n':
                if (!literal("null"))
                    return false;
                break;
            default:
                if (!number())
                    return false;
            }
            if (!scalarDone)
                continue; // the first element or member value comes next
            // A value ended: close what ends here, then expect the next element or member.
            for (;;) {
                if (open.empty())
                    return true;
                skipSpace();
                if (m_at == m_end)
                    return false;
                const char closing = open.back() == '{' ? '}' : ']';
                if (*m_at == closing) {
                    ++m_at;
                    open.pop_back();
                    continue;
                }
                if (*m_at != ',')
                    return false;
                ++m_at;
                if (open.back() == '{' && !member())
                    return false;
                break;
            }
        }
    }

    // `"key" :` of an object's member.
    bool member()
    {
        skipSpace();
        if (m_at == m_end || *m_at != '"' || !string())
            return false;
        skipSpace();
        if (m_at == m_end || *m_at != ':')
            return false;
        ++m_at;
        return true;
    }

    void skipSpace()
    {
        while (m_at < m_end && (*m_at == ' ' || *m_at == '\n' || *m_at == '\r' || *m_at == '\t'))
            ++m_at;
    }

    bool literal(std::string_view word)
    {
        if (static_cast<std::size_t>(m_end - m_at) < word.size())
            return false;
        for (const char c : word)
            if (*m_at++ != static_cast<unsigned char>(c))
                return false;
        return true;
    }

    bool digits()
    {
        const auto* start = m_at;
        while (m_at < m_end && *m_at >= '0' && *m_at <= '9')
            ++m_at;
        return m_at != start;
    }

    bool number()
    {
        if (*m_at == '-')
            ++m_at;
        if (m_at == m_end)
            return false;
        if (*m_at == '0')
            ++m_at;
        else if (!digits())
            return false;
        if (m_at < m_end && *m_at == '.') {
            ++m_at;
            if (!digits())
                return false;
        }
        if (m_at < m_end && (*m_at == 'e' || *m_at == 'E')) {
            ++m_at;
            if (m_at < m_end && (*m_at == '+' || *m_at == '-'))
                ++m_at;
            if (!digits())
                return false;
        }
        return true;
    }

    int hexDigit(unsigned char c)
    {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    }

    // The four hex digits after "\u"; -1 when they are not.
    std::int32_t codeUnit()
    {
        if (m_end - m_at < 4)
            return -1;
        std::int32_t unit = 0;
        for (int i = 0; i < 4; ++i) {
            const int digit = hexDigit(*m_at++);
            if (digit < 0)
                return -1;
            unit = unit * 16 + digit;
        }
        return unit;
    }

    bool escape()
    {
        if (m_at == m_end)
            return false;
        switch (*m_at++) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            return true;
        case 'u': {
            const std::int32_t unit = codeUnit();
            if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF))
                return false;
            if (unit >= 0xD800 && unit <= 0xDBFF) { // a high surrogate needs its low one
                if (m_end - m_at < 2 || m_at[0] != '\\' || m_at[1] != 'u')
                    return false;
                m_at += 2;
                const std::int32_t low = codeUnit();
                return low >= 0xDC00 && low <= 0xDFFF;
            }
            return true;
        }
        default:
            return false;
        }
    }

    // One UTF-8 sequence whose lead byte (>= 0x80) is at m_at: shortest form, no surrogates, at most U+10FFFF.
    bool utf8()
    {
        const unsigned char lead = *m_at;
        int length = 0;
        unsigned char low = 0x80, high = 0xBF; // the second byte's range
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0)
                low = 0xA0;
            else if (lead == 0xED)
                high = 0x9F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0)
                low = 0x90;
            else if (lead == 0xF4)
                high = 0x8F;
        } else {
            return false;
        }
        if (m_end - m_at < length || m_at[1] < low || m_at[1] > high)
            return false;
        for (int i = 2; i < length; ++i)
            if (m_at[i] < 0x80 || m_at[i] > 0xBF)
                return false;
        m_at += length;
        return true;
    }

    bool string()
    {
        ++m_at; // the opening quote
        for (;;) {
            // The common bytes first, in a tight loop.
            while (m_at < m_end && *m_at >= 0x20 && *m_at < 0x80 && *m_at != '"' && *m_at != '\\')
                ++m_at;
            if (m_at == m_end)
                return false;
            const unsigned char c = *m_at;
            if (c == '"') {
                ++m_at;
                return true;
            }
            if (c == '\\') {
                ++m_at;
                if (!escape())
                    return false;
            } else if (c < 0x20 || !utf8()) {
                return false;
            }
        }
    }

    const unsigned char* m_at;
    const unsigned char* m_end;
};

} // namespace

bool isJsonText(std::string_view text)
{
    return Validator(text).run();
}

} // namespace eventscope
