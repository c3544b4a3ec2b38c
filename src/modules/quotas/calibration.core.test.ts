import { describe, expect, it } from 'vitest';
import { Decimal } from '../../platform/money.js';
import { type AttainmentRecord, attainmentDistribution, backtest, raiseQuotaTrigger, sensibleRound } from './calibration.core.js';

/** One record per rep: quota and actual given as [quota, actual] pairs. */
const team = (teamId: string, period: string, rows: [string, string][]): AttainmentRecord[] =>
  rows.map(([quota, actual], i) => ({ repId: `${teamId}-r${i + 1}`, teamId, period, quota, actual }));

const q100 = (teamId: string, period: string, actuals: number[]) =>
  team(
    teamId,
    period,
    actuals.map((a) => ['100', String(a)]),
  );

describe('attainmentDistribution', () => {
  it('buckets attainment with inclusive lower bounds and flags a hard quota', () => {
    // Attainments 0.40 0.50 0.79 0.80 0.99 1.00 1.25 2.00; attained (>= 1): 3 of 8 = 37.5% -> "38%", below 60%.
    const r = attainmentDistribution(q100('A', '2026-Q2', [40, 50, 79, 80, 99, 100, 125, 200]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.teams).toEqual([
      {
        teamId: 'A',
        period: '2026-Q2',
        reps: 8,
        attained: 3,
        share: 0.375,
        buckets: { '<50': 1, '50-80': 2, '80-100': 2, '100-125': 1, '125+': 2 },
        // (40+50+79+80+99+100+125+200) / 800 = 773/800 = 0.96625 -> half-even to 4 places = 0.9662
        averageAttainment: '0.9662',
        flag: 'too_hard',
        reason: 'only 3 of 8 reps (38%) reached quota in 2026-Q2: below the 60-75% band; the quota looks too hard',
      },
    ]);
  });

  it('keeps both band edges inside the band and flags above it, sorted by team then period', () => {
    const records = [
      ...q100('B', '2026-Q2', [100, 101, 150, 10]), // 3 of 4 = 75%: ok (edge)
      ...q100('B', '2026-Q1', [100, 100, 100, 100, 0]), // 4 of 5 = 80%: too easy
      ...q100('C', '2026-Q1', [100, 100, 100, 99, 0]), // 3 of 5 = 60%: ok (edge)
    ];
    const r = attainmentDistribution(records);
    if (!r.ok) throw new Error('expected ok');
    expect(r.teams.map((t) => [t.teamId, t.period, t.attained, t.reps, t.share, t.flag])).toEqual([
      ['B', '2026-Q1', 4, 5, 0.8, 'too_easy'],
      ['B', '2026-Q2', 3, 4, 0.75, 'ok'],
      ['C', '2026-Q1', 3, 5, 0.6, 'ok'],
    ]);
    expect(r.teams[0].reason).toBe('4 of 5 reps (80%) reached quota in 2026-Q1: above the 60-75% band; the quota looks too easy');
    expect(r.teams[2].reason).toBe('3 of 5 reps (60%) reached quota in 2026-Q1: within the 60-75% band');
  });

  it('uses custom bands', () => {
    const r = attainmentDistribution(q100('B', 'P', [100, 100, 100, 0]), { low: 0.5, high: 0.7 }); // 75% > 70%
    expect(r.ok && r.teams[0].flag).toBe('too_easy');
  });

  it('rejects zero, negative and non-numeric quotas, bad actuals and duplicate rep-periods with field paths', () => {
    const records: AttainmentRecord[] = [
      { repId: 'a', teamId: 'T', period: 'P', quota: '0', actual: '1' },
      { repId: 'b', teamId: 'T', period: 'P', quota: '-5', actual: '1' },
      { repId: 'c', teamId: 'T', period: 'P', quota: 'abc', actual: 'x' },
      { repId: 'a', teamId: 'T', period: 'P', quota: '10', actual: '1' },
    ];
    const r = attainmentDistribution(records, { low: 0.8, high: 0.7 });
    expect(r).toEqual({
      ok: false,
      errors: [
        { path: 'bands', message: 'needs 0 <= low <= high <= 1' },
        { path: 'records[0].quota', message: 'must be a positive decimal, got "0"' },
        { path: 'records[1].quota', message: 'must be a positive decimal, got "-5"' },
        { path: 'records[2].quota', message: 'must be a positive decimal, got "abc"' },
        { path: 'records[2].actual', message: 'must be a decimal, got "x"' },
        { path: 'records[3]', message: 'rep a already has a record for P' },
      ],
    });
  });
});

describe('raiseQuotaTrigger', () => {
  const periods = ['2026-Q1', '2026-Q2'];
  // X Q1: 4 of 5 beat (80%), beaters average (130+140+120+135)/4 = 131.25% -> qualifies.
  // X Q2: 5 of 5 beat (100 counts), beaters average (150+130+125+135+100)/5 = 128% -> qualifies.
  const X = [...q100('X', '2026-Q1', [130, 140, 120, 135, 90]), ...q100('X', '2026-Q2', [150, 130, 125, 135, 100])];
  // Y Q2: 3 of 5 beat (60% < 80%) -> no raise.
  const Y = [...q100('Y', '2026-Q1', [130, 140, 120, 135, 90]), ...q100('Y', '2026-Q2', [150, 130, 125, 50, 60])];
  // Z Q1: 4 of 5 beat but average (101+102+103+104)/4 = 102.5% < 125% -> no raise.
  const Z = [...q100('Z', '2026-Q1', [101, 102, 103, 104, 0]), ...q100('Z', '2026-Q2', [150, 130, 125, 135, 100])];

  it('fires after two qualifying periods and proposes quota x the last average attainment', () => {
    const r = raiseQuotaTrigger(periods, [...X, ...Y, ...Z]);
    if (!r.ok) throw new Error('expected ok');
    const [x, y, z] = r.teams;
    expect(x.fires).toBe(true);
    expect(x.periods.map((p) => [p.period, p.beating, p.shareBeating, p.beatersAverage, p.qualifies])).toEqual([
      ['2026-Q1', 4, 0.8, '1.3125', true],
      ['2026-Q2', 5, 1, '1.2800', true],
    ]);
    // Team average in Q2 = 640/500 = 1.28; 100 x 1.28 = 128 (unit 1). At 128: 150, 130, 135 attain -> 3 of 5 = 60%, ok.
    expect(x.suggestion).toEqual({
      currentQuota: '100',
      factor: '1.2800',
      proposedQuota: '128',
      unit: '1',
      projected: { attained: 3, reps: 5, share: 0.6, flag: 'ok' },
    });
    expect(x.explanation).toBe(
      'raise: at least 80% of reps beating quota by 25% or more on average in 2 periods in a row ' +
        '(2026-Q1: 4 of 5 (80%) beat quota, averaging 131%; 2026-Q2: 5 of 5 (100%) beat quota, averaging 128%). ' +
        "Proposed quota 128 = 100 x 128% (the team's average attainment in 2026-Q2, rounded to 1); " +
        'at that quota 3 of 5 reps (60%) would have attained in 2026-Q2.',
    );
    expect(y.fires).toBe(false);
    expect(y.suggestion).toBeNull();
    expect(y.explanation).toContain('2026-Q2: 3 of 5 (60%) beat quota, averaging 135% (needs 80%)');
    expect(z.fires).toBe(false);
    expect(z.explanation).toContain('2026-Q1: 4 of 5 (80%) beat quota, averaging 103% (needs 125%)');
  });

  it('looks only at the last `consecutive` periods, and a missing period does not qualify', () => {
    const r = raiseQuotaTrigger([...periods, '2026-Q3'], X);
    expect(r.ok && r.teams[0].fires).toBe(false);
    expect(r.ok && r.teams[0].explanation).toContain('2026-Q3: no records');
    const one = raiseQuotaTrigger(
      periods,
      Y.filter((rec) => rec.period === '2026-Q1'),
      { consecutive: 1 },
    );
    expect(one.ok).toBe(true);
    // Y has no Q2 records: the last period is Q2, so it does not fire even with consecutive = 1.
    expect(one.ok && one.teams[0].fires).toBe(false);
    const q1only = raiseQuotaTrigger(['2026-Q1'], Y, { consecutive: 1 });
    expect(q1only.ok && q1only.teams[0].fires).toBe(true);
  });

  it('takes the modal full quota of the team, so ramped reps scale by the same ratio', () => {
    // Quotas 120000 x3 and a ramped 60000; actuals 180000, 170000, 160000, 90000 -> all beat.
    // (1.5 + 1.41667 + 1.33333 + 1.5) / 4 = 5.75/4 = 1.4375; 120000 x 1.4375 = 172500 -> 3 s.f. -> 173000 (unit 1000).
    const W = team('W', 'P', [
      ['120000', '180000'],
      ['120000', '170000'],
      ['120000', '160000'],
      ['60000', '90000'],
    ]);
    const r = raiseQuotaTrigger(['P'], W, { consecutive: 1 });
    if (!r.ok) throw new Error('expected ok');
    // At 173000 (ratio 173/120): 180000 attains; the ramped rep needs 60000 x 173/120 = 86500 <= 90000 -> attains. 2 of 4.
    expect(r.teams[0].suggestion).toMatchObject({
      currentQuota: '120000',
      factor: '1.4375',
      proposedQuota: '173000',
      unit: '1000',
      projected: { attained: 2, reps: 4, share: 0.5, flag: 'too_hard' },
    });
  });

  it('rounds to three significant figures, never below a unit of 1', () => {
    const r = (v: string) => sensibleRound(new Decimal(v)).value.toFixed();
    expect([r('147500'), r('52.3'), r('1234567'), r('0.5'), r('999.5')]).toEqual(['148000', '52', '1230000', '1', '1000']);
  });

  it('rejects a bad config with field paths', () => {
    const r = raiseQuotaTrigger([], X, { shareBeating: 0, averageExcess: -1, consecutive: 1.5 });
    expect(r).toEqual({
      ok: false,
      errors: [
        { path: 'periodsInOrder', message: 'needs at least one period' },
        { path: 'config.shareBeating', message: 'must be in (0, 1]' },
        { path: 'config.averageExcess', message: 'must be 0 or more' },
        { path: 'config.consecutive', message: 'must be a whole number, 1 or more' },
      ],
    });
  });
});

describe('backtest', () => {
  const actuals = [90, 110, 100, 70].map((a, i) => ({ repId: `r${i + 1}`, teamId: 'A', period: '2026-Q1', actual: String(a) }));

  it('answers who would have attained at a team quota, with per-rep overrides', () => {
    // Team quota 100: r2 (110) and r3 (100) attain -> 2 of 4 = 50%, too hard.
    const team = backtest(actuals, { perTeam: { A: '100' } });
    if (!team.ok) throw new Error('expected ok');
    expect(team.reps.map((r) => [r.repId, r.attainment, r.attained])).toEqual([
      ['r1', '0.9000', false],
      ['r2', '1.1000', true],
      ['r3', '1.0000', true],
      ['r4', '0.7000', false],
    ]);
    expect(team.teams[0]).toMatchObject({ attained: 2, reps: 4, flag: 'too_hard' });
    // r4 at 60: 70 >= 60 attains -> 3 of 4 = 75%, ok.
    const over = backtest(actuals, { perTeam: { A: '100' }, perRep: { r4: '60' } });
    expect(over.ok && over.teams[0]).toMatchObject({ attained: 3, share: 0.75, flag: 'ok' });
  });

  it('reports missing and invalid hypothetical quotas', () => {
    expect(backtest(actuals, { perTeam: { A: '0' } })).toEqual({
      ok: false,
      errors: [{ path: 'quota.perTeam.A', message: 'must be a positive decimal, got "0"' }],
    });
    const missing = backtest(actuals, { perRep: { r1: '100' } });
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.errors[0]).toEqual({ path: 'actuals[1]', message: 'no hypothetical quota for rep r2 or team A' });
  });
});
