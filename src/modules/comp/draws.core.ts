import { type EngineContext, fromPlan, type LineDraft } from './context.core.js';
import { endOfLocalDay, firstDay, lastDay, monthOf, monthsFrom } from './dates.core.js';
import type { ComponentOf } from './plan.schema.js';
import { Decimal, toMoney } from './rounding.js';

/**
 * Draws, settled when a month has ended: if what the month pays (every other line of the person in it, holds
 * included) is below the monthly guarantee, a draw tops it up to the guarantee (a clawback is not made up: the
 * shortfall counts from zero). A recoverable draw is owed back: later months recover it from what they pay above the
 * guarantee (above zero once the draw is over), never taking a month below it.
 */
export function drawLines(ctx: EngineContext, others: LineDraft[]): LineDraft[] {
  const { facts } = ctx;
  const people = ctx.book.peopleWith('draw');
  if (!people.length) return [];
  const payable = new Map<string, Decimal>();
  for (const l of others) {
    const k = `${l.userId}|${monthOf(l.on)}`;
    payable.set(k, (payable.get(k) ?? new Decimal(0)).plus(l.amount));
  }
  const lines: LineDraft[] = [];
  for (const userId of people) {
    const starts = facts.assignments.filter((a) => a.userId === userId).map((a) => monthOf(a.from));
    const first = starts.sort()[0];
    let balance = new Decimal(0);
    let owedTo: ComponentOf<'draw'> | null = null;
    for (const month of monthsFrom(first, facts.throughMonth)) {
      const end = lastDay(month);
      if (end >= facts.today) break;
      const found = ctx.book.componentAt(userId, end, 'draw') ?? ctx.book.componentAt(userId, firstDay(month), 'draw');
      const active =
        found &&
        (!found.component.fromMonth || found.component.fromMonth <= month) &&
        (!found.component.toMonth || month <= found.component.toMonth);
      const paid = payable.get(`${userId}|${month}`) ?? new Decimal(0);
      const base = { userId, at: endOfLocalDay(end, facts.timezone), on: end };
      if (found && active) {
        const { component, plan } = found;
        const guarantee = new Decimal(component.monthlyAmount);
        const shortfall = guarantee.minus(Decimal.max(paid, 0));
        if (shortfall.gt(0)) {
          if (component.recoverable) {
            balance = balance.plus(shortfall);
            owedTo = component;
          }
          lines.push({
            ...base,
            key: `draw:${component.id}:${month}`,
            kind: 'draw',
            rule: component.recoverable ? 'draw.recoverable' : 'draw.non_recoverable',
            component: component.id,
            ...fromPlan(plan),
            amount: toMoney(shortfall),
            inputs: {
              month,
              guarantee: toMoney(guarantee),
              paid: toMoney(paid),
              recoverable: component.recoverable,
              balance: toMoney(balance),
            },
            arithmetic: `${ctx.money(guarantee)} guaranteed for ${month} - ${ctx.money(Decimal.max(paid, 0))} paid by the month = draw ${ctx.money(shortfall)}${component.recoverable ? ` (recoverable; owed ${ctx.money(balance)})` : ' (not recoverable)'}`,
          });
          continue;
        }
        if (paid.gt(guarantee) && balance.gt(0)) lines.push(recovery(ctx, base, month, owedTo!, found.plan, paid, guarantee, balance));
        balance = balance.minus(Decimal.min(balance, paid.minus(guarantee)));
        continue;
      }
      if (balance.gt(0) && paid.gt(0) && owedTo) {
        const plan = ctx.book.planAt(userId, end);
        lines.push(recovery(ctx, base, month, owedTo, plan, paid, new Decimal(0), balance));
        balance = balance.minus(Decimal.min(balance, paid));
      }
    }
  }
  return lines;
}

function recovery(
  ctx: EngineContext,
  base: { userId: string; at: Date; on: string },
  month: string,
  draw: ComponentOf<'draw'>,
  plan: ReturnType<EngineContext['book']['planAt']>,
  paid: Decimal,
  floor: Decimal,
  balance: Decimal,
): LineDraft {
  const recovered = Decimal.min(balance, paid.minus(floor));
  const left = balance.minus(recovered);
  return {
    ...base,
    key: `draw_recovery:${draw.id}:${month}`,
    kind: 'draw_recovery',
    rule: 'draw.recovery',
    component: draw.id,
    ...fromPlan(plan),
    amount: toMoney(recovered.negated()),
    inputs: { month, paid: toMoney(paid), floor: toMoney(floor), owedBefore: toMoney(balance), owedAfter: toMoney(left) },
    arithmetic: `${ctx.money(paid)} paid by ${month}, ${ctx.money(paid.minus(floor))} above ${floor.isZero() ? 'zero' : `the ${ctx.money(floor)} guarantee`}: recovers ${ctx.money(recovered)} of the ${ctx.money(balance)} draw owed (${ctx.money(left)} left) = ${ctx.money(recovered.negated())}`,
  };
}
