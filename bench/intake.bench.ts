/**
 * npm run bench:intake [-- --leads 100000 --batches 5000,10000 --dup 0.05 --seconds 10 --connections 200 --profile]
 *
 * 1. Throughput: the whole intake pipeline (validate, dedupe, classify, route, persist, notify) in batches,
 *    against a raw batched INSERT of the same rows into the same leads table (one unnest statement per batch).
 *    Each runs in a fresh workspace of the database revline_bench_intake (dropped and recreated on every run).
 * 2. Latency: single-lead POST /api/v1/leads under 200 concurrent connections (autocannon, API key auth).
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { insertMany } from '../src/db/bulk.js';
import { type Db, openPostgres } from '../src/db/client.js';
import type { LeadCreate } from '../src/modules/crm/crm.schema.js';
import { leadCreate } from '../src/modules/crm/crm.schema.js';
import { createApiKey } from '../src/modules/org/org.service.js';
import { DEFAULT_CHANNEL_RULES } from '../src/modules/routing/classify.core.js';
import { intakeLeads } from '../src/modules/routing/intake.service.js';
import { LEAD_COLUMNS, leadRow } from '../src/modules/routing/lead-rows.js';
import type { Principal } from '../src/platform/auth/principal.js';
import { buildApp } from '../src/server/app.js';
import { benchWorkspace, makeLeads, openBenchDb, profiled } from './support/intake-data.js';

type AutocannonResult = {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
};
type AutocannonRequest = { method: string; path: string; headers: Record<string, string>; body?: string };
// autocannon ships no types; this is the part of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: {
  url: string;
  connections: number;
  duration: number;
  requests: (AutocannonRequest & { setupRequest: (req: AutocannonRequest) => AutocannonRequest })[];
}) => Promise<AutocannonResult>;

const { values: args } = parseArgs({
  options: {
    leads: { type: 'string', default: '100000' },
    batches: { type: 'string', default: '5000,10000' },
    dup: { type: 'string', default: '0.05' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '200' },
    profile: { type: 'boolean', default: false },
    'skip-latency': { type: 'boolean', default: false },
    'skip-throughput': { type: 'boolean', default: false },
  },
});
const N = Number(args.leads);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The raw baseline: the same rows, no validation, dedupe or routing, one multi-row insert per batch. */
async function rawInsert(db: Db, workspaceId: string, leads: Record<string, unknown>[]) {
  const started = performance.now();
  const rows = leads.map((input) => {
    const rule = DEFAULT_CHANNEL_RULES.find((r) => r.channel === input.channel)!;
    const now = new Date();
    return leadRow(workspaceId, {
      id: randomUUID(),
      input: input as LeadCreate,
      sourceType: rule.sourceType,
      direction: rule.direction,
      segment: null,
      ownerId: null,
      queue: null,
      accountId: null,
      contactId: null,
      duplicateOf: null,
      needsReview: false,
      createdAt: now,
      createdBy: null,
      firstTouchDueAt: now,
    });
  });
  await insertMany(db, 'leads', LEAD_COLUMNS, rows, rows.length);
  return performance.now() - started;
}

/** The pipeline as the batch endpoint runs it: each row validated, then intake for the valid ones. */
async function pipeline(db: Db, system: Principal, leads: Record<string, unknown>[], counts: Record<string, number>) {
  const started = performance.now();
  const valid: LeadCreate[] = [];
  for (const raw of leads) {
    const parsed = leadCreate.safeParse(raw);
    if (parsed.success) valid.push(parsed.data);
    else counts.invalid = (counts.invalid ?? 0) + 1;
  }
  for (const o of await intakeLeads(db, system, valid, new Date())) counts[o.status] = (counts[o.status] ?? 0) + 1;
  return performance.now() - started;
}

