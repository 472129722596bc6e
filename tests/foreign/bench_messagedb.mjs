#!/usr/bin/env node
// Message DB's side of bench_foreign (issue 7): what Message DB's own code does, timed here, one JSON line out.
//
//   node tests/foreign/bench_messagedb.mjs --uri URI --append FILE
//       FILE: NDJSON {"stream","type","data","metadata"}, one event a line. Each event is one
//       SELECT message_store.write_message(id, stream, type, data, metadata, NULL): one round trip, its own
//       transaction, as Message DB's clients write. One warm-up call first, to the stream CATEGORY-warmup of the
//       first line, untimed. Prints {"op":"append","events","seconds"}.
//   node tests/foreign/bench_messagedb.mjs --uri URI --seed CATEGORY --events M --streams S
//       Writes M events over the streams CATEGORY-0 … CATEGORY-(S-1) with write_message itself, called by the
//       server from generate_series in transactions of 10,000 (no round trip per event: fast, and every row is
//       exactly as write_message makes it), then ANALYZE. Prints {"op":"seed","events","seconds"}.
//   node tests/foreign/bench_messagedb.mjs --uri URI --read CATEGORY [--batch 1000]
//       Reads the category whole with Message DB's reader, get_category_messages(category, position,
//       batch_size), paged by global position (the last one read + 1) until a page comes back empty, and parses
//       every row as a client does (data and metadata JSON.parse'd, positions as numbers, time as a Date).
//       Prints {"op":"read","events","seconds"}.
//   node tests/foreign/bench_messagedb.mjs --uri URI --cleanup PREFIX
//       Deletes every message whose stream name starts with PREFIX. Prints {"op":"cleanup","deleted"}.
//
// A `messagedb+postgresql://` URI is accepted. On failure: one line on stderr, exit status 1.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

function parseArgs(argv) {
  const args = { batch: 1000 };
  const value = (i) => {
    if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!['uri', 'append', 'seed', 'events', 'streams', 'read', 'batch', 'cleanup'].includes(name))
      throw new Error(`Unknown argument ${argv[i]}`);
    args[name] = value(i);
  }
  if (!args.uri) throw new Error('Missing --uri');
  args.uri = args.uri.replace(/^[a-z]+\+(postgres(ql)?:)/i, '$1');
  return args;
}

const categoryOf = (stream) => stream.split('-')[0];

async function append(client, file) {
  const events = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
  const write = (stream, event) =>
    client.query('SELECT message_store.write_message($1, $2, $3, $4, $5, $6)', [
      randomUUID(),
      stream,
      event.type,
      JSON.stringify(event.data),
      JSON.stringify(event.metadata),
      null,
    ]);
  await write(`${categoryOf(events[0].stream)}-warmup`, events[0]);
  const start = performance.now();
  for (const event of events) await write(event.stream, event);
  return { op: 'append', events: events.length, seconds: (performance.now() - start) / 1000 };
}

async function seed(client, category, total, streams) {
  const chunk = 10000;
  const start = performance.now();
  for (let from = 0; from < total; from += chunk) {
    const to = Math.min(total, from + chunk) - 1;
    // The same shape of payload as bench_foreign's appends: about 200 bytes of data and of metadata.
    await client.query(
      `SELECT count(message_store.write_message(gen_random_uuid()::varchar, $1 || '-' || (i % $4),
                CASE WHEN i % 3 = 0 THEN 'MoneyWithdrawn' ELSE 'MoneyDeposited' END,
                jsonb_build_object('accountId', 'acc-' || (i % $4), 'amount', (i % 997) + 0.25, 'currency', 'EUR',
                                   'reference', 'INV-2024-' || lpad(i::text, 8, '0'),
                                   'note', 'Monthly settlement for contract ' || (i % 5000) || ', paid by transfer',
                                   'channel', 'online'),
                jsonb_build_object('correlationId', md5(i::text)::uuid::text,
                                   'causationId', md5((i + 1)::text)::uuid::text, 'userId', 'u-' || (i % 50),
                                   'source', 'billing-service', 'schemaVersion', 1,
                                   'traceId', md5((i + 2)::text)),
                NULL))
         FROM generate_series($2::bigint, $3::bigint) AS i`,
      [category, from, to, streams],
    );
  }
  // As autovacuum soon would: the planner then knows the table's size (before it, a category read scans it all).
  await client.query('ANALYZE message_store.messages');
  return { op: 'seed', events: total, seconds: (performance.now() - start) / 1000 };
}

async function read(client, category, batch) {
  const start = performance.now();
  let position = 1;
  let events = 0;
  let checksum = 0;
  for (;;) {
    const { rows } = await client.query('SELECT * FROM message_store.get_category_messages($1, $2, $3)', [
      category,
      position,
      batch,
    ]);
    if (rows.length === 0) break;
    for (const row of rows) {
      const message = {
        id: row.id,
        streamName: row.stream_name,
        type: row.type,
        position: Number(row.position),
        globalPosition: Number(row.global_position),
        data: row.data === null ? null : JSON.parse(row.data),
        metadata: row.metadata === null ? null : JSON.parse(row.metadata),
        time: row.time,
      };
      checksum += message.position;
      position = message.globalPosition + 1;
    }
    events += rows.length;
  }
  return { op: 'read', events, seconds: (performance.now() - start) / 1000, checksum };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const client = new pg.Client({ connectionString: args.uri });
  await client.connect();
  try {
    // Message DB's functions use unqualified names.
    await client.query('SET search_path TO message_store, public');
    let result;
    if (args.append) result = await append(client, args.append);
    else if (args.seed) result = await seed(client, args.seed, Number(args.events), Number(args.streams));
    else if (args.read) result = await read(client, args.read, Number(args.batch));
    else if (args.cleanup) {
      const deleted = await client.query("DELETE FROM message_store.messages WHERE stream_name LIKE $1 || '%'", [
        args.cleanup,
      ]);
      result = { op: 'cleanup', deleted: deleted.rowCount };
    } else throw new Error('Nothing to do: give --append, --seed, --read or --cleanup');
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await client.end().catch(() => {});
  }
}

main().catch((e) => {
  process.stderr.write(`bench_messagedb: ${String(e?.message ?? e).replace(/\s+/g, ' ').trim()}\n`);
  process.exitCode = 1;
});
