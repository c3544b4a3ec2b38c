import { DateTime } from 'luxon';
import { Decimal } from '../../platform/money.js';

/**
 * The health score of a customer account: six factors, each mapped to 0-100, averaged with the workspace's
 * weights over the factors that have data, then banded. Pure: plain data in and out (docs/health-and-signals.md).
 */

export const FACTORS = ['usageTrend', 'seatUtilization', 'milestone', 'supportTickets', 'buyerRating', 'renewalProximity'] as const;
export type Factor = (typeof FACTORS)[number];

export const BANDS = ['healthy', 'at_risk', 'critical'] as const;
export type Band = (typeof BANDS)[number];

export type HealthSettings = {
  /** Relative weights (any non-negative numbers, not all zero): only their proportions matter. */
  weights: Record<Factor, number>;
  /** A score >= healthy is healthy, >= atRisk at risk, below critical. */
  bands: { healthy: number; atRisk: number };
  signals: {
    /** Churn risk when the score is this many points below its best of the previous healthDropDays days. */
    healthDropPoints: number;
    healthDropDays: number;
    /** Churn risk when usage of the last 30 days is this percent below the 30 before... */
    usageDeclinePercent: number;
    /** ...and the 30 before had at least this many events (fewer is noise). */
    usageDeclineMinEvents: number;
    /** Expansion when seats used reach this percent of seats bought. */
    seatUsePercent: number;
    /** Expansion when the plan limit was hit this many times in the lookback. */
    planLimitHits: number;
    /** How recent a missed milestone, a new team or a plan limit hit must be to raise a task. */
    lookbackDays: number;
    /** After a task is closed, the same signal on the same account waits this long before raising a new one. */
    cooldownDays: number;
  };
  /** Probability that a renewal in each band renews (0-1); unscored: the account has no health score yet. */
  renewalProbability: { healthy: number; atRisk: number; critical: number; unscored: number };
  /** Usage event names and the property naming a team (what the product sends). */
  events: { supportTicket: string; planLimit: string; teamProperty: string };
  /** Days from a task's creation to its due date. */
  taskDueDays: { churnRisk: number; expansion: number };
};

export const DEFAULT_HEALTH_SETTINGS: HealthSettings = {
  weights: { usageTrend: 30, seatUtilization: 20, milestone: 15, supportTickets: 10, buyerRating: 10, renewalProximity: 15 },
  bands: { healthy: 70, atRisk: 40 },
  signals: {
    healthDropPoints: 15,
    healthDropDays: 7,
    usageDeclinePercent: 30,
    usageDeclineMinEvents: 20,
    seatUsePercent: 90,
    planLimitHits: 1,
    lookbackDays: 30,
    cooldownDays: 30,
  },
  renewalProbability: { healthy: 0.95, atRisk: 0.7, critical: 0.4, unscored: 0.8 },
  events: { supportTicket: 'support.ticket_opened', planLimit: 'plan.limit_reached', teamProperty: 'team' },
  taskDueDays: { churnRisk: 3, expansion: 7 },
};

/** Stored settings over the defaults, section by section, so a setting added later gets its default. */
export function withDefaults(stored: Partial<Record<keyof HealthSettings, object>> | null): HealthSettings {
  const d = DEFAULT_HEALTH_SETTINGS;
  if (!stored) return d;
  const merge = <K extends keyof HealthSettings>(k: K) => ({ ...d[k], ...(stored[k] ?? {}) }) as HealthSettings[K];
  return {
    weights: merge('weights'),
    bands: merge('bands'),
    signals: merge('signals'),
    renewalProbability: merge('renewalProbability'),
    events: merge('events'),
    taskDueDays: merge('taskDueDays'),
  };
}

