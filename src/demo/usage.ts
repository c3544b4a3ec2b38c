import type { SegmentCode } from '../modules/org/org.core.js';
import type { Rule } from '../modules/success/milestones.core.js';
import { FEATURE_CATALOGUE } from '../modules/success/milestones.templates.js';
import { DAY, HOUR, isWeekend, MINUTE, visitTime } from './calendar.js';
import { CUSTOMER_TEAMS, TICKET_TOPICS } from './catalog.js';
import type { DemoContext } from './context.js';
import type { Rng } from './rng.js';
import { USAGE } from './shape.js';

/**
 * Product usage of one customer account, as the product would send it to `POST /api/v1/events`: teammates answer
 * conversations (`message.sent`), use features (`feature.used`), install the messenger, open support tickets and
 * hit plan limits. The pattern follows the customer's life decided in customer.ts: an onboarding ramp that
 * reaches the aha milestone in its window (or does not), a weekday rhythm, users up to the seats, teams, seat
 * pressure before an expansion, and usage fading before a churn.
 */

/** The aha milestones of the demo, one per plan (PLAN_OF): HubSpot-style, Slack-style and a mixed one. */
export const DEMO_MILESTONES: Record<SegmentCode, { name: string; plan: string; template: string | null; rule: Rule }> = {
  ESB: {
    name: 'Starter: 5 of 25 features',
    plan: 'Starter',
    template: 'hubspot',
    rule: { all: [{ label: 'Features used', event: ['feature.used'], measure: 'distinct_values', property: 'feature', atLeast: 5 }] },
  },
  SMB: {
    name: 'Pro: the team answers together',
    plan: 'Pro',
    template: 'slack',
    rule: {
      all: [
        { label: 'Messages sent', event: ['message.sent'], measure: 'count', atLeast: 12 },
        { label: 'Teammates sending', event: ['message.sent'], measure: 'distinct_users', atLeast: 3 },
      ],
    },
  },
  MME: {
    name: 'Premium: rolled out',
    plan: 'Premium',
    template: null,
    rule: {
      all: [
        { label: 'Features used', event: ['feature.used'], measure: 'distinct_values', property: 'feature', atLeast: 6 },
        { label: 'Active teammates', event: [], measure: 'distinct_users', atLeast: 8 },
      ],
    },
  },
};

/** What a milestone asks for, in the terms the generator works in. */
type Needs = { features: number; users: number; messages: number; messageUsers: number };
type Need = keyof Needs;

function needsOf(rule: Rule): Needs {
  const n: Needs = { features: 0, users: 0, messages: 0, messageUsers: 0 };
  for (const c of rule.all) {
    const messages = c.event.length === 1 && c.event[0] === 'message.sent';
    if (c.measure === 'distinct_values' && c.property === 'feature' && c.event.join() === 'feature.used') n.features = c.atLeast;
    else if (c.measure === 'distinct_users' && !c.event.length) n.users = c.atLeast;
    else if (c.measure === 'distinct_users' && messages) n.messageUsers = c.atLeast;
    else if (c.measure === 'count' && messages) n.messages = c.atLeast;
    else throw new Error(`demo: no usage pattern for the condition "${c.label}"`);
  }
  return n;
}

const NEEDS = Object.fromEntries(Object.entries(DEMO_MILESTONES).map(([s, m]) => [s, needsOf(m.rule)])) as Record<SegmentCode, Needs>;

/** The customer's aha outcome (window times as the milestone service computes them). */
export type AhaOutcome = { reached: boolean; windowStart: number; windowEnd: number; at: number | null };

/** A customer's life as the usage generator needs it (decided in customer.ts). */
export type CustomerLife = {
  accountId: string;
  company: string;
  segment: SegmentCode;
  /** The subscription's start (the deal's close, or long ago for the installed base). */
  start: number;
  /** Churn moment, or `now` for a customer still active. */
  end: number;
  aha: AhaOutcome;
  /** Seats from each moment on, in time order (the first at `start`). */
  seats: [at: number, seats: number][];
  /** Expansions, past or coming soon: the seats run out before each. */
  growth: number[];
  /** A churn, past or coming soon: usage fades before it. */
  churnAt: number | null;
  /** Support tickets the simulation already decided (the ones support notes about). */
  tickets: { at: number; topic: string }[];
};

