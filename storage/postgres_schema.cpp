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

// A whole append to one stream, so that it costs one round trip even when the client knows nothing of the
// stream's head: the same steps, in the same order, as PostgresStore::appendAttempt() and kWriteSql. It
// reads the head and the first ID with plain SELECTs (no xid before reserve_positions()), so two writers of
// one stream still meet on UNIQUE (stream, version) and the loser starts over. Returns o_stored_stream and
// o_stored_version when the first ID is stored (the client decides whether that is a repeat) and
// o_version the head's version then; else the new head (o_version, o_last_hash) and o_first_position.
// The hashes are eventHash() of integrity.cpp: SHA-256 over "<UTF-8 byte length>:<UTF-8 bytes>" of each
// field; json::text is the exact input text. Stores made before it get it when opened (openSchema()), so a
// change to its body or parameters needs a new name.
constexpr const char* kAppendFunction = R"sql(
CREATE OR REPLACE FUNCTION @S.append_stream_v1(p_stream text, p_category text, p_expected text, p_ids uuid[],
    p_types text[], p_time_us bigint[], p_data json[], p_metadata json[], p_correlation text[],
    p_causation text[], p_actor text[], p_schema_version bigint[], p_channel text,
    OUT o_stored_stream text, OUT o_stored_version bigint, OUT o_version bigint, OUT o_first_position bigint,
    OUT o_last_hash text)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  n constant integer := cardinality(p_ids);
  head bigint := 0;
  prev text := repeat('0', 64);
  stream_field constant text := octet_length(convert_to(p_stream, 'UTF8')) || ':' || p_stream;
  hashes text[] := '{}';
  expected_ok boolean;
BEGIN
  SELECT s.version, s.last_hash INTO head, prev FROM @S.streams s WHERE s.name = p_stream;
  IF NOT FOUND THEN
    head := 0;
    prev := repeat('0', 64);
  END IF;
  SELECT e.stream, e.version INTO o_stored_stream, o_stored_version FROM @S.events e WHERE e.id = p_ids[1];
  IF FOUND THEN
    o_version := head;
    RETURN;
  END IF;
  -- In a variable: IF would take the CASE's first THEN for its own.
  expected_ok := CASE p_expected WHEN 'any' THEN true WHEN 'no-stream' THEN head = 0 WHEN 'exists' THEN head > 0
                 ELSE head = p_expected::bigint END;
  IF NOT expected_ok THEN
    RAISE EXCEPTION 'wrong expected version' USING ERRCODE = 'ES409', DETAIL = head::text;
  END IF;
  o_first_position := @S.reserve_positions(n);
  FOR i IN 1..n LOOP
    -- Versions, IDs and times are ASCII: their character counts are their byte lengths.
    prev := encode(sha256(convert_to(
        octet_length(convert_to(prev, 'UTF8')) || ':' || prev || stream_field
        || length((head + i)::text) || ':' || (head + i)::text
        || length(p_ids[i]::text) || ':' || p_ids[i]::text
        || octet_length(convert_to(p_types[i], 'UTF8')) || ':' || p_types[i]
        || length(p_time_us[i]::text) || ':' || p_time_us[i]::text
        || octet_length(convert_to(p_data[i]::text, 'UTF8')) || ':' || p_data[i]::text
        || octet_length(convert_to(p_metadata[i]::text, 'UTF8')) || ':' || p_metadata[i]::text,
      'UTF8')), 'hex');
    hashes[i] := prev;
  END LOOP;
  INSERT INTO @S.events(position, stream, version, id, type, category, time, time_us, data, metadata,
                        correlation, causation, actor, schema_version, hash)
  SELECT o_first_position + u.ord - 1, p_stream, head + u.ord, u.id, u.type, p_category,
         timestamptz 'epoch' + u.time_us * interval '1 microsecond', u.time_us, u.data, u.metadata,
         u.correlation, u.causation, u.actor, u.schema_version, hashes[u.ord]
  FROM unnest(p_ids, p_types, p_time_us, p_data, p_metadata, p_correlation, p_causation, p_actor,
              p_schema_version)
         WITH ORDINALITY AS u(id, type, time_us, data, metadata, correlation, causation, actor, schema_version, ord);
  INSERT INTO @S.streams AS t(name, category, version, first_time_us, last_time_us, last_position, last_hash)
  VALUES (p_stream, p_category, head + n, p_time_us[1], p_time_us[n], o_first_position + n - 1, prev)
  ON CONFLICT (name) DO UPDATE SET version = excluded.version, last_time_us = excluded.last_time_us,
    last_position = excluded.last_position, last_hash = excluded.last_hash;
  PERFORM pg_notify(p_channel, '');
  o_version := head + n;
  o_last_hash := prev;
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
    tx.exec(replaceAll(replaceAll(replaceAll(std::string(kSchema) + kAppendFunction, "@S", schema), "@K",
                           std::to_string(m_positionLock)),
        "@W", std::to_string(m_writersLock)));
    tx.exec_params(
        "INSERT INTO " + schema + ".meta(key, value) VALUES ('format', $1), ('store_id', $2), ('created', $3)", kFormat,
        makeUuid(), formatTime(nowMicros()));
    tx.commit();
}

void PostgresStore::openSchema()
{
    std::string format;
    bool hasAppendFunction = false;
    {
        pqxx::nontransaction tx(m_db->raw()); // ended before addAppendFunction() starts a transaction
        const std::string& schema = m_db->quotedSchema();
        if (tx.exec_params1("SELECT to_regclass($1) IS NULL", schema + ".meta")[0].as<bool>())
            fail(ErrorKind::Unreachable, m_uri.display + " has no Eventscope store in schema " + m_uri.schema);
        // Whether append_stream_v1() exists rides along with the meta query: opening costs no extra round trip.
        for (const auto& row : tx.exec_params("SELECT key, value FROM meta WHERE key IN ('format', 'store_id') "
                                              "UNION ALL SELECT 'append_function', "
                                              "(to_regproc($1) IS NOT NULL)::text",
                 schema + ".append_stream_v1")) {
            const std::string key = fieldText(row[0]);
            if (key == "format")
                format = fieldText(row[1]);
            else if (key == "store_id")
                m_storeId = fieldText(row[1]);
            else
                hasAppendFunction = fieldText(row[1]) == "true";
        }
    }
    if (format != kFormat)
        fail(ErrorKind::Unreachable,
            m_uri.display + " holds in schema " + m_uri.schema
                + " an Eventscope store of a format this version does not read");
    m_serverAppend = hasAppendFunction || addAppendFunction();
}

bool PostgresStore::addAppendFunction()
{
    // A store made before append_stream_v1() existed: add it once, which old versions of Eventscope simply
    // ignore, so the format stays the same. Under the creation lock, so that two processes opening the store
    // at once do not collide in the catalogs. A role that may not create functions, or a standby, keeps the
    // two-round-trip path of appendAttempt(), which needs nothing new.
    try {
        pqxx::work tx(m_db->raw());
        tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(advisoryLockKey("create", m_uri.schema)) + ")");
        tx.exec(replaceAll(kAppendFunction, "@S", m_db->quotedSchema()));
        tx.commit();
        return true;
    } catch (const pqxx::broken_connection&) {
        throw;
    } catch (const pqxx::in_doubt_error&) {
        throw;
    } catch (const pqxx::sql_error&) {
        return false;
    }
}

} // namespace eventscope