/** What the factors are computed from, for one account as of one moment. Null: no data for that factor. */
export type HealthInputs = {
  /** Usage events (support tickets excluded) in the last 30 days and the 30 before; hasHistory: any event ever. */
  usage: { last30: number; prev30: number; hasHistory: boolean };
  /** Distinct users in the last 30 days and seats bought on live subscriptions (null: not sold per seat). */
  seats: { used: number; bought: number | null };
  /** The account's current milestone as of then (null: none applies). */
  milestone: { status: 'pending' | 'reached' | 'missed'; progress: { label: string; value: number; target: number }[] } | null;
  /** Tickets opened in the last 30 days; null when the workspace sends no ticket events at all. */
  supportTickets: number | null;
  /** The latest buyer rating (1-5) of the account's deals. */
  buyerRating: number | null;
  /** Days from the local day to the next renewal of a live subscription (negative: overdue). */
  daysToRenewal: number | null;
};

export type FactorScore = { score: number | null; detail: string };

const roundHalfUp = (v: Decimal.Value) => new Decimal(v).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
/** num / den rounded half up, exactly, for non-negative integers (integer arithmetic: no float error, no Decimal cost). */
const ratioHalfUp = (num: number, den: number) => Math.floor((2 * num + den) / (2 * den));
const clamp = (n: number) => Math.max(0, Math.min(100, n));

/**
 * Usage trend: 100 x (events of the last 30 days / events of the 30 before), capped at 100. Flat or growing use
 * is 100, halved is 50, stopped is 0. Nothing the 30 days before: 100 when used now, 0 when not. No event ever: no data.
 */
export function usageTrendScore(u: HealthInputs['usage']): FactorScore {
  if (!u.hasHistory) return { score: null, detail: 'no usage events yet' };
  const detail = `${u.last30} events in the last 30 days, ${u.prev30} the 30 before`;
  if (u.prev30 === 0) return { score: u.last30 > 0 ? 100 : 0, detail };
  return { score: clamp(ratioHalfUp(100 * u.last30, u.prev30)), detail };
}

/** Seats: 125 x used / bought, capped at 100: 80% of the seats in use or more is full marks, 40% is 50. */
export function seatScore(s: HealthInputs['seats']): FactorScore {
  if (s.bought == null || s.bought <= 0) return { score: null, detail: 'not sold per seat' };
  return {
    score: clamp(ratioHalfUp(125 * s.used, s.bought)),
    detail: `${s.used} of ${s.bought} seats used in the last 30 days`,
  };
}

/**
 * Milestone: reached 100, missed 0, pending 50 plus half the mean progress of its conditions (each value / target,
 * capped at 1): a pending milestone with nothing done is 50, one almost there is near 100.
 */
export function milestoneScore(m: HealthInputs['milestone']): FactorScore {
  if (!m) return { score: null, detail: 'no milestone' };
  if (m.status === 'reached') return { score: 100, detail: 'milestone reached' };
  if (m.status === 'missed') return { score: 0, detail: 'milestone missed' };
  if (!m.progress.length) return { score: 50, detail: 'milestone pending' };
  const fractions = m.progress.map((c) => (c.target > 0 ? Decimal.min(1, new Decimal(c.value).div(c.target)) : new Decimal(1)));
  const mean = fractions.reduce((a, b) => a.plus(b), new Decimal(0)).div(fractions.length);
  return { score: roundHalfUp(mean.times(50).plus(50)), detail: `milestone pending, ${roundHalfUp(mean.times(100))}% of the way` };
}

/** Support tickets: 100 minus 20 per ticket opened in the last 30 days (5 or more: 0). */
export function supportScore(tickets: number | null): FactorScore {
  if (tickets == null) return { score: null, detail: 'no ticket events received in this workspace' };
  return { score: clamp(100 - 20 * tickets), detail: `${tickets} ticket${tickets === 1 ? '' : 's'} in the last 30 days` };
}

