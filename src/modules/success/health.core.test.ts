import { describe, expect, it } from 'vitest';
import {
  bandOf,
  buyerRatingScore,
  DEFAULT_HEALTH_SETTINGS,
  daysBetween,
  type HealthInputs,
  healthOf,
  localDay,
  milestoneScore,
  renewalScore,
  seatScore,
  supportScore,
  usageTrendScore,
  withDefaults,
} from './health.core.js';

/** Golden cases: every expected number below was computed by hand from docs/health-and-signals.md. */

const NOTHING: HealthInputs = {
  usage: { last30: 0, prev30: 0, hasHistory: false },
  seats: { used: 0, bought: null },
  milestone: null,
  supportTickets: null,
  buyerRating: null,
  daysToRenewal: null,
};

describe('factor mappings to 0-100', () => {
  it('usage trend: 100 x last 30 days / the 30 before, capped; no event ever is no data', () => {
    const u = (last30: number, prev30: number, hasHistory = true) => usageTrendScore({ last30, prev30, hasHistory }).score;
    expect(u(80, 100)).toBe(80);
    expect(u(50, 100)).toBe(50);
    expect(u(150, 100)).toBe(100);
    expect(u(1, 3)).toBe(33);
    expect(u(0, 40)).toBe(0);
    expect(u(5, 0)).toBe(100); // nothing before, used now
    expect(u(0, 0)).toBe(0); // used long ago, not any more
    expect(u(0, 0, false)).toBeNull();
  });

  it('seats: 125 x used / bought, capped; not sold per seat is no data', () => {
    const s = (used: number, bought: number | null) => seatScore({ used, bought }).score;
    expect(s(6, 10)).toBe(75);
    expect(s(8, 10)).toBe(100);
    expect(s(12, 10)).toBe(100);
    expect(s(1, 3)).toBe(42); // 41.67
    expect(s(1, 10)).toBe(13); // 12.5 rounds half up
    expect(s(0, 10)).toBe(0);
    expect(s(3, null)).toBeNull();
  });

  it('milestone: reached 100, missed 0, pending 50 + half the mean progress', () => {
    expect(milestoneScore(null).score).toBeNull();
    expect(milestoneScore({ status: 'reached', progress: [] }).score).toBe(100);
    expect(milestoneScore({ status: 'missed', progress: [{ label: 'a', value: 9, target: 10 }] }).score).toBe(0);
    expect(milestoneScore({ status: 'pending', progress: [] }).score).toBe(50);
    const pending = (progress: { value: number; target: number }[]) =>
      milestoneScore({ status: 'pending', progress: progress.map((p, i) => ({ label: `c${i}`, ...p })) }).score;
    expect(pending([{ value: 0, target: 5 }])).toBe(50);
    // 3/5 = 0.6 and 10/10 = 1: mean 0.8, 50 + 40
    expect(
      pending([
        { value: 3, target: 5 },
        { value: 10, target: 10 },
      ]),
    ).toBe(90);
    // over the target counts as done (capped at 1); a zero target is met
    expect(
      pending([
        { value: 50, target: 5 },
        { value: 0, target: 0 },
      ]),
    ).toBe(100);
    expect(pending([{ value: 1, target: 3 }])).toBe(67); // 50 + 16.67
  });

  it('support tickets: 100 minus 20 per ticket, floor 0; no ticket stream is no data', () => {
    expect(supportScore(null).score).toBeNull();
    expect([0, 1, 2, 4, 5, 9].map((n) => supportScore(n).score)).toEqual([100, 80, 60, 20, 0, 0]);
  });

  it('buyer rating: (rating - 1) x 25', () => {
    expect(buyerRatingScore(null).score).toBeNull();
    expect([1, 2, 3, 4, 5].map((r) => buyerRatingScore(r).score)).toEqual([0, 25, 50, 75, 100]);
  });

  it('renewal proximity: 100 x days / 120, capped; overdue 0; no date no data', () => {
    expect(renewalScore(null).score).toBeNull();
    expect([-1, 0, 1, 30, 60, 90, 120, 400].map((d) => renewalScore(d).score)).toEqual([0, 0, 1, 25, 50, 75, 100, 100]);
    expect(renewalScore(-3).detail).toBe('renewal overdue by 3 days');
  });
});

