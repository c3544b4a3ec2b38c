import { describe, expect, it } from 'vitest';
import { cachedRouter, type LeadFacts, type PoolMember, pickFromPool, type Rule, route } from './routing.core.js';

const lead = (over: Partial<LeadFacts> = {}): LeadFacts => ({
  segment: 'SMB',
  sourceType: 'net',
  channel: 'website',
  country: 'FR',
  employees: 50,
  existingAccount: null,
  ...over,
});
const rules: Rule[] = [
  {
    id: 'r1',
    name: 'Existing customers to their owner',
    enabled: true,
    conditions: { existingAccount: true },
    action: { type: 'account_owner' },
  },
  {
    id: 'r2',
    name: 'Enterprise inbound',
    enabled: true,
    conditions: { segments: ['MME'], sourceTypes: ['net', 'seed'] },
    action: { type: 'pool', pool: { roles: ['sdr_inbound'], segment: 'MME' } },
  },
  { id: 'r3', name: 'Disabled', enabled: false, conditions: {}, action: { type: 'queue', queue: 'never' } },
  {
    id: 'r4',
    name: 'Chat leads',
    enabled: true,
    conditions: { channels: ['chat'] },
    action: { type: 'pool', pool: { roles: ['realtime_ae'] } },
  },
  {
    id: 'r5',
    name: 'Big French',
    enabled: true,
    conditions: { countries: ['FR'], employeesMin: 100, employeesMax: 1000 },
    action: { type: 'user', userId: 'u-fr' },
  },
];

describe('routing rules (golden cases)', () => {
  it('sends a lead of an existing account to its owner', () => {
    const d = route(lead({ existingAccount: { id: 'a', ownerId: 'u-owner' } }), rules, 'triage');
    expect(d).toMatchObject({ kind: 'user', userId: 'u-owner', ruleId: 'r1' });
  });
  it('falls through the account-owner rule when the account has no owner', () => {
    const d = route(lead({ existingAccount: { id: 'a', ownerId: null }, channel: 'chat' }), rules, 'triage');
    expect(d).toMatchObject({ kind: 'pool', ruleId: 'r4' });
    expect(d.explanation[0].matched).toBe(false);
    expect(d.explanation[0].reasons.at(-1)).toMatch(/no existing account with an owner/);
  });
  it('matches on segment and source type, skipping disabled rules', () => {
    expect(route(lead({ segment: 'MME' }), rules, 'triage')).toMatchObject({ kind: 'pool', ruleId: 'r2', pool: { segment: 'MME' } });
    expect(route(lead({ segment: 'MME', sourceType: 'spear' }), rules, 'triage').ruleId).not.toBe('r2');
  });
  it('checks size bounds and unknown sizes', () => {
    expect(route(lead({ employees: 500 }), rules, 'triage')).toMatchObject({ kind: 'user', userId: 'u-fr' });
    expect(route(lead({ employees: 1001 }), rules, 'triage')).toMatchObject({ kind: 'queue', queue: 'triage', ruleId: null });
    const d = route(lead({ employees: null }), rules, 'triage');
    expect(d.kind).toBe('queue');
    expect(d.explanation.find((c) => c.ruleId === 'r5')?.reasons).toContain('employees (unknown) not >= 100');
  });
  it('explains every rule it checked, in order', () => {
    const d = route(lead(), rules, 'triage');
    expect(d.explanation.map((c) => c.ruleId)).toEqual(['r1', 'r2', 'r4', 'r5']);
    expect(d.explanation[1].reasons).toEqual(['segment SMB is not in MME', 'source type net is in net, seed']);
  });
});

describe('cachedRouter', () => {
  // Facts the rules read, one at a time, and the case that must give another decision.
  const variants: [string, Partial<LeadFacts>][] = [
    ['segment', { segment: 'MME' }],
    ['source type', { segment: 'MME', sourceType: 'spear' }],
    ['channel', { channel: 'chat' }],
    ['country', { country: 'DE', employees: 500 }],
    ['employees', { employees: 501 }],
    ['account', { existingAccount: { id: 'a', ownerId: null } }],
    ['account owner', { existingAccount: { id: 'a', ownerId: 'u-owner' } }],
    ['another account owner', { existingAccount: { id: 'b', ownerId: 'u-other' } }],
  ];
  it('decides exactly like route, for every fact the rules read', () => {
    const cached = cachedRouter(rules, 'triage');
    for (const [, over] of [['base', {}] as const, ...variants]) expect(cached(lead(over))).toEqual(route(lead(over), rules, 'triage'));
    // Again, from the cache this time.
    for (const [, over] of variants) expect(cached(lead(over))).toEqual(route(lead(over), rules, 'triage'));
  });
  it('shares one decision between leads that differ only in facts no rule reads', () => {
    const cached = cachedRouter(rules.slice(0, 2), 'triage');
    expect(cached(lead({ country: 'DE', employees: 7, channel: 'chat' }))).toBe(cached(lead()));
    expect(cached(lead({ existingAccount: { id: 'other', ownerId: 'u-owner' } }))).toBe(
      cached(lead({ existingAccount: { id: 'a', ownerId: 'u-owner' } })),
    );
    expect(cached(lead({ segment: 'MME' }))).not.toBe(cached(lead()));
  });
});

const member = (id: string, over: Partial<PoolMember> = {}): PoolMember => ({
  id,
  capacity: 10,
  openLoad: 0,
  outOfOfficeUntil: null,
  assigned: 0,
  ...over,
});
const now = new Date('2026-11-24T10:00:00Z');

describe('weighted round-robin', () => {
  it('keeps equal-weight reps within one of each other', () => {
    const pool = [member('a'), member('b'), member('c')];
    for (let i = 0; i < 100; i++) {
      const r = pickFromPool(pool, now);
      if (!r.ok) throw new Error('no pick');
      pool.find((m) => m.id === r.userId)!.assigned++;
      const counts = pool.map((m) => m.assigned);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
    expect(pool.map((m) => m.assigned)).toEqual([34, 33, 33]);
  });
  it('gives twice the leads to twice the capacity', () => {
    const pool = [member('a', { capacity: 20, openLoad: 0 }), member('b', { capacity: 10 })];
    for (let i = 0; i < 30; i++) {
      const r = pickFromPool(
        pool.map((m) => ({ ...m, openLoad: 0 })),
        now,
      );
      if (r.ok) pool.find((m) => m.id === r.userId)!.assigned++;
    }
    expect(pool.map((m) => m.assigned)).toEqual([20, 10]);
  });
  it('skips reps out of office or at capacity, and says so', () => {
    const r = pickFromPool(
      [member('a', { outOfOfficeUntil: new Date('2026-11-30T00:00:00Z') }), member('b', { openLoad: 10 }), member('c', { assigned: 50 })],
      now,
    );
    expect(r).toEqual({
      ok: true,
      userId: 'c',
      skipped: [
        { id: 'a', why: 'out of office' },
        { id: 'b', why: 'at capacity (10/10)' },
      ],
    });
    expect(pickFromPool([member('a', { outOfOfficeUntil: new Date('2026-11-01T00:00:00Z') })], now)).toMatchObject({
      ok: true,
      userId: 'a',
    });
    expect(pickFromPool([member('b', { capacity: 0 })], now)).toEqual({ ok: false, skipped: [{ id: 'b', why: 'no capacity' }] });
  });
});
