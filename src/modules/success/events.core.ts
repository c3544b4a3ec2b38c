import type { FieldIssue } from '../../platform/errors.js';

/**
 * Usage events as senders post them, checked one by one so a batch can report each bad event with its reasons.
 * Hand-written rather than zod: ingestion validates a million events in the benchmark, and every reason must
 * name its field.
 */
export const EVENT_FIELDS = ['messageId', 'account', 'user', 'event', 'properties', 'timestamp'] as const;
export const MAX_BATCH = 10_000;
export const LIMITS = { id: 200, name: 200, propertiesBytes: 16_384, propertiesDepth: 8 } as const;
/** Clocks drift; a day ahead is the most a real event can be. */
export const MAX_FUTURE_MS = 24 * 3600_000;
/** Nothing a product sends happened before this; older stamps are a sender's bug (epoch zero, a date typed as a number). */
export const EARLIEST = Date.UTC(2000, 0, 1);

export type ValidEvent = {
  messageId: string;
  accountKey: string;
  userKey: string | null;
  name: string;
  properties: Record<string, unknown>;
  /** Epoch milliseconds (stored to the millisecond, so evaluation and the database order events alike). */
  at: number;
};

export type Checked = { ok: true; event: ValidEvent } | { ok: false; errors: FieldIssue[] };

// 2026-03-01T10:15:00+01:00, 2026-03-01T09:15:00.123456Z, 2026-03-01T10:15+0100: an offset is required.
const ISO = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** Epoch milliseconds of an ISO 8601 date-time with an offset, or a reason it is not one. */
export function parseTimestamp(s: string): number | string {
  const m = ISO.exec(s);
  if (!m) return 'must be an ISO 8601 date-time with an offset, e.g. 2026-03-01T10:15:00Z or 2026-03-01T10:15:00+01:00';
  const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const offset = m[8] ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || sec > 59 || Number(m[10] ?? 0) > 23 || Number(m[11] ?? 0) > 59)
    return 'is not a real date and time';
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offset * 60_000;
}

const text = (v: unknown, max: number): string | null => {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t.length >= 1 && t.length <= max && !t.includes('\u0000') ? t : null;
};

/** Why properties cannot be stored, or null: too deep, or a NUL character (PostgreSQL text cannot hold one). */
function propertiesProblem(v: unknown, depth: number): string | null {
  if (depth > LIMITS.propertiesDepth) return `nested more than ${LIMITS.propertiesDepth} levels`;
  if (typeof v === 'string') return v.includes('\u0000') ? 'contains a NUL character' : null;
  if (v === null || typeof v !== 'object') return null;
  for (const [k, item] of Object.entries(v)) {
    if (k.includes('\u0000')) return 'contains a NUL character';
    const p = propertiesProblem(item, depth + 1);
    if (p) return p;
  }
  return null;
}

/** Checks one posted event; every problem is reported, each naming its field. */
export function checkEvent(raw: unknown, now: number): Checked {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return { ok: false, errors: [{ path: '', message: 'must be a JSON object' }] };
  const r = raw as Record<string, unknown>;
  const errors: FieldIssue[] = [];
  for (const k of Object.keys(r)) if (!(EVENT_FIELDS as readonly string[]).includes(k)) errors.push({ path: k, message: 'unknown field' });

  const messageId = text(r.messageId, LIMITS.id);
  if (messageId === null)
    errors.push({ path: 'messageId', message: r.messageId === undefined ? 'required' : `must be text of 1 to ${LIMITS.id} characters` });
  const accountKey = text(r.account, LIMITS.id);
  if (accountKey === null)
    errors.push({
      path: 'account',
      message: r.account === undefined ? 'required: the account id or external id' : `must be text of 1 to ${LIMITS.id} characters`,
    });
  let userKey: string | null = null;
  if (r.user !== undefined && r.user !== null) {
    userKey = text(r.user, LIMITS.id);
    if (userKey === null) errors.push({ path: 'user', message: `must be text of 1 to ${LIMITS.id} characters, or null` });
  }
  const name = text(r.event, LIMITS.name);
  if (name === null)
    errors.push({
      path: 'event',
      message: r.event === undefined ? 'required: the event name' : `must be text of 1 to ${LIMITS.name} characters`,
    });

  let properties: Record<string, unknown> = {};
  if (r.properties !== undefined && r.properties !== null) {
    if (typeof r.properties !== 'object' || Array.isArray(r.properties))
      errors.push({ path: 'properties', message: 'must be a JSON object' });
    else {
      properties = r.properties as Record<string, unknown>;
      const problem = propertiesProblem(properties, 1);
      if (problem) errors.push({ path: 'properties', message: problem });
      else if (JSON.stringify(properties).length > LIMITS.propertiesBytes)
        errors.push({ path: 'properties', message: `larger than ${LIMITS.propertiesBytes / 1024} KB` });
    }
  }

  let at = 0;
  if (typeof r.timestamp !== 'string')
    errors.push({ path: 'timestamp', message: r.timestamp === undefined ? 'required' : 'must be an ISO 8601 string' });
  else {
    const parsed = parseTimestamp(r.timestamp.trim());
    if (typeof parsed === 'string') errors.push({ path: 'timestamp', message: parsed });
    else if (parsed > now + MAX_FUTURE_MS) errors.push({ path: 'timestamp', message: 'is more than 1 day in the future' });
    else if (parsed < EARLIEST) errors.push({ path: 'timestamp', message: 'is before 2000-01-01' });
    else at = parsed;
  }

  if (errors.length) return { ok: false, errors };
  return { ok: true, event: { messageId: messageId!, accountKey: accountKey!, userKey, name: name!, properties, at } };
}

export type EventStatus = 'accepted' | 'duplicate' | 'rejected';
export type EventResult = { index: number; status: EventStatus; errors?: FieldIssue[] };

/**
 * Checks a batch: each event on its own, then a message id repeated inside the batch is a duplicate of its first
 * occurrence (the first one wins, as a replay of an earlier batch would).
 */
export function checkBatch(raw: unknown[], now: number): { results: EventResult[]; valid: { index: number; event: ValidEvent }[] } {
  const results: EventResult[] = [];
  const valid: { index: number; event: ValidEvent }[] = [];
  const seen = new Set<string>();
  raw.forEach((item, index) => {
    const c = checkEvent(item, now);
    if (!c.ok) results.push({ index, status: 'rejected', errors: c.errors });
    else if (seen.has(c.event.messageId)) results.push({ index, status: 'duplicate' });
    else {
      seen.add(c.event.messageId);
      results.push({ index, status: 'accepted' });
      valid.push({ index, event: c.event });
    }
  });
  return { results, valid };
}

export type UnknownAccount = { key: string; events: number };

/** Keys that matched no account, with how many events of the batch were kept for each (most first). */
export function unknownAccounts(kept: ValidEvent[], matched: (key: string) => boolean): UnknownAccount[] {
  const counts = new Map<string, number>();
  for (const e of kept) if (!matched(e.accountKey)) counts.set(e.accountKey, (counts.get(e.accountKey) ?? 0) + 1);
  return [...counts].map(([key, events]) => ({ key, events })).sort((a, b) => b.events - a.events || a.key.localeCompare(b.key));
}
