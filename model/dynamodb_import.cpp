#include "model/dynamodb_import.h"

#include "storage/conventions.h"
#include "storage/error.h"
#include "storage/sqlite_db.h"
#include "storage/time_format.h"
#include "storage/uuid.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QDir>
#include <QTemporaryDir>
#include <QUuid>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <vector>

namespace eventscope {
namespace {

using Json = nlohmann::ordered_json;

[[noreturn]] void badInput(const std::string& sentence)
{
    fail(ErrorKind::BadInput, sentence);
}

std::string dumpJson(const Json& value)
{
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// ---- Numbers ---------------------------------------------------------------------------------------------------

// A decimal value as digits * 10^exponent, with no leading or trailing zero digit; zero has no digits.
struct Decimal
{
    bool negative = false;
    std::string digits;
    std::int64_t exponent = 0;
    bool operator==(const Decimal&) const = default;
};

std::optional<Decimal> parseDecimal(std::string_view text)
{
    Decimal d;
    std::size_t i = 0;
    const auto digit = [&](std::size_t at) { return at < text.size() && text[at] >= '0' && text[at] <= '9'; };
    if (i < text.size() && (text[i] == '-' || text[i] == '+'))
        d.negative = text[i++] == '-';
    bool any = false;
    while (digit(i)) {
        d.digits += text[i++];
        any = true;
    }
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (digit(i)) {
            d.digits += text[i++];
            --d.exponent;
            any = true;
        }
    }
    if (!any)
        return std::nullopt;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool negativeExponent = false;
        if (i < text.size() && (text[i] == '-' || text[i] == '+'))
            negativeExponent = text[i++] == '-';
        if (!digit(i))
            return std::nullopt;
        std::int64_t exponent = 0;
        while (digit(i)) {
            exponent = std::min<std::int64_t>(exponent * 10 + (text[i++] - '0'), 1'000'000'000);
        }
        d.exponent += negativeExponent ? -exponent : exponent;
    }
    if (i != text.size())
        return std::nullopt;
    const auto first = d.digits.find_first_not_of('0');
    if (first == std::string::npos)
        return Decimal {};
    d.digits.erase(0, first);
    while (d.digits.back() == '0') {
        d.digits.pop_back();
        ++d.exponent;
    }
    return d;
}

// ---- Typed values ----------------------------------------------------------------------------------------------

const Json& typedArray(const Json& value, const char* type)
{
    if (!value.is_array())
        badInput(std::string("a \"") + type + "\" value is not an array");
    return value;
}

// ---- Attribute names -------------------------------------------------------------------------------------------

std::string normalizeName(std::string_view name)
{
    std::string out;
    out.reserve(name.size());
    for (const char c : name) {
        if (c == '_' || c == '-')
            continue;
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

using Names = std::vector<std::string_view>;
const Names kStreamNames { "streamName", "streamId", "aggregateId", "entityId", "aggregateIdentifier", "stream" };
const Names kVersionNames { "version", "streamPosition", "sequenceNumber", "eventNumber", "streamVersion" };
const Names kTypeNames { "type", "eventType", "messageType", "payloadType" };
const Names kDataNames { "data", "eventData", "payload", "messageData", "body" };
const Names kTimeNames { "time", "timestamp", "createdAt", "created", "eventTime", "occurredAt", "recordedAt" };
const Names kIdNames { "eventId", "id", "messageId", "eventIdentifier" };
const Names kMetadataNames { "metadata", "messageMetadata", "headers" };
const Names kActorNames { "userId", "createdBy", "user", "actor" };
const Names kCorrelationNames { "correlationId", "correlation" };
const Names kCausationNames { "causationId", "causation" };
const Names kCategoryNames { "aggregateType", "aggregateName", "streamCategory", "category" };
const Names kTenantNames { "tenantId", "tenant" };
const Names kSchemaNames { "schemaVersion", "eventVersion" };
const Names kStateNames { "state", "snapshot", "data", "payload", "body" };

// An item's attributes, found by a mapped name or by the lists above, and which of them were used.
class ItemView
{
public:
    explicit ItemView(const Json& attributes)
        : m_attributes(attributes)
    {
        for (const auto& [name, value] : attributes.items())
            m_byNormal.emplace(normalizeName(name), name); // the first of two spellings wins
    }

    // The attribute's name: `mapped` when set (and present), else the first of `names` present.
    std::optional<std::string> find(const std::string& mapped, const Names& names) const
    {
        if (!mapped.empty()) {
            if (m_attributes.contains(mapped))
                return mapped;
            return std::nullopt;
        }
        for (const auto name : names) {
            if (const auto it = m_byNormal.find(normalizeName(name)); it != m_byNormal.end())
                return it->second;
        }
        return std::nullopt;
    }
    std::optional<std::string> exact(const std::string& name) const
    {
        return m_attributes.contains(name) ? std::optional<std::string>(name) : std::nullopt;
    }
    const Json& value(const std::string& name) const { return m_attributes.at(name); }
    void use(const std::string& name) { m_used.insert(name); }
    bool used(const std::string& name) const { return m_used.contains(name); }
    const Json& attributes() const { return m_attributes; }

private:
    const Json& m_attributes;
    std::map<std::string, std::string> m_byNormal;
    std::set<std::string> m_used;
};

std::string listed(const std::string& mapped, const Names& names, const char* mappingKey)
{
    if (!mapped.empty())
        return mapped + " (as the mapping file's \"" + mappingKey + "\" says)";
    std::string out;
    for (const auto name : names)
        out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
}

std::string textOf(const Json& value, const std::string& attribute, const char* what)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_number_integer())
        return value.dump();
    badInput(
        "the " + std::string(what) + " attribute " + attribute + " is " + dumpJson(value).substr(0, 80) + ", not text");
}

void checkName(const std::string& name, const char* what)
{
    if (name.empty())
        badInput(std::string("the ") + what + " is empty");
    for (const char c : name) {
        if (static_cast<unsigned char>(c) < 0x20)
            badInput(std::string("the ") + what + " '" + name + "' contains a control character");
    }
}

std::optional<std::int64_t> wholeNumber(const Json& value)
{
    if (value.is_number_integer()) {
        if (value.is_number_unsigned() && value.get<std::uint64_t>() > std::numeric_limits<std::int64_t>::max())
            return std::nullopt;
        return value.get<std::int64_t>();
    }
    if (value.is_number_float()) {
        const double d = value.get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e18)
            return static_cast<std::int64_t>(d);
        return std::nullopt;
    }
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        std::int64_t number = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (ec == std::errc() && end == text.data() + text.size() && !text.empty())
            return number;
    }
    return std::nullopt;
}

