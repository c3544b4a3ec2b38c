import type { SegmentCode } from '../modules/org/org.core.js';
import { type Calendar, DAY } from './calendar.js';
import type { CloserSkill, DemoPerson } from './people.js';
import type { IdFactory, Rng } from './rng.js';
import type { Writer } from './writer.js';

/** A demo user as the simulation sees them: when they joined, when they are away, how good they are. */
export type Rep = {
  id: string;
  person: DemoPerson;
  hiredAt: number;
  away: { from: number; until: number } | null;
  skill: CloserSkill;
  /** SDR qualification skill: seniority shows in how many leads they qualify. */
  qualifySkill: number;
};

export type Created = { id: string; at: number };

/** Everything the generators share while one demo is written. */
export type DemoContext = {
  workspaceId: string;
  now: number;
  scale: number;
  rng: Rng;
  ids: IdFactory;
  cal: Calendar;
  w: Writer;
  reps: Map<string, Rep>;
  /** Existing accounts by normalised domain and contacts by normalised email (conversion reuses them), with creation times. */
  accountsByDomain: Map<string, Created>;
  contactsByEmail: Map<string, Created>;
  /**
   * Leads are simulated channel by channel, not in time order, so a later-simulated conversion may reuse an account
   * or contact before the moment it was written with: those get their creation moved back at the end.
   */
  backdate: { accounts: Map<string, number>; contacts: Map<string, number> };
  /** How many companies each segment draws from (repeat draws are colleagues at one company). */
  companyPool: Record<SegmentCode, number>;
  nextVisitor: () => string;
  /** Customer success: each account's aha decision (shared by its subscriptions), the usage events written so far. */
  success: { aha: Map<string, AhaDecision>; events: number };
};

/** Whether a customer account reaches its aha milestone, and how likely that was when it signed. */
export type AhaDecision = { reached: boolean; chance: number };

export const rep = (ctx: DemoContext, key: string) => {
  const r = ctx.reps.get(key);
  if (!r) throw new Error(`demo: no person ${key}`);
  return r;
};

export const repsWith = (ctx: DemoContext, match: (p: DemoPerson) => boolean) => [...ctx.reps.values()].filter((r) => match(r.person));

/**
 * Picks who gets new work at time t: hired by then, not away, weighted by capacity; new hires ramp up over
 * their first quarter. Falls back to anyone in the pool so no lead is ever left without an owner.
 */
export function pickRep(ctx: DemoContext, pool: Rep[], t: number): Rep {
  const weights: [Rep, number][] = [];
  for (const r of pool) {
    if (r.hiredAt > t) continue;
    if (r.away && t >= r.away.from && t < r.away.until) continue;
    const ramp = Math.min(1, Math.max(0.25, (t - r.hiredAt) / (90 * DAY)));
    weights.push([r, r.person.capacity * ramp]);
  }
  if (!weights.length) return pool[0];
  return ctx.rng.weighted(weights);
}

export const roundTo = (value: number, step: number) => Math.max(step, Math.round(value / step) * step);
/** Whole dollars as a money string. */
export const dollars = (value: number) => `${Math.round(value)}.00`;
