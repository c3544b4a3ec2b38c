import { DateTime } from 'luxon';

/** A closed range of local dates in the workspace timezone, e.g. 2026-07-01 .. 2026-09-30 for 2026-Q3. */
export type DateRange = { from: string; to: string; label: string };

export type Interval = 'week' | 'month' | 'quarter';

/** Longest range a report may cover: ten years of days keeps any query bounded. */
export const MAX_RANGE_DAYS = 3660;

export type PeriodResult = { ok: true; range: DateRange } | { ok: false; field: string; message: string };

const PERIOD_FORMATS = 'YYYY, YYYY-Qn, YYYY-MM or YYYY-Www (ISO week), e.g. 2026-Q3';

/**
 * Parses a named period (2026, 2026-Q3, 2026-09, 2026-W37) or a from/to pair of dates. With neither, the
 * current quarter in the workspace timezone.
 */
export function parsePeriod(input: { period?: string; from?: string; to?: string }, timezone: string, now: Date): PeriodResult {
  if (input.period && (input.from || input.to)) return { ok: false, field: 'period', message: 'give either period or from/to, not both' };
  if (input.from || input.to) {
    if (!input.from) return { ok: false, field: 'from', message: 'required with to (a date, YYYY-MM-DD)' };
    if (!input.to) return { ok: false, field: 'to', message: 'required with from (a date, YYYY-MM-DD)' };
    const from = isoDate(input.from);
    const to = isoDate(input.to);
    if (!from) return { ok: false, field: 'from', message: 'must be a date, YYYY-MM-DD' };
    if (!to) return { ok: false, field: 'to', message: 'must be a date, YYYY-MM-DD' };
    if (to < from) return { ok: false, field: 'to', message: 'must be on or after from' };
    if (days(from, to) > MAX_RANGE_DAYS) return { ok: false, field: 'to', message: `the range may span at most ${MAX_RANGE_DAYS} days` };
    return { ok: true, range: { from: from.toISODate()!, to: to.toISODate()!, label: `${from.toISODate()}..${to.toISODate()}` } };
  }
  if (!input.period) {
    const today = DateTime.fromJSDate(now, { zone: timezone });
    return namedPeriod(`${today.year}-Q${today.quarter}`)!;
  }
  return namedPeriod(input.period.trim()) ?? { ok: false, field: 'period', message: `must be ${PERIOD_FORMATS}` };
}

function namedPeriod(p: string): PeriodResult | null {
  let m = /^(\d{4})$/.exec(p);
  if (m) return span(DateTime.utc(Number(m[1]), 1, 1), 'year', p);
  m = /^(\d{4})-Q([1-4])$/i.exec(p);
  if (m) return span(DateTime.utc(Number(m[1]), (Number(m[2]) - 1) * 3 + 1, 1), 'quarter', `${m[1]}-Q${m[2]}`);
  m = /^(\d{4})-(\d{2})$/.exec(p);
  if (m) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return null;
    return span(DateTime.utc(Number(m[1]), month, 1), 'month', p);
  }
  m = /^(\d{4})-W(\d{2})$/i.exec(p);
  if (m) {
    const start = DateTime.fromObject({ weekYear: Number(m[1]), weekNumber: Number(m[2]), weekday: 1 }, { zone: 'utc' });
    if (!start.isValid || start.weekNumber !== Number(m[2])) return null;
    return span(start, 'week', `${m[1]}-W${m[2]}`);
  }
  return null;
}

function span(start: DateTime, unit: 'year' | 'quarter' | 'month' | 'week', label: string): PeriodResult {
  if (!start.isValid || start.year < 1970 || start.year > 9999) return { ok: false, field: 'period', message: `must be ${PERIOD_FORMATS}` };
  const end = start.plus({ [`${unit}s`]: 1 }).minus({ days: 1 });
  return { ok: true, range: { from: start.toISODate()!, to: end.toISODate()!, label } };
}

function isoDate(s: string): DateTime | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  const d = DateTime.fromISO(s, { zone: 'utc' });
  return d.isValid ? d : null;
}

const days = (a: DateTime, b: DateTime) => Math.round(b.diff(a, 'days').days) + 1;

/**
 * Splits a range into whole calendar months (read from the monthly rollups) and the loose days at its edges
 * (read from the daily ones), so a quarter costs three rows per group instead of ninety.
 */
export function splitRange(range: DateRange): { months: string[]; days: string[] } {
  const months: string[] = [];
  const looseDays: string[] = [];
  let d = DateTime.fromISO(range.from, { zone: 'utc' });
  const last = DateTime.fromISO(range.to, { zone: 'utc' });
  while (d <= last) {
    const monthEnd = d.endOf('month').startOf('day');
    if (d.day === 1 && monthEnd <= last) {
      months.push(d.toISODate()!);
      d = monthEnd.plus({ days: 1 });
    } else {
      looseDays.push(d.toISODate()!);
      d = d.plus({ days: 1 });
    }
  }
  return { months, days: looseDays };
}

/** The consecutive intervals (weeks start Monday) that cover a range, each clipped to it: for trends. */
export function intervalsOf(range: DateRange, interval: Interval): DateRange[] {
  const out: DateRange[] = [];
  const last = DateTime.fromISO(range.to, { zone: 'utc' });
  let d = DateTime.fromISO(range.from, { zone: 'utc' });
  while (d <= last) {
    const start = d.startOf(interval);
    const end = DateTime.min(start.plus({ [`${interval}s`]: 1 }).minus({ days: 1 }), last);
    const label =
      interval === 'week'
        ? `${start.weekYear}-W${String(start.weekNumber).padStart(2, '0')}`
        : interval === 'month'
          ? start.toFormat('yyyy-MM')
          : `${start.year}-Q${start.quarter}`;
    out.push({ from: d.toISODate()!, to: end.toISODate()!, label });
    d = end.plus({ days: 1 });
  }
  return out;
}

/** The `n` whole months before (and including) the month of `to`: the window for trends and bounds. */
export function trailingMonths(to: string, n: number): DateRange {
  const end = DateTime.fromISO(to, { zone: 'utc' }).endOf('month').startOf('day');
  const start = end.startOf('month').minus({ months: n - 1 });
  return { from: start.toISODate()!, to: end.toISODate()!, label: `${start.toFormat('yyyy-MM')}..${end.toFormat('yyyy-MM')}` };
}
