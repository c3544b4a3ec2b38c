import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, type BusinessCalendar, businessMinutesBetween, validateCalendar } from './sla.core.js';

const paris: BusinessCalendar = { timezone: 'Europe/Paris', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: ['2026-12-25'] };
const ny: BusinessCalendar = { ...paris, timezone: 'America/New_York', holidays: [] };
const at = (iso: string) => new Date(iso);

describe('business-hour SLAs (golden cases)', () => {
  it('counts inside one working day', () => {
    // Tue 2026-11-24 10:00 Paris (09:00Z) + 2 h -> 12:00 Paris (11:00Z)
    expect(addBusinessMinutes(at('2026-11-24T09:00:00Z'), 120, paris).toISOString()).toBe('2026-11-24T11:00:00.000Z');
  });
  it('carries over the night to the next morning', () => {
    // Tue 16:00 Paris + 2 h = 1 h Tue + 1 h Wed -> Wed 10:00 Paris (09:00Z)
    expect(addBusinessMinutes(at('2026-11-24T15:00:00Z'), 120, paris).toISOString()).toBe('2026-11-25T09:00:00.000Z');
  });
  it('skips the weekend', () => {
    // Fri 2026-11-27 16:30 Paris + 1 h -> Mon 2026-11-30 09:30 Paris (08:30Z)
    expect(addBusinessMinutes(at('2026-11-27T15:30:00Z'), 60, paris).toISOString()).toBe('2026-11-30T08:30:00.000Z');
  });
  it('starts the clock at opening when a lead arrives at night or on Sunday', () => {
    expect(addBusinessMinutes(at('2026-11-29T12:00:00Z'), 30, paris).toISOString()).toBe('2026-11-30T08:30:00.000Z');
    expect(addBusinessMinutes(at('2026-11-24T22:00:00Z'), 30, paris).toISOString()).toBe('2026-11-25T08:30:00.000Z');
  });
  it('skips holidays', () => {
    // Thu 2026-12-24 16:00 Paris + 2 h -> Fri 25th is a holiday -> Mon 28th 10:00 Paris
    expect(addBusinessMinutes(at('2026-12-24T15:00:00Z'), 120, paris).toISOString()).toBe('2026-12-28T09:00:00.000Z');
  });
  it('uses the local wall clock across a DST change', () => {
    // New York leaves DST on Sun 2026-11-01. Fri Oct 30 16:00 EDT (20:00Z) + 2 h -> Mon Nov 2 10:00 EST (15:00Z)
    expect(addBusinessMinutes(at('2026-10-30T20:00:00Z'), 120, ny).toISOString()).toBe('2026-11-02T15:00:00.000Z');
  });
  it('measures elapsed business minutes over nights and weekends', () => {
    expect(businessMinutesBetween(at('2026-11-27T15:30:00Z'), at('2026-11-30T08:30:00Z'), paris)).toBe(60);
    expect(businessMinutesBetween(at('2026-11-24T09:00:00Z'), at('2026-11-24T08:00:00Z'), paris)).toBe(0);
    expect(businessMinutesBetween(at('2026-11-23T00:00:00Z'), at('2026-11-30T00:00:00Z'), paris)).toBe(5 * 8 * 60);
  });
  it('is the inverse of addBusinessMinutes', () => {
    const from = at('2026-11-26T13:17:00Z');
    for (const m of [1, 59, 480, 1000, 5000]) expect(businessMinutesBetween(from, addBusinessMinutes(from, m, paris), paris)).toBe(m);
  });
  it('rejects broken calendars', () => {
    expect(validateCalendar({ ...paris, timezone: 'Mars/Olympus' })).toMatch(/timezone/);
    expect(validateCalendar({ ...paris, days: [] })).toMatch(/days/);
    expect(validateCalendar({ ...paris, start: '18:00' })).toMatch(/end/);
    expect(validateCalendar({ ...paris, end: '25:00' })).toMatch(/end/);
    expect(validateCalendar(paris)).toBeNull();
  });
});
