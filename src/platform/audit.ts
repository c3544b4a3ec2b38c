import type { Db } from '../db/client.js';
import { actorOf, type Principal } from './auth/principal.js';

/** Who changed what, when, before and after; written in the same transaction as the change. */
export async function audit(
  tx: Db,
  who: Principal | 'system',
  entry: { workspaceId: string; action: string; recordType: string; recordId: string | null; before?: unknown; after?: unknown },
) {
  const actor = who === 'system' ? { actorType: 'system' as const, actorId: null } : actorOf(who);
  await tx.query(
    `insert into audit_log (workspace_id, actor_type, actor_id, action, record_type, record_id, before, after)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      entry.workspaceId,
      actor.actorType,
      actor.actorId,
      entry.action,
      entry.recordType,
      entry.recordId,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
    ],
  );
}

/** Only the fields that changed, so the log says what happened rather than repeating the record. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a, changed: Object.keys(a).length > 0 };
}
