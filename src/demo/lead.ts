import { type Channel, normalizeEmail, type SourceType } from '../modules/crm/crm.core.js';
import type { SegmentCode } from '../modules/org/org.core.js';
import { DAY, HOUR, MINUTE, workTime } from './calendar.js';
import {
  type Company,
  companyOf,
  DISQUALIFY_HANDOFF,
  DISQUALIFY_INBOUND,
  DISQUALIFY_ON_DATA,
  DISQUALIFY_OUTBOUND,
  PAGES,
  type Person,
  personAt,
} from './catalog.js';
import { type DemoContext, dollars, type Rep, roundTo } from './context.js';
import { simulateDeal } from './deal.js';
import { SEGMENT } from './shape.js';

/** What kind of lead this is and how such leads behave (a Stream of shape.ts, or a chat rep's own lead). */
export type LeadKind = {
  channel: Channel;
  source: SourceType;
  /** Who owns it: an SDR hands qualified leads to an AE; a closer (seeds, chat reps) converts their own. */
  handsOff: boolean;
  worked: number;
  qualify: number;
  dqOnData: number;
  convert: number;
  win: number;
  cycleDays: number;
  convertHours: number;
  webForm?: boolean;
  chatPath?: boolean;
};

export type LeadPlan = {
  kind: LeadKind;
  createdAt: number;
  segment: SegmentCode;
  owner: Rep;
  /** Chooses the AE at hand-off time (SDR-owned leads). */
  pickAe?: (t: number) => Rep;
  /** Created in a chat conversation with this rep. */
  chatWith?: Rep;
  /** Fixed outcomes (chat reps' quotas); otherwise drawn from the kind's rates. */
  fate?: { qualify: boolean; win: boolean };
  speed?: number;
};

export type LeadFacts = {
  id: string;
  company: Company;
  person: Person;
  domain: string | null;
  segment: SegmentCode;
  source: SourceType;
  expectedArr: number;
  ownerId: string;
};

/**
 * One lead's life up to `now`: created, worked, qualified or disqualified, handed off, converted, with every
 * status change (time and actor) in status_changes, a few activities, and the visit or conversation it came from.
 * Steps that would happen after `now` have not happened yet, so recent leads are still open.
 */
