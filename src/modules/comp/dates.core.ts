import { DateTime } from 'luxon';

/** Local dates (YYYY-MM-DD) and months (YYYY-MM) in the workspace timezone: comp periods are local months. */
export const monthOf = (on: string) => on.slice(0, 7);

export const addDays = (on: string, days: number) => DateTime.fromISO(on, { zone: 'utc' }).plus({ days }).toISODate()!;

export const firstDay = (month: string) => `${month}-01`;

export const lastDay = (month: string) => DateTime.fromISO(`${month}-01`, { zone: 'utc' }).endOf('month').toISODate()!;

export const nextMonth = (month: string) => DateTime.fromISO(`${month}-01`, { zone: 'utc' }).plus({ months: 1 }).toFormat('yyyy-MM');

/** Months from `from` to `to`, both included. */
export function monthsFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) out.push(m);
  return out;
}

/** The calendar quarter of a local date or month: 2026-Q3. */
export function quarterOf(onOrMonth: string): string {
  const month = Number(onOrMonth.slice(5, 7));
  return `${onOrMonth.slice(0, 4)}-Q${Math.ceil(month / 3)}`;
}

export function quarterBounds(quarter: string): { start: string; end: string } {
  const [y, q] = quarter.split('-Q').map(Number);
  const start = DateTime.utc(y, (q - 1) * 3 + 1, 1);
  return { start: start.toISODate()!, end: start.plus({ months: 3 }).minus({ days: 1 }).toISODate()! };
}

/** The instant a local day ends (the next local midnight) in a timezone. */
export const endOfLocalDay = (on: string, timezone: string) => DateTime.fromISO(on, { zone: timezone }).plus({ days: 1 }).toJSDate();
