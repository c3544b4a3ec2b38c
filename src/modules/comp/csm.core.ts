import { grrPercent } from '../quotas/quotas.core.js';
import { type EngineContext, fromPlan, type LineDraft } from './context.core.js';
import { endOfLocalDay, quarterBounds } from './dates.core.js';
import { Decimal, formatPercent, roundLine, toMoney } from './rounding.js';

/**
 * CSMs: a fixed bonus for each calendar quarter whose gross revenue retention meets the target, booked on the
 * quarter's last day; or a commission on each expansion of their accounts, booked when it happens.
 */
export function retentionBonusLines(ctx: EngineContext): LineDraft[] {
  const lines: LineDraft[] = [];
  for (const r of ctx.facts.retention) {
    const { end } = quarterBounds(r.quarter);
    const found = ctx.book.componentAt(r.csmId, end, 'retention_bonus');
    if (!found) continue;
    const { plan, component } = found;
    const grr = grrPercent(r.startArr, r.losses);
    if (grr == null) continue;
    const fromQuota = component.targetFromQuota ? ctx.quotaOn(r.csmId, 'grr', end) : null;
    const target = fromQuota ? fromQuota.quota.amount : component.targetGrrPercent;
    const met = target != null && new Decimal(grr).gte(target);
    const amount = met ? toMoney(component.amount) : '0.00';
    const gross = `GRR ${r.quarter} = (${ctx.money(r.startArr)} ARR at the start - ${ctx.money(r.losses)} contraction and churn) / ${ctx.money(r.startArr)} = ${grr}%`;
    lines.push({
      userId: r.csmId,
      key: `earning:${component.id}:${r.quarter}`,
      kind: 'earning',
      rule: 'retention_bonus',
      component: component.id,
      ...fromPlan(plan),
      at: endOfLocalDay(end, ctx.facts.timezone),
      on: end,
      amount,
      inputs: {
        quarter: r.quarter,
        startArr: r.startArr,
        losses: r.losses,
        grr,
        target,
        targetFrom: fromQuota ? 'quota' : 'plan',
        bonus: component.amount,
      },
      arithmetic:
        target == null
          ? `${gross}; no GRR target (no grr quota for the quarter): no bonus`
          : met
            ? `${gross}, at or above the ${formatPercent(target)} target: bonus ${ctx.money(amount)}`
            : `${gross}, below the ${formatPercent(target)} target: no bonus`,
    });
  }
  return lines;
}

export function expansionLines(ctx: EngineContext): LineDraft[] {
  const lines: LineDraft[] = [];
  for (const x of ctx.facts.expansions) {
    const found = ctx.book.componentAt(x.csmId, x.on, 'expansion_commission');
    if (!found) continue;
    const { plan, component } = found;
    const amount = roundLine(new Decimal(x.amount).times(component.rate).div(100));
    lines.push({
      userId: x.csmId,
      key: `earning:${component.id}:movement:${x.id}`,
      kind: 'earning',
      rule: 'expansion_commission',
      component: component.id,
      ...fromPlan(plan),
      accountId: x.accountId,
      at: x.at,
      on: x.on,
      amount: amount.toFixed(2),
      inputs: { account: x.accountName, expansionArr: x.amount, rate: component.rate, movementId: x.id },
      arithmetic: `${formatPercent(component.rate)} x ${ctx.money(x.amount)} expansion ARR (${x.accountName ?? 'account'}, ${x.on}) = ${ctx.money(amount)}`,
    });
  }
  return lines;
}