std::int64_t versionOf(const Json& value, const std::string& attribute)
{
    const auto number = wholeNumber(value);
    if (!number || *number < 0)
        badInput("the version attribute " + attribute + " is " + dumpJson(value).substr(0, 80)
            + ", not a whole number of 0 or more");
    return *number;
}

// Epoch numbers are told apart by magnitude: seconds up to the year 5138, then milliseconds, microseconds and
// nanoseconds.
std::optional<Micros> epochMicros(long double number)
{
    const long double magnitude = std::fabs(number);
    long double micros;
    if (magnitude < 1.0e11L)
        micros = number * 1.0e6L;
    else if (magnitude < 1.0e14L)
        micros = number * 1.0e3L;
    else if (magnitude < 1.0e17L)
        micros = number;
    else if (magnitude < 9.0e21L)
        micros = number / 1.0e3L;
    else
        return std::nullopt;
    return static_cast<Micros>(std::llround(micros));
}

Micros timeOf(const Json& value, const std::string& attribute)
{
    std::optional<Micros> parsed;
    if (value.is_number_integer() && !value.is_number_unsigned())
        parsed = epochMicros(static_cast<long double>(value.get<std::int64_t>()));
    else if (value.is_number())
        parsed = epochMicros(static_cast<long double>(value.get<double>()));
    else if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        parsed = tryParseTime(text);
        if (!parsed) // ISO 8601 without an offset is UTC (DESIGN §2)
            parsed = tryParseTime(text + "Z");
        if (!parsed && parseDecimal(text)) {
            long double number = 0;
            try {
                number = std::stold(text);
                parsed = epochMicros(number);
            } catch (const std::exception&) {
            }
        }
    }
    if (!parsed)
        badInput("the time attribute " + attribute + " is " + dumpJson(value).substr(0, 80)
            + ", neither ISO 8601 text nor epoch seconds or milliseconds");
    return *parsed;
}

// JSON text in a string that holds an object or an array is that JSON; any other value is itself.
Json parsedIfJsonText(const Json& value)
{
    if (!value.is_string())
        return value;
    const auto& text = value.get_ref<const std::string&>();
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos || (text[first] != '{' && text[first] != '['))
        return value;
    Json parsed = Json::parse(text, nullptr, false);
    if (parsed.is_discarded())
        return value;
    return parsed;
}

const QUuid& idNamespace()
{
    static const QUuid ns(QStringLiteral("5b3c9e1a-7f2d-4e8b-a6c4-0d9e2f7b1c35"));
    return ns;
}

std::string derivedUuid(const std::string& name)
{
    return QUuid::createUuidV5(idNamespace(), QByteArray::fromStdString(name))
        .toString(QUuid::WithoutBraces)
        .toStdString();
}

// Where an item's stream and version come from, with what a "tenant#type" partition key says.
struct Location
{
    std::string stream;
    std::optional<std::int64_t> version;
    std::optional<std::string> tenant;
    std::optional<std::string> category;
};