/** Writes the account's usage events from max(start, twelve months ago) to its end (or now). */
export function writeUsage(ctx: DemoContext, life: CustomerLife, rng: Rng) {
  new AccountUsage(ctx, life, rng).write();
}

const WEEKDAY_NORM = 7 / (5 + 2 * USAGE.weekend);
const GUARD = DAY;

class AccountUsage {
  private readonly needs: Needs;
  private readonly tag: string;
  private readonly featureOrder: number[];
  private readonly adoption: number;
  /** Features a customer ends up using: reached ones explore more. */
  private readonly featuresTarget: number;
  private readonly teamSize: number;
  private readonly teamOffset: number;
  /** The one need a customer that misses falls short of in its window (held below the target there). */
  private readonly short: Need | null;
  private readonly declineFrom: number | null;
  private readonly perUserDay: number;
  /** What the events inside the milestone window add up to, per need. */
  private readonly tally = { features: new Set<number>(), users: new Set<number>(), messageUsers: new Set<number>(), messages: 0 };
  private turn: number;
  private carry = 0;

  constructor(
    private readonly ctx: DemoContext,
    private readonly life: CustomerLife,
    private readonly rng: Rng,
  ) {
    this.needs = NEEDS[life.segment];
    this.tag = life.company.toLowerCase().replace(/[^a-z0-9]/g, '');
    this.featureOrder = rng.shuffle(FEATURE_CATALOGUE.map((_, i) => i));
    const [lo, hi] = life.aha.reached ? USAGE.adoption.reached : USAGE.adoption.missed;
    this.adoption = lo + rng.float() * (hi - lo);
    const core = Math.max(this.needs.features, 4);
    this.featuresTarget = life.aha.reached ? Math.min(FEATURE_CATALOGUE.length, core + rng.int(2, 8)) : rng.int(2, core);
    const sizes = life.segment === 'ESB' ? null : USAGE.teamSize[life.segment];
    this.teamSize = sizes ? rng.int(sizes[0], sizes[1]) : 0;
    this.teamOffset = rng.int(0, CUSTOMER_TEAMS.length - 1);
    const needed = (Object.keys(this.needs) as Need[]).filter((k) => this.needs[k] > 0);
    this.short = life.aha.reached ? null : rng.pick(needed);
    const [d0, d1] = USAGE.declineDays;
    this.declineFrom = life.churnAt === null ? null : life.churnAt - rng.int(d0, d1) * DAY;
    this.turn = rng.int(0, 50);
    this.perUserDay = (USAGE.perUserMonth[life.segment] * 12) / 365;
  }

  write() {
    const { ctx, life, rng } = this;
    const from = Math.max(life.start, ctx.cal.start);
    const end = Math.min(life.end, ctx.now);
    const aha = life.aha;
    // The installed base had its window before the history begins: only the events that decided it are kept.
    if (aha.windowStart < from)
      this.fillWindow(aha.reached ? 1 : 0.5, aha.windowStart + DAY, Math.min(aha.at ?? aha.windowEnd - DAY, from - HOUR));
    // The first thing a new customer does (even one signed an hour ago): put the messenger on its website.
    const installed = Math.min(life.start + rng.int(30, 3 * 24 * 60) * MINUTE, (life.start + end) / 2);
    if (life.start >= ctx.cal.start) this.emit(installed, 'messenger.installed', 0, { site: 'website' });
    let caughtUp = aha.at === null || aha.at < from || aha.at > end;
    for (let day = from; day < end; day += DAY) {
      // By the day it reaches its milestone, whatever the random days left out is filled in over the days before
      // (a busier week: the rollout that made it click).
      if (!caughtUp && day + DAY > aha.at!) {
        this.fillWindow(1, Math.max(aha.windowStart + MINUTE, aha.at! - 5 * DAY), aha.at!);
        caughtUp = true;
      }
      this.day(day, from, end);
    }
    for (const t of life.tickets)
      if (t.at >= from && t.at < end) this.emit(t.at, 'support.ticket_opened', this.pickUser(t.at), { topic: t.topic });
  }

