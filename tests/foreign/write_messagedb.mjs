#!/usr/bin/env node
// Writes events into a Message DB store with Message DB's own code, for the tests that read them back
// with Eventscope.
//
//   node tests/foreign/write_messagedb.mjs --uri postgresql://USER@HOST:PORT/message_store < events.ndjson
//
// Input, one JSON object a line (blank lines are skipped):
//   {"stream": "account-1", "type": "Deposited", "data": {...}, "metadata": {...},
//    "id": "UUID"?, "expectedVersion": N?}
// "data" defaults to {}, "metadata" to null (SQL NULL), "id" to a random UUID; "expectedVersion" is Message
// DB's own: the position of the stream's last message, -1 for a stream that does not exist yet.
//
// Each line is one call of message_store.write_message(id, stream_name, type, data, metadata,
// expected_version), in its own transaction, as Message DB's clients do. The call runs with
// search_path = message_store,public, which Message DB's functions need. The row is then read back from
// message_store.messages by id, and one JSON line is printed per event, in input order:
//   {"written_position": <what write_message returned>,
//    "global_position", "position", "time", "stream_name", "type", "data", "metadata", "id": the row as stored,
//    "time_utc": the stored time as RFC 3339, 6 fraction digits and Z}
// "data" and "metadata" are the jsonb text as PostgreSQL prints it (keys sorted by jsonb, numbers exactly
// as stored); "time" is the stored `timestamp without time zone` (UTC) as PostgreSQL prints it.
//
// A `messagedb+postgresql://` URI is accepted too. On failure: one line on stderr and exit status
// 3 for a wrong expected version, 2 when the database cannot be reached or Message DB is not installed in
// it, 1 otherwise. Lines written before the failure stay written (Message DB has no batches) and are
// printed.
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import pg from 'pg';

class Failure extends Error {
  constructor(message, code) {
    super(message);
    this.exitCode = code;
  }
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--uri' && i + 1 < argv.length) args.uri = argv[++i];
    else throw new Failure(`Unknown argument ${argv[i]}; usage: write_messagedb.mjs --uri URI < events.ndjson`, 1);
  }
  if (!args.uri) throw new Failure('Missing --uri; usage: write_messagedb.mjs --uri URI < events.ndjson', 1);
  args.uri = args.uri.replace(/^[a-z]+\+(postgres(ql)?:)/i, '$1');
  return args;
}

async function* inputLines() {
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
    if (typeof value.stream !== 'string' || value.stream === '')
      throw new Failure(`Input line ${number} has no "stream"`, 1);
    if (typeof value.type !== 'string' || value.type === '')
      throw new Failure(`Input line ${number} has no "type"`, 1);
    if (value.expectedVersion !== undefined && value.expectedVersion !== null && !Number.isInteger(value.expectedVersion))
      throw new Failure(`Input line ${number}: "expectedVersion" must be an integer`, 1);
    yield { number, ...value };
  }
}

function jsonText(value) {
  return value === undefined || value === null ? 'null' : value;
}

function connectionFailure(error) {
  return ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', '3D000', '28000', '28P01', '57P03'].includes(error?.code);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const client = new pg.Client({ connectionString: args.uri });
  try {
    await client.connect();
  } catch (e) {
    throw new Failure(`Cannot connect to the Message DB database: ${e.message}`, 2);
  }
  try {
    await client.query('SET search_path TO message_store, public');
    await client.query("SET TimeZone TO 'UTC'");
    const installed = await client.query("SELECT to_regprocedure('message_store.write_message(varchar,varchar,varchar,jsonb,jsonb,bigint)') AS f");
    if (installed.rows[0].f === null)
      throw new Failure('Message DB is not installed in this database (no message_store.write_message); run tools/install-foreign-stores.sh', 2);

    for await (const line of inputLines()) {
      const id = line.id ?? randomUUID();
      const data = line.data === undefined ? {} : line.data;
      const metadata = line.metadata === undefined ? null : line.metadata;
      let written;
      try {
        written = await client.query('SELECT message_store.write_message($1, $2, $3, $4, $5, $6) AS position', [
          id,
          line.stream,
          line.type,
          data === null ? null : JSON.stringify(data),
          metadata === null ? null : JSON.stringify(metadata),
          line.expectedVersion ?? null,
        ]);
      } catch (e) {
        const wrongVersion = /Wrong expected version/.test(e.message);
        throw new Failure(`Input line ${line.number}: write_message failed: ${e.message}`, wrongVersion ? 3 : 1);
      }
      const row = (
        await client.query(
          `SELECT global_position::text, position::text, time::text AS time,
                  to_char(time, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS time_utc,
                  stream_name, type, data::text AS data, metadata::text AS metadata, id::text AS id
             FROM message_store.messages WHERE id = $1`,
          [id],
        )
      ).rows[0];
      if (!row) throw new Failure(`Input line ${line.number}: the written message ${id} is not in message_store.messages`, 1);
      process.stdout.write(
        `{"written_position":${written.rows[0].position},"global_position":${row.global_position},` +
          `"position":${row.position},"time":${JSON.stringify(row.time)},"time_utc":${JSON.stringify(row.time_utc)},` +
          `"stream_name":${JSON.stringify(row.stream_name)},"type":${JSON.stringify(row.type)},` +
          `"data":${jsonText(row.data)},"metadata":${jsonText(row.metadata)},"id":${JSON.stringify(row.id)}}\n`,
      );
    }
  } finally {
    await client.end().catch(() => {});
  }
}

main().catch((e) => {
  const message = String(e?.message ?? e).replace(/\s+/g, ' ').trim();
  process.stderr.write(`write_messagedb: ${message}\n`);
  process.exitCode = e instanceof Failure ? e.exitCode : connectionFailure(e) ? 2 : 1;
});
