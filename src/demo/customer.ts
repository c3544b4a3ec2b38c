import { DateTime } from 'luxon';
import type { SourceType } from '../modules/crm/crm.core.js';
import type { SegmentCode } from '../modules/org/org.core.js';
import { DAY, isoDate, workTime } from './calendar.js';
import { CHURN_REASONS, PLAN_OF, TICKET_TOPICS } from './catalog.js';
import { type AhaDecision, type DemoContext, dollars, type Rep, rep, roundTo } from './context.js';
import { DEMO_WORKSPACE } from './org-setup.js';
import type { Rng } from './rng.js';
import { AHA, INSTALLED_BASE, SEAT_PRICE, SEGMENT, SOURCE_CHURN, USAGE } from './shape.js';
import { type AhaOutcome, type CustomerLife, writeUsage } from './usage.js';

const MONTH = 30.4 * DAY;
const YEAR = 365 * DAY;
/** What support notes about a customer that is about to leave (the first three ticket topics). */
const SUPPORT_SIGNALS = TICKET_TOPICS.slice(0, 3);

type Customer = {
  accountId: string;
  opportunityId: string | null;
  segment: SegmentCode;
  source: SourceType;
  arr: number;
  start: number;
  ae: Rep;
  csm: Rep;
  company: string;
  /** Customers from before the twelve months also renew (or churn) on their anniversary. */
  installed?: boolean;
};

const seatsFor = (segment: SegmentCode, arr: number) => Math.max(1, Math.round(arr / SEAT_PRICE[segment]));

/**
 * A customer's life after the sale: the subscription, its ARR movements (new, expansion, contraction, renewal,
 * churn) and status history, what the CSM and support see, and its product usage. Whether it reaches its aha
 * milestone is decided first: after a missed window it churns clearly more (and expands less), after a reached
 * one less. Churn also depends on segment, source (seeds stay) and the AE who sold it (some reps' customers
 * churn, others' expand).
 */
