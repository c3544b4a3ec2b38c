import { type Employment, monthFactor, monthsOf } from '../quotas/quotas.core.js';
import type { CompFacts, EngineLine, Person, QuotaFact } from './facts.js';
import { type PlanBook, planBook } from './plan.core.js';
import { Decimal, formatMoney } from './rounding.js';

/** What every component's rules share: the plan lookup, quotas, people and money formatting. */
export type EngineContext = {
  facts: CompFacts;
  book: PlanBook;
  people: Map<string, Person>;
  money: (v: Decimal.Value) => string;
  /** The quota of a person and metric covering a day, with its ramped amount for its whole period. */
  quotaOn: (userId: string, metric: QuotaFact['metric'], on: string) => { quota: QuotaFact; ramped: Decimal } | null;
  /** A person's ramped quota of a metric for a range of days (the parts of quotas inside it). */
  quotaIn: (userId: string, metric: QuotaFact['metric'], range: { start: string; end: string }) => Decimal | null;
};

export function engineContext(facts: CompFacts): EngineContext {
  const people = new Map(facts.people.map((p) => [p.id, p]));
  const quotasOf = new Map<string, QuotaFact[]>();
  for (const q of facts.quotas) {
    const k = `${q.userId}|${q.metric}`;
    quotasOf.set(k, [...(quotasOf.get(k) ?? []), q]);
  }
  const employment = (userId: string) => {
    const p = people.get(userId);
    return { hireDate: p?.hireDate ?? null, leftAt: p?.leftAt ?? null };
  };
  const ramped = new Map<QuotaFact, Decimal>();
  const rampedOf = (q: QuotaFact) => {
    let r = ramped.get(q);
    if (!r) {
      r = q.metric === 'grr' ? new Decimal(q.amount) : rampedShare(q, q, employment(q.userId), facts.ramp);
      ramped.set(q, r);
    }
    return r;
  };
  return {
    facts,
    book: planBook(facts.plans, facts.assignments),
    people,
    money: (v) => formatMoney(v, facts.currency),
    quotaOn(userId, metric, on) {
      const quota = quotasOf.get(`${userId}|${metric}`)?.find((q) => q.start <= on && on <= q.end);
      return quota ? { quota, ramped: rampedOf(quota) } : null;
    },
    quotaIn(userId, metric, range) {
      const rows = quotasOf.get(`${userId}|${metric}`)?.filter((q) => q.start <= range.end && range.start <= q.end) ?? [];
      if (!rows.length) return null;
      return rows.reduce((sum, q) => sum.plus(rampedShare(q, range, employment(userId), facts.ramp)), new Decimal(0));
    },
  };
}

/**
 * The ramped part of a quota inside a range of days, as the quotas module defines it (spread evenly over the quota's
 * months, each month weighed by the ramp and leaving factor), computed as amount x sum of factors / months so that a
 * whole, fully ramped period gives back the amount exactly (a tier ending at 100% must end at exactly the quota).
 */
function rampedShare(q: QuotaFact, range: { start: string; end: string }, e: Employment, ramp: number[]): Decimal {
  const months = monthsOf(q);
  const firstMonth = range.start.slice(0, 7);
  const factors = months
    .filter((m) => m.slice(0, 7) >= firstMonth && m <= range.end)
    .reduce((sum, m) => sum.plus(monthFactor(m, e, ramp)), new Decimal(0));
  return new Decimal(q.amount).times(factors).div(months.length);
}

/** Common fields of a line from the plan in force. */
export const fromPlan = (plan: { version: { key: string; version: number } } | null) => ({
  planKey: plan?.version.key ?? null,
  planVersion: plan?.version.version ?? null,
});

/** A line before its month is set (computeLines sets it from `on`). */
export type LineDraft = Omit<EngineLine, 'month'> & { month?: string };
