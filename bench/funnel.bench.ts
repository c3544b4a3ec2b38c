/**
 * npm run bench:funnel [-- --scale 10 --small-scale 1 --runs 15 --rebuild]
 *
 * The funnel by rep for one quarter (the last full quarter of the demo), period view, two ways on PostgreSQL:
 *  - Revline: funnelReport, the service call behind GET /analytics/funnel?groupBy=rep, reading the rollups. The rollups
 *    are brought up to date first (refreshRollups, not timed), as the background job keeps them.
 *  - raw: one hand-written SQL aggregation over the base tables for the same by-rep numbers (conversations, leads,
 *    opportunities created with pipeline amount, won and lost by close date with won amount, median and p75 sales
 *    cycle by percentile_disc), the quarter bounded by the workspace timezone's midnights so the time indexes serve it.
 * Both run alternately (--runs each, after a warm-up); medians are compared (target Revline/raw <= 0.2), and the raw
 * numbers are checked against Revline's so the two are known to compute the same thing. Then the growth: the same
 * Revline report on the scale-1 demo against the scale-10 one (target: at most 2x). With --rebuild (default on), the
 * time of a full rollup rebuild (markAllDirty + refreshRollups) at the large scale is reported too.
 *
 * Databases: `revline_bench` (scale 10, shared with bench:api; DATABASE_URL overrides it) and `revline_bench_s1`
 * (the small scale), each created with the demo on first use and kept for later runs.
 */
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import type { Db } from '../src/db/client.js';
import { bucketDays, type FunnelMetrics } from '../src/modules/analytics/funnel.core.js';
import { type FunnelReport, funnelReport } from '../src/modules/analytics/funnel.service.js';
import { markAllDirty, refreshRollups } from '../src/modules/analytics/rollup.repo.js';
import { systemPrincipal } from '../src/platform/auth/principal.js';
import { ensureDemo, openApiBenchDb } from './support/api-demo-db.js';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '10' },
    'small-scale': { type: 'string', default: '1' },
    runs: { type: 'string', default: '15' },
    rebuild: { type: 'boolean', default: true },
    'no-rebuild': { type: 'boolean', default: false },
  },
});
const RUNS = Math.max(3, Number(args.runs));
const WARMUP = 2;

type Bench = { db: Db; name: string; scale: number; workspaceId: string; slug: string; leads: number; timezone: string };

async function open(name: string, scale: number): Promise<Bench> {
  const { db, url } = await openApiBenchDb(4, name);
  const demo = await ensureDemo(db, scale);
  const [{ timezone }] = await db.query<{ timezone: string }>('select timezone from workspaces where id = $1', [demo.workspaceId]);
  return { db, name: new URL(url).pathname.slice(1), scale, timezone, ...demo };
}

/** The quarter before the one holding the demo's last lead: the last quarter with every day of data. */
async function lastFullQuarter(b: Bench): Promise<string> {
  const [{ last }] = await b.db.query<{ last: Date }>('select max(created_at) as last from leads where workspace_id = $1', [b.workspaceId]);
  const q = DateTime.fromJSDate(new Date(last), { zone: b.timezone }).startOf('quarter').minus({ quarters: 1 });
  return `${q.year}-Q${q.quarter}`;
}

const revline = (b: Bench, period: string) =>
  funnelReport(b.db, systemPrincipal(b.workspaceId), { groupBy: 'rep', view: 'period', period }, new Date());

type RawRow = {
  rep: string | null;
  conversations: number;
  leads: number;
  opportunities: number;
  pipeline: string;
  customers: number;
  won: string;
  lost: number;
  p50: number | null;
  p75: number | null;
};

/**
 * What a competent analyst would write against the base tables: one statement, each fact table aggregated by rep
 * within the quarter's UTC bounds (index range scans), then joined on the rep.
 */
