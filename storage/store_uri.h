#pragma once
// Parses the STORE string of DESIGN §3 into what a store needs to connect.

#include <string>

namespace eventscope {

struct StoreUri
{
    enum class Kind { Sqlite, Postgres };
    Kind kind = Kind::Sqlite;
    std::string path; // Sqlite: the file
    std::string connection; // Postgres: the libpq URI without Eventscope's own parameters
    std::string schema = "eventscope"; // Postgres: ?schema=NAME
    std::string display; // for messages: the URI with any password masked
    // A store another system wrote, opened read-only through an adapter (DESIGN §3): "messagedb", or empty for
    // a native store. A plain URI may still turn out to hold one: openStore() detects it. "mapped" reads any events
    // table; without ?schema= its names resolve in PostgreSQL's public schema.
    std::string foreign;
    // A mapped table (foreign "mapped"): ?table=NAME (SCHEMA.NAME in PostgreSQL) and ?mapping=FILE.
    std::string table;
    std::string mapping;
    bool includeArchived = false; // Emmett: ?archived=true reads archived rows too

    // Throws BadInput with a sentence naming the string when it names no store Eventscope knows.
    static StoreUri parse(const std::string& text);
};

// How sentences name a kind of store: "Message DB" for "messagedb"; native kinds as they are.
std::string foreignKindName(const std::string& kind);

} // namespace eventscope
