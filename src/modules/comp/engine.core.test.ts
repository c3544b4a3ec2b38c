import { describe, expect, it } from 'vitest';
import {
  accepted,
  assign,
  at,
  churn,
  commission,
  deal,
  facts,
  milestone,
  person,
  plan,
  quarterQuota,
  rating,
  reached,
} from '../../../test/support/comp-facts.js';
import { computeLines } from './engine.core.js';
import type { EngineLine } from './facts.js';
import { type BookedMap, bookedKey, byPeriod, type PlacedLine, placeLines, serialiseMonth } from './placement.core.js';
import { Decimal, formatMoney } from './rounding.js';

/** Golden tests: every expected amount below is computed by hand in the comment beside it. */

const line = (lines: EngineLine[], userId: string, key: string) => {
  const found = lines.find((l) => l.userId === userId && l.key === key);
  if (!found) throw new Error(`no line ${userId} ${key}; have:\n${lines.map((l) => `${l.userId} ${l.key} ${l.amount}`).join('\n')}`);
  return found;
};
const amounts = (lines: EngineLine[], userId: string) => lines.filter((l) => l.userId === userId).map((l) => [l.key, l.amount, l.month]);
const TIERS = [
  { upToPercent: 100, multiplier: 1 },
  { upToPercent: 150, multiplier: '1.5' },
  { upToPercent: null, multiplier: 2 },
];
const aha = (o: Record<string, unknown> = {}) => [
  { on: 'signing', percent: 50 },
  { on: 'aha_milestone', percent: 50, onMissed: 'forfeit', onChurn: 'forfeit', ...o },
];

