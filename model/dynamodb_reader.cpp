#include "model/dynamodb_reader.h"

#include "model/dynamodb_values.h"
#include "storage/error.h"

#include <cstring>
#include <vector>

namespace eventscope {
namespace {

using Json = nlohmann::ordered_json;

// The file's bytes through a buffer of its own, counting lines as they are consumed.
class ByteSource
{
public:
    explicit ByteSource(std::istream& input)
        : m_input(input)
        , m_buffer(1 << 20)
    {
    }

    // The byte `ahead` positions on, or -1 past the end.
    int peek(std::size_t ahead = 0)
    {
        if (m_pos + ahead >= m_end && !fill(ahead + 1))
            return -1;
        return static_cast<unsigned char>(m_buffer[m_pos + ahead]);
    }
    bool atEnd() { return peek() < 0; }
    char current() { return static_cast<char>(peek()); }
    void advance()
    {
        if (m_pos >= m_end && !fill(1))
            return;
        if (m_buffer[m_pos] == '\n')
            ++m_line;
        ++m_pos;
        ++m_consumed;
    }
    // The bytes up to the next newline (or the end), consumed with it. False at the end.
    bool readLine(std::string& line, std::size_t limit)
    {
        line.clear();
        if (atEnd())
            return false;
        while (true) {
            if (m_pos >= m_end && !fill(1))
                return true;
            const char* begin = m_buffer.data() + m_pos;
            const char* end = m_buffer.data() + m_end;
            const char* newline
                = static_cast<const char*>(std::memchr(begin, '\n', static_cast<std::size_t>(end - begin)));
            const char* stop = newline ? newline : end;
            line.append(begin, stop);
            const auto taken = static_cast<std::size_t>(stop - begin);
            m_pos += taken;
            m_consumed += taken;
            if (line.size() > limit)
                dynamoDbBadInput("line " + std::to_string(m_line) + " is longer than " + std::to_string(limit >> 20)
                    + " MB; a DynamoDB item is at most 400 KB");
            if (newline) {
                advance();
                return true;
            }
        }
    }
    std::int64_t line() const { return m_line; }
    std::uint64_t consumed() const { return m_consumed; }

private:
    // Makes at least `wanted` bytes available from m_pos, if the file has them.
    bool fill(std::size_t wanted)
    {
        if (m_pos > 0) {
            std::memmove(m_buffer.data(), m_buffer.data() + m_pos, m_end - m_pos);
            m_end -= m_pos;
            m_pos = 0;
        }
        while (m_end < wanted && m_input) {
            m_input.read(m_buffer.data() + m_end, static_cast<std::streamsize>(m_buffer.size() - m_end));
            m_end += static_cast<std::size_t>(m_input.gcount());
        }
        if (m_input.bad())
            dynamoDbBadInput("the file could not be read");
        return m_end >= wanted;
    }

    std::istream& m_input;
    std::vector<char> m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
    std::int64_t m_line = 1;
    std::uint64_t m_consumed = 0;
};

// An input iterator over a ByteSource, for nlohmann's SAX parser. The end iterator has no source.
class SourceIterator
{
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = char;

    SourceIterator() = default;
    explicit SourceIterator(ByteSource* source)
        : m_source(source)
    {
    }
    char operator*() const { return m_source->current(); }
    SourceIterator& operator++()
    {
        m_source->advance();
        return *this;
    }
    SourceIterator operator++(int)
    {
        SourceIterator before = *this;
        m_source->advance();
        return before;
    }
    bool operator==(const SourceIterator& other) const { return ended() == other.ended(); }
    bool operator!=(const SourceIterator& other) const { return !(*this == other); }

private:
    bool ended() const { return !m_source || m_source->atEnd(); }
    ByteSource* m_source = nullptr;
};

std::string plainItem(const Json& typed, DynamoDbItem& item)
{
    item.attributes = Json::object();
    for (const auto& [name, value] : typed.items()) {
        try {
            item.attributes[name] = dynamoDbPlainValue(value);
        } catch (const Error& error) {
            return "attribute " + name + ": " + error.what();
        }
    }
    return {};
}

// Parse errors as "not valid JSON at column C: REASON".
std::string parseErrorReason(const nlohmann::json::parse_error& error, std::size_t column)
{
    std::string reason = error.what();
    if (const auto colon = reason.find(": ", reason.find("column")); colon != std::string::npos)
        reason = reason.substr(colon + 2);
    return "not valid JSON at column " + std::to_string(column) + ": " + reason;
}

// Builds each element of the top level's "Items" array, one at a time, and skips everything else.
class ScanHandler
{
public:
    ScanHandler(ByteSource& source, const std::string& name, const std::function<void(DynamoDbItem&)>& each)
        : m_source(source)
        , m_name(name)
        , m_each(each)
    {
    }

