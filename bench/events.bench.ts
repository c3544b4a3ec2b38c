/**
 * npm run bench:events [-- --events 1000000 --batch 10000 --customers 3000 --dup 0.03 --profile --keep]
 *
 * 1,000,000 usage events through the whole ingestion service (`ingestEvents`: per-event validation, idempotency by
 * message id, account resolution, unknown accounts kept and later linked, incremental milestone evaluation, one
 * transaction per batch) against a raw batched INSERT of the same rows into the same table (same indexes, one
 * unnest statement per batch), batch by batch in turn so both see the same table sizes and machine load.
 * Then checks that the incremental results equal `recomputeMilestones`. PostgreSQL only, in its own database
 * (revline_bench_events, created and dropped by the script unless --keep).
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { insertMany } from '../src/db/bulk.js';
import type { Db } from '../src/db/client.js';
import { openPostgres } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { checkEvent } from '../src/modules/success/events.core.js';
import { EVENT_COLUMNS, eventArrays } from '../src/modules/success/events.repo.js';
import { ingestEvents } from '../src/modules/success/events.service.js';
import { markMissed } from '../src/modules/success/milestones.evaluate.js';
import { recomputeMilestones, syncMilestoneWindows } from '../src/modules/success/milestones.service.js';
import { addCustomers, benchWorkspace, eventBody, makeStream, PRODUCTS, T_START } from './support/events-data.js';
import { BENCH_ADMIN_URL, profiled } from './support/intake-data.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '10000' },
    customers: { type: 'string', default: '3000' },
    prospects: { type: 'string', default: '150' },
    unknown: { type: 'string', default: '100' },
    dup: { type: 'string', default: '0.03' },
    profile: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(args.events);
const BATCH = Number(args.batch);
const DB_NAME = 'revline_bench_events';
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function openDb(): Promise<Db> {
  const admin = new pg.Client({ connectionString: BENCH_ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${DB_NAME} with (force)`);
  await admin.query(`create database ${DB_NAME}`);
  await admin.end();
  const db = await openPostgres(BENCH_ADMIN_URL.replace(/\/[^/]*$/, `/${DB_NAME}`), 4);
  await migrate(db);
  return db;
}

async function dropDb() {
  const admin = new pg.Client({ connectionString: BENCH_ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${DB_NAME} with (force)`);
  await admin.end();
}

/** The public result of every account's milestone: what compensation and the screens read. */
const snapshot = (db: Db, ws: string) =>
  db.query<Record<string, unknown>>(
    `select account_id, milestone_id, window_start, window_end, status, reached_at, crossing_event_id, decided_at, progress
       from account_milestones where workspace_id = $1 order by account_id, milestone_id`,
    [ws],
  );

