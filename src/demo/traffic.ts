import { MINUTE, visitTime, within, workTime } from './calendar.js';
import { PAGES } from './catalog.js';
import { type DemoContext, type Rep, rep } from './context.js';
import { TRAFFIC } from './shape.js';
import type { ChatTally } from './streams.js';

/**
 * The top of the funnel that did not become leads: chats reps had without creating a lead, support and bot
 * conversations, and visitors who only browsed. Each conversation has its own visitor and visit, so
 * visitors > conversations > leads for the whole workspace.
 */
export function trafficPlan(tally: ChatTally, totals: { leads: number; leadConversations: number }) {
  let repConversations = 0;
  for (const n of tally.values()) repConversations += n;
  const target = Math.ceil(totals.leads * TRAFFIC.conversationsPerLead);
  const rest = Math.max(0, target - totals.leadConversations - repConversations);
  const support = Math.round(rest * TRAFFIC.supportShare);
  return {
    repConversations,
    support,
    bot: rest - support,
    browsing: Math.round(totals.leads * TRAFFIC.browsingVisitsPerLead),
    get total() {
      return this.repConversations + this.support + this.bot + this.browsing;
    },
  };
}

export async function writeTraffic(
  ctx: DemoContext,
  tally: ChatTally,
  plan: ReturnType<typeof trafficPlan>,
  progress: (n: number) => void,
) {
  const { rng, w, cal } = ctx;
  let done = 0;
  const tick = async () => {
    if (++done % 2000 === 0) {
      await w.maybeFlush();
      progress(done);
    }
  };
  /** A moment in the year, moved into working hours (reps) or visiting hours (bot, browsing). */
  const moment = (hours: typeof workTime, from?: number) => {
    const raw = cal.grownTime(rng, from);
    return within(ctx.now, hours(raw, rng), raw);
  };
  const conversation = (repUser: Rep | null, at: number) => {
    const visitor = ctx.nextVisitor();
    w.add('web_events', 'visit', visitor, null, null, 'website', rng.pick(PAGES.browse), at - rng.int(2, 20) * MINUTE);
    w.add('web_events', 'conversation', visitor, repUser?.id ?? null, null, 'chat', null, at);
  };

  for (const [r, n] of tally) {
    for (let i = 0; i < n; i++) {
      conversation(r, moment(workTime, r.hiredAt));
      await tick();
    }
  }
  const supportReps = [rep(ctx, 'sophie'), rep(ctx, 'daniel')];
  for (let i = 0; i < plan.support; i++) {
    const r = rng.chance(0.6) ? supportReps[0] : supportReps[1];
    conversation(r, moment(workTime, r.hiredAt));
    await tick();
  }
  // The bot answers around the clock.
  for (let i = 0; i < plan.bot; i++) {
    conversation(null, moment(visitTime));
    await tick();
  }
  for (let i = 0; i < plan.browsing; i++) {
    w.add('web_events', 'visit', ctx.nextVisitor(), null, null, 'website', rng.pick(PAGES.browse), moment(visitTime));
    await tick();
  }
  progress(done);
}
