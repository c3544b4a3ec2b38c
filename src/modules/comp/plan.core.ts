import type { Assignment, PlanVersion } from './facts.js';
import type { CommissionComponent, Component, ComponentOf, Tier } from './plan.schema.js';
import { Decimal } from './rounding.js';

/** The plan in force for a person on a day: their assignment covering the day, and the published version of its plan then. */
export type PlanInForce = { assignment: Assignment; version: PlanVersion };

const covers = (from: string, to: string | null, on: string) => from <= on && (to == null || on <= to);

/** Looks up plans in force by person and day; assignments never overlap (the service refuses it), versions of a key neither. */
export function planBook(plans: PlanVersion[], assignments: Assignment[]) {
  const byUser = new Map<string, Assignment[]>();
  for (const a of assignments) byUser.set(a.userId, [...(byUser.get(a.userId) ?? []), a]);
  const byKey = new Map<string, PlanVersion[]>();
  for (const p of plans) byKey.set(p.key, [...(byKey.get(p.key) ?? []), p]);

  const planAt = (userId: string, on: string): PlanInForce | null => {
    const assignment = byUser.get(userId)?.find((a) => covers(a.from, a.to, on));
    if (!assignment) return null;
    const version = byKey.get(assignment.planKey)?.find((v) => covers(v.effectiveFrom, v.effectiveTo, on));
    return version ? { assignment, version } : null;
  };

  /** The component of a type (and optional id or commission credit) in the plan in force. */
  function componentAt<T extends Component['type']>(
    userId: string,
    on: string,
    type: T,
    match: (c: ComponentOf<T>) => boolean = () => true,
  ): { plan: PlanInForce; component: ComponentOf<T> } | null {
    const plan = planAt(userId, on);
    if (!plan) return null;
    const component = plan.version.document.components.find((c) => c.type === type && match(c as ComponentOf<T>));
    return component ? { plan, component: component as ComponentOf<T> } : null;
  }

  const peopleWith = (type: Component['type']) =>
    [...byUser.keys()].filter((u) =>
      byUser.get(u)!.some((a) => byKey.get(a.planKey)?.some((v) => v.document.components.some((c) => c.type === type))),
    );

  return { planAt, componentAt, peopleWith };
}
export type PlanBook = ReturnType<typeof planBook>;

/** The base rate (percent) of a commission component for a level: its level's rate, else the plan-wide rate. */
export function baseRate(c: CommissionComponent, level: number): Decimal | null {
  const r = c.ratesByLevel?.[String(level)] ?? c.rate;
  return r == null ? null : new Decimal(r);
}

/** A band of ARR between two amounts (to null: no upper end) paid at base rate x multiplier. */
export type Band = { from: Decimal; to: Decimal | null; multiplier: Decimal; fromPercent: string; toPercent: string | null };

/**
 * Tiers on attainment turned into bands of cumulative credited ARR for a quota: a tier up to 150% of a $200,000
 * quota ends at $300,000. Without a quota no tier can be placed: one band at the base rate (multiplier 1).
 */
export function bandsFor(tiers: Tier[] | undefined, quota: Decimal | null): Band[] {
  if (!tiers?.length || quota == null || quota.lte(0))
    return [{ from: new Decimal(0), to: null, multiplier: new Decimal(1), fromPercent: '0', toPercent: null }];
  let from = new Decimal(0);
  let fromPercent = '0';
  return tiers.map((t) => {
    const to = t.upToPercent == null ? null : quota.times(t.upToPercent).div(100);
    const band = { from, to, multiplier: new Decimal(t.multiplier), fromPercent, toPercent: t.upToPercent };
    from = to ?? from;
    fromPercent = t.upToPercent ?? fromPercent;
    return band;
  });
}

/**
 * The marginal rule: credited ARR fills the bands in order of close, so a deal that takes cumulative ARR from
 * `before` to `before + amount` is split into the parts inside each band it crosses.
 */
export function splitAcrossBands(before: Decimal, amount: Decimal, bands: Band[]): { band: Band; part: Decimal }[] {
  const after = before.plus(amount);
  const out: { band: Band; part: Decimal }[] = [];
  for (const band of bands) {
    const lo = Decimal.max(before, band.from);
    const hi = band.to == null ? after : Decimal.min(after, band.to);
    if (hi.gt(lo)) out.push({ band, part: hi.minus(lo) });
  }
  return out;
}

/** Two date ranges (inclusive, `to` null: open-ended) share a day. */
export function rangesOverlap(a: { from: string; to: string | null }, b: { from: string; to: string | null }): boolean {
  return (b.to == null || a.from <= b.to) && (a.to == null || b.from <= a.to);
}
