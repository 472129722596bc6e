#include "model/json_span_finder.h"

#include <nlohmann/json.hpp>

namespace eventscope {
namespace {

// A path and how many of its steps the values around the current one have matched.
struct Progress
{
    const std::vector<JsonPathStep>* steps;
    std::size_t matched;
};

class SpanFinder
{
public:
    SpanFinder(std::string_view text, std::vector<JsonSpan>& spans)
        : m_text(text)
        , m_spans(spans)
    {
    }

    void value(const std::vector<Progress>& active)
    {
        skipSpace();
        if (active.empty()) {
            skipValue();
            return;
        }
        for (const Progress& p : active) {
            if (p.matched == p.steps->size()) {
                const std::size_t begin = m_at;
                skipValue();
                m_spans.emplace_back(begin, m_at);
                return;
            }
        }
        const char c = m_text[m_at];
        if (c == '{')
            object(active);
        else if (c == '[')
            array(active);
        else
            skipValue();
    }

    void skipSpace()
    {
        while (m_at < m_text.size()
            && (m_text[m_at] == ' ' || m_text[m_at] == '\n' || m_text[m_at] == '\r' || m_text[m_at] == '\t'))
            ++m_at;
    }

private:
    void object(const std::vector<Progress>& active)
    {
        ++m_at; // {
        std::vector<Progress> next;
        for (;;) {
            skipSpace();
            if (m_text[m_at] == '}') {
                ++m_at;
                return;
            }
            if (m_text[m_at] == ',') {
                ++m_at;
                skipSpace();
            }
            const std::string key = stringValue();
            skipSpace();
            ++m_at; // :
            next.clear();
            for (const Progress& p : active) {
                const JsonPathStep& step = (*p.steps)[p.matched];
                if (!step.key.empty() && step.key == key)
                    next.push_back({ p.steps, p.matched + 1 });
            }
            value(next);
        }
    }

    void array(const std::vector<Progress>& active)
    {
        ++m_at; // [
        std::vector<Progress> next;
        for (long long index = 0;; ++index) {
            skipSpace();
            if (m_text[m_at] == ']') {
                ++m_at;
                return;
            }
            if (m_text[m_at] == ',') {
                ++m_at;
                skipSpace();
            }
            next.clear();
            for (const Progress& p : active) {
                const JsonPathStep& step = (*p.steps)[p.matched];
                if (step.key.empty() && (step.index < 0 || step.index == index))
                    next.push_back({ p.steps, p.matched + 1 });
            }
            value(next);
        }
    }

    // The string at m_at, unescaped (keys with escapes are rare: only they are decoded by the JSON library).
    std::string stringValue()
    {
        const std::size_t begin = m_at;
        skipString();
        const std::string_view token = m_text.substr(begin, m_at - begin);
        if (token.find('\\') == std::string_view::npos)
            return std::string(token.substr(1, token.size() - 2));
        return nlohmann::json::parse(token).get<std::string>();
    }

    void skipString()
    {
        ++m_at; // "
        while (m_text[m_at] != '"')
            m_at += m_text[m_at] == '\\' ? 2 : 1;
        ++m_at;
    }

    // The text is valid JSON, so brackets outside strings balance.
    void skipValue()
    {
        const char c = m_text[m_at];
        if (c == '"') {
            skipString();
            return;
        }
        if (c != '{' && c != '[') {
            while (m_at < m_text.size() && m_text[m_at] != ',' && m_text[m_at] != '}' && m_text[m_at] != ']'
                && m_text[m_at] != ' ' && m_text[m_at] != '\n' && m_text[m_at] != '\r' && m_text[m_at] != '\t')
                ++m_at;
            return;
        }
        std::size_t depth = 0;
        do {
            const char here = m_text[m_at];
            if (here == '"') {
                skipString();
                continue;
            }
            if (here == '{' || here == '[')
                ++depth;
            else if (here == '}' || here == ']')
                --depth;
            ++m_at;
        } while (depth > 0);
    }

    std::string_view m_text;
    std::vector<JsonSpan>& m_spans;
    std::size_t m_at = 0;
};

} // namespace

std::vector<JsonSpan> findJsonValueSpans(std::string_view text, std::span<const std::vector<JsonPathStep>> paths)
{
    std::vector<JsonSpan> spans;
    std::vector<Progress> active;
    for (const auto& path : paths)
        active.push_back({ &path, 0 });
    SpanFinder finder(text, spans);
    finder.value(active);
    return spans;
}

} // namespace eventscope
