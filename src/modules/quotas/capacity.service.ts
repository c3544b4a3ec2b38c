import { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { Decimal, money } from '../../platform/money.js';
import { emptyTotals, funnelMetrics } from '../analytics/funnel.core.js';
import { ensureFresh, loadWorkspace } from '../analytics/funnel.service.js';
import { trailingMonths } from '../analytics/periods.core.js';
import { readMonthlyByRep, readTotals } from '../analytics/rollup.read.js';
import { SEGMENTS } from '../org/org.core.js';
import { type CapacityAssumptions, type CapacityPlan, capacityPlan } from './capacity.core.js';

/** Planning is for sales leadership: admins, sales ops and managers. */
export function requirePlanner(p: Principal) {
  const ok = p.kind !== 'user' || p.roles.some((r) => r === 'admin' || r === 'sales_ops' || r === 'manager');
  if (!ok) throw new AppError('forbidden', 'capacity planning is for admins, sales ops and managers');
}

/**
 * Assumptions from the workspace's own last twelve months (cohort view): each segment's share of won ARR, deal
 * size, lead -> opportunity and opportunity -> customer conversion, median sales cycle, the best month any rep has
 * had, current headcount by role. Where a segment has no history yet, common defaults fill in (and say so).
 * Quotas and OTE default to the HubSpot level-1 ladder (DOMAIN.md 6: $800k quota, $100k OTE).
 */
export async function capacityDefaults(db: Db, p: Principal, now: Date): Promise<{ assumptions: CapacityAssumptions; notes: string[] }> {
  requirePlanner(p);
  const w = await loadWorkspace(db, p.workspaceId);
  await ensureFresh(db, p.workspaceId);
  const today = DateTime.fromJSDate(now, { zone: w.timezone });
  const range = trailingMonths(today.minus({ months: 1 }).toISODate()!, 12);
  const bySegment = await readTotals(db, {
    workspaceId: p.workspaceId,
    view: 'cohort',
    range,
    groupBy: 'segment',
    repIds: null,
    filters: {},
  });
  const monthly = await readMonthlyByRep(db, p.workspaceId, range, null);
  const notes: string[] = [];

  const won = SEGMENTS.map((s) => funnelMetrics(bySegment.get(s) ?? emptyTotals()));
  const totalWon = won.reduce((sum, m) => sum.plus(m.wonAmount), new Decimal(0));
  const segments = SEGMENTS.map((id, i) => {
    const m = won[i];
    const share = totalWon.gt(0) ? new Decimal(m.wonAmount).div(totalWon).toDecimalPlaces(4).toNumber() : 1 / SEGMENTS.length;
    /** The workspace's own number, or a common default when the segment has no history (said in the notes). */
    const orDefault = <T>(value: T | null | undefined, what: string, fallback: T): T => {
      if (value) return value;
      notes.push(`${id}: no ${what} in the last twelve months, a common default is used`);
      return fallback;
    };
    const l2o = orDefault(m.conversion.leadToOpportunity?.value, 'lead -> opportunity conversion', 0.1);
    const o2c = orDefault(m.conversion.opportunityToCustomer?.value, 'opportunity -> customer conversion', 0.25);
    const deal = orDefault(m.averageDealSize, 'won deals', '10000.00');
    const cycle = m.salesCycleDays ?? orDefault(null, 'sales cycle', 30); // 0 days (same-day chat deals) is real
    return {
      id,
      share,
      averageDealSize: deal,
      leadToOpportunity: l2o,
      opportunityToCustomer: o2c,
      salesCycleDays: cycle,
      aeQuota: { amount: '800000.00', per: 'year' as const },
    };
  });
  // Shares rounded to four places must still add up to exactly 1: the rounding rest goes to the largest segment.
  const rest = new Decimal(1).minus(segments.reduce((s, x) => s.plus(String(x.share)), new Decimal(0)));
  const largest = segments.reduce((a, b) => (b.share > a.share ? b : a));
  largest.share = new Decimal(String(largest.share)).plus(rest).toNumber();

  // Sanity bound: the best calendar month any rep has had, in wins and won ARR.
  const perRepMonth = new Map<string, { deals: number; bookings: Decimal }>();
  for (const r of monthly) {
    if (r.measure !== 'customers' || !r.repId) continue;
    const k = `${r.repId}|${r.month}`;
    const cur = perRepMonth.get(k) ?? { deals: 0, bookings: new Decimal(0) };
    perRepMonth.set(k, { deals: cur.deals + r.n, bookings: cur.bookings.plus(r.amount) });
  }
  let best = { deals: 0, bookings: new Decimal(0) };
  for (const v of perRepMonth.values()) if (v.bookings.gt(best.bookings)) best = v;
  const bestRepMonth = best.deals > 0 ? { deals: best.deals, bookings: money(best.bookings) } : undefined;

  const people = await db.query<{ roles: string[]; segments: string[] }>(
    'select roles, segments from users where workspace_id = $1 and active',
    [p.workspaceId],
  );
  const has = (u: { roles: string[] }, ...r: string[]) => u.roles.some((x) => r.includes(x));
  const ae: Record<string, number> = Object.fromEntries(SEGMENTS.map((s) => [s, 0]));
  for (const u of people) if (has(u, 'ae', 'realtime_ae', 'esb_ae')) ae[u.segments.find((s) => s in ae) ?? 'SMB'] += 1;
  const sdrs = people.filter((u) => has(u, 'sdr_inbound', 'sdr_outbound')).length;
  const csms = people.filter((u) => has(u, 'csm', 'relationship_manager')).length;
  const sourced = monthly.filter((r) => r.measure === 'sourced').reduce((s, r) => s + r.n, 0);
  const [{ customers, arr }] = await db.query<{ customers: number; arr: string }>(
    `select count(distinct account_id)::int as customers, coalesce(sum(arr), 0)::numeric(16,2) as arr
       from subscriptions where workspace_id = $1 and status = 'active'`,
    [p.workspaceId],
  );
  return {
    assumptions: {
      targetArr: money(totalWon.gt(0) ? totalWon.times(1.5) : 1_000_000),
      startMonth: today.plus({ months: 1 }).toFormat('yyyy-MM'),
      months: 12,
      segments: segments.map((s) => ({ ...s, ...(bestRepMonth ? { bestRepMonth } : {}) })),
      ramp: [0.25, 0.5, 0.75, 1],
      expectedAttainment: 0.8,
      monthlyAttrition: 0.02,
      sdrProductivity: sdrs > 0 && sourced > 0 ? Math.round((sourced / sdrs / 12) * 100) / 100 : 8,
      csmCoverage: { customersPerCsm: csms > 0 && customers > 0 ? Math.max(1, Math.round(customers / csms)) : 100 },
      currentHeadcount: { sdr: sdrs, csm: csms, ae },
      currentBase: { customers, arr },
      ote: { sdr: '70000.00', csm: '90000.00', ae: Object.fromEntries(SEGMENTS.map((s) => [s, '100000.00'])) },
    },
    notes,
  };
}

/** Runs the capacity model on the caller's assumptions; impossible inputs are a 400 naming each field. */
export function planCapacity(p: Principal, assumptions: CapacityAssumptions): CapacityPlan {
  requirePlanner(p);
  const r = capacityPlan(assumptions);
  if (!r.ok) throw new AppError('validation_failed', r.errors.map((e) => `${e.path}: ${e.message}`).join('; '), r.errors);
  return r.plan;
}
