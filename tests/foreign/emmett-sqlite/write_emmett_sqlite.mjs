#!/usr/bin/env node
// Writes events into an Emmett SQLite event store file with Emmett's own code
// (@event-driven-io/emmett-sqlite), for the tests that read them back with Eventscope.
//
//   node tests/foreign/emmett-sqlite/write_emmett_sqlite.mjs --file PATH < events.ndjson
//
// Input, one JSON object a line (blank lines are skipped):
//   {"stream": "order-1", "type": "OrderPlaced", "data": {...}, "metadata": {...}, "id": "UUID"?,
//    "expectedVersion": N | "any" | "no-stream" | "exists"?, "batch": ANY?}
// Consecutive lines with the same stream and the same "batch" value (absent counts as one value) make one
// append: getSQLiteEventStore({fileName}).appendToStream(stream, events, {expectedStreamVersion}).
// "expectedVersion" is read from the first line of an append and is Emmett's own (the stream's last
// stream_position, 0 = no stream; "any", "no-stream" and "exists" mean "no check" in Emmett 0.42).
// "id" becomes metadata.messageId, stored as message_id; without it Emmett makes a UUID v4. "data"
// defaults to {}, "metadata" to {}. Emmett SQLite 0.42.4 has no way to choose a partition: every message
// goes to 'emt:default'.
//
// Output, one JSON line per written event, in input order:
//   {"append_index": N (0-based), "append": what appendToStream returned, then the emt_messages row as
//    stored, column by column: "stream_id", "stream_position", "partition", "message_kind", "message_data",
//    "message_metadata", "message_schema_version", "message_type", "message_id", "is_archived",
//    "global_position", "created" (SQLite text, UTC, whole seconds), "created_utc" (RFC 3339, 6 fraction
//    digits, Z), and "emt_streams": the stream's emt_streams row right after that append}
// message_data and message_metadata are spliced in as the stored JSON text; is_archived is SQLite's 0/1.
//
// On failure: one line on stderr; exit status 3 for an expected-version conflict, 2 when the file cannot
// be opened, 1 otherwise. Appends made before the failure stay and are printed.
import { createInterface } from 'node:readline';
import sqlite3 from 'sqlite3';
import { getSQLiteEventStore } from '@event-driven-io/emmett-sqlite';

// Emmett SQLite console.log()s every error thrown inside a transaction (then rethrows it); keep stdout to
// the JSON lines: the error is reported once, on stderr.
console.log = () => {};

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

// Stored JSON text as it is when it parses, else as a string.
function storedJson(text) {
  if (text === null || text === undefined) return null;
  try {
    JSON.parse(text);
    return new Raw(String(text));
  } catch {
    return String(text);
  }
}

const usage = 'usage: write_emmett_sqlite.mjs --file PATH < events.ndjson';

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--file' && i + 1 < argv.length) args.file = argv[++i];
    else throw new Failure(`Unknown argument ${argv[i]}; ${usage}`, 1);
  }
  if (!args.file) throw new Failure(`Missing --file; ${usage}`, 1);
  args.file = args.file.replace(/^emmett\+sqlite:/, '');
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
    if (value.partition !== undefined) throw new Failure(`Input line ${number}: Emmett SQLite cannot write to a partition`, 1);
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

function appendsOf(lines) {
  const appends = [];
  for (const line of lines) {
    const batch = JSON.stringify(line.batch ?? null);
    const last = appends[appends.length - 1];
    if (last && last.stream === line.stream && last.batch === batch) last.lines.push(line);
    else appends.push({ stream: line.stream, batch, lines: [line] });
  }
  return appends;
}

function eventOf(line) {
  const metadata = line.metadata === undefined || line.metadata === null ? {} : { ...line.metadata };
  if (line.id !== undefined && line.id !== null) metadata.messageId = String(line.id);
  return { type: line.type, data: line.data === undefined ? {} : line.data, metadata };
}

