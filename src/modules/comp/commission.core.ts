import { AppError } from '../../platform/errors.js';
import type { EngineContext, LineDraft } from './context.core.js';
import { quarterOf } from './dates.core.js';
import type { Credit, DealFact } from './facts.js';
import type { PlanInForce } from './plan.core.js';
import { type Band, bandsFor, baseRate, splitAcrossBands } from './plan.core.js';
import type { AhaTranche, CommissionComponent } from './plan.schema.js';
import { Decimal, formatPercent, roundLine } from './rounding.js';

/**
 * Commission on credited ARR: the base rate of the assignment's level, marginal tiers on attainment, the cap, and the
 * split into what is paid at signing and what is held until the aha milestone. What follows a deal (release, forfeit,
 * rating accelerator, clawback) is deal-events.core.ts. docs/compensation.md has the rules.
 *
 * This runs once per credit (tens of thousands in a year): bands, rates and formatting are computed once per plan,
 * level and quota and reused, and amounts are formatted from their two-decimal strings.
 */

/** One person's credit on one deal, in the order deals closed. */
export type CreditEvent = { deal: DealFact; credit: Credit; credited: Decimal };

/** What the later events of a deal need to know about its commission. */
export type DealCommission = {
  deal: DealFact;
  credit: Credit;
  credited: Decimal;
  plan: PlanInForce;
  component: CommissionComponent;
  earned: Decimal;
  held: Decimal;
  /** The base rate in percent, and the exact commission before rounding and cap (tiers included). */
  rate: Decimal;
  exact: Decimal;
};

export function creditEvents(deals: DealFact[]): CreditEvent[] {
  const sorted = deals.map((d) => ({ d, t: d.at.getTime() })).sort((a, b) => a.t - b.t || (a.d.id < b.d.id ? -1 : a.d.id > b.d.id ? 1 : 0));
  const out: CreditEvent[] = [];
  for (const { d: deal } of sorted) {
    const amount = new Decimal(deal.amount);
    for (const credit of deal.credits)
      out.push({ deal, credit, credited: credit.percent === '100' ? amount : amount.times(credit.percent).div(100) });
  }
  return out;
}

/** A band with its rate: base rate x multiplier, and that as a fraction to multiply ARR by. */
type PricedBand = { band: Band; rate: Decimal; fraction: Decimal };

