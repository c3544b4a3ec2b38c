import type { Rng } from './rng.js';

/**
 * Time in the demo: twelve months ending at `now`, growing volume, and a working day in New York.
 * Local time is UTC-5 all year (daylight saving is ignored: an hour's drift does not matter to a demo).
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const LOCAL_OFFSET = -5 * HOUR;
const WORK_START = 9;
const WORK_END = 18;

export class Calendar {
  readonly start: number;
  readonly end: number;
  private readonly span: number;
  /** Lead volume grows by this factor over the year (the company is growing). */
  private readonly growth = Math.log(1.7);

  constructor(now: Date) {
    this.end = now.getTime();
    this.start = this.end - 365 * DAY;
    this.span = this.end - this.start;
  }

  /** A moment in the year, later moments more likely (inverse CDF of an exponential ramp). */
  grownTime(rng: Rng, from = this.start): number {
    const lo = Math.max(0, (from - this.start) / this.span);
    const g = this.growth;
    const cdfLo = Math.expm1(g * lo);
    const u = cdfLo + rng.float() * (Math.expm1(g) - cdfLo);
    return this.start + (Math.log1p(u) / g) * this.span;
  }

  /** A uniform moment between two times. */
  between(rng: Rng, from: number, to: number): number {
    return from + rng.float() * Math.max(0, to - from);
  }
}

const localDay = (t: number) => new Date(t + LOCAL_OFFSET).getUTCDay();
const localHour = (t: number) => new Date(t + LOCAL_OFFSET).getUTCHours();
const localMidnight = (t: number) => {
  const d = new Date(t + LOCAL_OFFSET);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - LOCAL_OFFSET;
};

export const isWeekend = (t: number) => {
  const d = localDay(t);
  return d === 0 || d === 6;
};

/** Reps act in working hours: a moment outside them moves to the next working morning (plus a little). */
export function workTime(t: number, rng: Rng): number {
  const h = localHour(t);
  if (!isWeekend(t) && h >= WORK_START && h < WORK_END) return t;
  let day = localMidnight(t);
  if (h >= WORK_END) day += DAY;
  while (isWeekend(day + 12 * HOUR)) day += DAY;
  return day + WORK_START * HOUR + rng.int(0, 120) * MINUTE;
}

const VISIT_HOURS: (readonly [number, number])[] = [
  [7, 2],
  [8, 4],
  [9, 7],
  [10, 9],
  [11, 9],
  [12, 7],
  [13, 8],
  [14, 9],
  [15, 8],
  [16, 7],
  [17, 5],
  [18, 3],
  [19, 3],
  [20, 3],
  [21, 2],
  [22, 1],
  [2, 1],
];

/** Visitors come any day, mostly in the daytime: keeps the date of `t`, redraws the time of day. */
export function visitTime(t: number, rng: Rng): number {
  const day = localMidnight(t);
  const at = day + rng.weighted(VISIT_HOURS) * HOUR + rng.int(0, 59) * MINUTE + rng.int(0, 59) * 1000;
  return at;
}

/** `t` (a moment moved into working or visiting hours) unless that pushed it past `end`: then the original moment. */
export const within = (end: number, t: number, raw: number) => (t <= end ? t : Math.min(raw, end));

export const isoDate = (t: number) => new Date(t).toISOString().slice(0, 10);
