import type { Db } from '../../db/client.js';
import type { PoolMember, PoolSpec } from './routing.core.js';

/** A stable key for a pool definition: the counters and the lock are per key. */
export const poolKeyOf = (p: PoolSpec) => `${[...p.roles].sort().join('+')}|${p.segment ?? '*'}|${p.teamId ?? '*'}`;

/**
 * Serialises assignment within one pool across transactions and server instances
 * (a transaction-scoped advisory lock; released at commit or rollback).
 */
export async function lockPool(tx: Db, workspaceId: string, poolKey: string) {
  await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`pool:${workspaceId}:${poolKey}`]);
}

/** The pool's reps with their capacity, open load (up to the capacity), out-of-office and round-robin count, read under the lock. */
export async function loadPoolMembers(tx: Db, workspaceId: string, poolKey: string, pool: PoolSpec): Promise<PoolMember[]> {
  return tx.query<PoolMember>(
    `select u.id, u.capacity, u.out_of_office_until as "outOfOfficeUntil",
            coalesce(c.assigned, 0) as assigned,
            -- Counting stops at the capacity: that is all the at-capacity check needs, and a rep with
            -- thousands of open leads then costs no more than one with a hundred.
            (select count(*)::int from (select 1 from leads l
              where l.workspace_id = u.workspace_id and l.owner_id = u.id and l.status in ('new', 'working', 'qualified')
              limit greatest(u.capacity, 0)) open_leads) as "openLoad"
       from users u
       left join routing_pool_counters c on c.workspace_id = u.workspace_id and c.pool_key = $2 and c.user_id = u.id
      where u.workspace_id = $1 and u.active and u.roles && $3::text[]
        and ($4::text is null or $4 = any(u.segments)) and ($5::uuid is null or u.team_id = $5)
      order by u.id`,
    [workspaceId, poolKey, pool.roles, pool.segment ?? null, pool.teamId ?? null],
  );
}

export async function bumpCounters(tx: Db, workspaceId: string, poolKey: string, increments: Map<string, number>) {
  if (!increments.size) return;
  await tx.query(
    `insert into routing_pool_counters (workspace_id, pool_key, user_id, assigned)
     select $1, $2, u, n from unnest($3::uuid[], $4::int[]) as t(u, n)
     on conflict (workspace_id, pool_key, user_id) do update set assigned = routing_pool_counters.assigned + excluded.assigned`,
    [workspaceId, poolKey, [...increments.keys()], [...increments.values()]],
  );
}
