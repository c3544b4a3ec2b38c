import { DateTime } from 'luxon';
import { Decimal, money } from '../../platform/money.js';
import type { Band, HealthSettings } from './health.core.js';

/** The renewals pipeline: windows of days to renewal, the forecast by health band, and what a renewal records. Pure. */

export const RENEWAL_WINDOWS = [30, 60, 90, 120] as const;
export type RenewalWindow = (typeof RENEWAL_WINDOWS)[number];

/** Overdue: the renewal date has passed and the subscription is still live (neither renewed nor churned). */
export const BUCKETS = ['overdue', '0-30', '31-60', '61-90', '91-120'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** The last day of each bucket, counted from today. */
const BUCKET_END: Record<Bucket, number> = { overdue: -1, '0-30': 30, '31-60': 60, '61-90': 90, '91-120': 120 };

/** The buckets a window shows: overdue and those ending within it. */
export const bucketsWithin = (window: RenewalWindow): Bucket[] => BUCKETS.filter((b) => BUCKET_END[b] <= window);

export function bucketOf(daysUntil: number): Bucket | null {
  if (daysUntil < 0) return 'overdue';
  if (daysUntil <= 30) return '0-30';
  if (daysUntil <= 60) return '31-60';
  if (daysUntil <= 90) return '61-90';
  if (daysUntil <= 120) return '91-120';
  return null;
}

/** The chance a renewal happens, from the account's health band (unscored accounts have their own). */
export function probabilityOf(band: Band | null, p: HealthSettings['renewalProbability']): Decimal {
  const value = band === 'healthy' ? p.healthy : band === 'at_risk' ? p.atRisk : band === 'critical' ? p.critical : p.unscored;
  return new Decimal(String(value));
}

/** Expected ARR of one renewal: ARR x probability, half-even to the cent (the figure a row shows). */
export const expectedArr = (arr: string, probability: Decimal) => money(new Decimal(arr).times(probability));

export type ForecastLine = { arr: string; expectedArr: string; bucket: Bucket };
export type BucketTotal = { bucket: Bucket; count: number; arr: string; expectedArr: string };

/** Totals per bucket of the window and overall: exact sums of the rows' figures, so the screen adds up to the cent. */
export function forecast(lines: ForecastLine[], window: RenewalWindow): { buckets: BucketTotal[]; total: Omit<BucketTotal, 'bucket'> } {
  const buckets = bucketsWithin(window).map((bucket) => {
    const mine = lines.filter((l) => l.bucket === bucket);
    return {
      bucket,
      count: mine.length,
      arr: money(mine.reduce((s, l) => s.plus(l.arr), new Decimal(0))),
      expectedArr: money(mine.reduce((s, l) => s.plus(l.expectedArr), new Decimal(0))),
    };
  });
  return {
    buckets,
    total: {
      count: buckets.reduce((n, b) => n + b.count, 0),
      arr: money(buckets.reduce((s, b) => s.plus(b.arr), new Decimal(0))),
      expectedArr: money(buckets.reduce((s, b) => s.plus(b.expectedArr), new Decimal(0))),
    },
  };
}

/**
 * The ARR movements of a renewal at a new ARR: 'renewal' for the ARR carried into the new term (the smaller of the
 * two), plus 'expansion' or 'contraction' for the difference. renewal + expansion = new ARR; renewal + contraction = old.
 * (The expansion or contraction is recorded by the subscription update itself; see renewals.service.ts.)
 */
export function renewalMovements(
  oldArr: string,
  newArr: string,
): { renewal: string; expansion: string | null; contraction: string | null } {
  const before = new Decimal(oldArr);
  const after = new Decimal(newArr);
  return {
    renewal: money(Decimal.min(before, after)),
    expansion: after.gt(before) ? money(after.minus(before)) : null,
    contraction: after.lt(before) ? money(before.minus(after)) : null,
  };
}

/** A renewal moves the renewal date one year on from the current one (from today when it had none). */
export function nextRenewalDate(current: string | null, today: string): string {
  return DateTime.fromISO(current ?? today, { zone: 'utc' })
    .plus({ years: 1 })
    .toISODate()!;
}