describe('commission tiers (marginal)', () => {
  const base = facts({
    plans: [plan('ae', [commission({ rate: '10', tiers: TIERS })])],
    assignments: [assign('ae1', 'ae')],
    people: [person('ae1')],
    quotas: [quarterQuota('ae1', '2026-Q3', '100000')],
    deals: [
      deal('d1', '2026-07-10', '60000', 'ae1'), // 0% -> 60%: 10% x 60,000 = 6,000.00
      deal('d2', '2026-07-20', '40000', 'ae1'), // 60% -> exactly 100%: all in the first tier, 10% x 40,000 = 4,000.00
      deal('d3', '2026-08-05', '10000', 'ae1'), // 100% -> 110%: 15% x 10,000 = 1,500.00
      deal('d4', '2026-09-01', '50000', 'ae1'), // 110% -> 160%: 15% x 40,000 + 20% x 10,000 = 6,000 + 2,000 = 8,000.00
      deal('d5', '2026-10-02', '10000', 'ae1'), // Q4, no quota: base rate 10% x 10,000 = 1,000.00
    ],
  });
  const lines = computeLines(base);

  it('fills the tiers in order of close; a deal ending exactly at 100% stays in the first tier', () => {
    expect(amounts(lines, 'ae1')).toEqual([
      ['earning:new-arr:opp:d1', '6000.00', '2026-07'],
      ['earning:new-arr:opp:d2', '4000.00', '2026-07'],
      ['earning:new-arr:opp:d3', '1500.00', '2026-08'],
      ['earning:new-arr:opp:d4', '8000.00', '2026-09'],
      ['earning:new-arr:opp:d5', '1000.00', '2026-10'],
    ]);
    expect(line(lines, 'ae1', 'earning:new-arr:opp:d2').arithmetic).toBe(
      '$40,000.00 credited ARR: 10% x $40,000.00 (0%-100% of quota) = $4,000.00; attainment 60.0% -> 100.0% of $100,000.00 quota',
    );
    expect(line(lines, 'ae1', 'earning:new-arr:opp:d3').arithmetic).toBe(
      '$10,000.00 credited ARR: 15% x $10,000.00 (100%-150% of quota, x1.5) = $1,500.00; attainment 100.0% -> 110.0% of $100,000.00 quota',
    );
    expect(line(lines, 'ae1', 'earning:new-arr:opp:d4').arithmetic).toBe(
      '$50,000.00 credited ARR: 15% x $40,000.00 (100%-150% of quota, x1.5) + 20% x $10,000.00 (above 150% of quota, x2) = $8,000.00; attainment 110.0% -> 160.0% of $100,000.00 quota',
    );
    expect(line(lines, 'ae1', 'earning:new-arr:opp:d5').arithmetic).toBe(
      '10% x $10,000.00 credited ARR = $1,000.00 (no new_arr quota covers the close date: base rate, no tiers)',
    );
    expect(line(lines, 'ae1', 'earning:new-arr:opp:d4').inputs).toMatchObject({
      creditedArr: '50000.00',
      attainment: { quota: '100000.00', before: '1.1000', after: '1.6000' },
      parts: [
        { fromPercent: '100', toPercent: '150', rate: '15', arr: '40000.00' },
        { fromPercent: '150', toPercent: null, rate: '20', arr: '10000.00' },
      ],
    });
  });

  it('a decelerator pays the part below the floor at the lower rate', () => {
    const lines = computeLines({
      ...base,
      plans: [
        plan('ae', [
          commission({
            rate: '8',
            tiers: [
              { upToPercent: 50, multiplier: '0.5' },
              { upToPercent: null, multiplier: 1 },
            ],
          }),
        ]),
      ],
      deals: [
        deal('d1', '2026-07-10', '30000', 'ae1'), // 0% -> 30%: 4% x 30,000 = 1,200.00
        deal('d2', '2026-07-20', '40000', 'ae1'), // 30% -> 70%: 4% x 20,000 + 8% x 20,000 = 800 + 1,600 = 2,400.00
      ],
    });
    expect(amounts(lines, 'ae1').map((a) => a[1])).toEqual(['1200.00', '2400.00']);
    expect(line(lines, 'ae1', 'earning:new-arr:opp:d2').arithmetic).toBe(
      '$40,000.00 credited ARR: 4% x $20,000.00 (0%-50% of quota, x0.5) + 8% x $20,000.00 (above 50% of quota) = $2,400.00; attainment 30.0% -> 70.0% of $100,000.00 quota',
    );
  });

  it('a cap pays what is left of it, then nothing, within the quota period', () => {
    const lines = computeLines({
      ...base,
      plans: [plan('ae', [commission({ rate: '10', cap: '5000' })])],
      deals: [
        deal('d1', '2026-07-10', '40000', 'ae1'), // 4,000.00
        deal('d2', '2026-07-20', '30000', 'ae1'), // 3,000.00 computed, 1,000.00 left of the cap
        deal('d3', '2026-08-01', '10000', 'ae1'), // 0.00
      ],
    });
    expect(amounts(lines, 'ae1').map((a) => a[1])).toEqual(['4000.00', '1000.00', '0.00']);
    expect(line(lines, 'ae1', 'earning:new-arr:opp:d2').arithmetic).toBe(
      '10% x $30,000.00 credited ARR = $3,000.00; capped at $1,000.00: what is left of the $5,000.00 cap after $4,000.00 earned before; attainment 40.0% -> 70.0% of $100,000.00 quota',
    );
  });

  it('takes the plan version in force on the close date and the rate of the assignment level', () => {
    const rates = (r: Record<string, string>) => [commission({ rate: undefined, ratesByLevel: r })];
    const f = facts({
      plans: [
        plan('ae', rates({ 1: '6.25', 2: '7.33', 3: '8' }), { version: 1, from: '2026-01-01', to: '2026-06-30' }),
        plan('ae', rates({ 1: '7', 2: '8', 3: '9' }), { version: 2, from: '2026-07-01' }),
      ],
      assignments: [assign('ae1', 'ae', { level: 2 }), assign('ae3', 'ae', { level: 3 })],
      deals: [
        deal('v1', '2026-06-30', '10000', 'ae1'), // v1, level 2: 7.33% x 10,000 = 733.00
        deal('v2', '2026-07-01', '10000', 'ae1'), // v2, level 2: 8% x 10,000 = 800.00
        deal('v3', '2026-06-15', '10000', 'ae3'), // v1, level 3: 8% x 10,000 = 800.00
      ],
    });
    const lines = computeLines(f);
    expect(line(lines, 'ae1', 'earning:new-arr:opp:v1')).toMatchObject({ amount: '733.00', planVersion: 1 });
    expect(line(lines, 'ae1', 'earning:new-arr:opp:v2')).toMatchObject({ amount: '800.00', planVersion: 2 });
    expect(line(lines, 'ae3', 'earning:new-arr:opp:v3')).toMatchObject({ amount: '800.00', planVersion: 1 });
    expect(() => computeLines({ ...f, assignments: [assign('ae1', 'ae', { level: 4 })] })).toThrow(/no rate for level 4/);
  });
});