async function run(db: Db) {
  const customers = Number(args.customers);
  const unknownKeys = Number(args.unknown);
  const setupStarted = performance.now();
  const pipeWs = await benchWorkspace(db, 'pipeline', customers, Number(args.prospects));
  const rawWs = await benchWorkspace(db, 'raw', 0, 0);
  const accounts = pipeWs.accounts;
  // Windows open when the deals are won; the deals of the bench are all in the books already.
  await syncMilestoneWindows(db, pipeWs.workspaceId, new Date(T_START));
  const stream = makeStream(accounts, unknownKeys, N, Number(args.dup), 0.01);
  const idOf = new Map(accounts.map((a) => [a.key, a.id]));
  const keyOf = (i: number) => (i < accounts.length ? accounts[i].key : `unknown-${i - accounts.length}`);
  // Some unknown keys become customers halfway: their kept events are linked by the ingestion that follows.
  const lateCustomers = Array.from({ length: Math.floor(unknownKeys / 5) }, (_, k) => `unknown-${k}`);
  console.log(
    `Setup: ${fmt(customers)} customers (${PRODUCTS.map((p) => p.name).join('; ')}), ${args.prospects} prospects, ${unknownKeys} unknown keys; ` +
      `${fmt(N)} events generated in ${secs(performance.now() - setupStarted)}`,
  );

  const stats = new Map<string, { n: number; ms: number }>();
  const pipeDb = args.profile ? profiled(db, stats) : db;
  const counts = { accepted: 0, duplicates: 0, rejected: 0 };
  const stored = new Set<string>();
  let rawMs = 0;
  let pipeMs = 0;
  let rawRows = 0;
  let jobMs = 0;
  let nextJob = 0;
  const batches = Math.ceil(N / BATCH);
  for (let b = 0; b < batches; b++) {
    const slice = stream.order.subarray(b * BATCH, (b + 1) * BATCH);
    const bodies = Array.from(slice, (i) => eventBody(stream, i, keyOf));
    const now = new Date(stream.arrival[slice[slice.length - 1]] + 1000);

    // The raw baseline: the rows this batch adds (first sightings of a message id), account ids known up front.
    const fresh = bodies.filter((e) => !stored.has(e.messageId) && stored.add(e.messageId));
    const valid = fresh.map((e) => {
      const c = checkEvent(e, now.getTime());
      if (!c.ok) throw new Error(`generated an invalid event: ${JSON.stringify(c.errors)}`);
      return c.event;
    });
    const arrays = eventArrays(rawWs.workspaceId, valid, (k) => idOf.get(k) ?? null, now);
    const rows = valid.map((_, r) => arrays.map((col) => col[r]));
    let t = performance.now();
    await insertMany(db, 'usage_events', EVENT_COLUMNS, rows, rows.length);
    rawMs += performance.now() - t;
    rawRows += rows.length;

    t = performance.now();
    const r = await ingestEvents(pipeDb, pipeWs.system, bodies, now);
    pipeMs += performance.now() - t;
    counts.accepted += r.accepted;
    counts.duplicates += r.duplicates;
    counts.rejected += r.rejected;

    if (b === Math.floor(batches / 2)) {
      const late = await db.query<{ id: string; external_id: string }>(
        `insert into accounts (workspace_id, name, external_id) select $1, k, k from unnest($2::text[]) k returning id, external_id`,
        [pipeWs.workspaceId, lateCustomers],
      );
      await addCustomers(
        db,
        pipeWs.workspaceId,
        late.map((a) => ({ id: a.id, key: a.external_id, product: 0, closeAt: now.getTime() - 20 * 86_400_000, weight: 1 })),
      );
    }
    // The recurring job (every 15 minutes of event time here): windows past their grace become missed.
    if (now.getTime() >= nextJob) {
      t = performance.now();
      await markMissed(db, now);
      jobMs += performance.now() - t;
      nextJob = now.getTime() + 15 * 60_000;
    }
    if ((b + 1) % 10 === 0 || b === batches - 1)
      process.stderr.write(
        `  batch ${b + 1}/${batches}: raw ${fmt((rawRows / rawMs) * 1000)}/s, pipeline ${fmt(((b + 1) * BATCH * 1000) / pipeMs)}/s\n`,
      );
  }

  const end = new Date(stream.arrival[stream.order[N - 1]] + 1000);
  await markMissed(db, end);
  const rawRate = (rawRows / rawMs) * 1000;
  const pipeRate = (N / pipeMs) * 1000;
  const unmatched = await db.query<{ keys: number; events: number }>(
    'select count(distinct account_key)::int as keys, count(*)::int as events from usage_events where workspace_id = $1 and account_id is null',
    [pipeWs.workspaceId],
  );
  const statuses = await db.query<{ name: string; status: string; n: number }>(
    `select m.name, am.status, count(*)::int as n from account_milestones am join milestones m on m.id = am.milestone_id
      where am.workspace_id = $1 group by 1, 2 order by 1, 2`,
    [pipeWs.workspaceId],
  );
  console.log(`\n${fmt(N)} events in batches of ${fmt(BATCH)} (${Number(args.dup) * 100}% resent, 1% for unknown accounts, 7% late)`);
  console.log(`  raw batched INSERT      ${fmt(rawRate).padStart(9)} rows/s    (${fmt(rawRows)} rows in ${secs(rawMs)})`);
  console.log(
    `  ingestion + milestones  ${fmt(pipeRate).padStart(9)} events/s  (${fmt(N)} events in ${secs(pipeMs)}: ${JSON.stringify(counts)})`,
  );
  const ratio = rawMs / pipeMs;
  console.log(
    `  ratio (raw time / ingestion time for the same stored rows)  ${ratio.toFixed(2)}  (target >= 0.50) ${ratio >= 0.5 ? 'OK' : 'BELOW TARGET'}`,
  );
  console.log(`  missed-window job: ${secs(jobMs)} in all; unmatched now: ${unmatched[0].keys} keys, ${fmt(unmatched[0].events)} events`);
  console.log(`  milestones: ${statuses.map((s) => `${s.name} ${s.status} ${s.n}`).join(', ')}`);
  if (args.profile) {
    const sqlMs = [...stats.values()].reduce((s, x) => s + x.ms, 0);
    console.log(`  profile: ${secs(sqlMs)} in SQL, ${secs(pipeMs - sqlMs)} in Node`);
    for (const [sql, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12))
      console.log(`    ${(s.ms / 1000).toFixed(2).padStart(6)} s ${String(s.n).padStart(6)}x  ${sql}`);
  }

  // Incremental = recomputed: recomputation over the incremental state must change nothing and record nothing.
  const before = await snapshot(db, pipeWs.workspaceId);
  const [{ changes }] = await db.query<{ changes: number }>(
    'select count(*)::int as changes from account_milestone_changes where workspace_id = $1',
    [pipeWs.workspaceId],
  );
  const t = performance.now();
  await recomputeMilestones(db, pipeWs.workspaceId, end);
  const recomputeMs = performance.now() - t;
  const after = await snapshot(db, pipeWs.workspaceId);
  const [{ changes: changesAfter }] = await db.query<{ changes: number }>(
    'select count(*)::int as changes from account_milestone_changes where workspace_id = $1',
    [pipeWs.workspaceId],
  );
  const differing =
    before.filter((row, i) => JSON.stringify(row) !== JSON.stringify(after[i])).length + Math.abs(before.length - after.length);
  const same = differing === 0 && changes === changesAfter;
  console.log(
    `  incremental = recomputeMilestones: ${same ? 'YES' : 'NO'} (${fmt(before.length)} accounts, ${differing} differ, ` +
      `${changesAfter - changes} changes recorded by the recomputation; it took ${secs(recomputeMs)})`,
  );
  if (!same) process.exitCode = 1;
}

const db = await openDb();
try {
  await run(db);
} finally {
  await db.close();
  if (!args.keep) await dropDb();
}