export function simulateCustomer(ctx: DemoContext, c: Customer) {
  const { w } = ctx;
  // Its own generator: whatever happens to this customer never shifts the draws of the leads simulated after it.
  const rng = ctx.rng.fork('customer');
  const seg = SEGMENT[c.segment];
  const id = ctx.ids.next();
  const aha = decideAha(ctx, c, rng);
  const churnP = seg.churnPerMonth * SOURCE_CHURN[c.source] * c.ae.skill.churn;
  const expandP = seg.expansionPerMonth * c.ae.skill.expansion;
  const movement = (kind: string, amount: number, at: number, actor: string) =>
    w.add('arr_movements', id, c.accountId, kind, dollars(amount), at, actor);
  const act = (kind: string, subject: string, at: number, actor: string) => {
    if (at <= ctx.now)
      w.add('activities', ctx.ids.next(), kind, `${subject} · ${c.company}`, null, 'account', c.accountId, actor, at, true, at);
  };
  /** Monthly churn at t: low while onboarding, then as the milestone's outcome says. */
  const churnChance = (t: number) => {
    const tenure = (t - c.start) / MONTH;
    if (t < aha.outcome.windowEnd) return aha.outcome.reached ? 0 : tenure < 2 ? churnP * 0.3 : churnP;
    return (tenure < 2 ? churnP * 0.3 : churnP) * aha.churn;
  };
  /** Anniversaries up to `until`: renewed, or (inside the twelve months, for the installed base) not renewed. */
  const renewUpTo = (until: number) => {
    while (c.installed && status === 'active' && renewal <= until) {
      if (renewal >= ctx.cal.start && rng.chance(INSTALLED_BASE.renewalChurn[c.segment] * c.ae.skill.churn * aha.churn))
        churn(renewal, 'Did not renew');
      else {
        if (renewal >= ctx.cal.start) movement('renewal', arr, renewal, c.csm.id);
        renewal += YEAR;
      }
    }
  };

  let arr = c.arr;
  let status = 'active';
  let last = c.start;
  let renewal = c.start + YEAR;
  const life: CustomerLife = {
    accountId: c.accountId,
    company: c.company,
    segment: c.segment,
    start: c.start,
    end: ctx.now,
    aha: aha.outcome,
    seats: [[c.start, seatsFor(c.segment, arr)]],
    growth: [],
    churnAt: null,
    tickets: [],
  };
  movement('new', arr, c.start, c.ae.id);
  w.add('status_changes', 'subscription', id, 'status', null, 'active', null, c.ae.id, c.start);
  if (!c.installed) act('meeting', 'Onboarding kickoff', workTime(c.start + rng.int(1, 5) * DAY, rng), c.csm.id);

  // Month by month through the part of its life that falls in the twelve months, then a little beyond `now`:
  // a churn or an expansion coming soon already shows in the usage (the signals come before the events).
  const horizon = ctx.now + USAGE.lookaheadDays * DAY;
  let t = Math.max(c.start, ctx.cal.start) + rng.float() * MONTH;
  while (t <= horizon && status === 'active') {
    const future = t > ctx.now;
    if (!future) renewUpTo(t);
    if (status !== 'active') break;
    if (rng.chance(churnChance(t))) {
      if (future) life.churnAt = t;
      else churn(t, rng.pick(CHURN_REASONS));
      break;
    }
    if (rng.chance(expandP * aha.expansion)) {
      life.growth.push(t);
      if (!future) {
        const delta = roundTo(arr * (0.1 + rng.float() * 0.35), 100);
        arr += delta;
        last = t;
        life.seats.push([t, seatsFor(c.segment, arr)]);
        movement('expansion', delta, t, c.csm.id);
        act('meeting', `Expansion: more seats (+$${delta})`, t, c.csm.id);
      }
    } else if (!future && rng.chance(0.006)) {
      const delta = Math.min(arr - 100, roundTo(arr * (0.1 + rng.float() * 0.2), 100));
      if (delta > 0) {
        arr -= delta;
        last = t;
        life.seats.push([t, seatsFor(c.segment, arr)]);
        movement('contraction', delta, t, c.csm.id);
      }
    }
    t += MONTH * (0.8 + rng.float() * 0.4);
  }
  renewUpTo(ctx.now);

  function churn(at: number, reason: string) {
    // Support often sees it coming: a ticket a few weeks before the customer leaves.
    const signal = workTime(at - rng.int(15, 40) * DAY, rng);
    if (signal > c.start && signal < at && rng.chance(0.5)) {
      const topic = rng.pick(SUPPORT_SIGNALS);
      act('note', `Support ticket: ${topic}`, signal, rep(ctx, rng.chance(0.6) ? 'sophie' : 'daniel').id);
      life.tickets.push({ at: signal, topic });
    }
    status = 'churned';
    last = at;
    life.end = at;
    life.churnAt = at;
    renewal = Math.min(renewal, at);
    movement('churn', arr, at, c.csm.id);
    w.add('status_changes', 'subscription', id, 'status', 'active', 'churned', reason, c.csm.id, at);
    act('note', `Churned: ${reason}`, at, c.csm.id);
  }

  w.add(
    'subscriptions',
    id,
    c.accountId,
    c.opportunityId,
    PLAN_OF[c.segment],
    dollars(arr),
    isoDate(c.start),
    isoDate(renewal),
    status,
    seatsFor(c.segment, arr),
    c.start,
    last,
  );
  writeUsage(ctx, life, rng.fork('usage'));
}

/** An account's chance to reach its milestone: the segment's, moved by the AE (whose customers churn less reach more). */
const reachChance = (c: Customer) => Math.min(0.95, Math.max(0.05, AHA.reach[c.segment] * c.ae.skill.churn ** -0.35));

