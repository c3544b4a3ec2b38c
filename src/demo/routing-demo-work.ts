import type { Db } from '../db/client.js';
import { acceptHandoff, handOffLead, sendBackHandoff } from '../modules/routing/handoff.service.js';
import { qualifyLead } from '../modules/routing/qualify.service.js';
import { type Answers, type Criterion, DEFAULT_CRITERIA, scoreLead } from '../modules/routing/scorecard.core.js';
import { addBusinessMinutes, type BusinessCalendar } from '../modules/routing/sla.core.js';
import type { Rng } from './rng.js';
import { HANDOFF_SLA_MINUTES, SCORECARDS } from './routing-demo-config.js';
import type { PlannedLead } from './routing-demo-leads.js';
import { isSdr, type Member, type Team } from './routing-demo-team.js';

const MINUTE = 60_000;

/** A lead intake created, with what the demo planned for it. */
export type Created = {
  index: number;
  plan: PlannedLead;
  leadId: string;
  owner: Member | null;
  segment: string | null;
  sourceType: string;
  needsReview: boolean;
  /** The same person submitted again this week (merged into this lead). */
  repeated: boolean;
};

/** Moves the rows a service just stamped with the transaction clock to the moment the demo says it happened. */
export type Settle = (
  at: number,
  ids: { leads?: string[]; opportunities?: string[]; accounts?: string[]; contacts?: string[]; notes?: boolean },
) => Promise<void>;

export type WorkTally = {
  touched: number;
  qualified: number;
  notQualified: number;
  handedOff: number;
  accepted: number;
  sentBack: number;
  pending: number;
  overdue: number;
};

const SEND_BACK_REASONS = [
  'No support team yet: nurture and re-qualify next quarter',
  'Wrong contact: needs the Head of Support in the room',
  'Budget is in next fiscal year, not this one',
];

const criteriaOf = (segment: string): Criterion[] => SCORECARDS[segment as keyof typeof SCORECARDS]?.criteria ?? DEFAULT_CRITERIA;

/** A scorecard fill-in: a promising lead mostly gets the better answers; the optional questions are sometimes not asked yet. */
function answersFor(rng: Rng, criteria: Criterion[], promising: boolean): Answers {
  const answers: Answers = {};
  const weights = promising ? [0.55, 0.33, 0.12, 0.06] : [0.1, 0.3, 0.6, 0.3];
  for (const c of criteria) {
    if (!c.required && rng.chance(0.12)) continue;
    const best = [...c.options].sort((a, b) => b.points - a.points);
    answers[c.key] = rng.weighted(best.map((o, i) => [o.value, weights[Math.min(i, weights.length - 1)]] as const));
  }
  return answers;
}

/** Business minutes from arrival to the owner's first look: outbound is touched as it is sent, forms wait longest. */
function touchDelay(rng: Rng, l: Created, owner: Member): number {
  if (isSdr(owner)) {
    if (l.sourceType === 'spear') return rng.logNormal(8, 0.8);
    if (l.sourceType === 'seed' || l.plan.input.channel === 'call') return rng.logNormal(15, 0.8);
    return rng.logNormal(30, 0.9);
  }
  return rng.logNormal(40, 0.9);
}

function promiseOf(l: Created): number {
  if (l.plan.kind === 'customer' || l.sourceType === 'seed') return 0.55;
  if (['call', 'event', 'chat'].includes(l.plan.input.channel)) return 0.4;
  return 0.25;
}

/**
 * The reps work the week's leads, in the order it happened: first touches (a scorecard fill-in, which is what
 * marks speed to lead), then SDR-to-AE handoffs, then the AEs' answers. Some leads are never touched or touched
 * late (the breaches page), some handoffs are still waiting (the AE inbox), one lapsed (overdue) and one comes back.
 */
