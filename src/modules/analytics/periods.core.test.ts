import { describe, expect, it } from 'vitest';
import { MAX_RANGE_DAYS, parsePeriod, splitRange } from './periods.core.js';

const NOW = new Date('2026-08-15T12:00:00Z');
const parse = (input: { period?: string; from?: string; to?: string }, tz = 'Europe/Paris', now = NOW) => parsePeriod(input, tz, now);

describe('parsePeriod', () => {
  it('reads named periods as closed ranges of local dates', () => {
    expect(parse({ period: '2026' })).toEqual({ ok: true, range: { from: '2026-01-01', to: '2026-12-31', label: '2026' } });
    expect(parse({ period: '2026-Q3' })).toEqual({ ok: true, range: { from: '2026-07-01', to: '2026-09-30', label: '2026-Q3' } });
    expect(parse({ period: '2026-q4' })).toEqual({ ok: true, range: { from: '2026-10-01', to: '2026-12-31', label: '2026-Q4' } });
    expect(parse({ period: '2024-02' })).toEqual({ ok: true, range: { from: '2024-02-01', to: '2024-02-29', label: '2024-02' } });
    // ISO week 1 of 2026 starts on Monday 2025-12-29.
    expect(parse({ period: '2026-W01' })).toEqual({ ok: true, range: { from: '2025-12-29', to: '2026-01-04', label: '2026-W01' } });
    expect(parse({ from: '2026-02-10', to: '2026-03-05' })).toEqual({
      ok: true,
      range: { from: '2026-02-10', to: '2026-03-05', label: '2026-02-10..2026-03-05' },
    });
  });

  it('defaults to the current quarter in the workspace timezone, not in UTC', () => {
    // 2026-09-30 23:30 UTC is already 1 October in Paris (UTC+2) but still September in Los Angeles.
    const edge = new Date('2026-09-30T23:30:00Z');
    expect(parse({}, 'Europe/Paris', edge)).toMatchObject({ ok: true, range: { label: '2026-Q4', from: '2026-10-01' } });
    expect(parse({}, 'America/Los_Angeles', edge)).toMatchObject({ ok: true, range: { label: '2026-Q3', from: '2026-07-01' } });
  });

  it.each([
    ['2026-Q5', 'period'],
    ['2026-Q0', 'period'],
    ['2026-13', 'period'],
    ['2026-00', 'period'],
    ['2026-W54', 'period'],
    ['26-Q1', 'period'],
    ['last quarter', 'period'],
  ])('refuses period=%s naming the field', (period, field) => {
    const r = parse({ period });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.field).toBe(field);
  });

  it('refuses inverted, partial, malformed or too long from/to pairs, naming the field', () => {
    expect(parse({ from: '2026-03-01', to: '2026-02-28' })).toEqual({ ok: false, field: 'to', message: 'must be on or after from' });
    expect(parse({ from: '2026-03-01' })).toMatchObject({ ok: false, field: 'to' });
    expect(parse({ to: '2026-03-01' })).toMatchObject({ ok: false, field: 'from' });
    expect(parse({ from: '2026-02-30', to: '2026-03-01' })).toMatchObject({ ok: false, field: 'from' });
    expect(parse({ from: '2026-02-01', to: '03/01/2026' })).toMatchObject({ ok: false, field: 'to' });
    expect(parse({ period: '2026-Q1', from: '2026-02-01', to: '2026-02-02' })).toMatchObject({ ok: false, field: 'period' });
    expect(parse({ from: '2000-01-01', to: '2026-01-01' })).toMatchObject({ ok: false, field: 'to' });
    // Exactly MAX_RANGE_DAYS days is allowed: 2026-01-01 plus 3659 days.
    expect(MAX_RANGE_DAYS).toBe(3660);
    expect(parse({ from: '2026-01-01', to: '2036-01-08' })).toMatchObject({ ok: true });
    expect(parse({ from: '2026-01-01', to: '2036-01-09' })).toMatchObject({ ok: false, field: 'to' });
  });
});

describe('splitRange', () => {
  it('reads a quarter as its three months and no loose days', () => {
    expect(splitRange({ from: '2026-07-01', to: '2026-09-30', label: '2026-Q3' })).toEqual({
      months: ['2026-07-01', '2026-08-01', '2026-09-01'],
      days: [],
    });
  });

  it('reads a custom range as its whole months plus the loose days at both edges', () => {
    expect(splitRange({ from: '2026-01-30', to: '2026-04-02', label: 'x' })).toEqual({
      months: ['2026-02-01', '2026-03-01'],
      days: ['2026-01-30', '2026-01-31', '2026-04-01', '2026-04-02'],
    });
  });

  it('reads a range inside one month as days only, and a leap February as a month', () => {
    expect(splitRange({ from: '2026-03-10', to: '2026-03-12', label: 'x' })).toEqual({
      months: [],
      days: ['2026-03-10', '2026-03-11', '2026-03-12'],
    });
    expect(splitRange({ from: '2024-02-01', to: '2024-02-29', label: 'x' })).toEqual({ months: ['2024-02-01'], days: [] });
    expect(splitRange({ from: '2024-02-01', to: '2024-02-28', label: 'x' }).months).toEqual([]);
  });
});
