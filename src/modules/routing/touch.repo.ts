import type { Db } from '../../db/client.js';
import type { Principal } from '../../platform/auth/principal.js';

/**
 * Speed to lead: the first time the lead's owner works it (a status change, an activity, a scorecard)
 * is its first touch. Only the owner's touch counts; later touches change nothing.
 */
export async function markFirstTouch(tx: Db, p: Principal, lead: { id: string; ownerId?: unknown }, at: Date) {
  if (!p.userId || lead.ownerId !== p.userId) return;
  await tx.query('update leads set first_touch_at = $3 where workspace_id = $1 and id = $2 and first_touch_at is null', [
    p.workspaceId,
    lead.id,
    at,
  ]);
}