describe('rounding: half-even at the line', () => {
  it('rounds each line once, and the hold from the rounded earning', () => {
    const lines = computeLines(
      facts({
        plans: [plan('ae', [commission({ rate: '6.25', tranches: aha() })])],
        assignments: [assign('ae1', 'ae')],
        deals: [
          deal('r1', '2026-07-01', '12345.68', 'ae1'), // 6.25% x 12,345.68 = 771.605 -> 771.60 (half-even; half-up would give 771.61)
          deal('r2', '2026-07-02', '40000.16', 'ae1'), // 2,500.01; held 50% = 1,250.005 -> 1,250.00, so 1,250.01 is paid at signing
          deal('r3', '2026-07-03', '40000', 'ae1'), // the brief's example: 2,500.00, 1,250.00 held
        ],
      }),
    );
    expect(line(lines, 'ae1', 'earning:new-arr:opp:r1').amount).toBe('771.60');
    expect(line(lines, 'ae1', 'hold:new-arr:opp:r1').amount).toBe('-385.80');
    expect(line(lines, 'ae1', 'earning:new-arr:opp:r2').amount).toBe('2500.01');
    expect(line(lines, 'ae1', 'hold:new-arr:opp:r2').amount).toBe('-1250.00');
    expect(line(lines, 'ae1', 'earning:new-arr:opp:r3').arithmetic).toBe(
      '6.25% x $40,000.00 credited ARR = $2,500.00; 50% paid at signing ($1,250.00), 50% held until the aha milestone ($1,250.00)',
    );
    expect(line(lines, 'ae1', 'hold:new-arr:opp:r3').arithmetic).toBe(
      '50% of $2,500.00 held until Account r3 reaches its aha milestone = -$1,250.00',
    );
    expect(formatMoney('-1234567.5', 'EUR')).toBe('-€1,234,567.50');
  });
});

describe('tranches: the aha hold', () => {
  const ahaPlan = (o: Record<string, unknown> = {}) => plan('ae', [commission({ rate: '5', tranches: aha(o) })]);
  const base = (o: Record<string, unknown> = {}) =>
    facts({ plans: [ahaPlan(o)], assignments: [assign('ae1', 'ae')], deals: [deal('m1', '2026-07-01', '40000', 'ae1')] }); // 2,000.00, 1,000.00 held

  it('releases when the milestone is reached, in the month Revline learned it', () => {
    const lines = computeLines({
      ...base(),
      milestones: [reached('m1', '2026-08-20', { decidedAt: at('2026-09-02'), decidedOn: '2026-09-02' })],
    });
    expect(amounts(lines, 'ae1')).toEqual([
      ['earning:new-arr:opp:m1', '2000.00', '2026-07'],
      ['hold:new-arr:opp:m1', '-1000.00', '2026-07'],
      ['release:new-arr:opp:m1', '1000.00', '2026-09'],
    ]);
    expect(line(lines, 'ae1', 'release:new-arr:opp:m1').arithmetic).toBe(
      'Release of the $1,000.00 held on Deal m1: aha milestone "Five features" reached 2026-08-20 = $1,000.00',
    );
  });

  it('waits while the milestone is pending', () => {
    const lines = computeLines({ ...base(), milestones: [milestone('m1', 'pending')] });
    expect(lines.map((l) => l.kind)).toEqual(['earning', 'hold']);
  });

  it('forfeits a missed milestone (policy forfeit)', () => {
    const lines = computeLines({
      ...base(),
      milestones: [
        milestone('m1', 'missed', { windowEndOn: '2026-08-30', missedAt: at('2026-08-31', '00:05:00'), missedOn: '2026-08-31' }),
      ],
    });
    expect(line(lines, 'ae1', 'forfeit:new-arr:opp:m1')).toMatchObject({
      amount: '0.00',
      month: '2026-08',
      arithmetic: 'The $1,000.00 held on Deal m1 is forfeited: aha milestone "Five features" missed (window ended 2026-08-30)',
    });
  });

  it('extends the window: a late reach inside the extension releases, none by its end forfeits', () => {
    const extend = { onMissed: 'extend', extendDays: 30 }; // window 2026-08-30 + 30 days = 2026-09-29
    const late = computeLines({ ...base(extend), milestones: [reached('m1', '2026-09-20', { windowEndOn: '2026-08-30' })] });
    expect(line(late, 'ae1', 'release:new-arr:opp:m1')).toMatchObject({ amount: '1000.00', month: '2026-09' });
    const never = computeLines({ ...base(extend), milestones: [milestone('m1', 'missed', { windowEndOn: '2026-08-30' })] });
    expect(line(never, 'ae1', 'forfeit:new-arr:opp:m1')).toMatchObject({ on: '2026-09-30', amount: '0.00' });
    expect(line(never, 'ae1', 'forfeit:new-arr:opp:m1').arithmetic).toMatch(/not reached by 2026-09-29 \(window extended\)/);
    const stillWaiting = computeLines({
      ...base(extend),
      today: '2026-09-15',
      milestones: [milestone('m1', 'missed', { windowEndOn: '2026-08-30' })],
    });
    expect(stillWaiting.map((l) => l.kind)).toEqual(['earning', 'hold']);
    const tooLate = computeLines({ ...base(extend), milestones: [reached('m1', '2026-10-02', { windowEndOn: '2026-08-30' })] });
    expect(tooLate.map((l) => l.kind)).toEqual(['earning', 'hold', 'forfeit']);
  });
});

