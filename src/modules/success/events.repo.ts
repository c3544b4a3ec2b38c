import type { Db } from '../../db/client.js';
import type { ValidEvent } from './events.core.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The account each key names in this workspace: an account id first, else an external id. A key naming an account
 * of another workspace matches nothing here (the event is kept as unmatched, and nothing says the id exists).
 */
export async function resolveAccounts(db: Db, workspaceId: string, keys: string[]): Promise<Map<string, string>> {
  const ids = keys.filter((k) => UUID.test(k)).map((k) => k.toLowerCase());
  // Joins on the lists rather than "= any(list)": a prepared statement's generic plan may otherwise compare every
  // account of the workspace with the whole list (measured: 120 ms instead of 3 ms for 2,000 keys).
  const rows = await db.query<{ id: string; externalId: string | null }>(
    `select a.id, a.external_id as "externalId" from unnest($2::uuid[]) k join accounts a on a.workspace_id = $1 and a.id = k
     union
     select a.id, a.external_id from unnest($3::text[]) k join accounts a on a.workspace_id = $1 and a.external_id = k`,
    [workspaceId, ids, keys],
  );
  const byId = new Map(rows.map((r) => [r.id, r.id]));
  const byExternal = new Map(rows.filter((r) => r.externalId !== null).map((r) => [r.externalId!, r.id]));
  const out = new Map<string, string>();
  for (const k of keys) {
    const id = (UUID.test(k) ? byId.get(k.toLowerCase()) : undefined) ?? byExternal.get(k);
    if (id) out.set(k, id);
  }
  return out;
}

/** The columns of a stored event, in the order `insertEvents` and the benchmark's raw insert send them. */
export const EVENT_COLUMNS = [
  { name: 'workspace_id', type: 'uuid' },
  { name: 'message_id', type: 'text' },
  { name: 'account_id', type: 'uuid' },
  { name: 'account_key', type: 'text' },
  { name: 'user_key', type: 'text' },
  { name: 'name', type: 'text' },
  { name: 'properties', type: 'jsonb' },
  { name: 'occurred_at', type: 'timestamptz' },
  { name: 'received_at', type: 'timestamptz' },
];

/** The column arrays of `events` (one array per column, for an unnest insert). */
export function eventArrays(workspaceId: string, events: ValidEvent[], accountOf: (key: string) => string | null, now: Date): unknown[][] {
  const received = now.toISOString();
  return [
    events.map(() => workspaceId),
    events.map((e) => e.messageId),
    events.map((e) => accountOf(e.accountKey)),
    events.map((e) => e.accountKey),
    events.map((e) => e.userKey),
    events.map((e) => e.name),
    events.map((e) => JSON.stringify(e.properties)),
    events.map((e) => new Date(e.at).toISOString()),
    events.map(() => received),
  ];
}

/**
 * Stores the events in one statement; a message id already stored is skipped (idempotency). Returns the id of
 * each stored event by message id: an event missing from the map was a replay.
 */
export async function insertEvents(db: Db, arrays: unknown[][]): Promise<Map<string, number>> {
  const casts = EVENT_COLUMNS.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  const rows = await db.query<{ id: number; messageId: string }>(
    `insert into usage_events (${EVENT_COLUMNS.map((c) => c.name).join(', ')}) select * from unnest(${casts})
     on conflict (workspace_id, message_id) do nothing returning id, message_id as "messageId"`,
    arrays,
  );
  return new Map(rows.map((r) => [r.messageId, r.id]));
}

/** Links events kept for keys that now name an account; returns the accounts that got events. */
export async function linkKeys(db: Db, workspaceId: string, resolved: Map<string, string>): Promise<Set<string>> {
  if (!resolved.size) return new Set();
  // Which keys have kept events: one probe of the unmatched index per key (lateral + limit keeps it a probe). An
  // update or a semi-join over the keys is planned as a scan of every unmatched row of the workspace, each batch
  // (measured: 58 ms a batch with 8,000 of them, growing with them; the probes: 10 ms for 2,500 keys, whatever their number).
  const pending = await db.query<{ key: string }>(
    `select k as key from unnest($2::text[]) k
       cross join lateral (select 1 from usage_events u
                            where u.workspace_id = $1 and u.account_id is null and u.account_key = k limit 1) kept`,
    [workspaceId, [...resolved.keys()]],
  );
  if (!pending.length) return new Set();
  const rows = await db.query<{ accountId: string }>(
    `update usage_events u set account_id = k.account_id
       from unnest($2::text[], $3::uuid[]) as k(account_key, account_id)
      where u.workspace_id = $1 and u.account_id is null and u.account_key = k.account_key
     returning u.account_id as "accountId"`,
    [workspaceId, pending.map((p) => p.key), pending.map((p) => resolved.get(p.key))],
  );
  return new Set(rows.map((r) => r.accountId));
}

/** Every unmatched key of the workspace that now names an account (ids before external ids); returns those accounts. */
export async function linkAllKeys(db: Db, workspaceId: string): Promise<Set<string>> {
  const keys = await db.query<{ key: string }>(
    'select distinct account_key as key from usage_events where workspace_id = $1 and account_id is null',
    [workspaceId],
  );
  if (!keys.length) return new Set();
  return linkKeys(
    db,
    workspaceId,
    await resolveAccounts(
      db,
      workspaceId,
      keys.map((k) => k.key),
    ),
  );
}

export type UnmatchedKey = { key: string; events: number; firstAt: Date; lastAt: Date; lastReceivedAt: Date };

/** Keys that match no account yet, with their event counts, most events first. */
export async function unmatchedKeys(
  db: Db,
  workspaceId: string,
  limit: number,
): Promise<{ keys: UnmatchedKey[]; totalKeys: number; totalEvents: number }> {
  const keys = await db.query<UnmatchedKey>(
    `select account_key as key, count(*)::int as events, min(occurred_at) as "firstAt", max(occurred_at) as "lastAt",
            max(received_at) as "lastReceivedAt"
       from usage_events where workspace_id = $1 and account_id is null
      group by account_key order by count(*) desc, account_key limit $2`,
    [workspaceId, limit],
  );
  const [totals] = await db.query<{ totalKeys: number; totalEvents: number }>(
    `select count(distinct account_key)::int as "totalKeys", count(*)::int as "totalEvents"
       from usage_events where workspace_id = $1 and account_id is null`,
    [workspaceId],
  );
  return { keys, ...totals };
}
