import { describe, expect, it } from 'vitest';
import { checkBatch, checkEvent, parseTimestamp, unknownAccounts } from './events.core.js';

const NOW = Date.parse('2026-04-10T12:00:00Z');
const event = (extra: Record<string, unknown> = {}) => ({
  messageId: 'm1',
  account: 'acme',
  event: 'file.uploaded',
  timestamp: '2026-04-10T10:00:00+02:00',
  ...extra,
});

describe('timestamps', () => {
  it('reads ISO 8601 with an offset to the millisecond', () => {
    expect(parseTimestamp('2026-04-10T10:00:00+02:00')).toBe(Date.parse('2026-04-10T08:00:00Z'));
    expect(parseTimestamp('2026-04-10T10:00:00.123456Z')).toBe(Date.parse('2026-04-10T10:00:00.123Z'));
    expect(parseTimestamp('2026-04-10T10:00-0330')).toBe(Date.parse('2026-04-10T13:30:00Z'));
    expect(parseTimestamp('2028-02-29T00:00:00Z')).toBe(Date.parse('2028-02-29T00:00:00Z'));
  });

  it('refuses a missing offset, impossible dates and other shapes, with a reason', () => {
    for (const bad of ['2026-04-10T10:00:00', '2026-04-10', '1712743200', 'yesterday'])
      expect(parseTimestamp(bad)).toMatch(/with an offset/);
    for (const bad of ['2027-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-04-10T24:00:00Z', '2026-04-10T10:00:00+25:00'])
      expect(parseTimestamp(bad)).toBe('is not a real date and time');
  });
});

describe('checkEvent', () => {
  it('keeps a valid event, trimmed, with empty properties by default', () => {
    expect(checkEvent(event({ account: ' acme ', user: null }), NOW)).toEqual({
      ok: true,
      event: {
        messageId: 'm1',
        accountKey: 'acme',
        userKey: null,
        name: 'file.uploaded',
        properties: {},
        at: Date.parse('2026-04-10T08:00:00Z'),
      },
    });
  });

  it('names every problem: future, too old, NUL characters, depth, size', () => {
    const reasons = (e: unknown) => (checkEvent(e, NOW) as { errors: { path: string; message: string }[] }).errors;
    expect(reasons(event({ timestamp: '2026-04-11T12:00:01Z' }))).toEqual([
      { path: 'timestamp', message: 'is more than 1 day in the future' },
    ]);
    expect(checkEvent(event({ timestamp: '2026-04-11T12:00:00Z' }), NOW).ok).toBe(true);
    expect(reasons(event({ timestamp: '1970-01-01T00:00:00Z' }))).toEqual([{ path: 'timestamp', message: 'is before 2000-01-01' }]);
    expect(reasons(event({ properties: { a: 'x\u0000y' } }))).toEqual([{ path: 'properties', message: 'contains a NUL character' }]);
    expect(reasons(event({ messageId: 'a\u0000' }))).toEqual([{ path: 'messageId', message: 'must be text of 1 to 200 characters' }]);
    expect(reasons(event({ properties: { a: { b: { c: { d: { e: { f: { g: { h: 1 } } } } } } } } }))).toEqual([
      { path: 'properties', message: 'nested more than 8 levels' },
    ]);
    expect(reasons(event({ properties: { big: 'x'.repeat(17_000) } }))).toEqual([{ path: 'properties', message: 'larger than 16 KB' }]);
    expect(reasons([])).toEqual([{ path: '', message: 'must be a JSON object' }]);
  });
});

describe('checkBatch', () => {
  it('reports each event in order; a message id repeated in the batch is a duplicate of its first occurrence', () => {
    const { results, valid } = checkBatch([event(), event({ timestamp: 'x' }), event({ event: 'other' }), event({ messageId: 'm2' })], NOW);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'duplicate', 'accepted']);
    expect(valid.map((v) => [v.index, v.event.name])).toEqual([
      [0, 'file.uploaded'],
      [3, 'file.uploaded'],
    ]);
  });

  it('summarises unknown keys, most events first', () => {
    const events = ['b', 'a', 'b', 'known', 'c', 'a'].map((k) => ({ accountKey: k }) as never);
    expect(unknownAccounts(events, (k) => k === 'known')).toEqual([
      { key: 'a', events: 2 },
      { key: 'b', events: 2 },
      { key: 'c', events: 1 },
    ]);
  });
});