describe('churn clawback', () => {
  const f = facts({
    plans: [
      plan('ae', [
        commission({ rate: '10', tranches: aha() }),
        { type: 'churn_clawback', id: 'churn-90', appliesTo: ['new-arr'], withinDays: 90 },
      ]),
    ],
    assignments: [assign('ae1', 'ae')],
    deals: ['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => deal(id, '2026-07-01', '20000', 'ae1')), // each 2,000.00 earned, 1,000.00 held
    milestones: [reached('c2', '2026-07-20'), reached('c3', '2026-07-20')],
    churns: [
      churn('c1', '2026-08-15'), // 45 days, hold still waiting: claw back the 1,000.00 paid, forfeit the hold
      churn('c2', '2026-09-28'), // 89 days, after the release: claw back all 2,000.00
      churn('c3', '2026-10-30'), // 121 days: outside the window, nothing
      churn('c4', '2026-09-29'), // exactly 90 days: inside
      { ...churn('c5', '2026-09-29'), at: at('2026-09-29', '12:00:01') }, // 90 days and a second: outside; the churn forfeits the waiting hold
    ],
  });
  const lines = computeLines(f);

  it('claws back what was paid when the customer churns within N days of the close', () => {
    expect(line(lines, 'ae1', 'clawback:churn-90:new-arr:opp:c1')).toMatchObject({ amount: '-1000.00', month: '2026-08' });
    expect(line(lines, 'ae1', 'clawback:churn-90:new-arr:opp:c1').arithmetic).toBe(
      'Account c1 churned on 2026-08-15, 45 days after the close (clawback within 90): 100% of $1,000.00 paid = -$1,000.00',
    );
    expect(line(lines, 'ae1', 'forfeit:new-arr:opp:c1').arithmetic).toMatch(/forfeited: the deal was clawed back/);
    expect(line(lines, 'ae1', 'clawback:churn-90:new-arr:opp:c2').amount).toBe('-2000.00');
    expect(line(lines, 'ae1', 'clawback:churn-90:new-arr:opp:c4').amount).toBe('-1000.00');
  });

  it('leaves a churn outside the window alone (the churn policy still ends a waiting hold)', () => {
    expect(lines.filter((l) => l.opportunityId === 'c3').map((l) => l.kind)).toEqual(['earning', 'hold', 'release']);
    expect(lines.filter((l) => l.opportunityId === 'c5').map((l) => l.kind)).toEqual(['earning', 'hold', 'forfeit']);
    expect(line(lines, 'ae1', 'forfeit:new-arr:opp:c5').arithmetic).toMatch(/the customer churned on 2026-09-29, before the aha milestone/);
  });
});

describe('buyer-rating accelerator', () => {
  const rated = (combine: 'add' | 'instead', minRatings: number) =>
    plan('ae', [
      commission({ rate: '10', tiers: TIERS }),
      { type: 'rating_accelerator', id: 'five-star', appliesTo: 'new-arr', percent: 20, minOverallRating: '4.8', minRatings, combine },
    ]);

  it('pays on a 5-rated deal only while the overall rating at the rating date is high enough', () => {
    const lines = computeLines(
      facts({
        plans: [rated('add', 3)],
        assignments: [assign('ae1', 'ae')],
        deals: ['r1', 'r2', 'r3', 'r4', 'r5'].map((id, i) => deal(id, `2026-0${i + 1}-10`, '10000', 'ae1')), // 1,000.00 each (no quota)
        ratings: [
          rating('r1', 'ae1', 5, '2026-04-10'), // 1 rating so far: below the minimum count -> 0.00
          rating('r2', 'ae1', 5, '2026-04-20'), // 2 ratings -> 0.00
          rating('r3', 'ae1', 5, '2026-05-10'), // 3 ratings, 5.00 -> 20% x 1,000.00 = 200.00
          rating('r4', 'ae1', 3, '2026-06-10'), // rated 3: no accelerator line
          rating('r5', 'ae1', 5, '2026-07-10'), // overall (5+5+5+3+5)/5 = 4.60 < 4.8 -> 0.00
        ],
      }),
    );
    const accel = lines.filter((l) => l.rule === 'rating_accelerator').map((l) => [l.opportunityId, l.amount, l.month]);
    expect(accel).toEqual([
      ['r1', '0.00', '2026-04'],
      ['r2', '0.00', '2026-04'],
      ['r3', '200.00', '2026-05'],
      ['r5', '0.00', '2026-07'],
    ]);
    expect(line(lines, 'ae1', 'rating:five-star:new-arr:opp:r3').arithmetic).toBe(
      'Rated 5, overall rating 5.00 over 3 ratings on 2026-05-10: 20% x $1,000.00 base commission = $200.00',
    );
    expect(line(lines, 'ae1', 'rating:five-star:new-arr:opp:r5').arithmetic).toBe(
      'Rated 5 on 2026-07-10, but overall rating 4.60 over 5 ratings on 2026-07-10 (needs 4.8 over at least 3): no accelerator',
    );
  });

  it('instead of the tier accelerator: the larger of the two, never both', () => {
    const lines = computeLines(
      facts({
        plans: [rated('instead', 1)],
        assignments: [assign('ae2', 'ae')],
        quotas: [quarterQuota('ae2', '2026-Q3', '10000')],
        deals: [
          deal('i1', '2026-07-05', '10000', 'ae2'), // 0% -> 100%: 1,000.00, no tier accelerator
          deal('i2', '2026-07-06', '10000', 'ae2'), // 100% -> 200%: 15% x 5,000 + 20% x 5,000 = 1,750.00 (750.00 above base)
        ],
        ratings: [rating('i1', 'ae2', 5, '2026-08-01'), rating('i2', 'ae2', 5, '2026-08-02')],
      }),
    );
    // i1: 20% x 1,000.00 = 200.00 - 0.00 tier accelerator = 200.00; i2: 200.00 - 750.00 -> 0.00
    expect(line(lines, 'ae2', 'rating:five-star:new-arr:opp:i1').amount).toBe('200.00');
    expect(line(lines, 'ae2', 'rating:five-star:new-arr:opp:i2')).toMatchObject({
      amount: '0.00',
      arithmetic:
        'Rated 5, overall rating 5.00 over 2 ratings on 2026-08-02: 20% x $1,000.00 base commission = $200.00, instead of the $750.00 tier accelerator = $0.00',
    });
  });
});

describe('crediting and splits', () => {
  it('splits AE credit by percentage and pays the sourcing SDR on the whole deal', () => {
    const lines = computeLines(
      facts({
        plans: [
          plan('ae', [commission({ rate: '10' })]),
          plan('sdr', [{ type: 'commission', id: 'sourced', credit: 'sdr', rate: '2' }], { roles: ['sdr_inbound'] }),
        ],
        assignments: [assign('ae1', 'ae'), assign('ae2', 'ae'), assign('sdr1', 'sdr')],
        deals: [
          deal('s1', '2026-07-01', '40000', [
            { userId: 'ae1', role: 'ae', percent: '60' }, // 10% x 24,000 = 2,400.00
            { userId: 'ae2', role: 'ae', percent: '40' }, // 10% x 16,000 = 1,600.00
            { userId: 'sdr1', role: 'sdr', percent: '100' }, // 2% x 40,000 = 800.00
          ]),
        ],
      }),
    );
    expect(line(lines, 'ae1', 'earning:new-arr:opp:s1')).toMatchObject({
      amount: '2400.00',
      arithmetic: '10% x $24,000.00 credited ARR (60% of $40,000.00) = $2,400.00',
    });
    expect(line(lines, 'ae2', 'earning:new-arr:opp:s1').amount).toBe('1600.00');
    expect(line(lines, 'sdr1', 'earning:sourced:opp:s1')).toMatchObject({
      amount: '800.00',
      arithmetic: '2% x $40,000.00 sourced ARR = $800.00',
    });
  });
});

describe('draws', () => {
  const drawFacts = (recoverable: boolean) =>
    facts({
      today: '2026-11-15',
      throughMonth: '2026-11',
      plans: [
        plan('ae', [
          commission({ rate: '10' }),
          { type: 'draw', id: 'ramp-draw', monthlyAmount: 3000, recoverable, fromMonth: '2026-07', toMonth: '2026-09' },
        ]),
      ],
      assignments: [assign('ae1', 'ae', { from: '2026-07-01' })],
      deals: [
        deal('w1', '2026-07-10', '10000', 'ae1'), // July pays 1,000.00
        deal('w3', '2026-09-10', '70000', 'ae1'), // September 7,000.00
        deal('w4', '2026-10-10', '45000', 'ae1'), // October 4,500.00 (the draw is over)
        deal('w5', '2026-11-10', '10000', 'ae1'), // November has not ended: not settled
      ],
    });

  it('tops each month up to the guarantee and recovers a recoverable draw from later months', () => {
    const lines = computeLines(drawFacts(true)).filter((l) => l.component === 'ramp-draw');
    expect(lines.map((l) => [l.kind, l.month, l.amount])).toEqual([
      ['draw', '2026-07', '2000.00'], // 3,000 - 1,000; owed 2,000
      ['draw', '2026-08', '3000.00'], // 3,000 - 0; owed 5,000
      ['draw_recovery', '2026-09', '-4000.00'], // 7,000 - 3,000 = 4,000 above the guarantee; owed 1,000
      ['draw_recovery', '2026-10', '-1000.00'], // after the draw: from 4,500 above zero, the 1,000 left; owed 0
    ]);
    expect(lines[0].arithmetic).toBe(
      '$3,000.00 guaranteed for 2026-07 - $1,000.00 paid by the month = draw $2,000.00 (recoverable; owed $2,000.00)',
    );
    expect(lines[2].arithmetic).toBe(
      '$7,000.00 paid by 2026-09, $4,000.00 above the $3,000.00 guarantee: recovers $4,000.00 of the $5,000.00 draw owed ($1,000.00 left) = -$4,000.00',
    );
  });

  it('never recovers a non-recoverable draw', () => {
    const lines = computeLines(drawFacts(false)).filter((l) => l.component === 'ramp-draw');
    expect(lines.map((l) => [l.kind, l.month, l.amount])).toEqual([
      ['draw', '2026-07', '2000.00'],
      ['draw', '2026-08', '3000.00'],
    ]);
  });
});

describe('SDR per accepted lead, CSM, manager override, SPIF', () => {
  it('pays per accepted lead and claws back a lead disqualified within N days', () => {
    const lines = computeLines(
      facts({
        plans: [
          plan('sdr', [{ type: 'per_unit', id: 'per-lead', unit: 'accepted_lead', amount: 150, clawbackIfDisqualifiedWithinDays: 30 }], {
            roles: ['sdr_inbound'],
          }),
        ],
        assignments: [assign('sdr1', 'sdr')],
        acceptedLeads: [
          accepted('L1', 'sdr1', '2026-07-01'),
          accepted('L2', 'sdr1', '2026-07-02', '2026-07-12'), // disqualified after 10 days: -150.00
          accepted('L3', 'sdr1', '2026-07-03', '2026-08-12'), // after 40 days: kept
        ],
      }),
    );
    expect(amounts(lines, 'sdr1')).toEqual([
      ['earning:per-lead:lead:L1', '150.00', '2026-07'],
      ['earning:per-lead:lead:L2', '150.00', '2026-07'],
      ['earning:per-lead:lead:L3', '150.00', '2026-07'],
      ['clawback:per-lead:lead:L2', '-150.00', '2026-07'],
    ]);
    expect(line(lines, 'sdr1', 'clawback:per-lead:lead:L2').arithmetic).toBe(
      'Company L2 was disqualified on 2026-07-12, 10 days after its acceptance (clawback within 30) = -$150.00',
    );
  });

  it('pays the CSM quarterly retention bonus when GRR meets the target, and commission on expansion', () => {
    const lines = computeLines(
      facts({
        plans: [
          plan(
            'csm',
            [
              { type: 'retention_bonus', id: 'grr-bonus', amount: 5000, targetGrrPercent: 90 },
              { type: 'expansion_commission', id: 'expansion', rate: 10 },
            ],
            { roles: ['csm'] },
          ),
        ],
        assignments: [assign('csm1', 'csm')],
        retention: [
          { csmId: 'csm1', quarter: '2026-Q2', startArr: '100000.00', losses: '8000.00' }, // GRR 92.00% >= 90%: 5,000.00
          { csmId: 'csm1', quarter: '2026-Q3', startArr: '100000.00', losses: '12000.00' }, // 88.00%: 0.00
        ],
        expansions: [
          { id: '7', accountId: 'a1', accountName: 'Initech', csmId: 'csm1', amount: '12000.00', at: at('2026-08-10'), on: '2026-08-10' },
        ], // 10% = 1,200.00
      }),
    );
    expect(amounts(lines, 'csm1')).toEqual([
      ['earning:grr-bonus:2026-Q2', '5000.00', '2026-06'],
      ['earning:expansion:movement:7', '1200.00', '2026-08'],
      ['earning:grr-bonus:2026-Q3', '0.00', '2026-09'],
    ]);
    expect(line(lines, 'csm1', 'earning:grr-bonus:2026-Q2').arithmetic).toBe(
      'GRR 2026-Q2 = ($100,000.00 ARR at the start - $8,000.00 contraction and churn) / $100,000.00 = 92.00%, at or above the 90% target: bonus $5,000.00',
    );
  });

  it("pays the manager an override on the team's ARR, tiered on team attainment, one line a month", () => {
    const lines = computeLines(
      facts({
        plans: [
          plan(
            'mgr',
            [
              {
                type: 'manager_override',
                id: 'override',
                rate: 1,
                tiers: [
                  { upToPercent: 100, multiplier: 1 },
                  { upToPercent: null, multiplier: 2 },
                ],
              },
            ],
            { roles: ['manager'] },
          ),
        ],
        assignments: [assign('m1', 'mgr')],
        people: [person('m1'), person('ae1', 't1'), person('ae2', 't1'), person('aeX', 't2')],
        teams: [
          { id: 't1', name: 'T1', managerId: 'm1' },
          { id: 't2', name: 'T2', managerId: null },
        ],
        quotas: [quarterQuota('ae1', '2026-Q3', '100000'), quarterQuota('ae2', '2026-Q3', '100000')], // team quota 200,000
        deals: [
          deal('o1', '2026-07-15', '120000', 'ae1'), // 0% -> 60%: 1% x 120,000 = 1,200.00
          deal('o2', '2026-08-10', '100000', 'ae2'), // 60% -> 110%: 1% x 80,000 + 2% x 20,000 = 1,200.00
          deal('o3', '2026-08-11', '100000', 'aeX'), // another team
        ],
      }),
    );
    expect(amounts(lines, 'm1')).toEqual([
      ['earning:override:2026-07:mgr@1', '1200.00', '2026-07'],
      ['earning:override:2026-08:mgr@1', '1200.00', '2026-08'],
    ]);
    expect(line(lines, 'm1', 'earning:override:2026-08:mgr@1').arithmetic).toBe(
      '1 team deal in 2026-08: 1% x $80,000.00 (0%-100% of team quota) + 2% x $20,000.00 (above 100% of team quota, x2) = $1,200.00; team attainment 60.0% -> 110.0% of $200,000.00 (2026-Q3)',
    );
  });

  it('pays a SPIF once, on the deal that reaches its target between its dates', () => {
    const spif = {
      type: 'spif',
      id: 'mme-sept',
      label: 'Three MME deals in September',
      from: '2026-09-01',
      to: '2026-09-30',
      metric: 'won_deals',
      atLeast: 3,
      segment: 'MME',
      amount: 1000,
    };
    const mme = { segment: 'MME' };
    const lines = computeLines(
      facts({
        plans: [plan('ae', [commission({ rate: '10' }), spif])],
        assignments: [assign('ae1', 'ae')],
        deals: [
          deal('p0', '2026-08-31', '1000', 'ae1', mme), // before the SPIF
          deal('p1', '2026-09-02', '1000', 'ae1', mme),
          deal('p2', '2026-09-05', '1000', 'ae1'), // SMB
          deal('p3', '2026-09-10', '1000', 'ae1', mme),
          deal('p4', '2026-09-20', '1000', 'ae1', mme), // the third MME deal: 1,000.00
          deal('p5', '2026-09-25', '1000', 'ae1', mme),
        ],
      }),
    );
    expect(lines.filter((l) => l.rule === 'spif').map((l) => [l.opportunityId, l.amount, l.arithmetic])).toEqual([
      [
        'p4',
        '1000.00',
        'SPIF "Three MME deals in September" (2026-09-01..2026-09-30, MME): 3 won deals reached the target of 3 with Deal p4 on 2026-09-20 = $1,000.00',
      ],
    ]);
  });
});

describe('determinism', () => {
  it('gives the same lines whatever the order of the facts', () => {
    const f = facts({
      plans: [plan('ae', [commission({ rate: '10', tiers: TIERS, tranches: aha() })])],
      assignments: [assign('ae1', 'ae')],
      quotas: [quarterQuota('ae1', '2026-Q3', '50000')],
      deals: ['a', 'b', 'c', 'd'].map((id, i) => deal(id, `2026-07-1${i}`, '20000', 'ae1')),
      milestones: [reached('b', '2026-08-01')],
    });
    const again = computeLines({ ...f, deals: [...f.deals].reverse() });
    expect(again).toEqual(computeLines(f));
  });
});

describe('placement: closed months are corrected in the first open one', () => {
  const f = facts({
    plans: [plan('ae', [commission({ rate: '5', tranches: aha() })])],
    assignments: [assign('ae1', 'ae')],
    deals: [deal('x1', '2026-07-01', '40000', 'ae1')], // 2,000.00 earned, 1,000.00 held in July
    milestones: [reached('x1', '2026-08-20')], // released in August
  });
  const money = (v: Decimal.Value) => formatMoney(v, 'USD');
  const months = (firstOpen: string) => ({ firstOpen, last: '2026-12', firstOpenAt: at(`${firstOpen}-01`, '00:00:00') });
  /** What a ledger holds for closed months after booking these lines. */
  const bookedFrom = (
    lines: { userId: string; key: string; amount: string; kind: EngineLine['kind']; month: string; component: string; rule: string }[],
  ): BookedMap => {
    const b: BookedMap = new Map();
    for (const l of lines) {
      const k = bookedKey(l.userId, l.key);
      const sum = new Decimal(b.get(k)?.sum ?? 0).plus(l.amount);
      b.set(k, {
        sum: sum.toFixed(2),
        sample: {
          kind: l.kind,
          month: l.month,
          component: l.component,
          rule: l.rule,
          planKey: 'ae',
          planVersion: 1,
          opportunityId: 'x1',
          accountId: null,
          leadId: null,
        },
      });
    }
    return b;
  };
  const ideal = computeLines(f);

  it('books a release learned after its month closed in the next open month, as a release', () => {
    const july = ideal.filter((l) => l.month === '2026-07');
    const placed = placeLines(ideal, bookedFrom(july), months('2026-09'), money); // July and August closed
    expect(placed.map((l) => [l.kind, l.period, l.eventPeriod, l.amount])).toEqual([['release', '2026-09', '2026-08', '1000.00']]);
    expect(placed[0].arithmetic).toMatch(
      /^2026-08 was closed when this was learned, so it is booked in 2026-09\. Release of the \$1,000\.00/,
    );
    // Once September closes with it, nothing more is booked: placing again is idempotent.
    expect(placeLines(ideal, bookedFrom([...july, { ...placed[0], month: '2026-09' }]), months('2026-10'), money)).toEqual([]);
  });

  it('books a changed amount as an adjustment of the difference, and reverses a line that no longer applies', () => {
    const july = ideal.filter((l) => l.month === '2026-07');
    const wrong = [
      { ...july[0], amount: '1800.00' }, // booked 1,800.00, the facts now say 2,000.00: +200.00
      july[1],
      { ...july[0], key: 'earning:new-arr:opp:gone', amount: '500.00' }, // a deal that is no longer won: -500.00
    ];
    const placed = placeLines(ideal, bookedFrom(wrong), months('2026-08'), money);
    expect(placed.map((l) => [l.kind, l.key, l.period, l.eventPeriod, l.amount])).toEqual([
      ['adjustment', 'earning:new-arr:opp:x1', '2026-08', '2026-07', '200.00'],
      ['release', 'release:new-arr:opp:x1', '2026-08', null, '1000.00'],
      ['adjustment', 'earning:new-arr:opp:gone', '2026-08', '2026-07', '-500.00'],
    ]);
    expect(placed[0].arithmetic).toMatch(
      /^Correction of the earning booked in closed months \(\$1,800\.00\); it is now: 5% x \$40,000\.00.*Difference \$2,000\.00 - \$1,800\.00 = \$200\.00$/,
    );
  });

  it('fingerprints a month by its lines', () => {
    const placed = byPeriod(placeLines(ideal, new Map(), months('2026-07'), money));
    expect([...placed.keys()]).toEqual(['2026-07', '2026-08']);
    const print = (lines: PlacedLine[]) => serialiseMonth(lines).fingerprint;
    expect(print(placed.get('2026-07')!)).toBe(
      print(byPeriod(placeLines(computeLines(f), new Map(), months('2026-07'), money)).get('2026-07')!),
    );
    expect(print(placed.get('2026-07')!)).not.toBe(print(placed.get('2026-08')!));
  });
});
