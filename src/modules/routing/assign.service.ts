import type { Db } from '../../db/client.js';
import { FOLD_OPEN_COUNTS_AT, foldOpenCounts, loadPoolsMembers, lockPools, poolKeyOf } from './pools.repo.js';
import { type PoolSpec, pickFromPool, type RoutingDecision } from './routing.core.js';

type Assignable = { lead: { id: string; ownerId: string | null; queue: string | null }; decision: RoutingDecision | null };

/**
 * Applies routing decisions. The batch's pools are locked in key order (no deadlocks between instances), then
 * their members, counters and open loads are read under the locks (two statements whatever the number of pools),
 * so concurrent intakes on several servers assign each lead once and keep equal-weight reps within one lead of
 * each other.
 * The round-robin counters are returned, not written: the caller writes them with the leads in one
 * statement, still under the locks (they last until commit), so the locked section is the picks and that write.
 * So are the notes on leads whose pick skipped reps or found none (by lead id), for their explanations.
 */
export async function assignPools(tx: Db, workspaceId: string, items: Assignable[], fallbackQueue: string, now: Date) {
  const notes = new Map<string, unknown[]>();
  const counters: { poolKey: string; userId: string; n: number }[] = [];
  const byPool = new Map<string, { pool: PoolSpec; items: Assignable[] }>();
  // Leads routed alike share their decision object: its pool's group is looked up once.
  const groupOf = new Map<RoutingDecision, Assignable[]>();
  for (const item of items) {
    const d = item.decision;
    if (!d) continue;
    if (d.kind === 'user') item.lead.ownerId = d.userId;
    else if (d.kind === 'queue') item.lead.queue = d.queue;
    else {
      let group = groupOf.get(d);
      if (!group) {
        const key = poolKeyOf(d.pool);
        group = byPool.get(key)?.items ?? [];
        byPool.set(key, { pool: d.pool, items: group });
        groupOf.set(d, group);
      }
      group.push(item);
    }
  }
  const keys = [...byPool.keys()].sort();
  if (!keys.length) return { notes, counters };
  await lockPools(tx, workspaceId, keys);
  const membersOf = await loadPoolsMembers(
    tx,
    workspaceId,
    keys.map((key) => ({ key, pool: byPool.get(key)!.pool })),
  );
  for (const key of keys) {
    const members = membersOf.get(key)!;
    const increments = new Map<string, number>();
    for (const item of byPool.get(key)!.items) {
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
  // Every write adds a row per rep to the open counts; once a rep's sum takes many, they are folded (rarely).
  if ([...membersOf.values()].some((members) => members.some((m) => m.countRows > FOLD_OPEN_COUNTS_AT)))
    await foldOpenCounts(tx, workspaceId);
  return { notes, counters };
}
