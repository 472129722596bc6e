#!/usr/bin/env node
// Writes events into an Emmett PostgreSQL event store with Emmett's own code
// (@event-driven-io/emmett-postgresql), for the tests that read them back with Eventscope.
//
//   node tests/foreign/write_emmett_pg.mjs --uri postgresql://USER@HOST:PORT/emmett < events.ndjson
//   node tests/foreign/write_emmett_pg.mjs --uri URI --migrate     only creates Emmett's schema, then exits
//
// Input, one JSON object a line (blank lines are skipped):
//   {"stream": "order-1", "type": "OrderPlaced", "data": {...}, "metadata": {...}, "id": "UUID"?,
//    "expectedVersion": N | "any" | "no-stream" | "exists"?, "batch": ANY?, "partition": "NAME"?}
// Consecutive lines with the same stream, the same "batch" value (absent counts as one value) and the same
// partition make one append; give consecutive lines of one stream different "batch" values to append them
// separately. "expectedVersion" is read from the first line of an append and is Emmett's own: the stream's
// last stream_position (0 = no stream). Emmett 0.42 turns "any", "no-stream" and "exists" into "no check".
// "id" becomes metadata.messageId, which Emmett stores as message_id (and leaves out of message_metadata);
// without it Emmett makes a UUID v4. "data" defaults to {}, "metadata" to {}.
//
// Without "partition" (or with "emt:default"), an append is eventStore.appendToStream(stream, events,
// {expectedStreamVersion}) of getPostgreSQLEventStore(uri). Emmett 0.42's appendToStream always writes to
// the partition 'emt:default' (its partition option is not passed on), so a line with another partition is
// written by Emmett's own SQL: SELECT emt_add_partition(p), then SELECT * FROM emt_append_to_stream(...) with
// the same arguments appendToStream gives it, plus v_partition.
//
// Output, one JSON line per written event, in input order:
//   {"append_index": N (0-based), "append": what appendToStream returned (for a partition line: the
//    emt_append_to_stream row), then the emt_messages row as stored, column by column:
//    "stream_id", "stream_position", "partition", "message_kind", "message_data", "message_metadata",
//    "message_schema_version", "message_type", "message_id", "is_archived", "global_position",
//    "transaction_id" (xid8, as a number), "created" (timestamptz as PostgreSQL prints it in UTC),
//    "created_utc" (RFC 3339, 6 fraction digits, Z), and "emt_streams": the stream's emt_streams row
//    right after that append}
// message_data and message_metadata are the jsonb text as PostgreSQL prints it.
//
// What Emmett 0.42.0 creates in the database (on the first append or --migrate), all in the schema first
// on the search_path (public): partitioned tables emt_messages and emt_streams (LIST (partition), each
// partition LIST (is_archived) into <table>_<partition>_active / _archived), emt_processors,
// emt_projections, the sequence emt_global_message_position, the functions emt_append_to_stream,
// emt_add_partition, emt_add_table_partition, emt_sanitize_name and the processor and projection
// functions, and dumbo's migration log dmb_migrations. See README.md for the exact columns.
//
// On failure: one line on stderr; exit status 3 for an expected-version conflict, 2 when the database
// cannot be reached, 1 otherwise. Appends made before the failure stay and are printed.
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';

// Emmett and dumbo console.log() some errors before rethrowing them, and dumbo's traces when asked for
// (DUMBO_LOG_LEVEL); keep stdout to the JSON lines: errors are reported once, on stderr.
console.log = () => {};
console.info = () => {};

const DEFAULT_PARTITION = 'emt:default';

class Failure extends Error {
  constructor(message, code) {
    super(message);
    this.exitCode = code;
  }
}

class Raw {
  constructor(text) {
    this.text = text;
  }
}

