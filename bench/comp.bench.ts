/**
 * npm run bench:comp [-- --scale 10 --runs 5]
 *
 * A full, explainable comp run on the demo on PostgreSQL (database `revline_bench`, workspace `bench-s<scale>`, shared
 * with bench:api and bench:funnel, created on first use): every rep, the demo's twelve months, with the demo plans
 * (seedDemoCompPlans: level rates, tiers, the aha tranche, rating accelerator, clawback, SDR per lead and sourced ARR,
 * CSM retention bonus, manager override). Each timed run is forced, so it computes and writes every line again (the
 * ledger is append-only: earlier runs' lines stay, superseded).
 *
 * Baseline, in the same script: one SQL statement that computes a plain commission per won deal (ARR x the owner's
 * level rate) and inserts one line per deal into a table shaped like the ledger's core (id, workspace, user, deal,
 * month, amount) with the same index. Both run alternately (--runs each, after a warm-up); the ratio of the medians is
 * printed (target: at most 3x). Also printed: an unforced re-run, which recomputes everything and writes nothing.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { seedDemoCompPlans } from '../src/modules/comp/demo-plans.js';
import { runComp } from '../src/modules/comp/runs.service.js';
import { systemPrincipal } from '../src/platform/auth/principal.js';
import { ensureDemo, openApiBenchDb } from './support/api-demo-db.js';

const { values: args } = parseArgs({ options: { scale: { type: 'string', default: '10' }, runs: { type: 'string', default: '5' } } });
const RUNS = Math.max(1, Number(args.runs));

const { db, url } = await openApiBenchDb(4, 'revline_bench');
const demo = await ensureDemo(db, Number(args.scale));
const ws = demo.workspaceId;
const p = systemPrincipal(ws);
const seeded = await seedDemoCompPlans(db, ws);
const [w] = await db.query<{ timezone: string; last: Date }>(
  `select timezone, (select max(closed_at) from opportunities where workspace_id = w.id and stage = 'won') as last from workspaces w where id = $1`,
  [ws],
);
// The run asks for the month of the demo's last deal: it writes every month from the first assignment (the demo's first won deal) on.
const lastMonth = DateTime.fromJSDate(w.last, { zone: w.timezone }).toFormat('yyyy-MM');
const [span] = await db.query<{ first: string }>(
  `select to_char(min(starts_on), 'YYYY-MM') as first from comp_assignments where workspace_id = $1`,
  [ws],
);
const now = DateTime.fromJSDate(w.last, { zone: w.timezone }).plus({ days: 1 }).toJSDate();
const from = DateTime.fromISO(`${span.first}-01`, { zone: w.timezone }).toJSDate();
const to = DateTime.fromISO(`${lastMonth}-01`, { zone: w.timezone }).plus({ months: 1 }).toJSDate();

await db.query(`create table if not exists bench_comp_baseline (
  id bigint generated always as identity primary key, workspace_id uuid not null, user_id uuid not null, opportunity_id uuid not null,
  period date not null, amount numeric(14,2) not null, created_at timestamptz not null default now())`);
await db.query('create index if not exists bench_comp_baseline_period on bench_comp_baseline (workspace_id, period, user_id)');

/** One statement: ARR x the owner's level rate (the demo plan's HubSpot rates) for each won deal, one line per deal. */
const BASELINE = `
insert into bench_comp_baseline (workspace_id, user_id, opportunity_id, period, amount)
select o.workspace_id, o.owner_id, o.id, date_trunc('month', o.closed_at at time zone $4)::date, round(o.amount * r.rate / 100, 2)
  from opportunities o
  join users u on u.id = o.owner_id
  join (values (1, 6.25), (2, 7.33), (3, 8.00)) r(level, rate) on r.level = least(greatest(u.level, 1), 3)
 where o.workspace_id = $1 and o.stage = 'won' and o.closed_at >= $2 and o.closed_at < $3`;

async function baseline(): Promise<number> {
  await db.query('truncate bench_comp_baseline');
  const t0 = performance.now();
  await db.query(BASELINE, [ws, from, to, w.timezone]);
  return performance.now() - t0;
}

let lines = 0;
async function revline(force: boolean): Promise<number> {
  const t0 = performance.now();
  const r = await runComp(db, p, { period: lastMonth, force }, now);
  const ms = performance.now() - t0;
  if (force) lines = r.linesWritten;
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;

console.log(
  `Comp run on ${new URL(url).pathname.slice(1)}, workspace ${demo.slug} (scale ${args.scale}, ${demo.leads.toLocaleString('en-US')} leads)`,
);
if (seeded.plans) console.log(`  seeded the demo plans: ${seeded.plans} plans, ${seeded.assignments} assignments`);
await db.query(
  'analyze opportunities, status_changes, arr_movements, subscriptions, account_milestones, buyer_surveys, handoffs, quotas, users',
);
await revline(true);
await baseline();
const rev: number[] = [];
const base: number[] = [];
for (let i = 0; i < RUNS; i++) {
  rev.push(await revline(true));
  base.push(await baseline());
}
const unchanged = [await revline(false), await revline(false)];

/** Where a forced run's time goes: reading the facts and computing (until the first month is written), then writing. */
const t0 = performance.now();
let firstWrite = 0;
await runComp(db, p, { period: lastMonth, force: true }, now, {
  onProgress: (m) => {
    if (!firstWrite && m.startsWith('wrote')) firstWrite = performance.now() - t0;
  },
});
const phases = { compute: firstWrite, total: performance.now() - t0 };
const [{ deals }] = await db.query<{ deals: number }>('select count(*)::int as deals from bench_comp_baseline');
const [{ current }] = await db.query<{ current: number }>(
  `select count(*)::int as current from comp_ledger l join comp_periods p on p.workspace_id = l.workspace_id and p.period = l.period and p.run_id = l.run_id where l.workspace_id = $1`,
  [ws],
);
const ratio = median(rev) / median(base);
console.log(
  `  months ${span.first}..${lastMonth}; ${deals.toLocaleString('en-US')} won deals; the run writes ${lines.toLocaleString('en-US')} ledger lines (current: ${current.toLocaleString('en-US')})`,
);
console.log(`  Revline full run (forced)   ${fmt(rev)}`);
console.log(`  baseline, one SQL insert    ${fmt(base)}`);
console.log(`  ratio Revline/baseline: ${ratio.toFixed(2)}x (target <= 3x) ${ratio <= 3 ? 'OK' : 'ABOVE TARGET'}`);
console.log(`  re-run with nothing changed (computes, writes nothing): ${fmt(unchanged)}`);
console.log(
  `  one forced run: facts, engine, placement and serialisation ${phases.compute.toFixed(0)} ms, then writing ${(phases.total - phases.compute).toFixed(0)} ms`,
);
console.log(
  `  load average during the bench: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} (${cpus().length} cores)`,
);
await db.query('drop table bench_comp_baseline');
await db.close();
