// The PostgreSQL store's tables, made once per schema, and the check that a schema holds a store this
// version reads. reserve_positions() is the heart of the visibility rules explained in postgres_store.cpp.

#include "storage/error.h"
#include "storage/postgres_connection.h"
#include "storage/postgres_store.h"
#include "storage/time_format.h"
#include "storage/uuid.h"

namespace eventscope {
namespace {

constexpr const char* kFormat = "eventscope-postgresql/1";

// @S is the quoted schema, @K the advisory lock key of reserve_positions(), @W the writers' lock key.
constexpr const char* kSchema = R"sql(
CREATE SCHEMA IF NOT EXISTS @S;
CREATE TABLE @S.meta(key text PRIMARY KEY, value text NOT NULL);
CREATE SEQUENCE @S.events_position AS bigint;
CREATE TABLE @S.events(
  position bigint PRIMARY KEY,            -- from events_position, only through reserve_positions()
  stream text COLLATE "C" NOT NULL,       -- byte order, as the seal digest and the SQLite store have it
  version bigint NOT NULL,
  id uuid NOT NULL,
  type text NOT NULL,
  category text COLLATE "C" NOT NULL,
  time timestamptz NOT NULL,              -- for people with psql; Eventscope reads time_us
  time_us bigint NOT NULL,                -- microseconds since 1970-01-01T00:00:00Z
  data json NOT NULL,                     -- json, not jsonb: the exact text is hashed and comes back unchanged
  metadata json NOT NULL,
  correlation text,
  causation text,
  actor text,
  schema_version bigint,
  hash text NOT NULL,                     -- SHA-256 chained to the previous event of the stream
  tx xid8 NOT NULL DEFAULT pg_current_xact_id(), -- the writer; readers stay below the oldest open one
  CONSTRAINT events_id_key UNIQUE (id),
  CONSTRAINT events_stream_version_key UNIQUE (stream, version)
);
ALTER SEQUENCE @S.events_position OWNED BY @S.events.position;
CREATE INDEX events_type ON @S.events(type, position);
CREATE INDEX events_category ON @S.events(category, position);
CREATE INDEX events_correlation ON @S.events(correlation, position) WHERE correlation IS NOT NULL;
CREATE INDEX events_causation ON @S.events(causation, position) WHERE causation IS NOT NULL;
CREATE INDEX events_actor ON @S.events(actor, position) WHERE actor IS NOT NULL;
CREATE INDEX events_time ON @S.events(time_us, position);
CREATE TABLE @S.streams(
  name text COLLATE "C" PRIMARY KEY,
  category text COLLATE "C" NOT NULL,
  version bigint NOT NULL,
  first_time_us bigint NOT NULL,
  last_time_us bigint NOT NULL,
  last_position bigint NOT NULL,
  last_hash text NOT NULL
);
CREATE INDEX streams_category ON @S.streams(category, name);
CREATE TABLE @S.snapshots(
  stream text COLLATE "C" NOT NULL,
  reducer text COLLATE "C" NOT NULL,
  version bigint NOT NULL,
  time_us bigint NOT NULL,
  state text NOT NULL,
  PRIMARY KEY (stream, reducer, version)
);
CREATE TABLE @S.projections(
  name text COLLATE "C" PRIMARY KEY,
  position bigint NOT NULL,
  status text NOT NULL,
  definition text NOT NULL,
  updated_us bigint NOT NULL
);
CREATE TABLE @S.projection_states(
  projection text COLLATE "C" NOT NULL,
  partition text COLLATE "C" NOT NULL,
  state text NOT NULL,
  PRIMARY KEY (projection, partition)
);
-- Hands out n consecutive positions and returns the first. The xid is assigned under the same lock as the
-- positions, so that position order is transaction-ID order (see postgres_store.cpp). Call it before the
-- statement writes anything, from a statement that has no xid yet, and commit soon after.
CREATE FUNCTION @S.reserve_positions(n integer) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  first_position bigint;
BEGIN
  -- Position order equals transaction-ID order only if the ID is taken here, under the lock.
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'reserve_positions() must come before anything else that writes in its transaction';
  END IF;
  PERFORM pg_advisory_lock(@K);
  PERFORM pg_advisory_xact_lock_shared(@W); -- "a writer runs", until commit; before the xid exists
  PERFORM pg_current_xact_id();
  first_position := nextval('@S.events_position');
  IF n > 1 THEN
    PERFORM setval('@S.events_position', first_position + n - 1);
  END IF;
  PERFORM pg_advisory_unlock(@K);
  RETURN first_position;
END
$fn$;
)sql";

std::string replaceAll(std::string text, const std::string& from, const std::string& to)
{
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

} // namespace

void PostgresStore::createSchema()
{
    // Two processes may create the same store at once. CREATE ... IF NOT EXISTS still races in the catalogs,
    // so creation runs under an advisory lock, and the second process finds the store made.
    pqxx::connection& conn = m_db->raw();
    const std::string key = std::to_string(advisoryLockKey("create", m_uri.schema));
    pqxx::nontransaction(conn).exec("SELECT pg_advisory_lock(" + key + ")");
    struct Unlock
    {
        pqxx::connection& conn;
        const std::string& key;
        ~Unlock()
        {
            try {
                pqxx::nontransaction(conn).exec("SELECT pg_advisory_unlock(" + key + ")");
            } catch (const std::exception&) {
                // A broken connection has released the lock with the session.
            }
        }
    } unlock { conn, key };

    const std::string& schema = m_db->quotedSchema();
    if (!pqxx::nontransaction(conn).exec_params1("SELECT to_regclass($1) IS NULL", schema + ".meta")[0].as<bool>())
        return;
    pqxx::work tx(conn);
    tx.exec(replaceAll(replaceAll(replaceAll(kSchema, "@S", schema), "@K", std::to_string(m_positionLock)), "@W",
        std::to_string(m_writersLock)));
    tx.exec_params(
        "INSERT INTO " + schema + ".meta(key, value) VALUES ('format', $1), ('store_id', $2), ('created', $3)", kFormat,
        makeUuid(), formatTime(nowMicros()));
    tx.commit();
}

void PostgresStore::openSchema()
{
    pqxx::nontransaction tx(m_db->raw());
    if (tx.exec_params1("SELECT to_regclass($1) IS NULL", m_db->quotedSchema() + ".meta")[0].as<bool>())
        fail(ErrorKind::Unreachable, m_uri.display + " has no Eventscope store in schema " + m_uri.schema);
    std::string format;
    for (const auto& row : tx.exec("SELECT key, value FROM meta WHERE key IN ('format', 'store_id')")) {
        if (fieldText(row[0]) == "format")
            format = fieldText(row[1]);
        else
            m_storeId = fieldText(row[1]);
    }
    if (format != kFormat)
        fail(ErrorKind::Unreachable,
            m_uri.display + " holds in schema " + m_uri.schema
                + " an Eventscope store of a format this version does not read");
}

} // namespace eventscope
