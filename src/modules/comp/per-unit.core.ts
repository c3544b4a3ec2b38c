import { type EngineContext, fromPlan, type LineDraft } from './context.core.js';
import { Decimal, toMoney } from './rounding.js';

/**
 * The SDR's bonus per qualified lead accepted by an AE, booked when the AE accepts it; clawed back when the lead is
 * disqualified within N days of the acceptance (if the plan says so).
 */
export function perUnitLines(ctx: EngineContext): LineDraft[] {
  const lines: LineDraft[] = [];
  for (const lead of ctx.facts.acceptedLeads) {
    const found = ctx.book.componentAt(lead.sdrId, lead.on, 'per_unit');
    if (!found) continue;
    const { plan, component } = found;
    const what = lead.company ?? 'a lead';
    const bonus = toMoney(component.amount);
    const back = new Decimal(bonus).negated().toFixed(2);
    const common = { userId: lead.sdrId, component: component.id, ...fromPlan(plan), leadId: lead.leadId };
    lines.push({
      ...common,
      key: `earning:${component.id}:lead:${lead.leadId}`,
      kind: 'earning',
      rule: 'per_unit.accepted_lead',
      at: lead.at,
      on: lead.on,
      amount: bonus,
      inputs: { lead: what, acceptedOn: lead.on, perLead: bonus },
      arithmetic: `1 qualified lead (${what}) accepted by an AE on ${lead.on} x ${ctx.money(bonus)} = ${ctx.money(bonus)}`,
    });
    const within = component.clawbackIfDisqualifiedWithinDays;
    if (within == null || !lead.disqualifiedAt || !lead.disqualifiedOn) continue;
    const days = Math.floor((lead.disqualifiedAt.getTime() - lead.at.getTime()) / 86_400_000);
    if (lead.disqualifiedAt.getTime() - lead.at.getTime() > within * 86_400_000) continue;
    lines.push({
      ...common,
      key: `clawback:${component.id}:lead:${lead.leadId}`,
      kind: 'clawback',
      rule: 'per_unit.disqualified',
      at: lead.disqualifiedAt,
      on: lead.disqualifiedOn,
      amount: back,
      inputs: { lead: what, acceptedOn: lead.on, disqualifiedOn: lead.disqualifiedOn, days, withinDays: within },
      arithmetic: `${what} was disqualified on ${lead.disqualifiedOn}, ${days} days after its acceptance (clawback within ${within}) = ${ctx.money(back)}`,
    });
  }
  return lines;
}