const RAW_SQL = `
with conv as (
  select rep_id, count(*)::int as n from web_events
   where workspace_id = $1 and kind = 'conversation' and occurred_at >= $2 and occurred_at < $3 group by 1),
ld as (
  select owner_id as rep_id, count(*)::int as n from leads
   where workspace_id = $1 and created_at >= $2 and created_at < $3 group by 1),
opp as (
  select owner_id as rep_id, count(*)::int as n, sum(amount) as amount from opportunities
   where workspace_id = $1 and created_at >= $2 and created_at < $3 group by 1),
closed as (
  select owner_id as rep_id,
         count(*) filter (where stage = 'won')::int as won,
         coalesce(sum(amount) filter (where stage = 'won'), 0) as won_amount,
         count(*) filter (where stage = 'lost')::int as lost,
         percentile_disc(0.5) within group (order by extract(epoch from closed_at - created_at)) filter (where stage = 'won') as p50,
         percentile_disc(0.75) within group (order by extract(epoch from closed_at - created_at)) filter (where stage = 'won') as p75
    from opportunities
   where workspace_id = $1 and stage in ('won', 'lost') and closed_at >= $2 and closed_at < $3 group by 1),
reps as (select rep_id from conv union select rep_id from ld union select rep_id from opp union select rep_id from closed)
select r.rep_id::text as rep, coalesce(conv.n, 0) as conversations, coalesce(ld.n, 0) as leads, coalesce(opp.n, 0) as opportunities,
       coalesce(opp.amount, 0)::numeric(18,2)::text as pipeline, coalesce(closed.won, 0) as customers,
       coalesce(closed.won_amount, 0)::numeric(18,2)::text as won, coalesce(closed.lost, 0) as lost,
       closed.p50::float8 as p50, closed.p75::float8 as p75
  from reps r
  left join conv on conv.rep_id is not distinct from r.rep_id
  left join ld on ld.rep_id is not distinct from r.rep_id
  left join opp on opp.rep_id is not distinct from r.rep_id
  left join closed on closed.rep_id is not distinct from r.rep_id`;

function quarterBounds(b: Bench, period: string): [Date, Date] {
  const [y, q] = period.split('-Q').map(Number);
  const start = DateTime.fromObject({ year: y, month: (q - 1) * 3 + 1, day: 1 }, { zone: b.timezone });
  return [start.toJSDate(), start.plus({ quarters: 1 }).toJSDate()];
}

const raw = (b: Bench, bounds: [Date, Date]) => b.db.query<RawRow>(RAW_SQL, [b.workspaceId, ...bounds]);

/** Seconds to the rollups' duration bucket, in days, rounded like Revline's velocity (bucket of a percentile = percentile of buckets). */
function bucketOf(secs: number): number {
  const b = secs < 86400 ? Math.floor(Math.max(secs, 0) / 3600) : 23 + Math.min(Math.floor(secs / 86400), 3650);
  return Math.round(bucketDays(b) * 100) / 100;
}

