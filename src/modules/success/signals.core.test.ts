import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_SETTINGS } from './health.core.js';
import { dedupeKey, detectSignals, dueAt, type SignalInputs } from './signals.core.js';

const S = DEFAULT_HEALTH_SETTINGS.signals; // drop 15 points / 7 days, usage -30% (min 20 events), seats 90%, 1 limit hit

const QUIET: SignalInputs = {
  accountName: 'Acme',
  health: { score: 80, day: '2026-03-10' },
  bestBefore: { score: 82, day: '2026-03-05' },
  usage: { last30: 100, prev30: 100 },
  seats: { used: 5, bought: 10 },
  missedMilestones: [],
  newTeams: [],
  planLimitHits: 0,
};
const kinds = (i: Partial<SignalInputs>, s = S) => detectSignals({ ...QUIET, ...i }, s).map((x) => x.kind);

describe('signal rules', () => {
  it('raises nothing on a steady account', () => {
    expect(kinds({})).toEqual([]);
  });

  it('health drop: the score fell at least 15 points below its best of the week before', () => {
    expect(kinds({ health: { score: 65, day: '2026-03-10' }, bestBefore: { score: 80, day: '2026-03-04' } })).toEqual([
      'churn_risk.health_drop',
    ]);
    expect(kinds({ health: { score: 66, day: '2026-03-10' }, bestBefore: { score: 80, day: '2026-03-04' } })).toEqual([]);
    expect(kinds({ health: { score: 20, day: '2026-03-10' }, bestBefore: null })).toEqual([]);
    const [s] = detectSignals({ ...QUIET, health: { score: 50, day: '2026-03-10' }, bestBefore: { score: 80, day: '2026-03-04' } }, S);
    expect(s.title).toBe('Health of Acme fell from 80 to 50');
    expect(s.detail).toContain('30 points between 2026-03-04 and 2026-03-10');
  });

  it('usage decline: 30% or more below the 30 days before, when those had at least 20 events', () => {
    expect(kinds({ usage: { last30: 70, prev30: 100 } })).toEqual(['churn_risk.usage_decline']);
    expect(kinds({ usage: { last30: 71, prev30: 100 } })).toEqual([]);
    expect(kinds({ usage: { last30: 0, prev30: 19 } })).toEqual([]); // too little to tell
    expect(kinds({ usage: { last30: 0, prev30: 20 } })).toEqual(['churn_risk.usage_decline']);
    expect(detectSignals({ ...QUIET, usage: { last30: 30, prev30: 120 } }, S)[0].title).toBe('Usage of Acme fell 75%');
  });

  it('milestone missed within the lookback', () => {
    const [s] = detectSignals({ ...QUIET, missedMilestones: [{ name: 'First 10 files', missedOn: '2026-03-01' }] }, S);
    expect(s).toMatchObject({ kind: 'churn_risk.milestone_missed', title: 'Acme missed the milestone "First 10 files"' });
  });

  it('expansion: seats at 90% or more of those bought; never without seats', () => {
    expect(kinds({ seats: { used: 9, bought: 10 } })).toEqual(['expansion.seats']);
    expect(kinds({ seats: { used: 12, bought: 10 } })).toEqual(['expansion.seats']);
    expect(kinds({ seats: { used: 8, bought: 10 } })).toEqual([]);
    expect(kinds({ seats: { used: 50, bought: null } })).toEqual([]);
    expect(kinds({ seats: { used: 9, bought: 10 } }, { ...S, seatUsePercent: 95 })).toEqual([]);
  });

  it('expansion: a new team, and plan limits hit', () => {
    expect(kinds({ newTeams: ['Finance'] })).toEqual(['expansion.new_team']);
    expect(detectSignals({ ...QUIET, newTeams: ['Finance', 'Legal'] }, S)[0].title).toBe('New teams using Acme: Finance, Legal');
    expect(kinds({ planLimitHits: 1 })).toEqual(['expansion.plan_limit']);
    expect(kinds({ planLimitHits: 2 }, { ...S, planLimitHits: 3 })).toEqual([]);
  });

  it('lists churn risks before expansion openings', () => {
    expect(kinds({ usage: { last30: 10, prev30: 100 }, seats: { used: 10, bought: 10 }, planLimitHits: 4 })).toEqual([
      'churn_risk.usage_decline',
      'expansion.seats',
      'expansion.plan_limit',
    ]);
  });
});

describe('tasks from signals', () => {
  it('keys one open task per account and kind, churn risks due sooner', () => {
    expect(dedupeKey('expansion.seats', 'a1')).toBe('expansion.seats:a1');
    const at = new Date('2026-03-10T09:00:00Z');
    const due = DEFAULT_HEALTH_SETTINGS.taskDueDays; // 3 and 7 days
    expect(dueAt('churn_risk.usage_decline', at, due).toISOString()).toBe('2026-03-13T09:00:00.000Z');
    expect(dueAt('expansion.new_team', at, due).toISOString()).toBe('2026-03-17T09:00:00.000Z');
  });
});
