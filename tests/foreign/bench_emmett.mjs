#!/usr/bin/env node
// Emmett's side of bench_foreign (issue 7): what Emmett's own code does, timed here, one JSON line out.
//
//   node tests/foreign/bench_emmett.mjs --uri URI --append FILE [--batch 100]
//       FILE: NDJSON {"stream","type","data","metadata"}, one event a line. Runs of consecutive lines of one
//       stream, at most BATCH long, are one eventStore.appendToStream(stream, events) of
//       getPostgreSQLEventStore(uri), Emmett's append (one transaction each). One warm-up append first, to the
//       stream CATEGORY-warmup of the first line, untimed (it also runs Emmett's schema migration).
//       Prints {"op":"append","events","appends","seconds"}.
//   node tests/foreign/bench_emmett.mjs --uri URI --seed CATEGORY --events M --streams S [--batch 100]
//       Writes M events over the streams CATEGORY-0 … CATEGORY-(S-1) with appendToStream itself, BATCH events
//       an append, round robin over the streams, then ANALYZE. Prints {"op":"seed","events","seconds"}.
//   node tests/foreign/bench_emmett.mjs --uri URI --read [--batch 1000]
//       Reads the partition emt:default whole with Emmett's own reader of all messages, readMessagesBatch (what its
//       consumers and projections pull with, exported by @event-driven-io/emmett-postgresql), paged as its
//       puller pages: {after: currentGlobalPosition, batchSize}, until a page comes back empty. Emmett parses
//       every row into a message itself. Prints {"op":"read","events","seconds"}.
//   node tests/foreign/bench_emmett.mjs --uri URI --cleanup PREFIX
//       Deletes the messages and streams whose stream_id starts with PREFIX. Prints {"op":"cleanup","deleted"}.
//
// An `emmett+postgresql://` URI is accepted. On failure: one line on stderr, exit status 1.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { dumbo, sql } from '@event-driven-io/dumbo';
import { getPostgreSQLEventStore, readMessagesBatch } from '@event-driven-io/emmett-postgresql';

// Emmett and dumbo may console.log(); keep stdout to the one JSON line.
console.log = () => {};
console.info = () => {};

function parseArgs(argv) {
  const args = { batch: undefined };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (name === 'read') {
      args.read = true;
      continue;
    }
    if (!['uri', 'append', 'seed', 'events', 'streams', 'batch', 'cleanup'].includes(name))
      throw new Error(`Unknown argument ${argv[i]}`);
    if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
    args[name] = argv[++i];
  }
  if (!args.uri) throw new Error('Missing --uri');
  args.uri = args.uri.replace(/^[a-z]+\+(postgres(ql)?:)/i, '$1');
  return args;
}

const categoryOf = (stream) => stream.split('-')[0];

async function append(uri, file, batch) {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
  const appends = [];
  for (const line of lines) {
    const last = appends[appends.length - 1];
    const event = { type: line.type, data: line.data, metadata: line.metadata };
    if (last && last.stream === line.stream && last.events.length < batch) last.events.push(event);
    else appends.push({ stream: line.stream, events: [event] });
  }
  const eventStore = getPostgreSQLEventStore(uri);
  try {
    await eventStore.appendToStream(`${categoryOf(lines[0].stream)}-warmup`, appends[0].events);
    const start = performance.now();
    for (const { stream, events } of appends) await eventStore.appendToStream(stream, events);
    const seconds = (performance.now() - start) / 1000;
    return { op: 'append', events: lines.length, appends: appends.length, seconds };
  } finally {
    await eventStore.close().catch(() => {});
  }
}

// The same shape of payload as bench_foreign's appends: about 200 bytes of data and of metadata.
function payload(i, streams) {
  return {
    type: i % 3 === 0 ? 'MoneyWithdrawn' : 'MoneyDeposited',
    data: {
      accountId: `acc-${i % streams}`,
      amount: (i % 997) + 0.25,
      currency: 'EUR',
      reference: `INV-2024-${String(i).padStart(8, '0')}`,
      note: `Monthly settlement for contract ${i % 5000}, paid by transfer`,
      channel: 'online',
    },
    metadata: {
      correlationId: `c0a80101-0000-4000-8000-${String(i).padStart(12, '0')}`,
      causationId: `c0a80101-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      userId: `u-${i % 50}`,
      source: 'billing-service',
      schemaVersion: 1,
      traceId: `${String(i).padStart(32, '0')}`,
    },
  };
}

async function seed(uri, category, total, streams, batch) {
  const eventStore = getPostgreSQLEventStore(uri);
  try {
    const start = performance.now();
    for (let from = 0, n = 0; from < total; from += batch, n++) {
      const events = [];
      for (let i = from; i < Math.min(total, from + batch); i++) events.push(payload(i, streams));
      await eventStore.appendToStream(`${category}-${n % streams}`, events);
    }
    // As autovacuum soon would, so that the planner knows the table's size.
    await eventStore.close();
    const client = new pg.Client({ connectionString: uri });
    await client.connect();
    await client.query('ANALYZE emt_messages').finally(() => client.end());
    return { op: 'seed', events: total, seconds: (performance.now() - start) / 1000 };
  } finally {
    await eventStore.close().catch(() => {});
  }
}

async function read(uri, batchSize) {
  const pool = dumbo({ connectionString: uri });
  try {
    await pool.execute.query(sql('SELECT 1')); // connect, untimed
    const start = performance.now();
    let after = 0n;
    let events = 0;
    for (;;) {
      const { messages, currentGlobalPosition } = await readMessagesBatch(pool.execute, { after, batchSize });
      if (messages.length === 0) break;
      events += messages.length;
      after = currentGlobalPosition;
    }
    return { op: 'read', events, seconds: (performance.now() - start) / 1000 };
  } finally {
    await pool.close().catch(() => {});
  }
}

async function cleanup(uri, prefix) {
  const client = new pg.Client({ connectionString: uri });
  await client.connect();
  try {
    const deleted = await client.query("DELETE FROM emt_messages WHERE stream_id LIKE $1 || '%'", [prefix]);
    await client.query("DELETE FROM emt_streams WHERE stream_id LIKE $1 || '%'", [prefix]);
    return { op: 'cleanup', deleted: deleted.rowCount };
  } finally {
    await client.end().catch(() => {});
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  let result;
  if (args.append) result = await append(args.uri, args.append, Number(args.batch ?? 100));
  else if (args.seed)
    result = await seed(args.uri, args.seed, Number(args.events), Number(args.streams), Number(args.batch ?? 100));
  else if (args.read) result = await read(args.uri, Number(args.batch ?? 1000));
  else if (args.cleanup) result = await cleanup(args.uri, args.cleanup);
  else throw new Error('Nothing to do: give --append, --seed, --read or --cleanup');
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench_emmett: ${String(e?.message ?? e).replace(/\s+/g, ' ').trim()}\n`);
  process.exitCode = 1;
});