bool isDigits(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Location locate(ItemView& view, const DynamoDbMapping& mapping, const std::string& mappedStream,
    const std::string& mappedVersion, const char* streamKey, const char* what)
{
    Location location;
    const auto versionAttribute = view.find(mappedVersion, kVersionNames);
    if (const auto streamAttribute = view.find(mappedStream, kStreamNames)) {
        location.stream = textOf(view.value(*streamAttribute), *streamAttribute, "stream");
        view.use(*streamAttribute);
    } else if (!mappedStream.empty()) {
        badInput("the " + std::string(what) + " has no stream (looked for "
            + listed(mappedStream, kStreamNames, streamKey) + ")");
    } else if (const auto sk = view.exact(mapping.sortKey)) {
        const std::string sortKey = textOf(view.value(*sk), *sk, "sort key");
        const auto pk = view.exact(mapping.partitionKey);
        const auto at = sortKey.rfind('@');
        std::optional<std::int64_t> skVersion;
        if (at != std::string::npos && at > 0 && isDigits(std::string_view(sortKey).substr(at + 1))) {
            location.stream = sortKey.substr(0, at);
            skVersion = wholeNumber(Json(sortKey.substr(at + 1)));
            if (!skVersion)
                badInput("the sort key " + *sk + " '" + sortKey + "' ends in a version that is too large");
        } else if (pk && isDigits(sortKey)) {
            location.stream = textOf(view.value(*pk), *pk, "partition key");
            skVersion = versionOf(view.value(*sk), *sk);
            view.use(*pk);
        } else {
            location.stream = sortKey;
        }
        view.use(*sk);
        if (pk && !view.used(*pk)) {
            const std::string partition = textOf(view.value(*pk), *pk, "partition key");
            if (const auto hash = partition.find('#'); hash != std::string::npos) {
                location.tenant = partition.substr(0, hash);
                location.category = partition.substr(hash + 1);
                view.use(*pk);
            }
        }
        if (skVersion) {
            location.version = skVersion;
            if (versionAttribute) {
                const std::int64_t attributeVersion = versionOf(view.value(*versionAttribute), *versionAttribute);
                if (attributeVersion != *skVersion)
                    badInput("the sort key " + *sk + " '" + sortKey + "' names version " + std::to_string(*skVersion)
                        + " but the attribute " + *versionAttribute + " says " + std::to_string(attributeVersion));
                view.use(*versionAttribute);
            }
            return location;
        }
    } else if (const auto pk = view.exact(mapping.partitionKey)) {
        location.stream = textOf(view.value(*pk), *pk, "partition key");
        view.use(*pk);
    } else {
        badInput("the " + std::string(what) + " has no stream (looked for " + mapping.partitionKey + "/"
            + mapping.sortKey + ", " + listed({}, kStreamNames, streamKey) + ")");
    }
    checkName(location.stream, "stream name");
    if (versionAttribute) {
        location.version = versionOf(view.value(*versionAttribute), *versionAttribute);
        view.use(*versionAttribute);
    }
    return location;
}

// The metadata key of a derived field: the attribute's own name when the conventions read it, else `fallback`.
std::string conventionKey(const std::string& attribute, const std::vector<std::string>& keys, const char* fallback)
{
    return std::find(keys.begin(), keys.end(), attribute) != keys.end() ? attribute : std::string(fallback);
}

DynamoDbEvent eventFromItem(const DynamoDbItem& item, const DynamoDbMapping& mapping)
{
    ItemView view(item.attributes);
    DynamoDbEvent event;
    Location location = locate(view, mapping, mapping.stream, mapping.version, "stream", "item");
    event.stream = location.stream;
    event.version = location.version;

    const auto typeAttribute = view.find(mapping.type, kTypeNames);
    if (!typeAttribute)
        badInput("the item has no event type (looked for " + listed(mapping.type, kTypeNames, "type") + ")");
    event.type = textOf(view.value(*typeAttribute), *typeAttribute, "type");
    checkName(event.type, "event type");
    view.use(*typeAttribute);

    Json data = Json::object();
    if (const auto dataAttribute = view.find(mapping.data, kDataNames)) {
        data = parsedIfJsonText(view.value(*dataAttribute));
        view.use(*dataAttribute);
    }
    event.data = dumpJson(data);

    if (const auto timeAttribute = view.find(mapping.time, kTimeNames)) {
        event.time = timeOf(view.value(*timeAttribute), *timeAttribute);
        view.use(*timeAttribute);
    }

    Json metadata = Json::object();
    Json extra = Json::object(); // attributes of no field, under "dynamodb"
    if (const auto metadataAttribute = view.find(mapping.metadata, kMetadataNames)) {
        Json value = parsedIfJsonText(view.value(*metadataAttribute));
        if (value.is_object())
            metadata = std::move(value);
        else
            extra[*metadataAttribute] = std::move(value);
        view.use(*metadataAttribute);
    }
    if (const auto idAttribute = view.find(mapping.id, kIdNames)) {
        const std::string id = textOf(view.value(*idAttribute), *idAttribute, "event ID");
        if (isUuid(id)) {
            event.id = normalizeUuid(id);
        } else {
            event.id = derivedUuid("id\n" + id);
            extra[*idAttribute] = view.value(*idAttribute);
        }
        view.use(*idAttribute);
    }
    const Conventions& conventions = Conventions::defaults();
    const auto derived = [&](const std::string& mapped, const Names& names, const std::vector<std::string>& keys,
                             const char* fallback) {
        if (const auto attribute = view.find(mapped, names)) {
            metadata[conventionKey(*attribute, keys, fallback)] = view.value(*attribute);
            view.use(*attribute);
        }
    };
    derived(mapping.actor, kActorNames, conventions.actor, "userId");
    derived(mapping.correlation, kCorrelationNames, conventions.correlation, "correlationId");
    derived(mapping.causation, kCausationNames, conventions.causation, "causationId");
    derived({}, kSchemaNames, conventions.schemaVersion, "schemaVersion");
    if (const auto attribute = view.find(mapping.category, kCategoryNames)) {
        metadata["aggregateType"] = view.value(*attribute);
        view.use(*attribute);
    } else if (location.category) {
        metadata["aggregateType"] = *location.category;
    }
    if (const auto attribute = view.find(mapping.tenant, kTenantNames)) {
        metadata["tenant"] = view.value(*attribute);
        view.use(*attribute);
    } else if (location.tenant) {
        metadata["tenant"] = *location.tenant;
    }
    for (const auto& [name, value] : item.attributes.items()) {
        if (!view.used(name))
            extra[name] = value;
    }
    if (!extra.empty())
        metadata["dynamodb"] = std::move(extra);
    event.metadata = dumpJson(metadata);
    return event;
}

DynamoDbSnapshot snapshotFromItem(const DynamoDbItem& item, const DynamoDbMapping& mapping)
{
    ItemView view(item.attributes);
    DynamoDbSnapshot snapshot;
    const Location location
        = locate(view, mapping, mapping.snapshotStream, mapping.snapshotVersion, "snapshots.stream", "snapshot");
    snapshot.stream = location.stream;
    if (!location.version)
        badInput("the snapshot has no version (looked for "
            + listed(mapping.snapshotVersion, kVersionNames, "snapshots.version") + ")");
    snapshot.version = *location.version;
    const auto stateAttribute = view.find(mapping.snapshotState, kStateNames);
    if (!stateAttribute)
        badInput("the snapshot has no state (looked for "
            + listed(mapping.snapshotState, kStateNames, "snapshots.state") + ")");
    snapshot.state = dumpJson(parsedIfJsonText(view.value(*stateAttribute)));
    if (const auto timeAttribute = view.find(mapping.snapshotTime, kTimeNames))
        snapshot.time = timeOf(view.value(*timeAttribute), *timeAttribute);
    return snapshot;
}

// ---- Reading files ---------------------------------------------------------------------------------------------

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
                badInput("line " + std::to_string(m_line) + " is longer than " + std::to_string(limit >> 20)
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
            badInput("the file could not be read");
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
            badInput(m_name + " line " + std::to_string(line) + ": " + parseErrorReason(*parseError, column));
        }
        badInput(m_name + " line " + std::to_string(line) + ": " + error.what());
    }

    bool sawItems() const { return m_sawItems; }

