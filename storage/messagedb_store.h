#pragma once
// Message DB (DESIGN §3): message_store.messages, read-only, in its own numbering. A stream's first message is
// position 0 (versionsFromZero) and global_position orders the store. Reads go through the same SQL builder as
// the native PostgreSQL store: a common table expression presents the messages under the native column names,
// and PostgreSQL inlines it, so the filters reach Message DB's own indexes (stream, category, id).

#include "storage/read_only_store.h"
#include "storage/store_uri.h"

#include <memory>

namespace eventscope {

class PostgresConnection;

class MessageDbStore : public ReadOnlyStore
{
public:
    // Throws Unreachable when the server cannot be reached or the database has no message_store.messages.
    explicit MessageDbStore(const StoreUri& uri);
    ~MessageDbStore() override;

    // Whether the database at `uri` holds Message DB's table; false, not an error, when it does not.
    static bool isPresent(PostgresConnection& db);

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
    StoreUri m_uri;
    std::unique_ptr<PostgresConnection> m_db;
};

} // namespace eventscope