function openDatabase(file) {
  return new Promise((resolve, reject) => {
    // Read-write without create: as the last connection to close, it checkpoints Emmett's WAL into the file.
    const db = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (err) => (err ? reject(err) : resolve(db)));
  });
}

function all(db, sql, params) {
  return new Promise((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows))));
}

function closeDatabase(db) {
  return new Promise((resolve) => db.close(() => resolve()));
}

function rfc3339(created) {
  // SQLite's CURRENT_TIMESTAMP: 'YYYY-MM-DD HH:MM:SS' in UTC.
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?$/.exec(created ?? '');
  if (!m) return null;
  const fraction = (m[3] ?? '.').slice(1).padEnd(6, '0').slice(0, 6);
  return `${m[1]}T${m[2]}.${fraction}Z`;
}

async function readBack(file, append, nextStreamPosition) {
  const last = Number(nextStreamPosition);
  const first = last - append.lines.length + 1;
  const db = await openDatabase(file);
  try {
    const rows = await all(
      db,
      `SELECT stream_id, stream_position, partition, message_kind, message_data, message_metadata,
              message_schema_version, message_type, message_id, is_archived, global_position, created
         FROM emt_messages
        WHERE stream_id = ? AND is_archived = 0 AND stream_position BETWEEN ? AND ?
        ORDER BY stream_position`,
      [append.stream, first, last],
    );
    if (rows.length !== append.lines.length)
      throw new Failure(`Input line ${append.lines[0].number}: read back ${rows.length} rows of ${append.stream}, appended ${append.lines.length}`, 1);
    const streams = await all(
      db,
      `SELECT stream_id, stream_position, partition, stream_type, stream_metadata, is_archived
         FROM emt_streams WHERE stream_id = ? AND is_archived = 0`,
      [append.stream],
    );
    return {
      rows: rows.map((r) => ({
        ...r,
        message_data: storedJson(r.message_data),
        message_metadata: storedJson(r.message_metadata),
        created_utc: rfc3339(r.created),
      })),
      stream: streams[0] && { ...streams[0], stream_metadata: storedJson(streams[0].stream_metadata) },
    };
  } finally {
    await closeDatabase(db);
  }
}

// Emmett opens the file without a callback, so a file it cannot open would crash the process with an
// unhandled 'error' event: open it once here first.
function checkFile(file) {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, (err) => {
      if (err) reject(new Failure(`Cannot open ${file}: ${err.message}`, 2));
      else db.close(() => resolve());
    });
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const lines = await readInput();
  if (lines.length === 0) return;
  await checkFile(args.file);
  const eventStore = getSQLiteEventStore({ fileName: args.file });
  for (const [index, append] of appendsOf(lines).entries()) {
    const expected = expectedVersionOf(append.lines[0]);
    let result;
    try {
      result = await eventStore.appendToStream(
        append.stream,
        append.lines.map(eventOf),
        expected === undefined ? undefined : { expectedStreamVersion: expected },
      );
    } catch (e) {
      if (e?.errorCode === 412 || e?.name === 'ExpectedVersionConflictError')
        throw new Failure(`Input line ${append.lines[0].number}: ${e.message}`, 3);
      if (e?.code === 'SQLITE_CANTOPEN') throw new Failure(`Cannot open ${args.file}: ${e.message}`, 2);
      throw e;
    }
    const { rows, stream } = await readBack(args.file, append, result.nextExpectedStreamVersion);
    for (const row of rows)
      process.stdout.write(`${toJson({ append_index: index, append: result, ...row, emt_streams: stream })}\n`);
  }
}

main().catch((e) => {
  const message = String(e?.message ?? e).replace(/\s+/g, ' ').trim();
  process.stderr.write(`write_emmett_sqlite: ${message}\n`);
  process.exitCode = e instanceof Failure ? e.exitCode : e?.code === 'SQLITE_CANTOPEN' ? 2 : 1;
});
