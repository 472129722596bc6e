#include "storage/event_store.h"

#include "storage/emmett_sqlite_store.h"
#include "storage/emmett_store.h"
#include "storage/error.h"
#include "storage/mapped_store.h"
#include "storage/messagedb_store.h"
#include "storage/postgres_connection.h"
#include "storage/postgres_store.h"
#include "storage/sqlite_store.h"
#include "storage/store_uri.h"

namespace eventscope {

AppendResult EventStore::append(const std::string& stream, std::vector<NewEvent> events, ExpectedVersion expected)
{
    AppendRequest request { stream, expected, std::move(events) };
    return append(std::span<const AppendRequest>(&request, 1)).front();
}

namespace {

// A plain PostgreSQL URI whose database has no native store but a foreign one opens as that kind (DESIGN §3).
std::unique_ptr<EventStore> detectForeignPostgres(const StoreUri& uri)
{
    try {
        PostgresConnection db(uri);
        const bool messageDb = db.guarded([&] { return MessageDbStore::isPresent(db); });
        if (messageDb)
            return std::make_unique<MessageDbStore>(uri);
        const bool emmett = db.guarded([&] { return EmmettStore::isPresent(db); });
        if (emmett)
            return std::make_unique<EmmettStore>(uri);
    } catch (const Error&) {
        // The caller reports why the native store could not be opened, which is the clearer sentence.
    }
    return nullptr;
}

} // namespace

std::unique_ptr<EventStore> openStore(const std::string& text, bool create)
{
    const StoreUri uri = StoreUri::parse(text);
    if (uri.foreign == "messagedb")
        return std::make_unique<MessageDbStore>(uri);
    if (uri.foreign == "mapped")
        return std::make_unique<MappedStore>(uri);
    if (uri.foreign == "emmett") {
        if (uri.kind == StoreUri::Kind::Postgres)
            return std::make_unique<EmmettStore>(uri);
        return std::make_unique<EmmettSqliteStore>(uri);
    }
    if (uri.kind == StoreUri::Kind::Postgres) {
        if (create)
            return std::make_unique<PostgresStore>(uri, create);
        try {
            return std::make_unique<PostgresStore>(uri, false);
        } catch (const Error& error) {
            if (error.kind != ErrorKind::Unreachable)
                throw;
            if (auto foreign = detectForeignPostgres(uri))
                return foreign;
            throw;
        }
    }
    if (!create && EmmettSqliteStore::isPresent(uri.path))
        return std::make_unique<EmmettSqliteStore>(uri);
    return std::make_unique<SqliteStore>(uri, create);
}

} // namespace eventscope
