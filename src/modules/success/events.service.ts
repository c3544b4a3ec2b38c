import type { Db } from '../../db/client.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError, forbidden, invalid } from '../../platform/errors.js';
import { dataScope } from '../org/org.core.js';
import { checkBatch, type EventResult, MAX_BATCH, type UnknownAccount, unknownAccounts } from './events.core.js';
import * as repo from './events.repo.js';
import { applyEvents } from './milestones.evaluate.js';

export type IngestSummary = {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** One per event posted, in order. */
  results: EventResult[];
  /** Keys that matched no account: their events are kept and linked once an account with that key exists. */
  unknownAccounts: UnknownAccount[];
};

/**
 * Stores a batch of usage events (at most 10,000) and evaluates the milestones of their accounts. Each event is
 * checked on its own: rejected ones are reported with their reasons and counted, replays of a stored message id
 * are duplicates, and every valid event is written, with its milestone evaluation, in one transaction: a batch is
 * written whole or (on any failure) not at all.
 */
export async function ingestEvents(db: Db, p: Principal, raw: unknown[], now: Date): Promise<IngestSummary> {
  requirePermission(p, 'events:write');
  if (raw.length === 0) throw invalid('events', 'send at least one event');
  if (raw.length > MAX_BATCH)
    throw invalid('events', `at most ${MAX_BATCH.toLocaleString('en-US')} events per request, got ${raw.length.toLocaleString('en-US')}`);
  const { results, valid } = checkBatch(raw, now.getTime());
  let kept: typeof valid = [];
  let resolved = new Map<string, string>();
  if (valid.length)
    await db.transaction(async (tx) => {
      const keys = [...new Set(valid.map((v) => v.event.accountKey))];
      resolved = await repo.resolveAccounts(tx, p.workspaceId, keys);
      // Events kept earlier for these keys belong to their account now: its milestone is evaluated from scratch.
      const linked = await repo.linkKeys(tx, p.workspaceId, resolved);
      const accountOf = (key: string) => resolved.get(key) ?? null;
      const ids = await repo.insertEvents(
        tx,
        repo.eventArrays(
          p.workspaceId,
          valid.map((v) => v.event),
          accountOf,
          now,
        ),
      );
      kept = valid.filter((v) => ids.has(v.event.messageId));
      const ofAccounts = [];
      for (const { event: e } of kept) {
        const accountId = accountOf(e.accountKey);
        if (accountId)
          ofAccounts.push({ id: ids.get(e.messageId)!, at: e.at, name: e.name, user: e.userKey, properties: e.properties, accountId });
      }
      await applyEvents(tx, p.workspaceId, ofAccounts, linked, now);
    });
  const stored = new Set(kept.map((v) => v.index));
  for (const v of valid) if (!stored.has(v.index)) results[v.index] = { index: v.index, status: 'duplicate' };
  const count = (s: EventResult['status']) => results.filter((r) => r.status === s).length;
  return {
    accepted: count('accepted'),
    duplicates: count('duplicate'),
    rejected: count('rejected'),
    results,
    unknownAccounts: unknownAccounts(
      kept.map((v) => v.event),
      (key) => resolved.has(key),
    ),
  };
}

/** A request body: one event, or `{ events: [...] }`. */
export function eventsOf(body: Record<string, unknown>): { events: unknown[]; single: boolean } {
  if (!('events' in body)) return { events: [body], single: true };
  if (!Array.isArray(body.events)) throw invalid('events', 'must be an array of events');
  const extra = Object.keys(body).filter((k) => k !== 'events');
  if (extra.length)
    throw new AppError(
      'validation_failed',
      `${extra[0]}: unknown field`,
      extra.map((k) => ({ path: k, message: 'unknown field' })),
    );
  return { events: body.events, single: false };
}

/** Keys with events that match no account yet: workspace-wide data, for callers who see the whole workspace. */
export async function unmatchedEvents(db: Db, p: Principal, limit: number) {
  requirePermission(p, 'crm:read');
  if (!dataScope(p, 'read').all) throw forbidden('Unmatched events belong to no account: only roles that see the whole workspace see them');
  return repo.unmatchedKeys(db, p.workspaceId, limit);
}
