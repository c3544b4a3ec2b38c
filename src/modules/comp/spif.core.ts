import type { CreditEvent } from './commission.core.js';
import { type EngineContext, fromPlan, type LineDraft } from './context.core.js';
import type { ComponentOf } from './plan.schema.js';
import { Decimal, toMoney } from './rounding.js';

type SpifEvent = {
  userId: string;
  at: Date;
  on: string;
  metric: 'won_deals' | 'new_arr' | 'accepted_leads';
  value: Decimal;
  segment: string | null;
  what: string;
  opportunityId?: string;
  leadId?: string;
};

/**
 * SPIFs: a fixed bonus, once per person, when their won deals, credited new ARR or accepted leads between two dates
 * (optionally in one segment) reach the target; booked on the event that reaches it, if the plan in force then has it.
 */
export function spifLines(ctx: EngineContext, credits: CreditEvent[]): LineDraft[] {
  if (!ctx.book.peopleWith('spif').length) return [];
  const events: SpifEvent[] = [];
  for (const e of credits) {
    if (e.credit.role !== 'ae') continue;
    const base = {
      userId: e.credit.userId,
      at: e.deal.at,
      on: e.deal.on,
      segment: e.deal.segment,
      what: e.deal.name,
      opportunityId: e.deal.id,
    };
    events.push({ ...base, metric: 'won_deals', value: new Decimal(1) }, { ...base, metric: 'new_arr', value: e.credited });
  }
  for (const l of ctx.facts.acceptedLeads)
    events.push({
      userId: l.sdrId,
      at: l.at,
      on: l.on,
      metric: 'accepted_leads',
      value: new Decimal(1),
      segment: null,
      what: l.company ?? 'a lead',
      leadId: l.leadId,
    });
  events.sort((a, b) => a.at.getTime() - b.at.getTime());

  const totals = new Map<string, Decimal>();
  const paid = new Set<string>();
  const lines: LineDraft[] = [];
  for (const ev of events) {
    const plan = ctx.book.planAt(ev.userId, ev.on);
    if (!plan) continue;
    for (const c of plan.version.document.components) {
      if (c.type !== 'spif' || c.metric !== ev.metric || ev.on < c.from || ev.on > c.to) continue;
      if (c.segment && c.segment !== ev.segment) continue;
      const k = `${ev.userId}|${c.id}`;
      if (paid.has(k)) continue;
      const total = (totals.get(k) ?? new Decimal(0)).plus(ev.value);
      totals.set(k, total);
      if (total.lt(c.atLeast)) continue;
      paid.add(k);
      lines.push(spifLine(ctx, ev, c, total, plan));
    }
  }
  return lines;
}

function spifLine(
  ctx: EngineContext,
  ev: SpifEvent,
  c: ComponentOf<'spif'>,
  total: Decimal,
  plan: NonNullable<ReturnType<EngineContext['book']['planAt']>>,
): LineDraft {
  const amount = toMoney(c.amount);
  const measure =
    ev.metric === 'new_arr' ? `${ctx.money(total)} new ARR` : `${total} ${ev.metric === 'won_deals' ? 'won deals' : 'accepted leads'}`;
  const target = ev.metric === 'new_arr' ? ctx.money(c.atLeast) : c.atLeast;
  return {
    userId: ev.userId,
    key: `earning:${c.id}`,
    kind: 'earning',
    rule: 'spif',
    component: c.id,
    ...fromPlan(plan),
    opportunityId: ev.opportunityId ?? null,
    leadId: ev.leadId ?? null,
    at: ev.at,
    on: ev.on,
    amount,
    inputs: {
      spif: c.label,
      from: c.from,
      to: c.to,
      metric: c.metric,
      atLeast: c.atLeast,
      reached: total.toString(),
      segment: c.segment ?? null,
    },
    arithmetic: `SPIF "${c.label}" (${c.from}..${c.to}${c.segment ? `, ${c.segment}` : ''}): ${measure} reached the target of ${target} with ${ev.what} on ${ev.on} = ${ctx.money(amount)}`,
  };
}
