import type { DealCommission } from './commission.core.js';
import { type EngineContext, fromPlan, type LineDraft } from './context.core.js';
import { addDays, endOfLocalDay } from './dates.core.js';
import type { ChurnFact, DealFact, MilestoneFact, RatingFact } from './facts.js';
import type { AhaTranche, ComponentOf } from './plan.schema.js';
import { Decimal, roundLine } from './rounding.js';

/**
 * What follows a deal's commission, in the order it happens: the aha hold's release or forfeit (milestone reached,
 * missed, window extended, customer churned), the buyer-rating accelerator, and the churn clawback.
 */

function push<T>(map: Map<string, T[]>, key: string, value: T) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Index of milestones, churns and ratings by the deal they concern. */
export type DealFactsIndex = {
  milestoneOf: (deal: DealFact) => MilestoneFact | null;
  churnAfter: (deal: DealFact) => ChurnFact | null;
  ratingOf: (dealId: string) => RatingFact | null;
  /** A person's average rating and count over ratings given up to an instant. */
  overallAt: (repId: string, at: Date) => { average: Decimal; count: number };
};

export function indexDealFacts(ctx: EngineContext): DealFactsIndex {
  const { facts } = ctx;
  const byOpp = new Map<string, MilestoneFact>();
  const byAccount = new Map<string, MilestoneFact>();
  for (const m of [...facts.milestones].sort((a, b) => (a.windowEndOn < b.windowEndOn ? -1 : 1))) {
    if (m.opportunityId && !byOpp.has(m.opportunityId)) byOpp.set(m.opportunityId, m);
    if (!byAccount.has(m.accountId)) byAccount.set(m.accountId, m);
  }
  // A churn of the subscription a deal created is that deal's; a churn of a subscription no deal created, the account's.
  const churnsByDeal = new Map<string, ChurnFact[]>();
  const churnsByAccount = new Map<string, ChurnFact[]>();
  for (const c of [...facts.churns].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if (c.opportunityId) push(churnsByDeal, c.opportunityId, c);
    else push(churnsByAccount, c.accountId, c);
  }
  const ratingByDeal = new Map(facts.ratings.map((r) => [r.opportunityId, r]));
  // Per rep, ratings in time order with running sums: the overall rating at any instant by binary search.
  const byRep = new Map<string, { at: number[]; sums: Decimal[] }>();
  for (const r of [...facts.ratings].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const s = byRep.get(r.repId) ?? { at: [], sums: [] };
    s.sums.push((s.sums.at(-1) ?? new Decimal(0)).plus(r.rating));
    s.at.push(r.at.getTime());
    byRep.set(r.repId, s);
  }
  return {
    milestoneOf: (deal) => byOpp.get(deal.id) ?? (deal.accountId ? (byAccount.get(deal.accountId) ?? null) : null),
    churnAfter: (deal) => {
      const after = (list: ChurnFact[] | undefined) => list?.find((c) => c.at.getTime() > deal.at.getTime());
      return after(churnsByDeal.get(deal.id)) ?? (deal.accountId ? after(churnsByAccount.get(deal.accountId)) : undefined) ?? null;
    },
    ratingOf: (dealId) => ratingByDeal.get(dealId) ?? null,
    overallAt: (repId, at) => {
      const s = byRep.get(repId);
      if (!s) return { average: new Decimal(0), count: 0 };
      let lo = 0;
      let hi = s.at.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (s.at[mid] <= at.getTime()) lo = mid + 1;
        else hi = mid;
      }
      return lo === 0 ? { average: new Decimal(0), count: 0 } : { average: s.sums[lo - 1].div(lo), count: lo };
    },
  };
}

type Resolution = { type: 'release' | 'forfeit'; at: Date; on: string; why: string };

/**
 * How the aha hold of a deal ends, from the milestone alone (null: still waiting, with the reason). `extended` waits
 * extendDays past the window's end (policy extend, or a churn under onChurn extend).
 */
