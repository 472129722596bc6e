#include "storage/store_uri.h"

#include "storage/error.h"

#include <optional>
#include <regex>
#include <string_view>

namespace eventscope {
namespace {

bool endsWith(const std::string& text, const std::string& suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool startsWith(const std::string& text, const std::string& prefix)
{
    return text.rfind(prefix, 0) == 0;
}

std::string maskPassword(const std::string& uri)
{
    static const std::regex password(R"(^([a-z+]+://[^:/@]*):[^@/]*@)");
    return std::regex_replace(uri, password, "$1:***@");
}

// Removes schema=NAME from the query string, where libpq would reject it.
std::string takeSchema(std::string& uri)
{
    const auto question = uri.find('?');
    if (question == std::string::npos)
        return "eventscope";
    std::string query = uri.substr(question + 1);
    std::string kept;
    std::string schema = "eventscope";
    std::size_t start = 0;
    while (start <= query.size()) {
        auto amp = query.find('&', start);
        if (amp == std::string::npos)
            amp = query.size();
        const std::string part = query.substr(start, amp - start);
        if (startsWith(part, "schema="))
            schema = part.substr(7);
        else if (!part.empty())
            kept += (kept.empty() ? "" : "&") + part;
        start = amp + 1;
    }
    uri = uri.substr(0, question) + (kept.empty() ? "" : "?" + kept);
    static const std::regex identifier(R"(^[A-Za-z_][A-Za-z0-9_]{0,62}$)");
    if (!std::regex_match(schema, identifier))
        fail(ErrorKind::BadInput, "schema '" + schema + "' is not a plain PostgreSQL identifier");
    return schema;
}

// Removes NAME=VALUE from the query string of `uri` and returns VALUE; nothing when it is not there.
std::optional<std::string> takeParameter(std::string& uri, const std::string& name)
{
    const auto question = uri.find('?');
    if (question == std::string::npos)
        return std::nullopt;
    std::optional<std::string> value;
    std::string kept;
    const std::string query = uri.substr(question + 1);
    std::size_t start = 0;
    while (start <= query.size()) {
        auto amp = query.find('&', start);
        if (amp == std::string::npos)
            amp = query.size();
        const std::string part = query.substr(start, amp - start);
        if (startsWith(part, name + "="))
            value = part.substr(name.size() + 1);
        else if (!part.empty())
            kept += (kept.empty() ? "" : "&") + part;
        start = amp + 1;
    }
    uri = uri.substr(0, question) + (kept.empty() ? "" : "?" + kept);
    return value;
}

} // namespace

StoreUri StoreUri::parse(const std::string& text)
{
    StoreUri uri;
    uri.display = maskPassword(text);
    if (text.empty())
        fail(ErrorKind::BadInput, "the STORE argument is empty");
    for (const char* prefix : { "messagedb+", "emmett+", "mapped+" }) {
        if (!startsWith(text, prefix))
            continue;
        const std::string foreign(prefix, std::string_view(prefix).size() - 1);
        std::string rest = text.substr(foreign.size() + 1);
        const auto archived = foreign == "emmett" ? takeParameter(rest, "archived") : std::nullopt;
        if (archived && *archived != "true" && *archived != "false")
            fail(ErrorKind::BadInput, "archived=" + *archived + " is neither true nor false");
        // A mapped table's own parameters come out before the inner STORE is parsed: libpq would reject them and a
        // SQLite path would keep them.
        const auto table = foreign == "mapped" ? takeParameter(rest, "table") : std::nullopt;
        const auto mapping = foreign == "mapped" ? takeParameter(rest, "mapping") : std::nullopt;
        if (foreign == "mapped" && (!table || table->empty()))
            fail(ErrorKind::BadInput, "a mapped store needs ?table=NAME");
        std::string probe = rest;
        const bool schemaGiven = takeParameter(probe, "schema").has_value();
        StoreUri inner = parse(rest);
        if (foreign == "mapped" && !inner.foreign.empty())
            fail(ErrorKind::BadInput, "a mapped store reads a table of a SQLite file or a PostgreSQL database");
        if (foreign == "mapped" && inner.kind == Kind::Sqlite && inner.path.find('?') != std::string::npos)
            fail(ErrorKind::BadInput, "a mapped SQLite store takes only ?table=NAME and &mapping=FILE");
        if (foreign == "mapped" && inner.kind == Kind::Postgres && !schemaGiven)
            inner.schema = "public"; // where other systems' tables usually live, rather than Eventscope's schema
        inner.table = table.value_or("");
        inner.mapping = mapping.value_or("");
        if (foreign == "messagedb" && inner.kind != Kind::Postgres)
            fail(ErrorKind::BadInput, "a Message DB store is a PostgreSQL database: use messagedb+postgresql://");
        inner.foreign = foreign;
        inner.includeArchived = archived == "true";
        inner.display = maskPassword(text);
        return inner;
    }
    if (startsWith(text, "postgresql://") || startsWith(text, "postgres://")) {
        uri.kind = Kind::Postgres;
        uri.connection = text;
        uri.schema = takeSchema(uri.connection);
        return uri;
    }
    if (startsWith(text, "sqlite:")) {
        uri.kind = Kind::Sqlite;
        uri.path = text.substr(7);
        if (startsWith(uri.path, "//"))
            uri.path = uri.path.substr(2);
        if (uri.path.empty())
            fail(ErrorKind::BadInput, "the STORE '" + text + "' names no file");
        return uri;
    }
    if (endsWith(text, ".db") || endsWith(text, ".sqlite") || endsWith(text, ".sqlite3")) {
        uri.kind = Kind::Sqlite;
        uri.path = text;
        return uri;
    }
    const auto scheme = text.find("://");
    if (scheme != std::string::npos)
        fail(ErrorKind::BadInput,
            "the store kind '" + text.substr(0, scheme)
                + "' is not supported here; use a .db path, sqlite:PATH or postgresql://");
    fail(ErrorKind::BadInput,
        "'" + text + "' names no store: give a path ending in .db or .sqlite, sqlite:PATH, or a postgresql:// URI");
}

std::string foreignKindName(const std::string& kind)
{
    if (kind == "messagedb")
        return "Message DB";
    if (kind == "emmett")
        return "Emmett";
    if (kind == "mapped")
        return "mapped events table";
    return kind;
}

} // namespace eventscope
