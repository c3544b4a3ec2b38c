import { Decimal } from 'decimal.js';
import { DateTime } from 'luxon';
import { parsePeriod } from '../analytics/periods.core.js';
import type { Role } from '../org/org.core.js';

/**
 * Quotas (DOMAIN.md section 5): what each role is measured on, the ramp of new hires and the quota that is fair
 * for a period. Pure: the service reads the rows, these functions do the arithmetic (docs/quotas.md).
 */
export const QUOTA_METRICS = ['new_arr', 'accepted_leads', 'pipeline_created', 'expansion_arr', 'grr'] as const;
export type QuotaMetric = (typeof QUOTA_METRICS)[number];

/**
 * Which roles each metric fits: closers on won ARR, qualifiers on leads accepted or pipeline, farmers on expansion
 * or on retention (gross revenue retention of their accounts, in percent).
 */
export const METRIC_ROLES: Record<QuotaMetric, Role[]> = {
  new_arr: ['ae', 'realtime_ae', 'esb_ae'],
  accepted_leads: ['sdr_inbound', 'sdr_outbound'],
  pipeline_created: ['sdr_inbound', 'sdr_outbound'],
  expansion_arr: ['csm', 'relationship_manager'],
  grr: ['csm', 'relationship_manager'],
};

/**
 * A rate target (GRR, in percent) rather than an amount: it is neither spread over the months of its period nor
 * ramped (a new CSM keeps the customers' retention target), and a team's figure is recomputed over the team's ARR
 * instead of summed.
 */
export const isRateMetric = (m: QuotaMetric) => m === 'grr';

/**
 * Gross revenue retention in percent, two decimals: (ARR at the start - contraction - churn in the period) / ARR at
 * the start (DOMAIN.md 7, issue 5's definition). Null without ARR at the start.
 */
export function grrPercent(startArr: Decimal.Value, losses: Decimal.Value): string | null {
  const start = new Decimal(startArr);
  if (start.lte(0)) return null;
  return start.minus(losses).div(start).times(100).toFixed(2);
}

/** Counted metrics (leads) versus money metrics (ARR, pipeline): decides how amounts are shown. */
export const isCountMetric = (m: QuotaMetric) => m === 'accepted_leads';

export const metricsForRoles = (roles: Role[]): QuotaMetric[] =>
  QUOTA_METRICS.filter((m) => METRIC_ROLES[m].some((r) => roles.includes(r)));

export const DEFAULT_RAMP = [25, 50, 75, 100];

/** A ramp is 1-12 monthly percents, each 1-100, never decreasing, ending at 100. Returns the problem or null. */
export function validateRamp(steps: number[]): string | null {
  if (steps.length < 1 || steps.length > 12) return 'must have 1 to 12 monthly steps';
  for (const [i, s] of steps.entries()) {
    if (!Number.isInteger(s) || s < 1 || s > 100) return `step ${i + 1} must be a whole percent from 1 to 100`;
    if (i > 0 && s < steps[i - 1]) return `step ${i + 1} (${s}) is below step ${i} (${steps[i - 1]}): a ramp never goes down`;
  }
  if (steps.at(-1) !== 100) return 'must reach 100 in its last step';
  return null;
}

export type PeriodKind = 'month' | 'quarter' | 'year';
export type QuotaPeriod = { kind: PeriodKind; start: string; end: string; label: string };

/** A quota period: 2026 (year), 2026-Q3 (quarter) or 2026-07 (month); weeks and free ranges are not quota periods. */
export function parseQuotaPeriod(input: string): QuotaPeriod | null {
  const p = input.trim();
  const kind: PeriodKind | null = /^\d{4}$/.test(p)
    ? 'year'
    : /^\d{4}-Q[1-4]$/i.test(p)
      ? 'quarter'
      : /^\d{4}-\d{2}$/.test(p)
        ? 'month'
        : null;
  if (!kind) return null;
  // The timezone and clock only matter for the default period, which a named one never uses.
  const r = parsePeriod({ period: p }, 'UTC', new Date(0));
  if (!r.ok) return null;
  return { kind, start: r.range.from, end: r.range.to, label: r.range.label };
}