async function throughput(db: Db) {
  const leads = makeLeads(N, Number(args.dup));
  // Warm up the JIT and the database caches on a small run of each kind.
  const warm = await benchWorkspace(db, 'warmup');
  await rawInsert(db, warm.workspaceId, makeLeads(2000, 0.05, 7));
  await pipeline(db, warm.system, makeLeads(2000, 0.05, 8), {});

  for (const batch of args.batches.split(',').map(Number)) {
    const rawWs = await benchWorkspace(db, 'raw');
    const pipeWs = await benchWorkspace(db, 'pipeline');
    const stats = new Map<string, { n: number; ms: number }>();
    const counts: Record<string, number> = {};
    let rawMs = 0;
    let pipeMs = 0;
    // Batch by batch, one of each in turn: both see the same table sizes and the same machine load.
    for (let i = 0; i < leads.length; i += batch) {
      const slice = leads.slice(i, i + batch);
      rawMs += await rawInsert(db, rawWs.workspaceId, slice);
      pipeMs += await pipeline(args.profile ? profiled(db, stats) : db, pipeWs.system, slice, counts);
    }
    const [{ n }] = await db.query<{ n: number }>('select count(*)::int as n from leads where workspace_id = $1', [pipeWs.workspaceId]);
    const rawRate = (N / rawMs) * 1000;
    const pipeRate = (N / pipeMs) * 1000;
    console.log(`\nBatch size ${fmt(batch)}, ${fmt(N)} leads (${Number(args.dup) * 100}% repeated emails)`);
    console.log(`  raw batched INSERT      ${fmt(rawRate).padStart(9)} leads/s  (${(rawMs / 1000).toFixed(2)} s)`);
    console.log(
      `  intake pipeline         ${fmt(pipeRate).padStart(9)} leads/s  (${(pipeMs / 1000).toFixed(2)} s; ${JSON.stringify(counts)}; ${fmt(n)} leads stored)`,
    );
    console.log(
      `  ratio pipeline / raw    ${(pipeRate / rawRate).toFixed(2)}  (target >= 0.50) ${pipeRate / rawRate >= 0.5 ? 'OK' : 'BELOW TARGET'}`,
    );
    if (args.profile) {
      const sqlMs = [...stats.values()].reduce((s, x) => s + x.ms, 0);
      console.log(
        `  profile: ${(sqlMs / 1000).toFixed(2)} s in SQL, ${((pipeMs - sqlMs) / 1000).toFixed(2)} s in Node (validation, dedupe, classify, route, building rows)`,
      );
      for (const [sql, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14))
        console.log(`    ${(s.ms / 1000).toFixed(2).padStart(6)} s ${String(s.n).padStart(6)}x  ${sql}`);
    }
  }
}

async function latency(url: string) {
  const appDb = await openPostgres(url, 10);
  const { workspaceId } = await benchWorkspace(appDb, 'http');
  const { key } = await createApiKey(appDb, 'system', workspaceId, { name: 'bench', permissions: ['crm:read', 'crm:write'] });
  const app = await buildApp({ db: appDb, config: { ...loadConfig({}), logLevel: 'silent' }, logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  // Bodies are made as requests go (a pre-built array of hundreds of thousands would only feed the GC).
  const sizes = [5, 40, 150, 900, 3000];
  const channels = ['website', 'signup', 'referral', 'linkedin', 'event'];
  let next = 0;
  const body = (i: number) =>
    JSON.stringify({
      email: `visitor${i}@site${i % 5000}.com`,
      company: `Site ${i % 5000}`,
      employees: sizes[i % 5],
      channel: channels[i % 5],
      country: 'FR',
    });
  const connections = Number(args.connections);
  console.log(
    `\nSingle-lead POST /api/v1/leads: ${connections} connections for ${args.seconds} s (server and load generator in this process)`,
  );
  const result = await autocannon({
    url: address,
    connections,
    duration: Number(args.seconds),
    requests: [
      {
        method: 'POST',
        path: '/api/v1/leads',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: body(next++) }),
      },
    ],
  });
  const statuses = Object.entries(result.statusCodeStats)
    .map(([code, s]) => `${code}: ${fmt(s.count)}`)
    .join(', ');
  console.log(
    `  ${fmt(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
  );
  console.log(`  ${fmt(result.requests.total)} requests (${statuses}); errors ${result.errors}, timeouts ${result.timeouts}`);
  const [{ n }] = await appDb.query<{ n: number }>('select count(*)::int as n from leads where workspace_id = $1', [workspaceId]);
  console.log(`  ${fmt(n)} leads stored`);
  await app.close();
  await appDb.close();
}

// The database is the bench's own, recreated on each run so runs compare (same empty tables, same migrations).
const { db, url } = await openBenchDb('revline_bench_intake', 10, { fresh: true });
try {
  if (!args['skip-throughput']) await throughput(db);
  if (!args['skip-latency']) await latency(url);
} finally {
  await db.close();
}
