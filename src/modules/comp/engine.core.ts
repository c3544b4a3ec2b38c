import { commissionEarnings, creditEvents } from './commission.core.js';
import { engineContext, type LineDraft } from './context.core.js';
import { expansionLines, retentionBonusLines } from './csm.core.js';
import { dealFollowUps, indexDealFacts } from './deal-events.core.js';
import { drawLines } from './draws.core.js';
import type { CompFacts, EngineLine } from './facts.js';
import { overrideLines } from './override.core.js';
import { perUnitLines } from './per-unit.core.js';
import { spifLines } from './spif.core.js';

/**
 * The compensation engine: pure. Given the facts (deals with their credits, quotas, milestones, churns, ratings,
 * accepted leads, expansions, retention) and the plans in force, the ledger lines every event earns, each in the
 * month of its event, with its inputs and its arithmetic in words. Where a month already closed, runs.service
 * books the difference in the next open month (placement.core.ts); this function does not know about closing.
 *
 * Deterministic: the same facts give the same lines in the same order.
 */
export function computeLines(facts: CompFacts): EngineLine[] {
  const ctx = engineContext(facts);
  const credits = creditEvents(facts.deals);
  const commission = commissionEarnings(ctx, credits);
  const lines: LineDraft[] = [
    ...commission.lines,
    ...dealFollowUps(ctx, commission.deals, indexDealFacts(ctx)),
    ...perUnitLines(ctx),
    ...expansionLines(ctx),
    ...retentionBonusLines(ctx),
    ...overrideLines(ctx, credits),
    ...spifLines(ctx, credits),
  ].filter((l) => l.on <= `${facts.throughMonth}-31` && l.on <= facts.today);
  lines.push(...drawLines(ctx, lines));
  // The lines are this function's own objects: give each its month in place rather than copying them all.
  const out = lines as EngineLine[];
  for (const l of out) l.month = l.on.slice(0, 7);
  return out.sort(lineOrder);
}

/** Month, person, time, then key: the order lines are stored and fingerprinted in. */
export function lineOrder(a: EngineLine, b: EngineLine): number {
  if (a.month !== b.month) return a.month < b.month ? -1 : 1;
  if (a.userId !== b.userId) return a.userId < b.userId ? -1 : 1;
  const t = a.at.getTime() - b.at.getTime();
  if (t !== 0) return t;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