private:
    void failHere(const std::string& what) const
    {
        badInput(m_name + " line " + std::to_string(m_source.line()) + ": " + what);
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
            failHere("an element of \"Items\" is " + dumpJson(value).substr(0, 40) + ", not an item object");
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
            badInput(m_name + " line " + std::to_string(m_itemLine) + ": " + problem);
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

// ---- Public functions ------------------------------------------------------------------------------------------

nlohmann::ordered_json dynamoDbNumber(std::string_view text)
{
    const auto decimal = parseDecimal(text);
    if (!decimal)
        badInput("the number '" + std::string(text.substr(0, 80)) + "' is not a number");
    if (decimal->digits.empty())
        return Json(0);
    // A whole number: as an integer when it fits.
    if (decimal->exponent >= 0 && decimal->digits.size() + static_cast<std::size_t>(decimal->exponent) <= 20) {
        const std::string whole = (decimal->negative ? "-" : "") + decimal->digits
            + std::string(static_cast<std::size_t>(decimal->exponent), '0');
        std::int64_t signedValue = 0;
        if (const auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), signedValue);
            ec == std::errc() && end == whole.data() + whole.size())
            return Json(signedValue);
        std::uint64_t unsignedValue = 0;
        if (const auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), unsignedValue);
            !decimal->negative && ec == std::errc() && end == whole.data() + whole.size())
            return Json(unsignedValue);
    }
    // A double when it prints as the same decimal value; else the text, so that no digit is lost.
    const std::string normal
        = (decimal->negative ? "-" : "") + decimal->digits + "e" + std::to_string(decimal->exponent);
    double value = 0;
    const auto [end, ec] = std::from_chars(normal.data(), normal.data() + normal.size(), value);
    // Judged by the text the JSON output will hold, so that a reader of it gets every digit back.
    if (ec == std::errc() && std::isfinite(value) && parseDecimal(Json(value).dump()) == decimal)
        return Json(value);
    return Json(std::string(text));
}

nlohmann::ordered_json dynamoDbPlainValue(const nlohmann::ordered_json& typed)
{
    if (!typed.is_object() || typed.size() != 1)
        badInput(dumpJson(typed).substr(0, 80) + " is not a DynamoDB typed value such as {\"S\":\"text\"}");
    const auto member = typed.begin();
    const std::string& type = member.key();
    const Json& value = member.value();
    const auto needString = [&](const Json& v) -> const Json& {
        if (!v.is_string())
            badInput("a \"" + type + "\" value is " + dumpJson(v).substr(0, 40) + ", not a string");
        return v;
    };
    if (type == "S" || type == "B")
        return needString(value);
    if (type == "N")
        return value.is_number() ? value : dynamoDbNumber(needString(value).get_ref<const std::string&>());
    if (type == "BOOL") {
        if (!value.is_boolean())
            badInput("a \"BOOL\" value is " + dumpJson(value).substr(0, 40) + ", not true or false");
        return value;
    }
    if (type == "NULL")
        return Json(nullptr);
    if (type == "M") {
        if (!value.is_object())
            badInput("an \"M\" value is not an object");
        Json out = Json::object();
        for (const auto& [name, element] : value.items())
            out[name] = dynamoDbPlainValue(element);
        return out;
    }
    if (type == "L") {
        Json out = Json::array();
        for (const auto& element : typedArray(value, "L"))
            out.push_back(dynamoDbPlainValue(element));
        return out;
    }
    if (type == "SS" || type == "BS") {
        for (const auto& element : typedArray(value, type.c_str()))
            needString(element);
        return value;
    }
    if (type == "NS") {
        Json out = Json::array();
        for (const auto& element : typedArray(value, "NS"))
            out.push_back(
                element.is_number() ? element : dynamoDbNumber(needString(element).get_ref<const std::string&>()));
        return out;
    }
    badInput("\"" + type + "\" is not a DynamoDB type (S, N, B, BOOL, NULL, M, L, SS, NS, BS)");
}

