import { Decimal } from 'decimal.js';
import { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { periodsEndingWith } from '../modules/quotas/calibration.service.js';
import { DEFAULT_RAMP, parseQuotaPeriod, type QuotaMetric, quotaInRange } from '../modules/quotas/quotas.core.js';
import { findUsers } from '../modules/quotas/quotas.repo.js';
import { periodActuals, setQuota } from '../modules/quotas/quotas.service.js';
import { systemPrincipal } from '../platform/auth/principal.js';

/**
 * Demo quotas that make the calibration screen tell a true story (src/demo/README.md, "Quotas"). Every selling rep
 * gets a quota for the last four full quarters and the current one, on the metric of their role, one amount per
 * team and quarter (the "team quota"), chosen from the team's own actuals in that quarter:
 *   - Real-time Sales, SMB Sales, Outbound SDR and Customer Success: calibrated, about two thirds of reps attain;
 *   - Mid-market & Enterprise: too hard, set above what all but about a third of the team closes;
 *   - Inbound SDR: too easy, one flat amount all year, about 26% under the weakest rep-quarter of the last two full
 *     quarters, so every rep beats it by 35% or more there and the raise trigger fires.
 * The current quarter carries the last full quarter's amount over. Deterministic: the amounts follow from the data.
 */

export type TeamPlan = 'calibrated' | 'too_hard' | 'too_easy';
export const DEMO_QUOTA_PLAN: Record<string, TeamPlan> = {
  'Inbound SDR': 'too_easy',
  'Outbound SDR': 'calibrated',
  'SMB Sales': 'calibrated',
  'Mid-market & Enterprise': 'too_hard',
  'Real-time Sales': 'calibrated',
  'Customer Success': 'calibrated',
};

const metricFor = (roles: string[]): QuotaMetric | null =>
  roles.some((r) => r === 'ae' || r === 'realtime_ae' || r === 'esb_ae')
    ? 'new_arr'
    : // The demo's history has no handoffs before the live week, so SDRs are measured on pipeline they sourced.
      roles.some((r) => r === 'sdr_inbound' || r === 'sdr_outbound')
      ? 'pipeline_created'
      : roles.some((r) => r === 'csm' || r === 'relationship_manager')
        ? 'expansion_arr'
        : null;

/** The largest "round" number in (lo, hi]: as few significant digits as the interval allows, at least cents. */
export function roundWithin(lo: Decimal, hi: Decimal): Decimal {
  for (let exp = Math.max(0, hi.trunc().toFixed(0).length); exp >= -2; exp--) {
    const unit = new Decimal(10).pow(exp);
    const v = hi.div(unit).floor().times(unit);
    if (v.gt(lo) && v.gt(0)) return v;
  }
  return hi.toDecimalPlaces(2, Decimal.ROUND_DOWN);
}

/**
 * One amount for a team in one period: the candidate amounts lie between the reps' distinct ramp-adjusted actuals
 * (actual / ramp factor, what the rep did against a full quota), each letting a known number of reps attain.
 * Calibrated aims at 2/3 attaining inside 60-75%, too hard at 1/3 (below 60%). 0.01% margins keep ramped cents safe
 * and still fit between two reps whose results are close.
 */
export function teamAmount(values: Decimal[], plan: 'calibrated' | 'too_hard'): Decimal {
  const distinct = [...new Set(values.map((v) => v.toFixed()))].map((v) => new Decimal(v)).sort((a, b) => b.comparedTo(a));
  const n = values.length;
  const target = plan === 'calibrated' ? 2 / 3 : 1 / 3;
  const fits = (share: number) => (plan === 'calibrated' ? share >= 0.6 && share <= 0.75 : share < 0.6);
  let best: { lo: Decimal; hi: Decimal; score: number } | null = null;
  for (let i = 0; i <= distinct.length; i++) {
    // Amount in (distinct[i], distinct[i-1]]: the reps at or above distinct[i-1] attain.
    const hi = i === 0 ? null : distinct[i - 1].times(0.9999);
    const lo = i === distinct.length ? new Decimal(0) : distinct[i].times(1.0001);
    if (hi?.lte(lo)) continue;
    const attained = i === 0 ? 0 : values.filter((v) => v.gte(distinct[i - 1])).length;
    const share = attained / n;
    const score = (fits(share) ? 0 : 10) + Math.abs(share - target);
    if (!best || score < best.score) best = { lo, hi: hi ?? lo.times(1.25), score };
  }
  if (!best || best.hi.lte(0)) return new Decimal(1000);
  // Two significant figures near the middle of the interval read like a plan; the roundest number in it may not.
  const mid = best.lo.plus(best.hi).div(2);
  const unit = new Decimal(10).pow(Math.max(-2, mid.trunc().toFixed(0).length - 2));
  const nice = mid.div(unit).round().times(unit);
  return nice.gt(best.lo) && nice.lte(best.hi) ? nice : roundWithin(best.lo, best.hi);
}

export type DemoQuotaSummary = { periods: string[]; amounts: Record<string, Record<string, string>> };

export async function seedDemoQuotas(db: Db, workspaceId: string, now: Date): Promise<DemoQuotaSummary> {
  const [w] = await db.query<{ timezone: string }>('select timezone from workspaces where id = $1', [workspaceId]);
  const local = DateTime.fromJSDate(now, { zone: w.timezone });
  const current = parseQuotaPeriod(`${local.year}-Q${local.quarter}`)!;
  const periods = periodsEndingWith(current, 5);
  const full = periods.slice(0, 4);
  const sys = systemPrincipal(workspaceId);

  const reps = (await findUsers(db, workspaceId, null))
    .map((u) => ({ ...u, metric: metricFor(u.roles) }))
    .filter((u): u is typeof u & { metric: QuotaMetric } => u.metric !== null && u.teamName !== null && u.teamName in DEMO_QUOTA_PLAN);
  const teams = [...new Set(reps.map((r) => r.teamName!))].sort();

  // Ramp-adjusted actual per rep and full quarter; a rep with nothing due (hired later) gets no quota that quarter.
  const adjusted = new Map<string, Map<string, Decimal>>();
  for (const period of full) {
    const actualOf = await periodActuals(
      db,
      workspaceId,
      w.timezone,
      period,
      reps.map((r) => r.id),
    );
    const m = new Map<string, Decimal>();
    for (const r of reps) {
      const f = quotaInRange({ amount: '1', start: period.start, end: period.end }, period, r, DEFAULT_RAMP).ramped;
      if (f.gt(0)) m.set(r.id, new Decimal(actualOf(r.id, r.metric) ?? 0).div(f));
    }
    adjusted.set(period.label, m);
  }

  const amounts: DemoQuotaSummary['amounts'] = {};
  for (const team of teams) {
    const members = reps.filter((r) => r.teamName === team);
    const plan = DEMO_QUOTA_PLAN[team];
    const byPeriod: Record<string, string> = {};
    if (plan === 'too_easy') {
      // Sized on the last two full quarters, the ones the trigger reads: the team has outgrown a quota never revisited.
      const all = full.slice(-2).flatMap((p) => members.flatMap((r) => adjusted.get(p.label)!.get(r.id) ?? []));
      const floor = Decimal.min(...all);
      const amount = floor.gt(0) ? roundWithin(new Decimal(0), floor.div(1.35)) : new Decimal(1000);
      for (const p of periods) byPeriod[p.label] = amount.toFixed(2);
    } else {
      for (const p of full) {
        const values = members.flatMap((r) => adjusted.get(p.label)!.get(r.id) ?? []);
        byPeriod[p.label] = teamAmount(values, plan).toFixed(2);
      }
      byPeriod[current.label] = byPeriod[full[full.length - 1].label];
    }
    amounts[team] = byPeriod;
    for (const p of periods)
      for (const r of members) {
        if (p.label !== current.label && !adjusted.get(p.label)!.has(r.id)) continue;
        await setQuota(db, sys, { userId: r.id, metric: r.metric, period: p.label, amount: byPeriod[p.label], note: 'demo' });
      }
  }
  return { periods: periods.map((p) => p.label), amounts };
}
