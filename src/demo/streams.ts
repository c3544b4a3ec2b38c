import type { SegmentCode } from '../modules/org/org.core.js';
import { DAY, visitTime, within, workTime } from './calendar.js';
import { type DemoContext, pickRep, type Rep, repsWith } from './context.js';
import type { LeadKind, LeadPlan } from './lead.js';
import { STREAMS, TRAFFIC } from './shape.js';

/** Conversations that did not become leads, per rep, for the web-traffic pass (traffic.ts). */
export type ChatTally = Map<Rep, number>;

const CHAT_REP_KIND: LeadKind = {
  channel: 'chat',
  source: 'net',
  handsOff: false,
  worked: 1,
  qualify: 0,
  dqOnData: 0,
  convert: 1,
  win: 0,
  cycleDays: 0,
  convertHours: 3,
  chatPath: true,
};

/** How many leads the demo will create at this scale (for the progress bar). */
export function plannedLeads(ctx: DemoContext): number {
  let n = 0;
  for (const s of STREAMS) n += Math.round(s.perYear * ctx.scale);
  for (const r of chatReps(ctx)) n += chatQuotas(ctx, r).leads;
  return n;
}

const chatReps = (ctx: DemoContext) => repsWith(ctx, (p) => p.chat != null);

/** A chat rep's year in fixed numbers, so their profile shows even at small scales: conversations -> leads -> trials -> wins. */
function chatQuotas(ctx: DemoContext, r: Rep) {
  const c = r.person.chat!;
  const activeShare = Math.min(1, (ctx.now - Math.max(r.hiredAt, ctx.cal.start)) / (365 * DAY));
  const conversations = Math.max(3, Math.round(c.conversations * ctx.scale * activeShare));
  const leads = Math.max(2, Math.round(conversations * c.leadRate));
  const opps = Math.max(1, Math.round(leads * c.oppRate));
  const wins = Math.round(opps * c.winRate);
  return { conversations, leads, opps, wins };
}

/**
 * Every lead of the year, channel by channel: who owns it, when it arrives, and, for chat reps, its fixed fate.
 * Records in `tally` the conversations that ended without a lead.
 */
export function* leadPlans(ctx: DemoContext, tally: ChatTally): Generator<LeadPlan> {
  const { rng, cal } = ctx;
  const inbound = repsWith(ctx, (p) => p.roles.includes('sdr_inbound'));
  const outbound = repsWith(ctx, (p) => p.roles.includes('sdr_outbound'));
  const closers: Record<SegmentCode, Rep[]> = {
    ESB: repsWith(ctx, (p) => p.roles.includes('esb_ae')),
    SMB: repsWith(ctx, (p) => p.roles.includes('ae') && p.segments.includes('SMB')),
    MME: repsWith(ctx, (p) => p.roles.includes('ae') && p.segments.includes('MME')),
  };

  for (const s of STREAMS) {
    const n = Math.round(s.perYear * ctx.scale);
    const kind: LeadKind = { ...s, handsOff: s.owner !== 'closer' };
    for (let i = 0; i < n; i++) {
      const segment = rng.weighted(s.segments);
      // Forms arrive around the clock; calls, events, outbound and referrals during the working day.
      const raw = cal.grownTime(rng);
      const createdAt = within(ctx.now, s.webForm ? visitTime(raw, rng) : workTime(raw, rng), raw);
      const pool = s.owner === 'sdr_inbound' ? inbound : s.owner === 'sdr_outbound' ? outbound : closers[segment];
      const owner = pickRep(ctx, pool, createdAt);
      if (s.channel === 'chat') tally.set(owner, (tally.get(owner) ?? 0) + TRAFFIC.sdrConversationsPerChatLead - 1);
      yield {
        kind,
        createdAt,
        segment,
        owner,
        pickAe: (t) => pickRep(ctx, closers[segment], t),
        chatWith: s.channel === 'chat' ? owner : undefined,
      };
    }
  }

  for (const r of chatReps(ctx)) {
    const q = chatQuotas(ctx, r);
    tally.set(r, (tally.get(r) ?? 0) + q.conversations - q.leads);
    const opps = rng.quota(q.leads, q.opps);
    const wins = rng.quota(q.opps, q.wins);
    let o = 0;
    for (let i = 0; i < q.leads; i++) {
      const raw = cal.grownTime(rng, r.hiredAt);
      const createdAt = within(ctx.now, workTime(raw, rng), raw);
      const becomesOpp = opps[i];
      yield {
        kind: CHAT_REP_KIND,
        createdAt,
        segment: r.person.segments[0],
        owner: r,
        chatWith: r,
        fate: { qualify: becomesOpp, win: becomesOpp ? wins[o++] : false },
        speed: r.person.chat!.speed,
      };
    }
  }
}