DynamoDbFormat readDynamoDbItems(
    std::istream& input, const std::string& source, const std::function<void(DynamoDbItem&)>& each)
{
    ByteSource bytes(input);
    if (bytes.peek(0) == 0x1f && bytes.peek(1) == 0x8b)
        badInput(source + " is gzip-compressed; decompress it first (gunzip), import reads plain text");
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
                badInput(source + " " + error.what());
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
                badInput(where + ": " + parseErrorReason(error, error.byte));
            }
            const auto itemMember = parsed.is_object() ? parsed.find("Item") : parsed.end();
            if (itemMember == parsed.end() || !itemMember->is_object())
                badInput(where + ": expected an export line {\"Item\":{...}}");
            DynamoDbItem item;
            item.line = number;
            item.bytesRead = bytes.consumed();
            if (const std::string problem = plainItem(*itemMember, item); !problem.empty())
                badInput(where + ": " + problem);
            each(item);
        }
        return DynamoDbFormat::Export;
    }
    if (key.empty()) {
        if (bytes.atEnd() || bytes.peek(at) < 0)
            return DynamoDbFormat::Export; // an empty file holds no items
        badInput(source + " line 1: expected a scan's {\"Items\":[...]} or an export's {\"Item\":{...}} lines");
    }
    ScanHandler handler(bytes, source, each);
    nlohmann::ordered_json::sax_parse(SourceIterator(&bytes), SourceIterator(), &handler);
    if (!handler.sawItems())
        badInput(source
            + " holds no \"Items\" array: expected a scan's {\"Items\":[...]} or an export's "
              "{\"Item\":{...}} lines");
    return DynamoDbFormat::Scan;
}

