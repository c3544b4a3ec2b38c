import { DateTime } from 'luxon';

/**
 * Business hours in the workspace's time zone: SLA clocks only run inside them.
 * Days are ISO weekdays (1 = Monday … 7 = Sunday); times are local "HH:MM"; holidays are local dates.
 */
export type BusinessCalendar = {
  timezone: string;
  days: number[];
  start: string;
  end: string;
  holidays?: string[];
};

export const DEFAULT_CALENDAR: Omit<BusinessCalendar, 'timezone'> = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: [] };

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

export function validateCalendar(c: BusinessCalendar): string | null {
  if (!DateTime.now().setZone(c.timezone).isValid) return `timezone: unknown time zone ${c.timezone}`;
  if (!c.days.length || c.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) return 'days: ISO weekdays 1-7, at least one';
  for (const [k, v] of [
    ['start', c.start],
    ['end', c.end],
  ] as const)
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(v)) return `${k}: a time as HH:MM`;
  if (minutesOf(c.end) <= minutesOf(c.start)) return 'end: must be after start';
  return null;
}

/** The working window [open, close) of the local day containing `day`, or null on a closed day. */
function windowOf(day: DateTime, c: BusinessCalendar): { open: DateTime; close: DateTime } | null {
  if (!c.days.includes(day.weekday) || c.holidays?.includes(day.toISODate()!)) return null;
  const s = minutesOf(c.start);
  const e = minutesOf(c.end);
  // Built from the local wall clock, so a DST change inside the day is handled by luxon.
  const open = day.startOf('day').set({ hour: Math.floor(s / 60), minute: s % 60 });
  const close = day.startOf('day').set({ hour: Math.floor(e / 60), minute: e % 60 });
  return { open, close };
}

/** The instant `minutes` business minutes after `from` (the SLA deadline). */
export function addBusinessMinutes(from: Date, minutes: number, c: BusinessCalendar): Date {
  let t = DateTime.fromJSDate(from).setZone(c.timezone);
  let left = minutes;
  for (let guard = 0; guard < 3660; guard++) {
    const w = windowOf(t, c);
    if (w && t < w.close) {
      const begin = t < w.open ? w.open : t;
      const available = w.close.diff(begin, 'minutes').minutes;
      if (left <= available) return begin.plus({ minutes: left }).toJSDate();
      left -= available;
    }
    t = t.plus({ days: 1 }).startOf('day');
  }
  throw new Error('business calendar has no open hours within ten years');
}

/** Business minutes elapsed between two instants (0 if `to` is before `from`). */
export function businessMinutesBetween(from: Date, to: Date, c: BusinessCalendar): number {
  if (to <= from) return 0;
  const end = DateTime.fromJSDate(to).setZone(c.timezone);
  let t = DateTime.fromJSDate(from).setZone(c.timezone);
  let total = 0;
  for (let guard = 0; guard < 3660 && t < end; guard++) {
    const w = windowOf(t, c);
    if (w) {
      const a = t < w.open ? w.open : t;
      const b = end < w.close ? end : w.close;
      if (b > a) total += b.diff(a, 'minutes').minutes;
    }
    t = t.plus({ days: 1 }).startOf('day');
  }
  return Math.round(total * 1000) / 1000;
}