/**
 * Whether the customer reaches its aha milestone, when, and what that does to its churn and expansion. The
 * factors are divided by their expected value at this customer's chance, so an AE's customers churn as much
 * overall as before (their skill says how much) while within them the ones who missed churn clearly more.
 */
function decideAha(ctx: DemoContext, c: Customer, rng: Rng) {
  const chance = reachChance(c);
  const known = ctx.success.aha.get(c.accountId);
  const decision: AhaDecision = { reached: known?.reached ?? rng.chance(chance), chance };
  if (!known) ctx.success.aha.set(c.accountId, decision);
  const rescaled = (f: { reached: number; missed: number }) =>
    (decision.reached ? f.reached : f.missed) / (chance * f.reached + (1 - chance) * f.missed);
  // As the milestone service opens it: at the close, or at the start date's midnight in the workspace time zone.
  const windowStart = c.opportunityId
    ? c.start
    : DateTime.fromISO(isoDate(c.start), { zone: DEMO_WORKSPACE.timezone }).startOf('day').toMillis();
  const [lo, hi] = AHA.reachedAfterDays;
  const outcome: AhaOutcome = {
    reached: decision.reached,
    windowStart,
    windowEnd: windowStart + AHA.windowDays * DAY,
    at: decision.reached ? windowStart + (lo + rng.float() * (hi - lo)) * DAY : null,
  };
  return { outcome, churn: rescaled(AHA.churn), expansion: rescaled(AHA.expansion) };
}

/**
 * Customers signed before the twelve months (no lead history in the demo, like an import from an older CRM):
 * the base CSMs renew and grow, and some of it churns at renewal.
 */
export function installBase(
  ctx: DemoContext,
  companies: (segment: SegmentCode) => { name: string; domain: string; employees: number; industry: string; country: string },
) {
  const { rng, w } = ctx;
  const n = Math.round(INSTALLED_BASE.perScale * ctx.scale);
  const aes: Record<SegmentCode, Rep[]> = {
    ESB: ['emma', 'tomas'].map((k) => rep(ctx, k)),
    SMB: ['aaron', 'priya', 'derek', 'liam'].map((k) => rep(ctx, k)),
    MME: ['jonas', 'isabel'].map((k) => rep(ctx, k)),
  };
  for (let i = 0; i < n; i++) {
    const segment = rng.weighted(INSTALLED_BASE.segments);
    const company = companies(segment);
    if (ctx.accountsByDomain.has(company.domain)) continue;
    const [lo, hi] = SEGMENT[segment].arr;
    const arr = roundTo(rng.logUniform(lo, hi), 100);
    const start = ctx.cal.start - rng.float() * 2 * YEAR - 5 * DAY;
    const ae = rng.pick(aes[segment]);
    const csm = csmFor(ctx, segment, arr);
    const accountId = ctx.ids.next();
    ctx.accountsByDomain.set(company.domain, { id: accountId, at: start });
    w.add(
      'accounts',
      accountId,
      company.name,
      company.domain,
      company.domain,
      company.employees,
      company.industry,
      company.country,
      segment,
      ae.id,
      csm.id,
      start,
      start,
    );
    simulateCustomer(ctx, {
      accountId,
      opportunityId: null,
      segment,
      source: rng.pick(['net', 'net', 'seed', 'spear'] as const),
      arr,
      start,
      ae,
      csm,
      company: company.name,
      installed: true,
    });
  }
}

/** Customers go to a CSM of their segment; the largest mid-market accounts to the relationship manager. */
export function csmFor(ctx: DemoContext, segment: SegmentCode, arr: number): Rep {
  if (segment === 'ESB') return rep(ctx, 'lina');
  if (segment === 'MME') return arr >= 80_000 ? rep(ctx, 'rick') : rep(ctx, 'marcus');
  return ctx.rng.chance(0.55) ? rep(ctx, 'carla') : rep(ctx, 'ben');
}
