/** Short, human times for queues and inboxes: "in 25 minutes", "3 hours ago", an age of "2 d". */

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** `when` relative to now: "in 25 minutes", "3 hours ago". */
export function relativeTime(when: string | Date, now = Date.now()): string {
  const seconds = (new Date(when).getTime() - now) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(Math.round(seconds), 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86_400), 'day');
}

/** How long since `since`, compact: "12 min", "5 h", "3 d". */
export function age(since: string | Date, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - new Date(since).getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / 1440)} d`;
}

/** Minutes as "45 min" or "3 h 20 min" (the API's measured durations arrive as numbers or numeric strings). */
export function minutes(value: string | number | null | undefined): string {
  if (value == null || value === '') return '';
  const m = Math.round(Number(value));
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

/** The UTC offset (ms) of a time zone at an instant. */
function offsetAt(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - at;
}

/** The instant a calendar day 'YYYY-MM-DD' starts in a time zone, as an ISO string (periods are the workspace's days). */
export function startOfDayIn(day: string, timeZone: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  // Twice: the offset at the guessed instant can differ from the offset at the real one around DST changes.
  let at = wall - offsetAt(timeZone, wall);
  at = wall - offsetAt(timeZone, at);
  return new Date(at).toISOString();
}

/** 'YYYY-MM-DD' plus some days (calendar arithmetic, no time zone involved). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