function milestoneResolution(
  m: MilestoneFact | null,
  aha: AhaTranche,
  extended: boolean,
  timezone: string,
  today: string,
): { resolution: Resolution | null; waiting: string } {
  if (!m) return { resolution: null, waiting: 'no aha milestone is tracked for this account yet' };
  const deadline = extended ? addDays(m.windowEndOn, aha.extendDays ?? 0) : m.windowEndOn;
  const pastDeadline = { at: endOfLocalDay(deadline, timezone), on: addDays(deadline, 1) };
  if (m.status === 'reached' && m.reachedOn && m.reachedOn <= deadline) {
    const at = m.decidedAt ?? endOfLocalDay(m.reachedOn, timezone);
    const on = m.decidedOn ?? m.reachedOn;
    return { resolution: { type: 'release', at, on, why: `aha milestone "${m.name}" reached ${m.reachedOn}` }, waiting: '' };
  }
  if (m.status === 'reached' || m.status === 'missed') {
    if (!extended) {
      const at = m.missedAt ?? m.decidedAt ?? pastDeadline.at;
      const on = m.missedOn ?? m.decidedOn ?? pastDeadline.on;
      return {
        resolution: { type: 'forfeit', at, on, why: `aha milestone "${m.name}" missed (window ended ${m.windowEndOn})` },
        waiting: '',
      };
    }
    if (pastDeadline.on <= today)
      return {
        resolution: {
          type: 'forfeit',
          at: pastDeadline.at,
          on: pastDeadline.on,
          why: `aha milestone "${m.name}" not reached by ${deadline} (window extended)`,
        },
        waiting: '',
      };
    return { resolution: null, waiting: `aha milestone "${m.name}" missed on ${m.windowEndOn}; window extended to ${deadline}` };
  }
  return { resolution: null, waiting: `aha milestone "${m.name}", window ends ${deadline}` };
}

/** Releases, forfeits, rating accelerators and clawbacks of every deal, in the order they happened. */
export function dealFollowUps(ctx: EngineContext, deals: DealCommission[], index: DealFactsIndex): LineDraft[] {
  const lines: LineDraft[] = [];
  const { timezone, today } = ctx.facts;
  for (const d of deals) {
    const { deal, component, plan } = d;
    const doc = plan.version.document;
    const aha = component.tranches?.find((t): t is AhaTranche => t.on === 'aha_milestone');
    const clawback = doc.components.find(
      (c): c is ComponentOf<'churn_clawback'> => c.type === 'churn_clawback' && c.appliesTo.includes(component.id),
    );
    const rating = doc.components.find(
      (c): c is ComponentOf<'rating_accelerator'> => c.type === 'rating_accelerator' && c.appliesTo === component.id,
    );
    const churn = index.churnAfter(deal);
    const clawedBack = churn && clawback && churn.at.getTime() - deal.at.getTime() <= clawback.withinDays * 86_400_000 ? churn : null;
    const milestone = index.milestoneOf(deal);

    // The hold's end: the milestone's outcome, unless a churn comes first (clawback, or the churn policy).
    let resolution: Resolution | null = null;
    if (aha && d.held.gt(0)) {
      const plain = milestoneResolution(milestone, aha, aha.onMissed === 'extend', timezone, today).resolution;
      if (churn && (!plain || churn.at < plain.at)) {
        if (clawedBack) resolution = { type: 'forfeit', at: churn.at, on: churn.on, why: 'the deal was clawed back (churn)' };
        else if (aha.onChurn === 'forfeit')
          resolution = {
            type: 'forfeit',
            at: churn.at,
            on: churn.on,
            why: `the customer churned on ${churn.on}, before the aha milestone`,
          };
        else resolution = milestoneResolution(milestone, aha, true, timezone, today).resolution;
      } else resolution = plain;
    }

    const rated = rating ? index.ratingOf(deal.id) : null;
    if (!resolution && !rated && !clawedBack) continue;

    type Step = { at: Date; order: number; run: () => void };
    const steps: Step[] = [];
    let paid = d.earned.minus(d.held);
    let clawed = false;
    const common = {
      userId: d.credit.userId,
      ...fromPlan(plan),
      opportunityId: deal.id,
      accountId: deal.accountId,
    };
    const prefix = `${component.id}:opp:${deal.id}`;
    if (resolution) {
      const r = resolution;
      steps.push({
        at: r.at,
        order: 2,
        run: () => {
          if (clawed && r.type === 'release') return;
          if (r.type === 'release') paid = paid.plus(d.held);
          lines.push({
            ...common,
            at: r.at,
            on: r.on,
            component: component.id,
            key: `${r.type}:${prefix}`,
            kind: r.type,
            rule: 'tranche.aha_milestone',
            amount: r.type === 'release' ? d.held.toFixed(2) : '0.00',
            inputs: { deal: deal.name, held: d.held.toFixed(2), why: r.why },
            arithmetic:
              r.type === 'release'
                ? `Release of the ${ctx.money(d.held)} held on ${deal.name}: ${r.why} = ${ctx.money(d.held)}`
                : `The ${ctx.money(d.held)} held on ${deal.name} is forfeited: ${r.why}`,
          });
        },
      });
    }
    if (rating && rated)
      steps.push({
        at: rated.at,
        order: 1,
        run: () => {
          if (clawed || rated.rating < rating.dealRating) return;
          const line = ratingLine(ctx, d, rating, rated, index);
          paid = paid.plus(line.amount);
          lines.push({ ...common, ...line });
        },
      });
    if (clawedBack && clawback)
      steps.push({
        at: clawedBack.at,
        order: 0,
        run: () => {
          const back = roundLine(paid.times(clawback.percent).div(100));
          clawed = true;
          const afterDays = Math.floor((clawedBack.at.getTime() - deal.at.getTime()) / 86_400_000);
          lines.push({
            ...common,
            at: clawedBack.at,
            on: clawedBack.on,
            component: clawback.id,
            key: `clawback:${clawback.id}:${prefix}`,
            kind: 'clawback',
            rule: 'churn_clawback',
            amount: back.negated().toFixed(2),
            inputs: {
              deal: deal.name,
              closedOn: deal.on,
              churnedOn: clawedBack.on,
              days: afterDays,
              withinDays: clawback.withinDays,
              paid: paid.toFixed(2),
              percent: clawback.percent,
            },
            arithmetic: `${deal.accountName ?? 'The customer'} churned on ${clawedBack.on}, ${afterDays} days after the close (clawback within ${clawback.withinDays}): ${clawback.percent}% of ${ctx.money(paid)} paid = ${ctx.money(back.negated())}`,
          });
        },
      });
    steps.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
    for (const s of steps) s.run();
  }
  return lines;
}

