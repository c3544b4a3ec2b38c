import { Decimal } from 'decimal.js';
import { DateTime } from 'luxon';
import type { DateRange } from '../analytics/periods.core.js';

/**
 * Retention (issue 5, docs/retention.md): gross and net revenue retention and logo churn of the accounts that had
 * ARR when a period started. The SQL (retention.repo.ts) sums each group's accounts; this file does the
 * arithmetic on those sums, exactly (decimal.js), and the calendar (period instants, trend months).
 */

export const RETENTION_GROUP_BYS = ['none', 'cohort', 'segment', 'csm', 'ae'] as const;
export type RetentionGroupBy = (typeof RETENTION_GROUP_BYS)[number];

/**
 * What a group's base accounts add up to in a period. Money is a decimal string. Losses are already capped per
 * account at its start ARR (contraction + churn never exceed what the account had), and ARR both gained and lost
 * inside the period is taken out of expansion instead, so start + expansion - contraction - churn = end.
 */
export type RetentionSums = {
  /** Base accounts: ARR above zero at the start of the period. */
  logos: number;
  /** Base accounts with no ARR left at the end. */
  churnedLogos: number;
  startArr: string;
  expansion: string;
  contraction: string;
  churn: string;
  endArr: string;
};

export type RetentionMetrics = RetentionSums & {
  /** (start - contraction - churn) / start, four decimals half-even; null without a base. */
  grr: string | null;
  /** (start + expansion - contraction - churn) / start. */
  nrr: string | null;
  /** churned logos / logos. */
  logoChurn: string | null;
};

const MONEY_FIELDS = ['startArr', 'expansion', 'contraction', 'churn', 'endArr'] as const;

export const EMPTY_SUMS: RetentionSums = {
  logos: 0,
  churnedLogos: 0,
  startArr: '0.00',
  expansion: '0.00',
  contraction: '0.00',
  churn: '0.00',
  endArr: '0.00',
};

/** An exact ratio rounded half-even to four places ("0.8727"), or null when there is nothing to divide by. */
export function ratio(numerator: Decimal.Value, denominator: Decimal.Value): string | null {
  const d = new Decimal(denominator);
  if (d.isZero()) return null;
  return new Decimal(numerator).div(d).toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN).toFixed(4);
}

const cents = (v: Decimal.Value) => new Decimal(v).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);

export function retentionMetrics(s: RetentionSums): RetentionMetrics {
  const start = new Decimal(s.startArr);
  const kept = start.minus(s.contraction).minus(s.churn);
  return {
    logos: s.logos,
    churnedLogos: s.churnedLogos,
    startArr: cents(s.startArr),
    expansion: cents(s.expansion),
    contraction: cents(s.contraction),
    churn: cents(s.churn),
    endArr: cents(s.endArr),
    grr: ratio(kept, start),
    nrr: ratio(kept.plus(s.expansion), start),
    logoChurn: ratio(s.churnedLogos, s.logos),
  };
}

/** Groups add up: every base account is in exactly one group, so the total is the sum of the groups' sums. */
export function sumRetention(list: RetentionSums[]): RetentionSums {
  const out = { ...EMPTY_SUMS };
  for (const s of list) {
    out.logos += s.logos;
    out.churnedLogos += s.churnedLogos;
    for (const f of MONEY_FIELDS) out[f] = new Decimal(out[f]).plus(s[f]).toFixed(2);
  }
  return out;
}

/**
 * A range of local dates as the instants it covers in the workspace timezone: from the first day's midnight
 * (inclusive) to the midnight after the last day (exclusive). ARR "at the start" is everything before `start`.
 */
export function rangeInstants(range: { from: string; to: string }, timezone: string): { start: Date; end: Date } {
  const first = DateTime.fromISO(range.from, { zone: timezone }).startOf('day');
  const after = DateTime.fromISO(range.to, { zone: timezone }).plus({ days: 1 }).startOf('day');
  return { start: first.toJSDate(), end: after.toJSDate() };
}

export const MAX_TREND_MONTHS = 36;

/**
 * The `count` calendar months ending with `until` (YYYY-MM; default: the current month in the workspace timezone),
 * oldest first, as ranges of local dates labelled YYYY-MM. The current month is measured up to its end like any other:
 * its movements so far are all there is.
 */
export function trendMonths(until: string | undefined, count: number, timezone: string, now: Date): DateRange[] {
  const last = until ? DateTime.fromFormat(until, 'yyyy-MM', { zone: 'utc' }) : DateTime.fromJSDate(now, { zone: timezone });
  const end = DateTime.utc(last.year, last.month, 1);
  const out: DateRange[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const m = end.minus({ months: i });
    out.push({ from: m.toISODate()!, to: m.endOf('month').toISODate()!, label: m.toFormat('yyyy-MM') });
  }
  return out;
}
