#include "model/dynamodb_values.h"

#include "storage/error.h"
#include "storage/time_format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace eventscope {
namespace {

using Json = nlohmann::ordered_json;

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

const Json& typedArray(const Json& value, const char* type)
{
    if (!value.is_array())
        dynamoDbBadInput(std::string("a \"") + type + "\" value is not an array");
    return value;
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

} // namespace

std::string dynamoDbJsonText(const Json& value)
{
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::ordered_json dynamoDbNumber(std::string_view text)
{
    const auto decimal = parseDecimal(text);
    if (!decimal)
        dynamoDbBadInput("the number '" + std::string(text.substr(0, 80)) + "' is not a number");
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
        dynamoDbBadInput(
            dynamoDbJsonText(typed).substr(0, 80) + " is not a DynamoDB typed value such as {\"S\":\"text\"}");
    const auto member = typed.begin();
    const std::string& type = member.key();
    const Json& value = member.value();
    const auto needString = [&](const Json& v) -> const Json& {
        if (!v.is_string())
            dynamoDbBadInput("a \"" + type + "\" value is " + dynamoDbJsonText(v).substr(0, 40) + ", not a string");
        return v;
    };
    if (type == "S" || type == "B")
        return needString(value);
    if (type == "N")
        return value.is_number() ? value : dynamoDbNumber(needString(value).get_ref<const std::string&>());
    if (type == "BOOL") {
        if (!value.is_boolean())
            dynamoDbBadInput("a \"BOOL\" value is " + dynamoDbJsonText(value).substr(0, 40) + ", not true or false");
        return value;
    }
    if (type == "NULL")
        return Json(nullptr);
    if (type == "M") {
        if (!value.is_object())
            dynamoDbBadInput("an \"M\" value is not an object");
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
    dynamoDbBadInput("\"" + type + "\" is not a DynamoDB type (S, N, B, BOOL, NULL, M, L, SS, NS, BS)");
}

std::string dynamoDbText(const Json& value, const std::string& attribute, const char* what)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_number_integer())
        return value.dump();
    dynamoDbBadInput("the " + std::string(what) + " attribute " + attribute + " is "
        + dynamoDbJsonText(value).substr(0, 80) + ", not text");
}

std::optional<std::int64_t> dynamoDbWholeNumber(const Json& value)
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

std::int64_t dynamoDbVersion(const Json& value, const std::string& attribute)
{
    const auto number = dynamoDbWholeNumber(value);
    if (!number || *number < 0)
        dynamoDbBadInput("the version attribute " + attribute + " is " + dynamoDbJsonText(value).substr(0, 80)
            + ", not a whole number of 0 or more");
    return *number;
}

Micros dynamoDbTime(const Json& value, const std::string& attribute)
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
        dynamoDbBadInput("the time attribute " + attribute + " is " + dynamoDbJsonText(value).substr(0, 80)
            + ", neither ISO 8601 text nor epoch seconds or milliseconds");
    return *parsed;
}

Json dynamoDbParsedIfJsonText(const Json& value)
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

} // namespace eventscope
