#pragma once
// Emmett on PostgreSQL (DESIGN §3): emt_messages and emt_streams, read-only, across partitions.
//
// - Streams: a stream is Emmett's (partition, stream_id). In the default partition emt:default it is named by
//   its stream_id; in any other it is named "PARTITION/stream_id".
// - Numbering: positions are global_position and versions are stream_position (from 1, as native stores).
// - Order: all events are read in Emmett's own safe order, (transaction_id, global_position), and only below
//   the snapshot's xmin. Every transaction that low has ended, so a transaction that took a lower
//   global_position but commits later cannot be skipped (Emmett's readMessagesBatch does the same).
// - Archived: rows are left out unless the URI asks for them (?archived=true).

#include "storage/read_only_store.h"
#include "storage/store_uri.h"

#include <deque>
#include <map>
#include <memory>

namespace eventscope {

class PostgresConnection;

class EmmettStore : public ReadOnlyStore
{
public:
    // Throws Unreachable when the server cannot be reached or the database has no emt_messages.
    explicit EmmettStore(const StoreUri& uri);
    ~EmmettStore() override;

    static bool isPresent(PostgresConnection& db);
    // The schema holding emt_messages, preferring the URI's own and then public; empty when there is none.
    static std::string schemaOf(PostgresConnection& db);

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
    std::string eventsSource(const std::optional<std::string>& stream) const;
    // The events of `from` (a table or a sub-select) under the native column names, with tx.
    static std::string eventsOf(const std::string& from);
    std::string transactionOf(std::int64_t position);
    // The next page of a forward read of all events from rows an earlier query read past its page; nothing when
    // the query does not continue that read.
    std::optional<EventPage> serveAhead(const EventQuery& query);

    struct AheadRow
    {
        Event event;
        std::string transaction;
    };

    StoreUri m_uri;
    std::unique_ptr<PostgresConnection> m_db;
    // The transaction of each page's next key, seen when the page was read: the next page starts at
    // (transaction, position) without looking the position up again (global_position has no index).
    std::map<std::int64_t, std::string> m_nextTransaction;
    std::deque<AheadRow> m_ahead; // in order; its front is the next page's first event
    bool m_aheadReachedEnd = false; // the query that filled it came back short: the table ended there
    bool m_aheadIncludeSystem = false;
};

} // namespace eventscope
