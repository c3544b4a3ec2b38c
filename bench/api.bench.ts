/**
 * npm run bench:api [-- --scale 10 --seconds 10 --rounds 4 --connections 20 --as nina.brooks@demo.revline.dev]
 *
 * A filtered, cursor-paged lead list (GET /api/v1/leads?status=working,qualified&segment=SMB&limit=50, then its
 * second page) through Revline's whole API path (session cookie auth, policy scope, zod validation, JSON
 * serialization) under concurrent load, against a minimal node:http + pg server that runs the very same SQL with
 * the very same parameters (captured from Revline for these two requests) and returns the rows as JSON.
 * Prints req/s and p50/p99 latency of both and the ratio Revline / baseline (target: at least 0.7). Both run in this
 * process, one at a time; autocannon runs in a child process.
 *
 * PostgreSQL: DATABASE_URL, or the database revline_bench on the local server (created on first use). The demo
 * of the chosen scale lives in workspace bench-s<scale> and is reused by later runs.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/client.js';
import { DEMO_PASSWORD } from '../src/demo/demo.js';
import { buildApp } from '../src/server/app.js';
import { ensureDemo, openApiBenchDb } from './support/api-demo-db.js';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    // The measured seconds are split into rounds, Revline and baseline taking turns, so a change in the
    // machine's load during the run hits both alike.
    rounds: { type: 'string', default: '4' },
    connections: { type: 'string', default: '20' },
    // The inbound SDR team's manager: the list is scoped to her team, so the policy path is exercised.
    as: { type: 'string', default: 'nina.brooks@demo.revline.dev' },
  },
});
const scale = Number(args.scale);
const POOL_SIZE = 10;
const LIST_PATH = '/api/v1/leads?status=working,qualified&segment=SMB&limit=50';

type Load = { rps: number; total: number; p50: number; p99: number; non2xx: number; errors: number; timeouts: number };
type Captured = { sql: string; params: unknown[] };

/** A Db that remembers the lead-list statements it runs while `on` is set. */
function capturing(inner: Db, sink: { on: boolean; seen: Captured[] }): Db {
  const wrap = (d: Db): Db => ({
    kind: d.kind,
    query(sql, params) {
      if (sink.on && /\bfrom leads\b/.test(sql)) sink.seen.push({ sql, params: params ?? [] });
      return d.query(sql, params);
    },
    transaction: (fn) => d.transaction((tx) => fn(wrap(tx))),
    close: () => d.close(),
  });
  return wrap(inner);
}

function load(url: string, paths: string[], headers: Record<string, string>, seconds: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./support/autocannon-child.mjs', import.meta.url), [
      JSON.stringify({ url, connections: Number(args.connections), duration: seconds, paths, headers }),
    ]);
    child.once('message', (m) => resolve(m as Load));
    child.once('error', reject);
    child.once('exit', (code) => code && reject(new Error(`autocannon exited with ${code}`)));
  });
}

type Target = { name: string; url: string; paths: string[]; headers: Record<string, string> };

async function run(t: Target, seconds: number): Promise<Load> {
  const r = await load(t.url, t.paths, t.headers, seconds);
  if (r.non2xx || r.errors || r.timeouts) throw new Error(`${t.name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  return r;
}

/** Warm-up for each, then rounds in turn; req/s over all rounds, latency percentiles as the median of the rounds'. */
async function compare(targets: Target[]): Promise<Load[]> {
  for (const t of targets) await run(t, Number(args.warmup));
  const rounds = Math.max(1, Number(args.rounds));
  const perRound = Math.max(1, Number(args.seconds) / rounds);
  const all = targets.map(() => [] as Load[]);
  for (let i = 0; i < rounds; i++) for (const [k, t] of targets.entries()) all[k].push(await run(t, perRound));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return all.map((rs) => {
    const total = rs.reduce((n, r) => n + r.total, 0);
    return { ...rs[0], total, rps: total / (perRound * rounds), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)) };
  });
}

const { db: rawDb, url } = await openApiBenchDb(POOL_SIZE);
const demo = await ensureDemo(rawDb, scale);
console.log(`Database ${url.replace(/\/\/[^@]*@/, '//')}, workspace ${demo.slug} (${demo.leads.toLocaleString('en-US')} leads)`);

// Revline: the real app, listening on an ephemeral port.
const sink = { on: false, seen: [] as Captured[] };
const config = loadConfig({ ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' });
const app = await buildApp({ db: capturing(rawDb, sink), config, logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const revlineUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

const login = await fetch(`${revlineUrl}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: args.as, password: DEMO_PASSWORD, workspace: demo.slug }),
});
if (!login.ok) throw new Error(`login as ${args.as} failed: ${login.status} ${await login.text()}`);
const cookie = login.headers
  .getSetCookie()
  .map((c) => c.split(';')[0])
  .join('; ');

async function capture(path: string) {
  sink.on = true;
  sink.seen = [];
  const res = await fetch(revlineUrl + path, { headers: { cookie } });
  sink.on = false;
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { items: unknown[]; nextCursor: string | null };
  if (sink.seen.length !== 1) throw new Error(`expected one lead query for ${path}, saw ${sink.seen.length}`);
  return { body, query: sink.seen[0] };
}
const page1 = await capture(LIST_PATH);
if (!page1.body.nextCursor) throw new Error('the first page has no next page: is the demo too small?');
const page2Path = `${LIST_PATH}&cursor=${encodeURIComponent(page1.body.nextCursor)}`;
const page2 = await capture(page2Path);
console.log(`Pages: ${page1.body.items.length} + ${page2.body.items.length} leads, signed in as ${args.as}`);
console.log(`SQL (page 2): ${page2.query.sql}\nparams: ${JSON.stringify(page2.query.params)}`);

// Baseline: the same SQL and parameters, straight from pg to JSON.
const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
const queries: Record<string, Captured> = { '/page1': page1.query, '/page2': page2.query };
const baseline = http.createServer((req, res) => {
  const q = queries[req.url ?? ''];
  if (!q) return void res.writeHead(404).end();
  pool.query(q.sql, q.params).then(
    ({ rows }) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rows)),
    (err) => res.writeHead(500).end(String(err)),
  );
});
await new Promise<void>((resolve) => baseline.listen(0, '127.0.0.1', resolve));
const baselineUrl = `http://127.0.0.1:${(baseline.address() as AddressInfo).port}`;

const [rev, base] = await compare([
  { name: 'Revline', url: revlineUrl, paths: [LIST_PATH, page2Path], headers: { cookie } },
  { name: 'baseline', url: baselineUrl, paths: ['/page1', '/page2'], headers: {} },
]);
const line = (name: string, r: Load) =>
  `${name.padEnd(9)} ${Math.round(r.rps).toString().padStart(6)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   (${r.total} requests)`;
console.log(`\n${args.connections} connections, ${args.seconds}s each in ${args.rounds} alternating rounds, pages 1 and 2 in turn`);
console.log(line('Revline', rev));
console.log(line('baseline', base));
const ratio = rev.rps / base.rps;
console.log(`ratio Revline/baseline req/s: ${ratio.toFixed(2)} (target >= 0.70) ${ratio >= 0.7 ? 'OK' : 'BELOW TARGET'}`);

await app.close();
await new Promise((resolve) => baseline.close(resolve));
await pool.end();
await rawDb.close();
