#pragma once
// Emmett on SQLite (DESIGN §3): the same tables as on PostgreSQL in one file, read-only. Emmett serialises its
// SQLite writes, so global_position (the rowid) is commit order and needs no horizon. created holds whole
// seconds. Streams are named as EmmettStore names them; archived rows are left out unless asked.

#include "storage/read_only_store.h"
#include "storage/store_uri.h"

#include <memory>

namespace eventscope {

class SqliteDb;

class EmmettSqliteStore : public ReadOnlyStore
{
public:
    // Throws Unreachable when the file is missing or holds no emt_messages table.
    explicit EmmettSqliteStore(const StoreUri& uri);
    ~EmmettSqliteStore() override;

    // Whether the SQLite file at `path` holds Emmett's table (and is no native store); false on any doubt.
    static bool isPresent(const std::string& path);

    StoreDescription describe() const override;
    EventPage read(const EventQuery& query) override;
    std::optional<StreamInfo> streamHead(const std::string& stream) override;
    std::vector<StreamInfo> streams(const StreamQuery& query) override;
    std::vector<CategoryInfo> categories(const CategoryQuery& query) override;
    std::vector<std::string> eventTypes(std::size_t limit) override;
    EventCount countEvents(const EventQuery& query) override;
    std::int64_t headPosition() override;
    std::optional<Event> eventById(const std::string& id) override;
    void interrupt() override;

private:
    std::string eventsSource() const;

    StoreUri m_uri;
    std::unique_ptr<SqliteDb> m_db;
};

} // namespace eventscope
