import { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import type { Principal } from '../../platform/auth/principal.js';
import { Decimal } from '../../platform/money.js';
import type { BoundMetric, TrendMetric } from './analytics.schema.js';
import { bucketDays, emptyTotals, type FunnelMetrics, funnelMetrics, type Transition, velocity } from './funnel.core.js';
import { ensureFresh, type FunnelQuery, labelsFor, loadWorkspace, resolveRange } from './funnel.service.js';
import { type Interval, intervalsOf, trailingMonths } from './periods.core.js';
import { type Filters, readMonthlyByRep, readTotals } from './rollup.read.js';
import { analyticsScope, checkFilters } from './scope.js';

/** A metric's value in a metrics block: numbers for counts, shares and days; decimal strings for money. */
export function metricValue(m: FunnelMetrics, metric: TrendMetric): number | string | null {
  switch (metric) {
    case 'visitors':
    case 'conversations':
    case 'leads':
    case 'qualified':
    case 'opportunities':
    case 'customers':
      return m.counts[metric];
    case 'visitorToLead':
    case 'conversationToLead':
    case 'leadToOpportunity':
    case 'opportunityToCustomer':
      return m.conversion[metric]?.value ?? null;
    case 'winRate':
      return m.winRate?.value ?? null;
    case 'salesCycleDays':
      return m.salesCycleDays;
    case 'speedToLeadDays':
      return m.velocity.speedToLead?.medianDays ?? null;
    case 'bookings':
      return m.bookings.total;
    default:
      return m[metric];
  }
}

async function prepare(db: Db, p: Principal, q: FunnelQuery, now: Date, defaultMonths?: number) {
  const w = await loadWorkspace(db, p.workspaceId);
  const range =
    defaultMonths && !q.period && !q.from && !q.to
      ? trailingMonths(DateTime.fromJSDate(now, { zone: w.timezone }).toISODate()!, defaultMonths)
      : resolveRange(q, w, now);
  const scope = await analyticsScope(db, p);
  const filters: Filters = { repId: q.repId, teamId: q.teamId, segment: q.segment, sourceType: q.sourceType, channel: q.channel };
  const repIds = await checkFilters(db, p.workspaceId, scope, filters);
  await ensureFresh(db, p.workspaceId);
  return { w, range, filters, repIds, view: q.view ?? 'period' };
}

/** A metric per interval (default: month over the trailing twelve months), per group. */
export async function trend(db: Db, p: Principal, q: FunnelQuery & { metric: TrendMetric; interval?: Interval }, now: Date) {
  const { range, filters, repIds, view } = await prepare(db, p, q, now, 12);
  const groupBy = q.groupBy ?? 'none';
  const intervals = intervalsOf(range, q.interval ?? 'month');
  const per = await Promise.all(
    intervals.map((r) => readTotals(db, { workspaceId: p.workspaceId, view, range: r, groupBy, repIds, filters })),
  );
  const keys = new Set<string | null>();
  for (const m of per) for (const k of m.keys()) keys.add(k);
  if (groupBy === 'none') keys.add('');
  const labels = await labelsFor(db, p.workspaceId, groupBy, [...keys]);
  return {
    metric: q.metric,
    view,
    groupBy,
    range,
    intervals: intervals.map((i) => i.label),
    series: [...keys]
      .map((key) => ({
        key,
        label: labels.get(key) ?? key ?? 'Unknown',
        points: intervals.map((i, idx) => ({
          period: i.label,
          value: metricValue(funnelMetrics(per[idx].get(key) ?? emptyTotals()), q.metric),
        })),
      }))
      .sort((a, b) => a.label.localeCompare(b.label)),
  };
}

/** Bins of the velocity chart, in days: [from, to). */
const BINS: [number, number, string][] = [
  [0, 1, 'under 1 day'],
  [1, 3, '1-2 days'],
  [3, 7, '3-6 days'],
  [7, 14, '1-2 weeks'],
  [14, 30, '2-4 weeks'],
  [30, 60, '1-2 months'],
  [60, 90, '2-3 months'],
  [90, Number.POSITIVE_INFINITY, '3 months or more'],
];

/** The distribution of one stage-to-stage duration, binned, per group: the velocity chart. */
export async function velocityDistribution(db: Db, p: Principal, q: FunnelQuery & { transition: Transition }, now: Date) {
  const { range, filters, repIds, view } = await prepare(db, p, q, now);
  const groupBy = q.groupBy ?? 'none';
  const totals = await readTotals(db, { workspaceId: p.workspaceId, view, range, groupBy, repIds, filters });
  const labels = await labelsFor(db, p.workspaceId, groupBy, [...totals.keys()]);
  return {
    transition: q.transition,
    view,
    groupBy,
    range,
    bins: BINS.map((b) => b[2]),
    groups: [...totals.entries()]
      .map(([key, t]) => {
        const hist = t.durations[q.transition];
        const counts = BINS.map(() => 0);
        for (const [bucket, n] of hist ?? [])
          counts[BINS.findIndex(([lo, hi]) => bucketDays(bucket) >= lo && bucketDays(bucket) < hi)] += n;
        const v = velocity(hist);
        return {
          key,
          label: labels.get(key) ?? key ?? 'Unknown',
          n: v?.n ?? 0,
          medianDays: v?.medianDays ?? null,
          p75Days: v?.p75Days ?? null,
          counts,
        };
      })
      .filter((g) => g.n > 0)
      .sort((a, b) => a.label.localeCompare(b.label)),
  };
}

const BOUND_MEASURE: Record<BoundMetric, { measures: string[]; money: boolean }> = {
  leads: { measures: ['leads'], money: false },
  opportunities: { measures: ['opportunities'], money: false },
  customers: { measures: ['customers'], money: false },
  wonAmount: { measures: ['customers'], money: true },
  pipelineCreated: { measures: ['opportunities'], money: true },
  bookings: { measures: ['bookings_new', 'bookings_expansion', 'bookings_renewal'], money: true },
};

type Best = { value: string; month: string } | null;

/**
 * Sanity bounds: each rep's and each team's best calendar month for a metric (period view), and the best
 * month any rep ever had, so a plan above what anyone has done is flagged (DOMAIN.md section 4).
 */
export async function bounds(db: Db, p: Principal, q: { metric: BoundMetric; plan?: string; months?: number }, now: Date) {
  const w = await loadWorkspace(db, p.workspaceId);
  const scope = await analyticsScope(db, p);
  await ensureFresh(db, p.workspaceId);
  const range = trailingMonths(DateTime.fromJSDate(now, { zone: w.timezone }).toISODate()!, q.months ?? 24);
  const spec = BOUND_MEASURE[q.metric];
  const rows = await readMonthlyByRep(db, p.workspaceId, range, null);
  const repMonth = new Map<string, Decimal>();
  const teamMonth = new Map<string, Decimal>();
  for (const r of rows) {
    if (!spec.measures.includes(r.measure) || !r.repId) continue;
    const v = spec.money ? new Decimal(r.amount) : new Decimal(r.n);
    const rk = `${r.repId}|${r.month}`;
    repMonth.set(rk, (repMonth.get(rk) ?? new Decimal(0)).plus(v));
    if (r.teamId) {
      const tk = `${r.teamId}|${r.month}`;
      teamMonth.set(tk, (teamMonth.get(tk) ?? new Decimal(0)).plus(v));
    }
  }
  const best = (m: Map<string, Decimal>) => {
    const out = new Map<string, Best>();
    for (const [k, v] of m) {
      const [id, month] = k.split('|');
      const cur = out.get(id);
      // Ties go to the earliest month, so the answer does not depend on row order.
      const m = month.slice(0, 7);
      if (!cur || v.gt(cur.value) || (v.eq(cur.value) && m < cur.month)) out.set(id, { value: fmt(v, spec.money), month: m });
    }
    return out;
  };
  const reps = best(repMonth);
  const teams = best(teamMonth);
  let top: Best = null;
  for (const b of reps.values())
    if (b && (!top || new Decimal(b.value).gt(top.value) || (new Decimal(b.value).eq(top.value) && b.month < top.month))) top = b;
  const visibleReps = [...reps.entries()].filter(([id]) => scope.all || scope.repIds.includes(id));
  const visibleTeamIds = scope.all ? null : new Set([scope.teamId, ...(await managedTeams(db, p))]);
  const visibleTeams = [...teams.entries()].filter(([id]) => !visibleTeamIds || visibleTeamIds.has(id));
  const repLabels = await labelsFor(
    db,
    p.workspaceId,
    'rep',
    visibleReps.map(([id]) => id),
  );
  const teamLabels = await labelsFor(
    db,
    p.workspaceId,
    'team',
    visibleTeams.map(([id]) => id),
  );
  return {
    metric: q.metric,
    range,
    bestRepMonth: top,
    reps: visibleReps.map(([id, b]) => ({ id, name: repLabels.get(id) ?? id, best: b })).sort((a, b) => a.name.localeCompare(b.name)),
    teams: visibleTeams.map(([id, b]) => ({ id, name: teamLabels.get(id) ?? id, best: b })).sort((a, b) => a.name.localeCompare(b.name)),
    plan:
      q.plan == null
        ? null
        : {
            value: q.plan,
            aboveBestRepMonth: top ? new Decimal(q.plan).gt(top.value) : false,
            message:
              top && new Decimal(q.plan).gt(top.value)
                ? `A plan of ${q.plan} a month per rep is above the best month any rep has had (${top.value} in ${top.month})`
                : null,
          },
  };
}

const fmt = (v: Decimal, money: boolean) => (money ? v.toFixed(2) : v.toFixed(0));

async function managedTeams(db: Db, p: Principal): Promise<string[]> {
  if (!p.userId) return [];
  const rows = await db.query<{ id: string }>('select id from teams where workspace_id = $1 and manager_id = $2', [
    p.workspaceId,
    p.userId,
  ]);
  return rows.map((r) => r.id);
}