  private day(day: number, from: number, end: number) {
    const { rng, life } = this;
    const users = this.usersAt(day);
    const { windowStart, windowEnd } = life.aha;
    let rate = users * this.perUserDay * WEEKDAY_NORM * (isWeekend(day) ? USAGE.weekend : 1) * this.fade(day);
    // Setting up and trying things: busiest at the start of the window, back to normal at its end.
    if (day >= windowStart && day < windowEnd) rate *= 1 + (USAGE.onboardingBoost - 1) * ((windowEnd - day) / (windowEnd - windowStart));
    else rate *= this.detail(day);
    // A carried fraction instead of a Poisson draw: steady customers have steady counts, so trends mean something.
    this.carry += rate * (0.6 + 0.8 * rng.float());
    const n = Math.floor(this.carry);
    this.carry -= n;
    for (let i = 0; i < n; i++) {
      const at = visitTime(day, rng);
      if (at < from || at >= end) continue;
      if (rng.chance(0.55)) this.message(at, users);
      else this.feature(at, users);
    }
    const fading = this.declineFrom !== null && day >= this.declineFrom;
    const tickets = USAGE.ticketsPerMonth * (life.aha.reached ? 1 : 2) * (fading ? 4 : 1);
    if (rng.chance(tickets / 30.4))
      this.emitIn(from, end, visitTime(day, rng), 'support.ticket_opened', users, { topic: rng.pick(TICKET_TOPICS) });
    if (this.underPressure(day) && !isWeekend(day) && rng.chance(0.1))
      this.emitIn(from, end, visitTime(day, rng), 'plan.limit_reached', users, { limit: 'seats', seats: this.seatsAt(day) });
  }

  private emitIn(from: number, end: number, at: number, name: string, users: number, props: Record<string, unknown>) {
    if (at >= from && at < end) this.emit(at, name, this.pickUser(at, users), props);
  }

  private message(at: number, users: number) {
    const { needs, tally } = this;
    // Held short on message volume: the rest of that activity is feature use.
    if (this.guarded(at, 'messages') && tally.messages >= Math.floor(needs.messages * 0.7)) return this.feature(at, users);
    let user = this.pickUser(at, users);
    if (this.guarded(at, 'messageUsers')) user %= needs.messageUsers - 1;
    this.emit(at, 'message.sent', user, {});
  }

  private feature(at: number, users: number) {
    let n = this.featuresAt(at);
    if (this.guarded(at, 'features')) n = Math.min(n, this.needs.features - 2);
    // Core features (early in the account's order) are used most.
    const f = this.featureOrder[Math.floor(n * this.rng.float() ** 1.6)];
    this.emit(at, 'feature.used', this.pickUser(at, users), { feature: FEATURE_CATALOGUE[f] });
  }

  /** Mostly in turn (so everyone active shows up within a month), sometimes anyone. */
  private pickUser(at: number, users = this.usersAt(at)) {
    this.turn += this.rng.chance(0.3) ? this.rng.int(1, users) : 1;
    let user = this.turn % users;
    if (this.guarded(at, 'users')) user %= this.needs.users - 1;
    return user;
  }

  /** Whether `at` is in (or next to) the window of a customer that misses, for the need it falls short of. */
  private guarded(at: number, need: Need) {
    const { aha } = this.life;
    return this.short === need && at >= aha.windowStart - GUARD && at < aha.windowEnd + GUARD;
  }

  /**
   * Events covering `share` of each need (skipping what the window already has), between lo and hi: all of it
   * for a customer reaching its milestone, half of it (short of every target) for one that misses.
   */
  private fillWindow(share: number, lo: number, hi: number) {
    const { needs, tally, rng } = this;
    const at = () => lo + rng.float() * Math.max(0, hi - lo);
    const upTo = (n: number) => Math.ceil(n * share);
    for (let i = 0; i < upTo(needs.features); i++)
      if (!tally.features.has(this.featureOrder[i]))
        this.emit(at(), 'feature.used', i, { feature: FEATURE_CATALOGUE[this.featureOrder[i]] });
    for (let u = 0; u < upTo(needs.users); u++)
      if (!tally.users.has(u)) this.emit(at(), 'feature.used', u, { feature: FEATURE_CATALOGUE[this.featureOrder[0]] });
    for (let u = 0; u < upTo(needs.messageUsers); u++) if (!tally.messageUsers.has(u)) this.emit(at(), 'message.sent', u, {});
    const senders = Math.max(1, upTo(needs.messageUsers));
    for (let k = tally.messages; k < upTo(needs.messages); k++) this.emit(at(), 'message.sent', k % senders, {});
  }