describe('weighted score and band (golden)', () => {
  const S = DEFAULT_HEALTH_SETTINGS; // weights 30 / 20 / 15 / 10 / 10 / 15

  it('all six factors: (30x80 + 20x75 + 15x90 + 10x60 + 10x75 + 15x75) / 100 = 77.25 -> 77, healthy', () => {
    const h = healthOf(
      {
        usage: { last30: 80, prev30: 100, hasHistory: true },
        seats: { used: 6, bought: 10 },
        milestone: {
          status: 'pending',
          progress: [
            { label: 'files', value: 3, target: 5 },
            { label: 'users', value: 10, target: 10 },
          ],
        },
        supportTickets: 2,
        buyerRating: 4,
        daysToRenewal: 90,
      },
      S,
    )!;
    expect(h.score).toBe(77);
    expect(h.band).toBe('healthy');
    expect(h.factors.map((f) => [f.factor, f.score, f.share, f.points])).toEqual([
      ['usageTrend', 80, '0.3000', '24.00'],
      ['seatUtilization', 75, '0.2000', '15.00'],
      ['milestone', 90, '0.1500', '13.50'],
      ['supportTickets', 60, '0.1000', '6.00'],
      ['buyerRating', 75, '0.1000', '7.50'],
      ['renewalProximity', 75, '0.1500', '11.25'],
    ]);
  });

  it('renormalises over the factors with data: (30x50 + 10x100 + 15x25) / 55 = 52.27 -> 52, at risk', () => {
    const h = healthOf({ ...NOTHING, usage: { last30: 50, prev30: 100, hasHistory: true }, supportTickets: 0, daysToRenewal: 30 }, S)!;
    expect(h.score).toBe(52);
    expect(h.band).toBe('at_risk');
    const byFactor = Object.fromEntries(h.factors.map((f) => [f.factor, f]));
    expect(byFactor.usageTrend).toMatchObject({ score: 50, share: '0.5455', points: '27.27' });
    expect(byFactor.supportTickets).toMatchObject({ score: 100, share: '0.1818', points: '18.18' });
    expect(byFactor.renewalProximity).toMatchObject({ score: 25, share: '0.2727', points: '6.82' });
    // Left out, with the reason shown.
    expect(byFactor.buyerRating).toMatchObject({ score: null, share: '0.0000', points: '0.00', detail: 'no buyer rating' });
    expect(byFactor.seatUtilization.score).toBeNull();
    expect(byFactor.milestone.score).toBeNull();
  });

  it('an account in trouble everywhere: 20 x 13 / 100 = 2.6 -> 3, critical', () => {
    const h = healthOf(
      {
        usage: { last30: 0, prev30: 40, hasHistory: true },
        seats: { used: 1, bought: 10 },
        milestone: { status: 'missed', progress: [] },
        supportTickets: 6,
        buyerRating: 1,
        daysToRenewal: -5,
      },
      S,
    )!;
    expect(h.score).toBe(3);
    expect(h.band).toBe('critical');
  });

  it('rounds the exact mean once, half up: (81 + 100) / 2 = 90.5 -> 91', () => {
    const weights = { ...S.weights, usageTrend: 1, supportTickets: 1 };
    const h = healthOf({ ...NOTHING, usage: { last30: 81, prev30: 100, hasHistory: true }, supportTickets: 0 }, { ...S, weights })!;
    expect(h.score).toBe(91);
    // Weights are proportions: 2 and 2 give the same as 1 and 1.
    const doubled = { ...weights, usageTrend: 2, supportTickets: 2 };
    expect(
      healthOf({ ...NOTHING, usage: { last30: 81, prev30: 100, hasHistory: true }, supportTickets: 0 }, { ...S, weights: doubled })!.score,
    ).toBe(91);
  });

  it('a factor weighted zero is left out like one without data', () => {
    const weights = { ...S.weights, buyerRating: 0 };
    const h = healthOf({ ...NOTHING, buyerRating: 1, supportTickets: 0 }, { ...S, weights })!;
    expect(h.score).toBe(100);
    expect(h.factors.find((f) => f.factor === 'buyerRating')).toMatchObject({ score: 0, share: '0.0000' });
  });

  it('no factor with data and weight: no score', () => {
    expect(healthOf(NOTHING, S)).toBeNull();
    expect(healthOf({ ...NOTHING, buyerRating: 5 }, { ...S, weights: { ...S.weights, buyerRating: 0 } })).toBeNull();
  });

  it('bands: >= 70 healthy, 40-69 at risk, < 40 critical; thresholds configurable', () => {
    expect([100, 70, 69, 40, 39, 0].map((s) => bandOf(s, S.bands))).toEqual([
      'healthy',
      'healthy',
      'at_risk',
      'at_risk',
      'critical',
      'critical',
    ]);
    expect([80, 79, 50, 49].map((s) => bandOf(s, { healthy: 80, atRisk: 50 }))).toEqual(['healthy', 'at_risk', 'at_risk', 'critical']);
  });
});

describe('settings and days', () => {
  it('stored settings override the defaults section by section', () => {
    const s = withDefaults({ bands: { healthy: 80 } });
    expect(s.bands).toEqual({ healthy: 80, atRisk: 40 });
    expect(s.weights).toEqual(DEFAULT_HEALTH_SETTINGS.weights);
    expect(withDefaults(null)).toEqual(DEFAULT_HEALTH_SETTINGS);
  });

  it('takes the local day in the workspace time zone and counts calendar days', () => {
    // 23:30 UTC on 31 December is already 1 January in Paris.
    expect(localDay(new Date('2025-12-31T23:30:00Z'), 'Europe/Paris')).toBe('2026-01-01');
    expect(localDay(new Date('2026-01-01T03:00:00Z'), 'America/Los_Angeles')).toBe('2025-12-31');
    expect(daysBetween('2026-01-01', '2026-03-01')).toBe(59);
    expect(daysBetween('2026-03-29', '2026-03-30')).toBe(1); // across a DST change
    expect(daysBetween('2026-01-10', '2026-01-01')).toBe(-9);
  });
});