/** Every number the raw query computes must equal Revline's: otherwise the timing compares different work. */
function compareResults(report: FunnelReport, rows: RawRow[]): string[] {
  const byRep = new Map(report.rows.map((r) => [r.key, r.metrics]));
  const problems: string[] = [];
  for (const r of rows) {
    const m: FunnelMetrics | undefined = byRep.get(r.rep);
    if (!m) {
      problems.push(`rep ${r.rep}: missing from Revline`);
      continue;
    }
    const pairs: [string, unknown, unknown][] = [
      ['conversations', r.conversations, m.counts.conversations],
      ['leads', r.leads, m.counts.leads],
      ['opportunities', r.opportunities, m.counts.opportunities],
      ['pipeline', r.pipeline, m.pipelineCreated],
      ['customers', r.customers, m.counts.customers],
      ['won amount', r.won, m.wonAmount],
      ['lost', r.lost, m.counts.lost],
      ['median cycle', r.p50 == null ? null : bucketOf(r.p50), m.velocity.opportunityToCustomer?.medianDays ?? null],
      ['p75 cycle', r.p75 == null ? null : bucketOf(r.p75), m.velocity.opportunityToCustomer?.p75Days ?? null],
    ];
    for (const [what, a, b] of pairs) if (a !== b) problems.push(`rep ${r.rep} ${what}: raw ${a}, Revline ${b}`);
  }
  return problems;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Warm-up, then the contenders in turn RUNS times, so a change in the machine's load hits them alike. */
async function alternate(fns: (() => Promise<unknown>)[]): Promise<number[][]> {
  for (const fn of fns) for (let i = 0; i < WARMUP; i++) await fn();
  const out = fns.map(() => [] as number[]);
  for (let i = 0; i < RUNS; i++) for (const [k, fn] of fns.entries()) out[k].push(await time(fn));
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const spread = (xs: number[]) => `median ${ms(median(xs))}  (min ${ms(Math.min(...xs))}, max ${ms(Math.max(...xs))})`;

const big = await open('revline_bench', Number(args.scale));
const small = await open('revline_bench_s1', Number(args['small-scale']));
const period = await lastFullQuarter(big);
const bounds = quarterBounds(big, period);
console.log(`Funnel by rep, period view, ${period} (${big.timezone}); ${RUNS} alternating runs each after ${WARMUP} warm-ups`);
for (const b of [big, small]) console.log(`  ${b.name}: workspace ${b.slug}, scale ${b.scale}, ${b.leads.toLocaleString('en-US')} leads`);

/**
 * Fresh planner statistics for both contenders: a bulk-loaded demo has none until (auto)analyze runs, and without
 * them the planner misjudges both the rollup reads and the base-table scans (and a server may run without autovacuum).
 */
const ANALYZED = [
  'users',
  'leads',
  'opportunities',
  'web_events',
  'status_changes',
  'arr_movements',
  'analytics_counts',
  'analytics_durations',
];

for (const b of [big, small]) {
  let t0 = performance.now();
  const days = await refreshRollups(b.db, b.workspaceId);
  const refreshed = performance.now() - t0;
  t0 = performance.now();
  await b.db.query(`analyze ${ANALYZED.join(', ')}`);
  console.log(
    `  ${b.name}: rollups brought up to date (${days} dirty days, ${ms(refreshed)}), tables analyzed (${ms(performance.now() - t0)}); not timed`,
  );
}

const check = compareResults(await revline(big, period), await raw(big, bounds));
if (check.length) {
  console.error(`Revline and the raw query disagree (${check.length}):\n  ${check.slice(0, 20).join('\n  ')}`);
  process.exitCode = 1;
} else console.log('  raw and Revline agree on every rep: conversations, leads, opportunities, pipeline, won, lost, median and p75 cycle');

const [rev, base] = await alternate([() => revline(big, period), () => raw(big, bounds)]);
const ratio = median(rev) / median(base);
const [revSmall, revBig] = await alternate([() => revline(small, period), () => revline(big, period)]);
const growth = median(revBig) / median(revSmall);

let rebuild: { ms: number; days: number } | null = null;
if (args.rebuild && !args['no-rebuild']) {
  const t0 = performance.now();
  await markAllDirty(big.db, big.workspaceId);
  const days = await refreshRollups(big.db, big.workspaceId);
  rebuild = { ms: performance.now() - t0, days };
}

console.log(`\nScale ${big.scale}:`);
console.log(`  Revline funnelReport  ${spread(rev)}`);
console.log(`  raw SQL               ${spread(base)}`);
console.log(`  ratio Revline/raw: ${ratio.toFixed(3)} (target <= 0.2) ${ratio <= 0.2 ? 'OK' : 'ABOVE TARGET'}`);
console.log(`Growth (Revline, same report):`);
console.log(`  scale ${small.scale}   ${spread(revSmall)}`);
console.log(`  scale ${big.scale}  ${spread(revBig)}`);
console.log(`  ratio scale ${big.scale}/scale ${small.scale}: ${growth.toFixed(2)}x (target <= 2x) ${growth <= 2 ? 'OK' : 'ABOVE TARGET'}`);
if (rebuild)
  console.log(
    `Full rollup rebuild at scale ${big.scale} (markAllDirty + refreshRollups): ${(rebuild.ms / 1000).toFixed(1)} s for ${rebuild.days} days`,
  );
if (check.length) console.log('RESULTS DIFFER: see above');

await big.db.close();
await small.db.close();
