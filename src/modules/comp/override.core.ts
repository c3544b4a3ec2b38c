import type { CreditEvent } from './commission.core.js';
import { type EngineContext, fromPlan, type LineDraft } from './context.core.js';
import { monthOf, quarterBounds, quarterOf } from './dates.core.js';
import { type Band, bandsFor, splitAcrossBands } from './plan.core.js';
import type { ComponentOf } from './plan.schema.js';
import { Decimal, formatPercent, formatRatio, roundLine } from './rounding.js';

type Bucket = {
  managerId: string;
  month: string;
  component: ComponentOf<'manager_override'>;
  plan: NonNullable<ReturnType<EngineContext['book']['planAt']>>;
  deals: number;
  arr: Decimal;
  parts: Map<string, { fromPercent: string; toPercent: string | null; multiplier: Decimal; rate: Decimal; arr: Decimal }>;
  exact: Decimal;
  last: CreditEvent;
  quarter: string;
  teamQuota: Decimal | null;
  startArr: Decimal;
  endArr: Decimal;
};

/**
 * The manager's override: a rate on the AE credit of the reps of the teams they manage, with marginal tiers on the
 * team's attainment (its credited ARR against the sum of its reps' ramped new_arr quotas for the calendar quarter).
 * One line per manager and month, with the deals counted and the part of the team's ARR in each tier.
 */
export function overrideLines(ctx: EngineContext, credits: CreditEvent[]): LineDraft[] {
  const managedBy = new Map<string, string>();
  for (const t of ctx.facts.teams) if (t.managerId) managedBy.set(t.id, t.managerId);
  const members = new Map<string, string[]>();
  for (const p of ctx.facts.people) {
    const m = p.teamId ? managedBy.get(p.teamId) : undefined;
    if (m && m !== p.id) members.set(m, [...(members.get(m) ?? []), p.id]);
  }
  const teamQuotas = new Map<string, Decimal | null>();
  const teamQuota = (managerId: string, quarter: string) => {
    const k = `${managerId}|${quarter}`;
    if (!teamQuotas.has(k)) {
      const range = quarterBounds(quarter);
      const parts = (members.get(managerId) ?? []).map((id) => ctx.quotaIn(id, 'new_arr', range)).filter((q): q is Decimal => q != null);
      teamQuotas.set(k, parts.length ? parts.reduce((s, q) => s.plus(q), new Decimal(0)) : null);
    }
    return teamQuotas.get(k)!;
  };

  const cumulative = new Map<string, Decimal>();
  const buckets = new Map<string, Bucket>();
  const bandCache = new Map<string, { band: Band; rate: Decimal; fraction: Decimal }[]>();
  for (const e of credits) {
    if (e.credit.role !== 'ae') continue;
    const person = ctx.people.get(e.credit.userId);
    const managerId = person?.teamId ? managedBy.get(person.teamId) : undefined;
    if (!managerId || managerId === e.credit.userId) continue;
    const quarter = quarterOf(e.deal.on);
    const cumKey = `${managerId}|${quarter}`;
    const before = cumulative.get(cumKey) ?? new Decimal(0);
    cumulative.set(cumKey, before.plus(e.credited));
    const found = ctx.book.componentAt(managerId, e.deal.on, 'manager_override');
    if (!found) continue;
    const { plan, component } = found;
    const quota = teamQuota(managerId, quarter);
    const month = monthOf(e.deal.on);
    const bucketKey = `${managerId}|${month}|${plan.version.key}|${plan.version.version}`;
    let b = buckets.get(bucketKey);
    if (!b) {
      b = {
        managerId,
        month,
        component,
        plan,
        deals: 0,
        arr: new Decimal(0),
        parts: new Map(),
        exact: new Decimal(0),
        last: e,
        quarter,
        teamQuota: quota,
        startArr: before,
        endArr: before,
      };
      buckets.set(bucketKey, b);
    }
    b.deals += 1;
    b.arr = b.arr.plus(e.credited);
    b.last = e;
    b.endArr = before.plus(e.credited);
    const bandsKey = `${bucketKey}|${quarter}`;
    let bands = bandCache.get(bandsKey);
    if (!bands) {
      bands = bandsFor(component.tiers, quota).map((band) => {
        const rate = new Decimal(component.rate).times(band.multiplier);
        return { band, rate, fraction: rate.div(100) };
      });
      bandCache.set(bandsKey, bands);
    }
    const split =
      bands.length === 1
        ? [{ band: bands[0].band, part: e.credited }]
        : splitAcrossBands(
            before,
            e.credited,
            bands.map((x) => x.band),
          );
    for (const { band, part } of split) {
      const priced = bands.find((x) => x.band === band)!;
      const k = `${band.fromPercent}|${band.toPercent}`;
      const p = b.parts.get(k) ?? {
        fromPercent: band.fromPercent,
        toPercent: band.toPercent,
        multiplier: band.multiplier,
        rate: priced.rate,
        arr: new Decimal(0),
      };
      p.arr = p.arr.plus(part);
      b.parts.set(k, p);
      b.exact = b.exact.plus(part.times(priced.fraction));
    }
  }

  return [...buckets.values()].map((b) => {
    const amount = roundLine(b.exact);
    const parts = [...b.parts.values()];
    const tiered = !!b.component.tiers && b.teamQuota != null;
    const terms = parts.map((p) =>
      tiered
        ? `${formatPercent(p.rate)} x ${ctx.money(p.arr)} (${p.toPercent == null ? `above ${p.fromPercent}%` : `${p.fromPercent}%-${p.toPercent}%`} of team quota${p.multiplier.eq(1) ? '' : `, x${p.multiplier}`})`
        : `${formatPercent(p.rate)} x ${ctx.money(p.arr)} team ARR`,
    );
    const attainment = b.teamQuota?.gt(0)
      ? `; team attainment ${formatRatio(b.startArr.div(b.teamQuota))} -> ${formatRatio(b.endArr.div(b.teamQuota))} of ${ctx.money(b.teamQuota)} (${b.quarter})`
      : '';
    return {
      userId: b.managerId,
      key: `earning:${b.component.id}:${b.month}:${b.plan.version.key}@${b.plan.version.version}`,
      kind: 'earning' as const,
      rule: 'manager_override',
      component: b.component.id,
      ...fromPlan(b.plan),
      at: b.last.deal.at,
      on: b.last.deal.on,
      amount: amount.toFixed(2),
      inputs: {
        deals: b.deals,
        teamArr: b.arr.toFixed(2),
        quarter: b.quarter,
        teamQuota: b.teamQuota?.toFixed(2) ?? null,
        parts: parts.map((p) => ({
          fromPercent: p.fromPercent,
          toPercent: p.toPercent,
          multiplier: p.multiplier.toString(),
          rate: p.rate.toString(),
          arr: p.arr.toFixed(2),
        })),
        exact: b.exact.toString(),
      },
      arithmetic: `${b.deals} team deal${b.deals === 1 ? '' : 's'} in ${b.month}: ${terms.join(' + ')} = ${ctx.money(amount)}${attainment}`,
    };
  });
}