/** Earning (and hold) lines for every credit, with the state the later events of each deal start from. */
export function commissionEarnings(ctx: EngineContext, credits: CreditEvent[]): { lines: LineDraft[]; deals: DealCommission[] } {
  // Cumulative credited ARR per person, credit role and quota period (calendar quarter without a quota): the tier position.
  const cumulative = new Map<string, { arr: Decimal; ratio: string; percent: string }>();
  const capUsed = new Map<string, Decimal>();
  const priced = new Map<string, { base: Decimal; bands: PricedBand[] }>();
  const lines: LineDraft[] = [];
  const deals: DealCommission[] = [];
  for (const e of credits) {
    const { deal, credit } = e;
    const quota = ctx.quotaOn(credit.userId, 'new_arr', deal.on);
    const periodKey = quota ? quota.quota.start : quarterOf(deal.on);
    const cumKey = `${credit.userId}|${credit.role}|${periodKey}`;
    const prior = cumulative.get(cumKey) ?? { arr: new Decimal(0), ratio: '0.0000', percent: '0.0' };
    const after = prior.arr.plus(e.credited);
    const ratio = quota ? after.div(quota.ramped) : null;
    cumulative.set(cumKey, { arr: after, ratio: ratio?.toFixed(4) ?? '', percent: ratio?.times(100).toFixed(1) ?? '' });

    const found = ctx.book.componentAt(credit.userId, deal.on, 'commission', (c) => c.credit === credit.role);
    if (!found) continue;
    const { plan, component } = found;
    const level = plan.assignment.level;
    const bandsKey = `${plan.version.key}@${plan.version.version}|${component.id}|${level}|${quota ? `${credit.userId}|${quota.quota.start}` : '-'}`;
    let pricing = priced.get(bandsKey);
    if (!pricing) {
      pricing = priceBands(component, level, quota?.ramped ?? null, plan);
      priced.set(bandsKey, pricing);
    }
    const { base: rate, bands } = pricing;
    const parts =
      bands.length === 1
        ? [{ p: bands[0], part: e.credited }]
        : splitAcrossBands(
            prior.arr,
            e.credited,
            bands.map((b) => b.band),
          ).map(({ band, part }) => ({ p: bands.find((b) => b.band === band)!, part }));
    let exact = new Decimal(0);
    const exacts = parts.map(({ p, part }) => {
      const x = part.times(p.fraction);
      exact = exact.plus(x);
      return x;
    });
    let earned = roundLine(exact);
    const uncapped = earned.toFixed(2);

    let capNote = '';
    if (component.cap) {
      const capKey = `${credit.userId}|${component.id}|${periodKey}`;
      const used = capUsed.get(capKey) ?? new Decimal(0);
      const room = Decimal.max(new Decimal(component.cap).minus(used), 0);
      if (earned.gt(room)) {
        capNote = `; capped at ${ctx.money(room.toFixed(2))}: what is left of the ${ctx.money(component.cap)} cap after ${ctx.money(used.toFixed(2))} earned before`;
        earned = room;
      }
      capUsed.set(capKey, used.plus(earned));
    }

    const aha = component.tranches?.find((t): t is AhaTranche => t.on === 'aha_milestone');
    const held = aha ? roundLine(earned.times(aha.percent).div(100)) : new Decimal(0);
    const earnedText = earned.toFixed(2);
    const heldText = held.toFixed(2);
    const creditedText = e.credited.toFixed(2);
    const tiered = bands.length > 1;
    const attainment = quota
      ? {
          quota: quota.ramped.toFixed(2),
          quotaPeriod: `${quota.quota.start}..${quota.quota.end}`,
          before: prior.ratio,
          after: ratio!.toFixed(4),
        }
      : null;
    const money = ctx.money;
    const split = credit.percent === '100' ? '' : ` (${credit.percent}% of ${money(deal.amount)})`;
    const what = credit.role === 'sdr' ? 'sourced ARR' : 'credited ARR';
    const terms = parts.map(({ p, part }) => {
      if (!tiered) return `${formatPercent(p.rate)} x ${money(part.toFixed(2))} ${what}${split}`;
      const range = p.band.toPercent == null ? `above ${p.band.fromPercent}%` : `${p.band.fromPercent}%-${p.band.toPercent}%`;
      const mult = p.band.multiplier.eq(1) ? '' : `, x${p.band.multiplier}`;
      return `${formatPercent(p.rate)} x ${money(part.toFixed(2))} (${range} of quota${mult})`;
    });
    const noQuota = !quota && component.tiers ? ' (no new_arr quota covers the close date: base rate, no tiers)' : '';
    const arithmetic =
      `${tiered ? `${money(creditedText)} ${what}${split}: ` : ''}${terms.join(' + ') || `${money('0.00')} ${what}`} = ${money(uncapped)}${noQuota}` +
      capNote +
      (attainment ? `; attainment ${prior.percent}% -> ${cumulative.get(cumKey)!.percent}% of ${money(attainment.quota)} quota` : '') +
      (aha && !earned.isZero()
        ? `; ${new Decimal(100).minus(aha.percent)}% paid at signing (${money(earned.minus(held).toFixed(2))}), ${aha.percent}% held until the aha milestone (${money(heldText)})`
        : '');
    // Object literals without spreads: tens of thousands of these are made per run.
    const planKey = plan.version.key;
    const planVersion = plan.version.version;
    lines.push({
      userId: credit.userId,
      key: `earning:${component.id}:opp:${deal.id}`,
      kind: 'earning',
      at: deal.at,
      on: deal.on,
      component: component.id,
      rule: `commission.${credit.role}`,
      planKey,
      planVersion,
      opportunityId: deal.id,
      accountId: deal.accountId,
      leadId: null,
      amount: earnedText,
      inputs: {
        dealArr: deal.amount,
        splitPercent: credit.percent,
        creditedArr: creditedText,
        level,
        baseRate: rate.toString(),
        attainment,
        parts: tiered
          ? parts.map(({ p, part }, i) => ({
              fromPercent: p.band.fromPercent,
              toPercent: p.band.toPercent,
              multiplier: p.band.multiplier.toString(),
              rate: p.rate.toString(),
              arr: part.toFixed(2),
              exact: exacts[i].toString(),
            }))
          : null,
        exact: exact.toString(),
        cap: component.cap ?? null,
        heldPercent: aha?.percent ?? null,
      },
      arithmetic,
    });
    if (held.gt(0))
      lines.push({
        userId: credit.userId,
        key: `hold:${component.id}:opp:${deal.id}`,
        kind: 'hold',
        at: deal.at,
        on: deal.on,
        component: component.id,
        rule: 'tranche.aha_milestone',
        planKey,
        planVersion,
        opportunityId: deal.id,
        accountId: deal.accountId,
        leadId: null,
        amount: `-${heldText}`,
        inputs: {
          earned: earnedText,
          percent: aha!.percent,
          onMissed: aha!.onMissed,
          onChurn: aha!.onChurn,
          extendDays: aha!.extendDays ?? null,
        },
        arithmetic: `${aha!.percent}% of ${money(earnedText)} held until ${deal.accountName ?? 'the account'} reaches its aha milestone = ${money(`-${heldText}`)}`,
      });
    deals.push({ deal, credit, credited: e.credited, plan, component, earned, held, rate, exact });
  }
  return { lines, deals };
}

/** The tiers of a component for a quota, each with its rate at the level (base rate x multiplier). */
function priceBands(component: CommissionComponent, level: number, quota: Decimal | null, plan: PlanInForce) {
  const base = baseRate(component, level);
  if (!base)
    throw new AppError(
      'conflict',
      `plan ${plan.version.key} v${plan.version.version} has no rate for level ${level} (component ${component.id})`,
    );
  const bands = bandsFor(component.tiers, quota).map((band) => {
    const rate = base.times(band.multiplier);
    return { band, rate, fraction: rate.div(100) };
  });
  return { base, bands };
}