/** Buyer rating: (rating - 1) x 25, so 1 star is 0, 3 stars 50, 5 stars 100. */
export function buyerRatingScore(rating: number | null): FactorScore {
  if (rating == null) return { score: null, detail: 'no buyer rating' };
  return { score: clamp((rating - 1) * 25), detail: `latest buyer rating ${rating}/5` };
}

/** Renewal proximity: 100 x days to renewal / 120, capped at 100; overdue is 0. A near renewal is a risk to manage. */
export function renewalScore(days: number | null): FactorScore {
  if (days == null) return { score: null, detail: 'no renewal date' };
  if (days < 0) return { score: 0, detail: `renewal overdue by ${-days} day${days === -1 ? '' : 's'}` };
  return { score: clamp(ratioHalfUp(100 * days, 120)), detail: `renewal in ${days} day${days === 1 ? '' : 's'}` };
}

export function factorScores(i: HealthInputs): Record<Factor, FactorScore> {
  return {
    usageTrend: usageTrendScore(i.usage),
    seatUtilization: seatScore(i.seats),
    milestone: milestoneScore(i.milestone),
    supportTickets: supportScore(i.supportTickets),
    buyerRating: buyerRatingScore(i.buyerRating),
    renewalProximity: renewalScore(i.daysToRenewal),
  };
}

/** One line of the breakdown: share is the factor's renormalised weight (0-1), points its part of the score. */
export type FactorBreakdown = { factor: Factor; score: number | null; weight: number; share: string; points: string; detail: string };
export type Health = { score: number; band: Band; factors: FactorBreakdown[] };

/**
 * Weighted mean over the factors with data: a factor without data is left out and the other weights are
 * renormalised (divided by the sum of the weights present), so a missing rating neither helps nor hurts.
 * Computed exactly and rounded half up to a whole point once, at the end. Null when no weighted factor has data.
 */
export function weightedScore(
  scores: Record<Factor, FactorScore>,
  weights: Record<Factor, number>,
): { score: number; factors: FactorBreakdown[] } | null {
  const present = FACTORS.filter((f) => scores[f].score != null && weights[f] > 0);
  const weightOf = Object.fromEntries(present.map((f) => [f, new Decimal(String(weights[f]))])) as Partial<Record<Factor, Decimal>>;
  const total = present.reduce((sum, f) => sum.plus(weightOf[f]!), new Decimal(0));
  if (total.isZero()) return null;
  const exact = present.reduce((sum, f) => sum.plus(weightOf[f]!.times(scores[f].score!)), new Decimal(0)).div(total);
  return {
    score: roundHalfUp(exact),
    factors: FACTORS.map((f) => {
      const share = weightOf[f]?.div(total);
      return {
        factor: f,
        score: scores[f].score,
        weight: weights[f],
        share: share ? share.toFixed(4, Decimal.ROUND_HALF_UP) : '0.0000',
        points: share ? share.times(scores[f].score!).toFixed(2, Decimal.ROUND_HALF_UP) : '0.00',
        detail: scores[f].detail,
      };
    }),
  };
}

export function bandOf(score: number, bands: HealthSettings['bands']): Band {
  if (score >= bands.healthy) return 'healthy';
  if (score >= bands.atRisk) return 'at_risk';
  return 'critical';
}

/** The whole computation for one account: null when no factor with a weight has data. */
export function healthOf(inputs: HealthInputs, settings: HealthSettings): Health | null {
  const w = weightedScore(factorScores(inputs), settings.weights);
  return w ? { score: w.score, band: bandOf(w.score, settings.bands), factors: w.factors } : null;
}

/** The local calendar day ('YYYY-MM-DD') of a moment in the workspace time zone. */
export const localDay = (at: Date, timezone: string): string => DateTime.fromJSDate(at, { zone: timezone }).toISODate()!;

/** Whole days from one calendar day to another (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** A calendar day plus n days. */
export const addDays = (day: string, n: number): string => DateTime.fromISO(day, { zone: 'utc' }).plus({ days: n }).toISODate()!;
