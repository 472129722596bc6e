#include "app/append_input.h"

#include "app/cli_parser.h"
#include "storage/append_preparation.h"
#include "storage/error.h"
#include "storage/time_format.h"
#include "storage/uuid.h"

#include <QFile>

#include <nlohmann/json.hpp>

#include <set>
#include <unordered_map>

using namespace Qt::Literals::StringLiterals;

namespace eventscope::cli {
namespace {

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." as
// "at column 5, syntax error ...": the input is always one line here.
QString parseErrorReason(const nlohmann::json::parse_error& error)
{
    const std::string what = error.what();
    const auto column = what.find("column ");
    const auto colon = what.find(": ", column == std::string::npos ? 0 : column);
    if (column == std::string::npos || colon == std::string::npos)
        return fromStd(what);
    return u"at "_s + fromStd(what.substr(column, colon - column)) + u", "_s + fromStd(what.substr(colon + 2));
}

nlohmann::ordered_json parseOrFail(const std::string& text, const QString& what)
{
    try {
        return nlohmann::ordered_json::parse(text);
    } catch (const nlohmann::json::parse_error& error) {
        badInput(what + u" is not valid JSON: "_s + parseErrorReason(error));
    }
}

std::string dumpJson(const nlohmann::ordered_json& value)
{
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string requiredString(const nlohmann::ordered_json& line, const char* key, const QString& where)
{
    const auto it = line.find(key);
    if (it == line.end() || !it->is_string() || it->get_ref<const std::string&>().empty())
        badInput(where + u" needs a non-empty \""_s + QLatin1StringView(key) + u"\" string"_s);
    return it->get<std::string>();
}

NewEvent eventFromLine(const nlohmann::ordered_json& line, const QString& where, std::string& stream)
{
    if (!line.is_object())
        badInput(where + u" is not a JSON object"_s);
    static const std::set<std::string> known { "stream", "type", "data", "metadata", "id", "time", "position",
        "version" };
    for (const auto& item : line.items()) {
        if (!known.contains(item.key()))
            badInput(where + u" has an unknown field \""_s + fromStd(item.key())
                + u"\" (known: stream, type, data, metadata, id, time)"_s);
    }
    stream = requiredString(line, "stream", where);
    NewEvent event;
    event.type = requiredString(line, "type", where);
    if (const auto data = line.find("data"); data != line.end())
        event.data = dumpJson(*data);
    if (const auto metadata = line.find("metadata"); metadata != line.end()) {
        if (!metadata->is_object())
            badInput(where + u": \"metadata\" is not a JSON object"_s);
        event.metadata = dumpJson(*metadata);
    }
    if (const auto id = line.find("id"); id != line.end() && !id->is_null()) {
        if (!id->is_string() || !isUuid(id->get_ref<const std::string&>()))
            badInput(where + u": \"id\" "_s + fromStd(dumpJson(*id)) + u" is not a UUID"_s);
        event.id = normalizeUuid(id->get<std::string>());
    }
    if (const auto time = line.find("time"); time != line.end() && !time->is_null()) {
        const auto parsed = time->is_string() ? tryParseTime(time->get_ref<const std::string&>()) : std::nullopt;
        if (!parsed)
            badInput(where + u": \"time\" "_s + fromStd(dumpJson(*time))
                + u" is not an RFC 3339 time such as 2024-01-15T14:00:00Z"_s);
        event.time = parsed;
    }
    return event;
}

} // namespace

void checkJson(const std::string& text, const QString& what, bool mustBeObject)
{
    const auto value = parseOrFail(text, what);
    if (mustBeObject && !value.is_object())
        badInput(what + u" is not a JSON object"_s);
}

std::vector<AppendRequest> readAppendInput(const QString& path)
{
    QFile file;
    const bool standardInput = path == u"-"_s;
    if (!standardInput)
        file.setFileName(path);
    const bool opened = standardInput ? file.open(stdin, QIODevice::ReadOnly) : file.open(QIODevice::ReadOnly);
    if (!opened)
        badInput(u"cannot read the input file "_s + path + u": "_s + file.errorString());
    const QString name = standardInput ? u"standard input"_s : path;

    std::vector<AppendRequest> requests;
    std::unordered_map<std::string, qint64> lineOfId;
    qint64 lineNumber = 0;
    while (!file.atEnd()) {
        const QByteArray raw = file.readLine();
        ++lineNumber;
        const QByteArray text = raw.trimmed();
        if (text.isEmpty())
            continue;
        const QString where = u"line "_s + QString::number(lineNumber) + u" of "_s + name;
        const auto line = parseOrFail(text.toStdString(), where);
        std::string stream;
        NewEvent event = eventFromLine(line, where, stream);
        AppendRequest single { stream, ExpectedVersion::any(), { event } };
        try {
            prepareAppend(std::span<const AppendRequest>(&single, 1));
        } catch (const Error& error) {
            badInput(where + u": "_s + fromStd(error.what()));
        }
        if (!event.id.empty()) {
            const auto [it, inserted] = lineOfId.emplace(event.id, lineNumber);
            if (!inserted)
                badInput(where + u" repeats the event ID "_s + fromStd(event.id) + u" of line "_s
                    + QString::number(it->second));
        }
        if (requests.empty() || requests.back().stream != stream)
            requests.push_back(AppendRequest { stream, ExpectedVersion::any(), {} });
        requests.back().events.push_back(std::move(event));
    }
    if (file.error() != QFileDevice::NoError)
        badInput(u"cannot read the input file "_s + path + u": "_s + file.errorString());
    if (requests.empty())
        badInput(name + u" holds no events"_s);
    return requests;
}

} // namespace eventscope::cli
