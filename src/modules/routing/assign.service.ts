import type { Db } from '../../db/client.js';
import { loadPoolMembers, lockPool, poolKeyOf } from './pools.repo.js';
import { type PoolSpec, pickFromPool, type RoutingDecision } from './routing.core.js';

type Assignable = { lead: { id: string; ownerId: string | null; queue: string | null }; decision: RoutingDecision | null };

/**
 * Applies routing decisions. Pools are locked one at a time in key order (no deadlocks between instances),
 * and their members and counters are read under the lock, so concurrent intakes on several servers
 * assign each lead once and keep equal-weight reps within one lead of each other.
 * The round-robin counters are returned, not written: the caller writes them with the leads in one
 * statement, still under the locks (they last until commit), so the locked section is the picks and that write.
 */
export async function assignPools(tx: Db, workspaceId: string, items: Assignable[], fallbackQueue: string, now: Date) {
  const poolKeyOf_ = new Map<string, string>();
  const notes = new Map<string, unknown[]>();
  const counters: { poolKey: string; userId: string; n: number }[] = [];
  const byPool = new Map<string, { pool: PoolSpec; items: Assignable[] }>();
  for (const item of items) {
    const d = item.decision;
    if (!d) continue;
    if (d.kind === 'user') item.lead.ownerId = d.userId;
    else if (d.kind === 'queue') item.lead.queue = d.queue;
    else {
      const key = poolKeyOf(d.pool);
      poolKeyOf_.set(item.lead.id, key);
      const group = byPool.get(key) ?? { pool: d.pool, items: [] };
      group.items.push(item);
      byPool.set(key, group);
    }
  }
  for (const key of [...byPool.keys()].sort()) {
    const { pool, items: group } = byPool.get(key)!;
    await lockPool(tx, workspaceId, key);
    const members = await loadPoolMembers(tx, workspaceId, key, pool);
    const increments = new Map<string, number>();
    for (const item of group) {
      const pick = pickFromPool(members, now);
      if (pick.ok) {
        item.lead.ownerId = pick.userId;
        const m = members.find((x) => x.id === pick.userId)!;
        m.assigned++;
        m.openLoad++;
        increments.set(pick.userId, (increments.get(pick.userId) ?? 0) + 1);
        if (pick.skipped.length) notes.set(item.lead.id, [{ name: 'pool', skipped: pick.skipped }]);
      } else {
        item.lead.queue = fallbackQueue;
        notes.set(item.lead.id, [
          {
            name: 'pool',
            reasons: [members.length ? 'no eligible rep in the pool' : 'the pool has no members', `sent to the ${fallbackQueue} queue`],
            skipped: pick.skipped,
          },
        ]);
      }
    }
    for (const [userId, n] of increments) counters.push({ poolKey: key, userId, n });
  }
  return { poolKeyOf: poolKeyOf_, notes, counters };
}