  private emit(at: number, name: string, user: number, props: Record<string, unknown>) {
    const { ctx, life, tally } = this;
    if (at >= life.aha.windowStart && at < life.aha.windowEnd) {
      tally.users.add(user);
      if (name === 'message.sent') {
        tally.messages++;
        tally.messageUsers.add(user);
      } else if (name === 'feature.used')
        tally.features.add(FEATURE_CATALOGUE.indexOf(props.feature as (typeof FEATURE_CATALOGUE)[number]));
    }
    const team = this.teamSize
      ? { team: CUSTOMER_TEAMS[(this.teamOffset + Math.floor(user / this.teamSize)) % CUSTOMER_TEAMS.length] }
      : null;
    const properties = JSON.stringify(team && name !== 'messenger.installed' ? { ...props, ...team } : props);
    const messageId = `demo-${(++ctx.success.events).toString(36).padStart(7, '0')}`;
    ctx.w.add('usage_events', messageId, life.accountId, life.accountId, `${this.tag}-u${user + 1}`, name, properties, at, at);
  }

  /** Active users: an onboarding ramp to the adopted share of the seats, all seats before an expansion, fewer while fading. */
  private usersAt(t: number) {
    const { life, needs } = this;
    const seats = this.seatsAt(t);
    const since = t - life.start;
    let users: number;
    if (life.aha.reached) {
      const target = Math.min(seats, Math.max(Math.floor(this.adoption * seats), needs.users, needs.messageUsers));
      const atAha = Math.min(target, Math.max(needs.users, needs.messageUsers, Math.ceil(target * 0.6)));
      const toAha = Math.max(DAY, life.aha.at! - life.start);
      users = since < toAha ? 1 + ((atAha - 1) * since) / toAha : atAha + (target - atAha) * Math.min(1, (t - life.aha.at!) / (60 * DAY));
    } else {
      const target = Math.max(1, Math.floor(this.adoption * seats));
      users = 1 + (target - 1) * Math.min(1, since / (USAGE.slowRampDays * DAY));
    }
    if (this.underPressure(t)) users = Math.max(users, Math.ceil(0.93 * seats));
    return Math.max(1, Math.round(users * this.fade(t)));
  }

  private featuresAt(t: number) {
    const { life, needs } = this;
    const since = t - life.start;
    if (!life.aha.reached) return Math.max(1, Math.round(1 + (this.featuresTarget - 1) * Math.min(1, since / (120 * DAY))));
    const core = Math.max(needs.features, 4);
    const toAha = Math.max(DAY, life.aha.at! - life.start);
    if (since < toAha) return Math.max(1, Math.ceil((core * since) / toAha));
    return Math.round(core + (this.featuresTarget - core) * Math.min(1, (t - life.aha.at!) / (90 * DAY)));
  }

  /** The share of events kept: 1 for recent history, falling to USAGE.thinnedShare for older (see USAGE). */
  private detail(t: number) {
    const age = (this.ctx.now - t) / DAY;
    if (age <= USAGE.fullDetailDays) return 1;
    const old = Math.min(1, (age - USAGE.fullDetailDays) / (USAGE.thinnedFromDays - USAGE.fullDetailDays));
    return 1 - (1 - USAGE.thinnedShare) * old;
  }

  private seatsAt(t: number) {
    let seats = this.life.seats[0][1];
    for (const [at, n] of this.life.seats) if (at <= t) seats = n;
    return seats;
  }

  private underPressure(t: number) {
    return this.life.growth.some((g) => t >= g - USAGE.seatPressureDays * DAY && t < g);
  }

  /** 1 until the decline starts, then down to USAGE.declineTo at the churn. */
  private fade(t: number) {
    const { declineFrom, life } = this;
    if (declineFrom === null || t < declineFrom) return 1;
    return 1 - (1 - USAGE.declineTo) * Math.min(1, (t - declineFrom) / (life.churnAt! - declineFrom));
  }
}
