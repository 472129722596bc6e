#include "storage/event_store.h"

#include "storage/postgres_store.h"
#include "storage/sqlite_store.h"
#include "storage/store_uri.h"

namespace eventscope {

AppendResult EventStore::append(const std::string& stream, std::vector<NewEvent> events, ExpectedVersion expected)
{
    AppendRequest request { stream, expected, std::move(events) };
    return append(std::span<const AppendRequest>(&request, 1)).front();
}

std::unique_ptr<EventStore> openStore(const std::string& text, bool create)
{
    const StoreUri uri = StoreUri::parse(text);
    if (uri.kind == StoreUri::Kind::Postgres)
        return std::make_unique<PostgresStore>(uri, create);
    return std::make_unique<SqliteStore>(uri, create);
}

} // namespace eventscope