export async function workTheWeek(
  tx: Db,
  rng: Rng,
  team: Team,
  created: Created[],
  cal: BusinessCalendar,
  now: number,
  settle: Settle,
): Promise<WorkTally> {
  const tally: WorkTally = { touched: 0, qualified: 0, notQualified: 0, handedOff: 0, accepted: 0, sentBack: 0, pending: 0, overdue: 0 };

  const touches: { l: Created; by: Member; at: number; answers: Answers }[] = [];
  for (const l of created) {
    if (!l.owner || !l.segment || l.needsReview) continue;
    const forgotten = rng.chance(0.07);
    const chat = l.plan.input.channel === 'chat' && !isSdr(l.owner);
    const at = chat
      ? l.plan.at + rng.int(1, 6) * MINUTE
      : addBusinessMinutes(new Date(l.plan.at), touchDelay(rng, l, l.owner), cal).getTime();
    const answers = answersFor(rng, criteriaOf(l.segment), rng.chance(promiseOf(l)));
    if (!forgotten && at < now - MINUTE) touches.push({ l, by: l.owner, at, answers });
  }
  touches.sort((a, b) => a.at - b.at || a.l.index - b.l.index);
  const qualified: { l: Created; at: number }[] = [];
  for (const t of touches) {
    const result = await qualifyLead(tx, t.by.as, t.l.leadId, t.answers, new Date(t.at));
    await settle(t.at, { leads: [t.l.leadId] });
    tally.touched++;
    if (result.qualified) {
      tally.qualified++;
      qualified.push({ l: t.l, at: t.at });
    } else tally.notQualified++;
    // Sanity: the demo's own scoring and the service's agree (the demo plans with the cards it saved).
    if (
      result.qualified !==
      scoreLead({ segment: t.l.segment!, threshold: result.threshold, criteria: criteriaOf(t.l.segment!) }, t.answers).qualified
    )
      throw new Error('routing demo: scorecard mismatch');
  }

  // Qualified SDR leads go to an AE an hour or so later; a lead that was submitted twice stays with its SDR.
  const handoffs = qualified
    .filter(({ l }) => isSdr(l.owner!) && !l.repeated && rng.chance(0.8))
    .map(({ l, at }) => ({
      l,
      at: addBusinessMinutes(new Date(at), rng.logNormal(45, 0.8), cal).getTime(),
      answerIn: rng.logNormal(70, 0.7),
      reason: rng.pick(SEND_BACK_REASONS),
    }))
    .filter((h) => h.at < now - 5 * MINUTE)
    .sort((a, b) => a.at - b.at || a.l.index - b.l.index);
  const dueOf = (at: number) => addBusinessMinutes(new Date(at), HANDOFF_SLA_MINUTES, cal).getTime();
  const answerAt = (h: (typeof handoffs)[number]) => addBusinessMinutes(new Date(h.at), h.answerIn, cal).getTime();
  // The earliest handoff whose SLA has run out is the one the AE let lapse; the next answered one is sent back.
  const lapsed = handoffs.find((h) => dueOf(h.at) < now);
  const sentBack = handoffs.find((h) => h !== lapsed && answerAt(h) < now - MINUTE);
  const answered = handoffs.filter((h) => h !== lapsed && answerAt(h) < now - MINUTE);
  // Keep a few waiting in the AE inbox even late in the day: the latest ones are not answered yet.
  const waiting = handoffs.length - answered.length;
  const answers = answered.slice(0, Math.max(0, answered.length - Math.max(0, 3 - waiting)));

  const opened = new Map<Created, string>();
  for (const h of handoffs) {
    const { handoff, opportunity } = await handOffLead(tx, h.l.owner!.as, h.l.leadId, {}, new Date(h.at));
    await settle(h.at, {
      leads: [h.l.leadId],
      opportunities: [opportunity.id],
      accounts: [opportunity.accountId as string],
      contacts: [opportunity.contactId as string],
    });
    opened.set(h.l, handoff.id);
    tally.handedOff++;
  }
  const byAnswerTime = answers.map((h) => ({ h, at: answerAt(h) })).sort((a, b) => a.at - b.at || a.h.l.index - b.h.l.index);
  for (const { h, at } of byAnswerTime) {
    const id = opened.get(h.l)!;
    const [{ aeId, opportunityId }] = await tx.query<{ aeId: string; opportunityId: string }>(
      'select ae_id as "aeId", opportunity_id as "opportunityId" from handoffs where id = $1',
      [id],
    );
    const ae = team.byId.get(aeId)!;
    if (h === sentBack) {
      await sendBackHandoff(tx, ae.as, id, h.reason, new Date(at));
      await settle(at, { leads: [h.l.leadId], opportunities: [opportunityId] });
      tally.sentBack++;
    } else {
      await acceptHandoff(tx, ae.as, id, new Date(at));
      await settle(at, { leads: [h.l.leadId] });
      tally.accepted++;
    }
  }
  tally.pending = tally.handedOff - tally.accepted - tally.sentBack;
  tally.overdue = handoffs.filter((h) => !answers.includes(h) && dueOf(h.at) < now).length;
  return tally;
}