// JSON with bigints as numbers and Raw values spliced in as they are.
function toJson(value) {
  if (value instanceof Raw) return value.text ?? 'null';
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

const usage = 'usage: write_emmett_pg.mjs --uri URI [--migrate] < events.ndjson';

function parseArgs(argv) {
  const args = { migrate: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--uri' && i + 1 < argv.length) args.uri = argv[++i];
    else if (argv[i] === '--migrate') args.migrate = true;
    else throw new Failure(`Unknown argument ${argv[i]}; ${usage}`, 1);
  }
  if (!args.uri) throw new Failure(`Missing --uri; ${usage}`, 1);
  args.uri = args.uri.replace(/^[a-z]+\+(postgres(ql)?:)/i, '$1');
  return args;
}

async function readInput() {
  const lines = [];
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let number = 0;
  for await (const text of rl) {
    number++;
    if (text.trim() === '') continue;
    let value;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new Failure(`Input line ${number} is not JSON: ${e.message}`, 1);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new Failure(`Input line ${number} is not a JSON object`, 1);
    if (typeof value.stream !== 'string' || value.stream === '') throw new Failure(`Input line ${number} has no "stream"`, 1);
    if (typeof value.type !== 'string' || value.type === '') throw new Failure(`Input line ${number} has no "type"`, 1);
    if (value.partition !== undefined && (typeof value.partition !== 'string' || value.partition === ''))
      throw new Failure(`Input line ${number}: "partition" must be a non-empty string`, 1);
    lines.push({ number, ...value });
  }
  return lines;
}

function expectedVersionOf(line) {
  const v = line.expectedVersion;
  if (v === undefined || v === null) return undefined;
  if (Number.isInteger(v)) return BigInt(v);
  const named = {
    any: 'NO_CONCURRENCY_CHECK',
    'no-stream': 'STREAM_DOES_NOT_EXIST',
    exists: 'STREAM_EXISTS',
    NO_CONCURRENCY_CHECK: 'NO_CONCURRENCY_CHECK',
    STREAM_DOES_NOT_EXIST: 'STREAM_DOES_NOT_EXIST',
    STREAM_EXISTS: 'STREAM_EXISTS',
  }[v];
  if (named === undefined)
    throw new Failure(`Input line ${line.number}: "expectedVersion" must be an integer, "any", "no-stream" or "exists"`, 1);
  return named;
}

// Runs of consecutive lines with the same stream, batch and partition.
function appendsOf(lines) {
  const appends = [];
  for (const line of lines) {
    const partition = line.partition ?? DEFAULT_PARTITION;
    const batch = JSON.stringify(line.batch ?? null);
    const last = appends[appends.length - 1];
    if (last && last.stream === line.stream && last.batch === batch && last.partition === partition) last.lines.push(line);
    else appends.push({ stream: line.stream, batch, partition, lines: [line] });
  }
  return appends;
}

function eventOf(line) {
  const metadata = line.metadata === undefined || line.metadata === null ? {} : { ...line.metadata };
  if (line.id !== undefined && line.id !== null) metadata.messageId = String(line.id);
  return { type: line.type, data: line.data === undefined ? {} : line.data, metadata };
}

// The stream type Emmett's appendToStream derives from the stream name.
function streamTypeOf(stream) {
  const [first, ...rest] = stream.split('-');
  return first && rest.length > 0 ? first : 'emt:unknown';
}

// What appendToStream does, for a partition it does not pass on: Emmett's own SQL function.
async function appendToPartition(client, append) {
  const events = append.lines.map(eventOf);
  const expected = expectedVersionOf(append.lines[0]);
  const ids = events.map((e) => e.metadata.messageId ?? randomUUID());
  await client.query('BEGIN');
  try {
    await client.query('SELECT emt_add_partition($1)', [append.partition]);
    const result = await client.query(
      `SELECT success, next_stream_position::text, global_positions::text[], transaction_id::text
         FROM emt_append_to_stream($1::text[], $2::jsonb[], $3::jsonb[], $4::text[], $5::text[], $6::text[],
                                   $7::text, $8::text, $9::bigint, $10::text)`,
      [
        ids,
        events.map((e) => JSON.stringify(e.data)),
        events.map((e) => {
          const { messageId: _ignored, ...rest } = e.metadata;
          return JSON.stringify(rest);
        }),
        events.map(() => '1'),
        events.map((e) => e.type),
        events.map(() => 'E'),
        append.stream,
        streamTypeOf(append.stream),
        typeof expected === 'bigint' ? expected.toString() : null,
        append.partition,
      ],
    );
    await client.query('COMMIT');
    const row = result.rows[0];
    if (!row.success)
      throw new Failure(
        `Input line ${append.lines[0].number}: expected version ${expected} does not match stream ${append.stream} in partition ${append.partition}`,
        3,
      );
    return {
      success: row.success,
      next_stream_position: new Raw(row.next_stream_position),
      global_positions: row.global_positions.map((p) => new Raw(p)),
      transaction_id: new Raw(row.transaction_id),
      nextStreamPosition: BigInt(row.next_stream_position),
    };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    if (e?.code === '23505')
      throw new Failure(`Input line ${append.lines[0].number}: concurrent append to ${append.stream}: ${e.message}`, 3);
    throw e;
  }
}

async function readBack(client, append, nextStreamPosition) {
  const last = nextStreamPosition;
  const first = last - BigInt(append.lines.length) + 1n;
  const rows = (
    await client.query(
      `SELECT stream_id, stream_position::text, partition, message_kind, message_data::text, message_metadata::text,
              message_schema_version, message_type, message_id, is_archived, global_position::text,
              transaction_id::text, created::text,
              to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_utc
         FROM emt_messages
        WHERE stream_id = $1 AND partition = $2 AND is_archived = FALSE AND stream_position BETWEEN $3 AND $4
        ORDER BY stream_position`,
      [append.stream, append.partition, first.toString(), last.toString()],
    )
  ).rows;
  if (rows.length !== append.lines.length)
    throw new Failure(`Input line ${append.lines[0].number}: read back ${rows.length} rows of ${append.stream}, appended ${append.lines.length}`, 1);
  const stream = (
    await client.query(
      `SELECT stream_id, stream_position::text, partition, stream_type, stream_metadata::text, is_archived
         FROM emt_streams WHERE stream_id = $1 AND partition = $2 AND is_archived = FALSE`,
      [append.stream, append.partition],
    )
  ).rows[0];
  return {
    rows: rows.map((r) => ({
      stream_id: r.stream_id,
      stream_position: new Raw(r.stream_position),
      partition: r.partition,
      message_kind: r.message_kind,
      message_data: new Raw(r.message_data),
      message_metadata: new Raw(r.message_metadata),
      message_schema_version: r.message_schema_version,
      message_type: r.message_type,
      message_id: r.message_id,
      is_archived: r.is_archived,
      global_position: new Raw(r.global_position),
      transaction_id: new Raw(r.transaction_id),
      created: r.created,
      created_utc: r.created_utc,
    })),
    stream: stream && {
      stream_id: stream.stream_id,
      stream_position: new Raw(stream.stream_position),
      partition: stream.partition,
      stream_type: stream.stream_type,
      stream_metadata: new Raw(stream.stream_metadata),
      is_archived: stream.is_archived,
    },
  };
}

function connectionFailure(error) {
  return ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', '3D000', '28000', '28P01', '57P03'].includes(error?.code);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const lines = args.migrate ? [] : await readInput();
  const eventStore = getPostgreSQLEventStore(args.uri);
  const client = new pg.Client({ connectionString: args.uri });
  try {
    try {
      await client.connect();
      await client.query("SET TimeZone TO 'UTC'");
    } catch (e) {
      throw new Failure(`Cannot connect to the Emmett database: ${e.message}`, 2);
    }
    await eventStore.schema.migrate();
    for (const [index, append] of appendsOf(lines).entries()) {
      let result;
      let nextStreamPosition;
      if (append.partition === DEFAULT_PARTITION) {
        const expected = expectedVersionOf(append.lines[0]);
        try {
          result = await eventStore.appendToStream(
            append.stream,
            append.lines.map(eventOf),
            expected === undefined ? undefined : { expectedStreamVersion: expected },
          );
        } catch (e) {
          if (e?.errorCode === 412 || e?.name === 'ExpectedVersionConflictError')
            throw new Failure(`Input line ${append.lines[0].number}: ${e.message}`, 3);
          throw e;
        }
        nextStreamPosition = result.nextExpectedStreamVersion;
      } else {
        result = await appendToPartition(client, append);
        nextStreamPosition = result.nextStreamPosition;
        delete result.nextStreamPosition;
      }
      const { rows, stream } = await readBack(client, append, nextStreamPosition);
      for (const row of rows)
        process.stdout.write(`${toJson({ append_index: index, append: result, ...row, emt_streams: stream })}\n`);
    }
  } finally {
    await client.end().catch(() => {});
    await eventStore.close().catch(() => {});
  }
}

main().catch((e) => {
  const message = String(e?.message ?? e).replace(/\s+/g, ' ').trim();
  process.stderr.write(`write_emmett_pg: ${message}\n`);
  process.exitCode = e instanceof Failure ? e.exitCode : connectionFailure(e) ? 2 : 1;
});