export function simulateLead(ctx: DemoContext, plan: LeadPlan) {
  const { rng, w } = ctx;
  const { kind, segment, owner } = plan;
  const company = companyOf(segment, rng.int(0, ctx.companyPool[segment] - 1));
  const person = personAt(rng, company, segment);
  const id = ctx.ids.next();
  const [lo, hi] = SEGMENT[segment].arr;
  const expectedArr = roundTo(rng.logUniform(lo, hi), 100);
  const domain = person.freeMail ? null : rng.chance(0.1) ? `www.${company.domain}` : company.domain;
  const speed = plan.speed ?? 1;
  const t0 = plan.createdAt;

  let status = 'new';
  let last = t0;
  let stopped = false;
  let reason: string | null = null;
  const step = (to: string, at: number, actor: string | null, why: string | null = null) => {
    if (stopped || at > ctx.now) {
      stopped = true;
      return false;
    }
    w.add('status_changes', 'lead', id, 'status', status, to, why, actor, at);
    status = to;
    last = at;
    reason = to === 'disqualified' ? why : null;
    return true;
  };
  const act = (kindOf: string, subject: string, at: number, actor: string) => {
    if (at <= ctx.now) w.add('activities', ctx.ids.next(), kindOf, subject, null, 'lead', id, actor, at, true, at);
  };

  // The first status row has no "from"; web forms are created by the intake, not by a person.
  w.add('status_changes', 'lead', id, 'status', null, 'new', null, kind.webForm ? null : owner.id, t0);
  recordOrigin(ctx, plan, id);

  const worked = kind.worked >= 1 || rng.chance(kind.worked);
  const qualifies = plan.fate ? plan.fate.qualify : rng.chance(Math.min(0.95, kind.qualify * owner.qualifySkill));
  let converted: { at: number; ae: Rep } | null = null;

  if (worked && !qualifies && rng.chance(kind.dqOnData)) {
    step('disqualified', workTime(t0 + rng.logNormal(5, 1) * HOUR, rng), owner.id, rng.pick(DISQUALIFY_ON_DATA));
  } else if (worked) {
    const firstTouch = kind.chatPath ? t0 + rng.int(1, 6) * MINUTE : workTime(t0 + firstTouchHours(kind, rng) * HOUR * speed, rng);
    if (step('working', firstTouch, owner.id)) touch(ctx, kind, act, firstTouch, owner.id, company.name, person.first);
    if (!qualifies) {
      const days = kind.source === 'spear' ? rng.logNormal(18, 0.5) : kind.chatPath ? rng.logNormal(1, 0.8) : rng.logNormal(3, 1);
      const why = rng.pick(kind.source === 'spear' ? DISQUALIFY_OUTBOUND : DISQUALIFY_INBOUND);
      step('disqualified', workTime(last + days * DAY * speed, rng), owner.id, why);
    } else {
      const days =
        kind.source === 'spear'
          ? rng.logNormal(10, 0.6)
          : kind.chatPath
            ? rng.logNormal(0.02, 1)
            : rng.logNormal(kind.source === 'seed' ? 1.2 : 2, 0.8);
      const qualifiedAt = kind.chatPath ? last + days * DAY * speed : workTime(last + days * DAY * speed, rng);
      if (step('qualified', qualifiedAt, owner.id) && kind.source === 'spear')
        act('email', `Intro via ${person.first}'s colleague: who handles customer messaging at ${company.name}?`, qualifiedAt, owner.id);
      if (kind.handsOff) step('handed_off', workTime(last + rng.logNormal(3, 0.8) * HOUR, rng), owner.id);
      let convertAt = workTime(last + rng.logNormal(kind.convertHours, 0.7) * HOUR * speed, rng);
      // The AE is whoever is in when the deal is taken; a closer's own lead waits while they are away.
      const ae = kind.handsOff ? plan.pickAe!(convertAt) : owner;
      if (!kind.handsOff && owner.away && convertAt >= owner.away.from) convertAt = Math.max(convertAt, owner.away.until);
      if (!plan.fate && !rng.chance(kind.convert)) step('disqualified', convertAt, ae.id, rng.pick(DISQUALIFY_HANDOFF));
      else if (step('converted', convertAt, ae.id)) converted = { at: convertAt, ae };
    }
  }

  const facts: LeadFacts = { id, company, person, domain, segment, source: kind.source, expectedArr, ownerId: owner.id };
  const deal = converted
    ? simulateDeal(ctx, facts, converted.ae, converted.at, {
        win: plan.fate?.win,
        winP: kind.win,
        cycleDays: kind.cycleDays,
        chatPath: kind.chatPath ?? segment === 'ESB',
        speed,
      })
    : null;

  w.add(
    'leads',
    id,
    person.email,
    normalizeEmail(person.email),
    person.first,
    person.last,
    company.name,
    domain,
    person.title,
    person.phone,
    company.employees,
    dollars(expectedArr),
    company.country,
    kind.source,
    kind.channel,
    status,
    reason,
    segment,
    owner.id,
    deal?.accountId,
    deal?.contactId,
    deal?.opportunityId,
    t0,
    last,
  );
  return { status, deal };
}

function firstTouchHours(kind: LeadKind, rng: DemoContext['rng']) {
  if (kind.source === 'spear') return rng.float() * 0.5; // the SDR creates the lead as they send the first email
  if (kind.source === 'seed') return rng.logNormal(2, 0.8);
  return rng.logNormal(kind.channel === 'call' ? 0.5 : 4, 1.1);
}

/** The rep's first touch, as the activity the CRM would show. */
function touch(
  ctx: DemoContext,
  kind: LeadKind,
  act: (k: string, s: string, at: number, actor: string) => void,
  at: number,
  actor: string,
  company: string,
  first: string,
) {
  if (kind.channel === 'outbound_email') act('email', `Who handles customer messaging at ${company}?`, at, actor);
  else if (kind.channel === 'linkedin') act('email', `LinkedIn InMail to ${first} at ${company}`, at, actor);
  else if (kind.chatPath) act('chat', `Chat with ${first} from ${company}`, at, actor);
  else if (kind.source === 'seed') act('call', `Referral intro call with ${first} (${company})`, at, actor);
  else if (ctx.rng.chance(0.3)) act(ctx.rng.chance(0.5) ? 'call' : 'email', `First touch: ${first} at ${company}`, at, actor);
}

/** The web side of the lead: the form visit, or the visit and chat conversation it was created in. */
function recordOrigin(ctx: DemoContext, plan: LeadPlan, leadId: string) {
  const { rng, w } = ctx;
  const t = plan.createdAt;
  if (plan.chatWith) {
    const visitor = ctx.nextVisitor();
    w.add('web_events', 'visit', visitor, null, leadId, 'website', rng.pick(PAGES.website), t - rng.int(3, 20) * MINUTE);
    w.add('web_events', 'conversation', visitor, plan.chatWith.id, leadId, 'chat', null, t - rng.int(0, 2) * MINUTE);
  } else if (plan.kind.webForm) {
    const pages = PAGES[plan.kind.channel as 'website' | 'signup' | 'newsletter'] ?? PAGES.website;
    w.add('web_events', 'visit', ctx.nextVisitor(), null, leadId, 'website', rng.pick(pages), t - rng.int(1, 15) * MINUTE);
  }
}