DynamoDbMapping DynamoDbMapping::fromJson(const std::string& text)
{
    const Json parsed = Json::parse(text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        badInput("the mapping file is not a JSON object such as {\"stream\":\"entityId\",\"version\":\"seq\"}");
    DynamoDbMapping mapping;
    const std::map<std::string, std::string*> fields { { "stream", &mapping.stream }, { "version", &mapping.version },
        { "type", &mapping.type }, { "data", &mapping.data }, { "time", &mapping.time }, { "id", &mapping.id },
        { "metadata", &mapping.metadata }, { "actor", &mapping.actor }, { "correlation", &mapping.correlation },
        { "causation", &mapping.causation }, { "category", &mapping.category }, { "tenant", &mapping.tenant },
        { "partitionKey", &mapping.partitionKey }, { "sortKey", &mapping.sortKey } };
    const std::map<std::string, std::string*> snapshotFields { { "stream", &mapping.snapshotStream },
        { "version", &mapping.snapshotVersion }, { "state", &mapping.snapshotState },
        { "time", &mapping.snapshotTime } };
    const auto assign = [](const std::map<std::string, std::string*>& known, const std::string& key, const Json& value,
                            const std::string& prefix) {
        const auto it = known.find(key);
        if (it == known.end()) {
            std::string names;
            for (const auto& [name, field] : known)
                names += (names.empty() ? "" : ", ") + name;
            badInput("the mapping file has an unknown member \"" + prefix + key + "\" (known: " + names
                + (prefix.empty() ? ", snapshots" : "") + ")");
        }
        if (!value.is_string() || value.get_ref<const std::string&>().empty())
            badInput("the mapping file's \"" + prefix + key + "\" is not an attribute name");
        *it->second = value.get<std::string>();
    };
    for (const auto& [key, value] : parsed.items()) {
        if (key == "snapshots") {
            if (!value.is_object())
                badInput("the mapping file's \"snapshots\" is not an object such as {\"stream\":\"entityId\"}");
            for (const auto& [snapshotKey, snapshotValue] : value.items())
                assign(snapshotFields, snapshotKey, snapshotValue, "snapshots.");
        } else {
            assign(fields, key, value, {});
        }
    }
    return mapping;
}

DynamoDbEvent dynamoDbEvent(const DynamoDbItem& item, const std::string& source, const DynamoDbMapping& mapping)
{
    try {
        return eventFromItem(item, mapping);
    } catch (const Error& error) {
        badInput(source + " line " + std::to_string(item.line) + ": " + error.what());
    }
}

DynamoDbSnapshot dynamoDbSnapshot(const DynamoDbItem& item, const std::string& source, const DynamoDbMapping& mapping)
{
    try {
        return snapshotFromItem(item, mapping);
    } catch (const Error& error) {
        badInput(source + " line " + std::to_string(item.line) + ": " + error.what());
    }
}

std::string dynamoDbDerivedId(const std::string& stream, std::int64_t version)
{
    return derivedUuid("event\n" + stream + "\n" + std::to_string(version));
}

// ---- The import ------------------------------------------------------------------------------------------------

struct DynamoDbImport::Staging
{
    DynamoDbImportOptions options;
    QTemporaryDir directory;
    std::unique_ptr<SqliteDb> db;
    std::vector<std::string> sources;
    DynamoDbImportSummary summary;
    std::int64_t shift = 0;
    bool checked = false;
    std::string digest; // of the import's streams, for the audit record's ID
    std::chrono::steady_clock::time_point lastProgress {};

    explicit Staging(DynamoDbImportOptions o)
        : options(std::move(o))
        , directory(QDir(
              options.stagingDirectory.empty() ? QDir::tempPath() : QString::fromStdString(options.stagingDirectory))
                        .filePath(QStringLiteral("eventscope-import-XXXXXX")))
    {
        if (!directory.isValid())
            badInput("cannot make a staging folder for the import: " + directory.errorString().toStdString());
        db = std::make_unique<SqliteDb>(directory.filePath(QStringLiteral("staging.db")).toStdString(), true);
        // A scratch file: no journal, no fsync, a small cache, sorting on disk.
        db->exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE; "
                 "PRAGMA cache_size=-16384; PRAGMA mmap_size=0");
        db->exec("CREATE TABLE items(stream TEXT NOT NULL, version INTEGER, time INTEGER, id TEXT, "
                 "type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, source INTEGER NOT NULL, "
                 "line INTEGER NOT NULL);"
                 "CREATE TABLE snapshots(stream TEXT NOT NULL, version INTEGER NOT NULL, state TEXT NOT NULL, "
                 "time INTEGER, source INTEGER NOT NULL, line INTEGER NOT NULL);"
                 "CREATE TABLE streams(name TEXT PRIMARY KEY, events INTEGER NOT NULL, first_id TEXT NOT NULL)");
    }

    void cancelPoint() const
    {
        if (options.cancel && options.cancel->load())
            fail(ErrorKind::Cancelled, "the import was cancelled");
    }

    void report(const DynamoDbImportProgress& progress, bool force = false)
    {
        if (!options.progress)
            return;
        const auto now = std::chrono::steady_clock::now();
        if (!force && now - lastProgress < std::chrono::milliseconds(250))
            return;
        lastProgress = now;
        options.progress(progress);
    }

    std::string where(std::int64_t source, std::int64_t line) const
    {
        return sources.at(static_cast<std::size_t>(source)) + " line " + std::to_string(line);
    }

    // Reads a file, staging what `stage` makes of each item in transactions of many rows.
    template <typename Stage>
    std::int64_t read(std::istream& input, const std::string& source, std::uint64_t totalBytes, Stage stage)
    {
        if (checked)
            badInput("the import was already checked; add every file before");
        sources.push_back(source);
        const auto number = static_cast<std::int64_t>(sources.size() - 1);
        DynamoDbImportProgress progress;
        progress.source = source;
        progress.totalBytes = totalBytes;
        auto transaction = std::make_unique<SqliteTransaction>(*db);
        readDynamoDbItems(input, source, [&](DynamoDbItem& item) {
            stage(item, number);
            ++progress.items;
            if (progress.items % 10000 == 0) {
                transaction->commit();
                transaction = std::make_unique<SqliteTransaction>(*db);
                cancelPoint();
            }
            progress.bytes = item.bytesRead;
            report(progress);
        });
        transaction->commit();
        progress.bytes = totalBytes ? totalBytes : progress.bytes;
        report(progress, true);
        return progress.items;
    }

    void check();
    void checkSnapshots();
};

DynamoDbImport::DynamoDbImport(DynamoDbImportOptions options)
    : m(std::make_unique<Staging>(std::move(options)))
{
}

DynamoDbImport::~DynamoDbImport() = default;

const DynamoDbImportSummary& DynamoDbImport::summary() const
{
    return m->summary;
}