    bool null() { return scalar(Json(nullptr)); }
    bool boolean(bool value) { return scalar(Json(value)); }
    bool number_integer(Json::number_integer_t value) { return scalar(Json(value)); }
    bool number_unsigned(Json::number_unsigned_t value) { return scalar(Json(value)); }
    bool number_float(Json::number_float_t value, const std::string&) { return scalar(Json(value)); }
    bool string(std::string& value) { return scalar(Json(std::move(value))); }
    bool binary(Json::binary_t&) { return scalar(Json()); }

    bool start_object(std::size_t) { return open(Json::object()); }
    bool start_array(std::size_t) { return open(Json::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(std::string& key)
    {
        if (!m_stack.empty())
            m_key = std::move(key);
        else if (m_depth == 1)
            m_topKey = std::move(key);
        return true;
    }

    bool parse_error(std::size_t, const std::string&, const nlohmann::json::exception& error)
    {
        std::int64_t line = m_source.line();
        std::size_t column = 0;
        if (const auto* parseError = dynamic_cast<const nlohmann::json::parse_error*>(&error)) {
            // "... parse error at line L, column C: ..."
            const std::string what = parseError->what();
            const auto at = what.find("at line ");
            if (at != std::string::npos) {
                line = std::stoll(what.substr(at + 8));
                const auto columnAt = what.find("column ", at);
                if (columnAt != std::string::npos)
                    column = std::stoull(what.substr(columnAt + 7));
            }
            dynamoDbBadInput(m_name + " line " + std::to_string(line) + ": " + parseErrorReason(*parseError, column));
        }
        dynamoDbBadInput(m_name + " line " + std::to_string(line) + ": " + error.what());
    }

    bool sawItems() const { return m_sawItems; }

private:
    void failHere(const std::string& what) const
    {
        dynamoDbBadInput(m_name + " line " + std::to_string(m_source.line()) + ": " + what);
    }

    Json* add(Json value)
    {
        Json& parent = *m_stack.back();
        if (parent.is_array()) {
            parent.push_back(std::move(value));
            return &parent.back();
        }
        Json& slot = parent[m_key];
        slot = std::move(value);
        return &slot;
    }

    bool scalar(Json value)
    {
        if (!m_stack.empty()) {
            add(std::move(value));
        } else if (m_depth == 0) {
            failHere("expected a scan's {\"Items\":[...]} or an export's {\"Item\":{...}} lines");
        } else if (m_depth == 1 && m_topKey == "Items") {
            failHere("\"Items\" is not an array");
        } else if (m_depth == 2 && m_inItems) {
            failHere("an element of \"Items\" is " + dynamoDbJsonText(value).substr(0, 40) + ", not an item object");
        }
        return true;
    }

    bool open(Json container)
    {
        const bool object = container.is_object();
        if (!m_stack.empty()) {
            m_stack.push_back(add(std::move(container)));
        } else if (m_depth == 0) {
            if (!object)
                failHere("expected a scan's {\"Items\":[...]} or an export's {\"Item\":{...}} lines");
        } else if (m_depth == 1 && m_topKey == "Items") {
            if (object)
                failHere("\"Items\" is not an array");
            m_inItems = true;
            m_sawItems = true;
            m_itemsDepth = m_depth + 1;
        } else if (m_inItems && m_depth == m_itemsDepth) {
            if (!object)
                failHere("an element of \"Items\" is an array, not an item object");
            m_item = Json::object();
            m_itemLine = m_source.line();
            m_stack.push_back(&m_item);
        }
        ++m_depth;
        return true;
    }

    bool close()
    {
        --m_depth;
        if (!m_stack.empty()) {
            m_stack.pop_back();
            if (m_stack.empty())
                finishItem();
        } else if (m_inItems && m_depth == m_itemsDepth - 1) {
            m_inItems = false;
        }
        return true;
    }

    void finishItem()
    {
        DynamoDbItem item;
        item.line = m_itemLine;
        item.bytesRead = m_source.consumed();
        if (const std::string problem = plainItem(m_item, item); !problem.empty())
            dynamoDbBadInput(m_name + " line " + std::to_string(m_itemLine) + ": " + problem);
        m_item = Json();
        m_each(item);
    }

    ByteSource& m_source;
    const std::string& m_name;
    const std::function<void(DynamoDbItem&)>& m_each;
    int m_depth = 0;
    std::string m_topKey;
    bool m_inItems = false;
    bool m_sawItems = false;
    int m_itemsDepth = 0;
    Json m_item;
    std::int64_t m_itemLine = 0;
    std::vector<Json*> m_stack;
    std::string m_key;
};

bool isSpace(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// The first key of the file's first object, read ahead without consuming anything.
std::string firstKey(ByteSource& source, std::size_t& at)
{
    while (isSpace(source.peek(at)))
        ++at;
    if (source.peek(at) != '{')
        return {};
    ++at;
    while (isSpace(source.peek(at)))
        ++at;
    if (source.peek(at) != '"')
        return {};
    std::string key;
    for (++at; key.size() < 64; ++at) {
        const int c = source.peek(at);
        if (c < 0 || c == '"')
            break;
        key += static_cast<char>(c);
    }
    return key;
}

} // namespace

DynamoDbFormat readDynamoDbItems(
    std::istream& input, const std::string& source, const std::function<void(DynamoDbItem&)>& each)
{
    ByteSource bytes(input);
    if (bytes.peek(0) == 0x1f && bytes.peek(1) == 0x8b)
        dynamoDbBadInput(source + " is gzip-compressed; decompress it first (gunzip), import reads plain text");
    if (bytes.peek(0) == 0xef && bytes.peek(1) == 0xbb && bytes.peek(2) == 0xbf) {
        for (int i = 0; i < 3; ++i) // a UTF-8 byte order mark
            bytes.advance();
    }
    std::size_t at = 0;
    const std::string key = firstKey(bytes, at);
    if (key == "Item") {
        std::string line;
        while (true) {
            const std::int64_t number = bytes.line();
            bool more = false;
            try {
                more = bytes.readLine(line, std::size_t(64) << 20);
            } catch (const Error& error) {
                dynamoDbBadInput(source + " " + error.what());
            }
            if (!more)
                break;
            if (line.find_first_not_of(" \t\r") == std::string::npos)
                continue;
            const std::string where = source + " line " + std::to_string(number);
            Json parsed;
            try {
                parsed = Json::parse(line);
            } catch (const nlohmann::json::parse_error& error) {
                dynamoDbBadInput(where + ": " + parseErrorReason(error, error.byte));
            }
            const auto itemMember = parsed.is_object() ? parsed.find("Item") : parsed.end();
            if (itemMember == parsed.end() || !itemMember->is_object())
                dynamoDbBadInput(where + ": expected an export line {\"Item\":{...}}");
            DynamoDbItem item;
            item.line = number;
            item.bytesRead = bytes.consumed();
            if (const std::string problem = plainItem(*itemMember, item); !problem.empty())
                dynamoDbBadInput(where + ": " + problem);
            each(item);
        }
        return DynamoDbFormat::Export;
    }
    if (key.empty()) {
        if (bytes.atEnd() || bytes.peek(at) < 0)
            return DynamoDbFormat::Export; // an empty file holds no items
        dynamoDbBadInput(source + " line 1: expected a scan's {\"Items\":[...]} or an export's {\"Item\":{...}} lines");
    }
    ScanHandler handler(bytes, source, each);
    nlohmann::ordered_json::sax_parse(SourceIterator(&bytes), SourceIterator(), &handler);
    if (!handler.sawItems())
        dynamoDbBadInput(source
            + " holds no \"Items\" array: expected a scan's {\"Items\":[...]} or an export's "
              "{\"Item\":{...}} lines");
    return DynamoDbFormat::Scan;
}

} // namespace eventscope