function ratingLine(
  ctx: EngineContext,
  d: DealCommission,
  rule: ComponentOf<'rating_accelerator'>,
  rated: RatingFact,
  index: DealFactsIndex,
): Omit<LineDraft, 'userId' | 'planKey' | 'planVersion' | 'opportunityId' | 'accountId'> {
  const overall = index.overallAt(d.credit.userId, rated.at);
  const eligible = overall.count >= rule.minRatings && overall.average.gte(rule.minOverallRating);
  const baseExact = d.credited.times(d.rate).div(100);
  const bonusExact = baseExact.times(rule.percent).div(100);
  const tierExtra = Decimal.max(d.exact.minus(baseExact), 0);
  const exact = !eligible ? new Decimal(0) : rule.combine === 'instead' ? Decimal.max(bonusExact.minus(tierExtra), 0) : bonusExact;
  const amount = roundLine(exact);
  const avg = overall.count ? overall.average.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2) : '-';
  const standing = `overall rating ${avg} over ${overall.count} rating${overall.count === 1 ? '' : 's'} on ${rated.on}`;
  const arithmetic = !eligible
    ? `Rated ${rated.rating} on ${rated.on}, but ${standing} (needs ${rule.minOverallRating} over at least ${rule.minRatings}): no accelerator`
    : rule.combine === 'instead'
      ? `Rated ${rated.rating}, ${standing}: ${rule.percent}% x ${ctx.money(roundLine(baseExact))} base commission = ${ctx.money(roundLine(bonusExact))}, instead of the ${ctx.money(roundLine(tierExtra))} tier accelerator = ${ctx.money(amount)}`
      : `Rated ${rated.rating}, ${standing}: ${rule.percent}% x ${ctx.money(roundLine(baseExact))} base commission = ${ctx.money(amount)}`;
  return {
    at: rated.at,
    on: rated.on,
    component: rule.id,
    key: `rating:${rule.id}:${d.component.id}:opp:${d.deal.id}`,
    kind: 'earning',
    rule: 'rating_accelerator',
    amount: amount.toFixed(2),
    inputs: {
      deal: d.deal.name,
      rating: rated.rating,
      overall: avg,
      ratings: overall.count,
      eligible,
      percent: rule.percent,
      baseCommission: roundLine(baseExact).toFixed(2),
      tierAccelerator: roundLine(tierExtra).toFixed(2),
      combine: rule.combine,
    },
    arithmetic,
  };
}