/** The label of a stored period (2026, 2026-Q3, 2026-07). */
export function periodLabel(kind: PeriodKind, start: string): string {
  const d = DateTime.fromISO(start, { zone: 'utc' });
  if (kind === 'year') return String(d.year);
  if (kind === 'quarter') return `${d.year}-Q${d.quarter}`;
  return d.toFormat('yyyy-MM');
}

/** Two closed date ranges share at least one day. */
export const overlaps = (a: { start: string; end: string }, b: { start: string; end: string }) => a.start <= b.end && b.start <= a.end;

/** First days of the calendar months a range touches (quota periods are whole months). */
export function monthsOf(range: { start: string; end: string }): string[] {
  const out: string[] = [];
  let d = DateTime.fromISO(range.start, { zone: 'utc' }).startOf('month');
  const last = DateTime.fromISO(range.end, { zone: 'utc' });
  while (d <= last) {
    out.push(d.toISODate()!);
    d = d.plus({ months: 1 });
  }
  return out;
}

export type Employment = { hireDate: string | null; leftAt: string | null };

/**
 * The share of a full quota a rep carries in one calendar month (`month`: its first day), from 0 to 1.
 * Ramp: the hire month is month 1 whatever the day of hire (ramp[0]), the next month 2 (ramp[1])..., and
 * past the last step 100%; before the hire month 0 (not employed). No hire date: fully ramped.
 * Leaving: the month of leaving counts the days up to and including the last day; later months 0.
 */
export function monthFactor(month: string, e: Employment, ramp: number[]): Decimal {
  const m = DateTime.fromISO(month, { zone: 'utc' });
  let factor = new Decimal(1);
  if (e.hireDate) {
    const h = DateTime.fromISO(e.hireDate, { zone: 'utc' });
    const n = (m.year - h.year) * 12 + (m.month - h.month) + 1;
    if (n < 1) return new Decimal(0);
    factor = new Decimal(n <= ramp.length ? ramp[n - 1] : 100).div(100);
  }
  if (e.leftAt) {
    const left = DateTime.fromISO(e.leftAt, { zone: 'utc' });
    const monthEnd = m.endOf('month').startOf('day');
    if (left < m) return new Decimal(0);
    if (left < monthEnd) factor = factor.times(left.day).div(m.daysInMonth!);
  }
  return factor;
}

export type QuotaSpan = { amount: string; start: string; end: string };

/**
 * The part of a quota due in `range`, before and after ramp: the amount is spread evenly over the quota's
 * months, and each month inside the range weighs by its factor. For the quota's own period this is
 * quota x average monthly factor. Full precision; round only what is shown.
 */
export function quotaInRange(q: QuotaSpan, range: { start: string; end: string }, e: Employment, ramp: number[]) {
  const months = monthsOf(q);
  const perMonth = new Decimal(q.amount).div(months.length);
  let base = new Decimal(0);
  let ramped = new Decimal(0);
  const firstMonth = range.start.slice(0, 7);
  for (const m of months) {
    if (m.slice(0, 7) < firstMonth || m > range.end) continue;
    base = base.plus(perMonth);
    ramped = ramped.plus(perMonth.times(monthFactor(m, e, ramp)));
  }
  return { base, ramped };
}

/** Actual over ramped quota as a ratio with four decimals (1.0525 = 105.25%); null when nothing was due. */
export function attainment(actual: Decimal.Value, ramped: Decimal.Value): string | null {
  const q = new Decimal(ramped);
  if (q.lte(0)) return null;
  return new Decimal(actual).div(q).toFixed(4);
}

export const money2 = (d: Decimal.Value) => new Decimal(d).toFixed(2);
