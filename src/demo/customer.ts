import type { SourceType } from '../modules/crm/crm.core.js';
import type { SegmentCode } from '../modules/org/org.core.js';
import { DAY, isoDate, workTime } from './calendar.js';
import { CHURN_REASONS, PLAN_OF } from './catalog.js';
import { type DemoContext, dollars, type Rep, rep, roundTo } from './context.js';
import { INSTALLED_BASE, SEGMENT, SOURCE_CHURN } from './shape.js';

const MONTH = 30.4 * DAY;
const YEAR = 365 * DAY;
const SUPPORT_SIGNALS = [
  'Support ticket: messenger not showing on mobile',
  'Support ticket: asked how to export all data',
  'Support ticket: billing dispute',
];

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

/**
 * A customer's life after the sale: the subscription, its ARR movements (new, expansion, contraction, renewal,
 * churn) and status history, and what the CSM and support see. Churn depends on segment, source (seeds stay)
 * and the AE who sold it (some reps' customers churn, others' expand).
 */
export function simulateCustomer(ctx: DemoContext, c: Customer) {
  const { rng, w } = ctx;
  const seg = SEGMENT[c.segment];
  const id = ctx.ids.next();
  const churnP = seg.churnPerMonth * SOURCE_CHURN[c.source] * c.ae.skill.churn;
  const expandP = seg.expansionPerMonth * c.ae.skill.expansion;
  const movement = (kind: string, amount: number, at: number, actor: string) =>
    w.add('arr_movements', id, c.accountId, kind, dollars(amount), at, actor);
  const act = (kind: string, subject: string, at: number, actor: string) => {
    if (at <= ctx.now)
      w.add('activities', ctx.ids.next(), kind, `${subject} · ${c.company}`, null, 'account', c.accountId, actor, at, true, at);
  };
  /** Anniversaries up to `until`: renewed, or (inside the twelve months, for the installed base) not renewed. */
  const renewUpTo = (until: number) => {
    while (c.installed && status === 'active' && renewal <= until) {
      if (renewal >= ctx.cal.start && rng.chance(INSTALLED_BASE.renewalChurn[c.segment] * c.ae.skill.churn))
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
  movement('new', arr, c.start, c.ae.id);
  w.add('status_changes', 'subscription', id, 'status', null, 'active', null, c.ae.id, c.start);
  if (!c.installed) act('meeting', 'Onboarding kickoff', workTime(c.start + rng.int(1, 5) * DAY, rng), c.csm.id);

  // Month by month through the part of its life that falls in the twelve months.
  let t = Math.max(c.start, ctx.cal.start) + rng.float() * MONTH;
  while (t <= ctx.now && status === 'active') {
    renewUpTo(t);
    if (status !== 'active') break;
    // Fewer churn in the first two months: the customer is still onboarding.
    const tenure = (t - c.start) / MONTH;
    if (rng.chance(tenure < 2 ? churnP * 0.3 : churnP)) {
      churn(t, rng.pick(CHURN_REASONS));
      break;
    }
    if (rng.chance(expandP)) {
      const delta = roundTo(arr * (0.1 + rng.float() * 0.35), 100);
      arr += delta;
      last = t;
      movement('expansion', delta, t, c.csm.id);
      act('meeting', `Expansion: more seats (+$${delta})`, t, c.csm.id);
    } else if (rng.chance(0.006)) {
      const delta = Math.min(arr - 100, roundTo(arr * (0.1 + rng.float() * 0.2), 100));
      if (delta > 0) {
        arr -= delta;
        last = t;
        movement('contraction', delta, t, c.csm.id);
      }
    }
    t += MONTH * (0.8 + rng.float() * 0.4);
  }
  renewUpTo(ctx.now);

  function churn(at: number, reason: string) {
    // Support often sees it coming: a ticket a few weeks before the customer leaves.
    const signal = at - rng.int(15, 40) * DAY;
    if (signal > c.start && rng.chance(0.5))
      act('note', rng.pick(SUPPORT_SIGNALS), workTime(signal, rng), rep(ctx, rng.chance(0.6) ? 'sophie' : 'daniel').id);
    status = 'churned';
    last = at;
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
    c.start,
    last,
  );
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