void DynamoDbImport::addEvents(std::istream& input, const std::string& source, std::uint64_t totalBytes)
{
    m->summary.items += m->read(input, source, totalBytes, [&](DynamoDbItem& item, std::int64_t number) {
        const DynamoDbEvent event = dynamoDbEvent(item, source, m->options.mapping);
        auto& insert = m->db->cached("INSERT INTO items(stream, version, time, id, type, data, metadata, source, "
                                     "line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.bindStatic(1, event.stream);
        event.version ? insert.bind(2, *event.version) : insert.bindNull(2);
        event.time ? insert.bind(3, *event.time) : insert.bindNull(3);
        event.id.empty() ? insert.bindNull(4) : insert.bindStatic(4, event.id);
        insert.bindStatic(5, event.type).bindStatic(6, event.data).bindStatic(7, event.metadata);
        insert.bind(8, number).bind(9, item.line).run();
    });
}

void DynamoDbImport::addSnapshots(std::istream& input, const std::string& source, std::uint64_t totalBytes)
{
    m->read(input, source, totalBytes, [&](DynamoDbItem& item, std::int64_t number) {
        const DynamoDbSnapshot snapshot = dynamoDbSnapshot(item, source, m->options.mapping);
        auto& insert = m->db->cached(
            "INSERT INTO snapshots(stream, version, state, time, source, line) VALUES (?, ?, ?, ?, ?, ?)");
        insert.bindStatic(1, snapshot.stream).bind(2, snapshot.version).bindStatic(3, snapshot.state);
        snapshot.time ? insert.bind(4, *snapshot.time) : insert.bindNull(4);
        insert.bind(5, number).bind(6, item.line).run();
    });
}

void DynamoDbImport::check()
{
    m->check();
}

void DynamoDbImport::Staging::check()
{
    if (checked)
        return;
    if (summary.items == 0)
        badInput(sources.empty() ? std::string("the import has no source files")
                                 : "the sources hold no DynamoDB items (" + sources.front() + "...)");
    DynamoDbImportProgress progress;
    progress.phase = DynamoDbImportProgress::Phase::Checking;
    progress.total = summary.items;
    report(progress, true);
    db->exec("CREATE INDEX items_order ON items(stream, version, time)");
    db->exec("CREATE INDEX items_id ON items(id) WHERE id IS NOT NULL");

    // The same ID twice would stop the append half-way: refuse it now.
    auto& repeated = db->cached("SELECT id FROM items WHERE id IS NOT NULL GROUP BY id HAVING COUNT(*) > 1 LIMIT 1");
    if (repeated.step()) {
        const std::string id = repeated.text(0);
        repeated.reset();
        auto& lines = db->cached("SELECT source, line FROM items WHERE id = ? ORDER BY rowid LIMIT 2");
        lines.bind(1, std::string_view(id));
        std::vector<std::string> places;
        while (lines.step())
            places.push_back(where(lines.int64(0), lines.int64(1)));
        badInput("event ID " + id + " appears twice, at " + places.at(0) + " and " + places.at(1));
    }

    auto& minimum = db->cached("SELECT MIN(version) FROM items");
    shift = minimum.step() && !minimum.isNull(0) && minimum.int64(0) == 0 ? 1 : 0;
    minimum.reset();
    summary.shifted = shift == 1;
    const std::int64_t base = 1 - shift; // the first version of every stream, as the source numbers them

    SqliteTransaction transaction(*db);
    auto& rows = db->cached("SELECT stream, version, id, source, line FROM items ORDER BY stream, version, time");
    auto& addStream = db->cached("INSERT INTO streams(name, events, first_id) VALUES (?, ?, ?)");
    QCryptographicHash digestHash(QCryptographicHash::Sha256);
    std::string stream;
    std::string firstId;
    std::int64_t count = 0;
    std::optional<std::int64_t> previous;
    std::string previousWhere;
    const auto finishStream = [&] {
        if (count == 0)
            return;
        addStream.reset();
        addStream.bind(1, std::string_view(stream)).bind(2, count).bind(3, std::string_view(firstId)).run();
        const std::string entry = stream + '\n' + std::to_string(count) + '\n' + firstId + '\n';
        digestHash.addData(QByteArrayView(entry.data(), static_cast<qsizetype>(entry.size())));
        ++summary.streams;
    };
    while (rows.step()) {
        const std::string_view rowStream = rows.view(0);
        const bool versioned = !rows.isNull(1);
        const std::optional<std::int64_t> version = versioned ? std::optional(rows.int64(1)) : std::nullopt;
        const std::string here = where(rows.int64(3), rows.int64(4));
        if (count == 0 || rowStream != stream) {
            finishStream();
            stream = rowStream;
            count = 0;
            if (version && *version != base)
                badInput("stream " + stream + " has no version " + std::to_string(base) + ": its versions start at "
                    + std::to_string(*version) + " (" + here + "); each stream's versions must run "
                    + std::to_string(base) + ", " + std::to_string(base + 1) + ", ... without gaps");
        } else if (versioned != previous.has_value()) {
            badInput("stream " + stream + " mixes items with and without a version (" + previousWhere + " and " + here
                + ")");
        } else if (version && *version == *previous) {
            badInput("stream " + stream + " has version " + std::to_string(*version) + " twice (" + previousWhere
                + " and " + here + ")");
        } else if (version && *version != *previous + 1) {
            badInput("stream " + stream + " jumps from version " + std::to_string(*previous) + " to "
                + std::to_string(*version) + " (" + here + "): "
                + (*version - 1 > *previous + 1 ? "versions " + std::to_string(*previous + 1) + " to "
                            + std::to_string(*version - 1) + " are missing"
                                                : "version " + std::to_string(*previous + 1) + " is missing"));
        }
        ++count;
        if (count == 1)
            firstId = rows.isNull(2) ? dynamoDbDerivedId(stream, 1) : rows.text(2);
        previous = version;
        previousWhere = here;
        ++summary.events;
        if (summary.events % 10000 == 0) {
            cancelPoint();
            progress.done = summary.events;
            report(progress);
        }
    }
    finishStream();
    checkSnapshots();
    transaction.commit();
    digest = digestHash.result().toHex().toStdString();
    checked = true;
    if (shift && options.note)
        options.note("the DynamoDB versions start at 0; native stores number from 1, so every version (and "
                     "snapshot version) is one higher in the store");
}

void DynamoDbImport::Staging::checkSnapshots()
{
    auto& rows = db->cached("SELECT s.stream, s.version, s.source, s.line, t.events FROM snapshots s "
                            "LEFT JOIN streams t ON t.name = s.stream ORDER BY s.stream, s.version, s.rowid");
    std::string previousStream;
    std::int64_t previousVersion = -1;
    std::string previousWhere;
    while (rows.step()) {
        const std::string stream = rows.text(0);
        const std::int64_t version = rows.int64(1) + shift;
        const std::string here = where(rows.int64(2), rows.int64(3));
        if (version < 1)
            badInput("the snapshot of stream " + stream + " at version " + std::to_string(rows.int64(1))
                + " comes before the stream's first event (" + here + ")");
        if (!rows.isNull(4) && version > rows.int64(4))
            badInput("the snapshot of stream " + stream + " at version " + std::to_string(rows.int64(1))
                + " is past the stream's last event (" + here + ")");
        if (stream == previousStream && version == previousVersion)
            badInput("stream " + stream + " has two snapshots at version " + std::to_string(rows.int64(1)) + " ("
                + previousWhere + " and " + here + ")");
        previousStream = stream;
        previousVersion = version;
        previousWhere = here;
        ++summary.snapshots;
    }
}

DynamoDbImportSummary DynamoDbImport::writeTo(EventStore& store, const std::string& storeName)
{
    Staging& s = *m;
    s.check();
    if (store.describe().readOnly)
        badInput(storeName + " is a read-only store; import writes to native SQLite and PostgreSQL stores");

    // A stream the store holds already must hold this import: then the import is run again and its batches
    // are no-ops. Anything else would fail half-way, so it is refused before anything is written.
    auto& streams = s.db->cached("SELECT name, first_id FROM streams ORDER BY name");
    while (streams.step()) {
        const std::string stream = streams.text(0);
        if (const auto head = store.streamHead(stream)) {
            const auto first = store.eventById(streams.text(1));
            if (!first || first->stream != stream || first->version != 1)
                badInput("stream " + stream + " already holds " + std::to_string(head->version) + " events in "
                    + storeName
                    + " that this import did not write; import adds new streams (or completes an "
                      "import of the same files)");
        }
        s.cancelPoint();
    }

    DynamoDbImportProgress progress;
    progress.phase = DynamoDbImportProgress::Phase::Appending;
    progress.total = s.summary.events;
    s.report(progress, true);

    constexpr std::size_t kBatchBytes = 4 << 20;
    const auto batchEvents = static_cast<std::size_t>(std::max<std::int64_t>(1, s.options.batchEvents));
    std::vector<AppendRequest> pending;
    std::size_t pendingEvents = 0;
    std::size_t pendingBytes = 0;
    std::size_t requestBytes = 0;
    const auto flush = [&](bool last) {
        if (last) {
            nlohmann::ordered_json details;
            details["action"] = "import";
            details["format"] = "dynamodb";
            details["files"] = s.sources;
            details["events"] = s.summary.events;
            details["streams"] = s.summary.streams;
            details["snapshots"] = s.summary.snapshots;
            AppendRequest audit = auditRequest("EventsImported", std::move(details), s.options.auditTool);
            audit.events.front().id = derivedUuid("import\n" + s.digest);
            pending.push_back(std::move(audit));
        }
        if (pending.empty())
            return;
        const auto results = store.append(pending);
        progress.done += static_cast<std::int64_t>(pendingEvents);
        for (std::size_t i = 0; i < results.size(); ++i) {
            if (!results[i].idempotent && pending[i].stream != kAuditStream)
                s.summary.written += static_cast<std::int64_t>(pending[i].events.size());
        }
        pending.clear();
        pendingEvents = 0;
        pendingBytes = 0;
        s.report(progress, last);
        s.cancelPoint();
    };

    auto& rows = s.db->cached(
        "SELECT stream, version, time, id, type, data, metadata FROM items ORDER BY stream, version, time");
    std::string stream;
    std::int64_t version = 0;
    while (rows.step()) {
        const std::string_view rowStream = rows.view(0);
        const bool newStream = rowStream != stream || version == 0;
        if (newStream) {
            stream = rowStream;
            version = 0;
        }
        ++version;
        // Requests start at fixed places (a stream's start, every batchEvents versions, or where a request grew
        // past kBatchBytes), the same in every run of the same files: a run again meets whole stored requests.
        if (newStream || pending.empty() || pending.back().events.size() >= batchEvents
            || requestBytes >= kBatchBytes) {
            if (pendingEvents >= batchEvents || pendingBytes >= kBatchBytes)
                flush(false);
            pending.push_back(AppendRequest { stream, ExpectedVersion::exact(version - 1), {} });
            requestBytes = 0;
        }
        NewEvent event;
        event.id = rows.isNull(3) ? dynamoDbDerivedId(stream, version) : rows.text(3);
        event.type = rows.text(4);
        event.data = rows.text(5);
        event.metadata = rows.text(6);
        if (!rows.isNull(2))
            event.time = rows.int64(2);
        const std::size_t bytes = event.data.size() + event.metadata.size() + event.type.size() + 64;
        pending.back().events.push_back(std::move(event));
        ++pendingEvents;
        pendingBytes += bytes;
        requestBytes += bytes;
    }
    flush(true);

    progress.phase = DynamoDbImportProgress::Phase::Snapshots;
    progress.done = 0;
    progress.total = s.summary.snapshots;
    auto& snapshots = s.db->cached("SELECT stream, version, state, time FROM snapshots ORDER BY rowid");
    const Micros now = nowMicros();
    while (snapshots.step()) {
        Snapshot snapshot;
        snapshot.stream = snapshots.text(0);
        snapshot.version = snapshots.int64(1) + s.shift;
        snapshot.reducer = "dynamodb-import";
        snapshot.state = snapshots.text(2);
        snapshot.time = snapshots.isNull(3) ? now : snapshots.int64(3);
        store.saveSnapshot(snapshot);
        ++progress.done;
        s.report(progress);
    }
    return s.summary;
}

} // namespace eventscope
