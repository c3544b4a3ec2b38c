import type { Db } from '../../db/client.js';
import type { PoolMember, PoolSpec } from './routing.core.js';

/** A stable key for a pool definition: the counters and the lock are per key. */
export const poolKeyOf = (p: PoolSpec) => `${[...p.roles].sort().join('+')}|${p.segment ?? '*'}|${p.teamId ?? '*'}`;

/**
 * Serialises assignment within pools across transactions and server instances (transaction-scoped advisory
 * locks, released at commit or rollback). The locks are taken one after the other in the order given, in one
 * statement: callers give sorted keys, so two transactions never wait for each other crosswise.
 */
export async function lockPools(tx: Db, workspaceId: string, poolKeys: string[]) {
  await tx.query('select count(pg_advisory_xact_lock(hashtextextended(k, 0))) from unnest($1::text[]) as k', [
    poolKeys.map((key) => `pool:${workspaceId}:${key}`),
  ]);
}

export const lockPool = (tx: Db, workspaceId: string, poolKey: string) => lockPools(tx, workspaceId, [poolKey]);

/** A pool member as read for assignment: `countRows` says how many open-count rows its open load took. */
export type LoadedMember = PoolMember & { countRows: number };

/**
 * The reps of each pool with their capacity, open load (up to the capacity), out-of-office and round-robin count,
 * in one statement, to be read once the pools are locked (a statement started before would not see what the
 * previous holder of a lock committed). The open load is the sum of the rep's `lead_open_counts` rows (migration
 * 0011); the caller folds them when they pile up.
 */
export async function loadPoolsMembers(
  tx: Db,
  workspaceId: string,
  pools: { key: string; pool: PoolSpec }[],
): Promise<Map<string, LoadedMember[]>> {
  const rows = await tx.query<LoadedMember & { poolKey: string }>(
    `select p.key as "poolKey", u.id, u.capacity, u.out_of_office_until as "outOfOfficeUntil",
            coalesce(c.assigned, 0) as assigned,
            -- Up to the capacity: all the at-capacity check needs (and what counting the leads used to stop at).
            least(o.open, greatest(u.capacity, 0))::int as "openLoad", o.rows as "countRows"
       from json_to_recordset($2::json) as p(key text, roles text[], segment text, "teamId" uuid)
       join users u on u.workspace_id = $1 and u.active and u.roles && p.roles
                   and (p.segment is null or p.segment = any(u.segments)) and (p."teamId" is null or u.team_id = p."teamId")
       left join routing_pool_counters c on c.workspace_id = u.workspace_id and c.pool_key = p.key and c.user_id = u.id
       cross join lateral (select coalesce(sum(x.n), 0) as open, count(*)::int as rows from lead_open_counts x
                            where x.workspace_id = u.workspace_id and x.user_id = u.id) o
      order by p.key, u.id`,
    [
      workspaceId,
      JSON.stringify(
        pools.map(({ key, pool }) => ({ key, roles: pool.roles, segment: pool.segment ?? null, teamId: pool.teamId ?? null })),
      ),
    ],
  );
  const byPool = new Map<string, LoadedMember[]>(pools.map(({ key }) => [key, []]));
  for (const { poolKey, ...member } of rows) byPool.get(poolKey)!.push(member);
  return byPool;
}

/** One pool's reps (see loadPoolsMembers). */
export async function loadPoolMembers(tx: Db, workspaceId: string, poolKey: string, pool: PoolSpec): Promise<PoolMember[]> {
  const members = (await loadPoolsMembers(tx, workspaceId, [{ key: poolKey, pool }])).get(poolKey)!;
  return members.map(({ countRows: _, ...member }) => member);
}

/** Rows per rep beyond which a reader folds the open counts: the sums stay a few index entries each. */
export const FOLD_OPEN_COUNTS_AT = 16;

/**
 * Replaces a workspace's `lead_open_counts` rows by one per rep (their sum), in one statement. Only folds delete
 * these rows, and one transaction at a time per workspace folds (a try-lock: a busy fold is skipped, never waited
 * for), so no fold waits on another or on a writer; writers keep appending meanwhile, and readers see the rows
 * before or after it, never half of it.
 */
export async function foldOpenCounts(tx: Db, workspaceId: string) {
  const [{ ok }] = await tx.query<{ ok: boolean }>('select pg_try_advisory_xact_lock(hashtextextended($1, 0)) as ok', [
    `open-counts:${workspaceId}`,
  ]);
  if (!ok) return;
  await tx.query(
    `with gone as (delete from lead_open_counts where workspace_id = $1 returning user_id, n)
     insert into lead_open_counts (workspace_id, user_id, n)
     select $1, user_id, sum(n) from gone group by user_id having sum(n) <> 0`,
    [workspaceId],
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
