import type { Db } from '../../db/client.js';
import { findWorkspace, getSegments } from '../org/org.repo.js';
import type { ResourceDef } from './crm.resources.js';
import type { KindSpec } from './import.columns.js';
import type { AccountRef, Existing, HistoryEntry, Lookups } from './import.core.js';
import { selectList } from './records.repo.js';

/** SQL for bulk import: load what validation needs, then set-based writes in batches. */

const LOOKUP_CHUNK = 5000;
export const WRITE_BATCH = 2000;

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Rows matching any of the keys, queried in chunks so a huge file does not make a huge statement. */
async function byKeys<T>(keys: string[][], run: (chunk: string[][]) => Promise<T[]>): Promise<T[]> {
  const longest = Math.max(0, ...keys.map((k) => k.length));
  const out: T[] = [];
  for (let i = 0; i < longest; i += LOOKUP_CHUNK) out.push(...(await run(keys.map((k) => k.slice(i, i + LOOKUP_CHUNK)))));
  return out;
}

export async function loadLookups(
  tx: Db,
  spec: KindSpec,
  workspaceId: string,
  keys: {
    ids: string[];
    externalIds: string[];
    accountIds: string[];
    accountExternalIds: string[];
    accountDomains: string[];
    domains: string[];
  },
): Promise<Lookups> {
  const users = await tx.query<{ id: string; email: string }>('select id, email from users where workspace_id = $1', [workspaceId]);
  const ws = await findWorkspace(tx, workspaceId);
  const segments = await getSegments(tx, workspaceId);
  const def = spec.resource;
  // The records the file updates are locked until the import commits, so their "before" stays true.
  const existing = await byKeys([keys.ids, keys.externalIds], ([ids, ext]) =>
    tx.query<Existing>(
      `select ${selectList(def)} from ${def.table}
        where workspace_id = $1 and (id = any($2::uuid[]) or external_id = any($3::text[])) for update`,
      [workspaceId, ids, ext],
    ),
  );
  // Accounts the rows reference, and (for an accounts file) those already holding one of its domains.
  const domains = spec.kind === 'accounts' ? [...keys.accountDomains, ...keys.domains] : keys.accountDomains;
  const accounts = await byKeys([keys.accountIds, keys.accountExternalIds, domains], ([ids, ext, doms]) =>
    tx.query<AccountRef>(
      `select id, external_id as "externalId", domain_normalized as "domainNormalized", name from accounts
        where workspace_id = $1 and (id = any($2::uuid[]) or external_id = any($3::text[]) or domain_normalized = any($4::text[]))`,
      [workspaceId, ids, ext, doms],
    ),
  );
  return {
    usersByEmail: new Map(users.map((u) => [u.email.trim().toLowerCase(), u.id])),
    stages: ws?.opportunityStages ?? [],
    segments,
    accounts,
    existing,
  };
}

/** API-shaped values to database columns (the normalised keys are already column names). */
export function toColumns(def: ResourceDef, values: Record<string, unknown>, hidden: Record<string, unknown>) {
  const row: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    const col = def.columns[field];
    if (col && value !== undefined) row[col] = value instanceof Date ? value.toISOString() : value;
  }
  if (values.id) row.id = values.id;
  return { ...row, ...hidden };
}

const columnsOf = (rows: Record<string, unknown>[]) => [...new Set(rows.flatMap((r) => Object.keys(r)))];

/**
 * New records, one statement per batch. Keyed rows go through `on conflict (workspace_id, external_id) do update`,
 * so a record created by someone else since validation is updated rather than duplicated; those come back with
 * `inserted = false` and their real id.
 */
export async function insertBatch(tx: Db, def: ResourceDef, workspaceId: string, rows: Record<string, unknown>[]) {
  const cols = columnsOf(rows).filter((c) => c !== 'workspace_id');
  const select = cols.map((c) => (c === 'created_at' || c === 'updated_at' ? `coalesce(x.${c}, now())` : `x.${c}`));
  const updates = cols.filter((c) => c !== 'id' && c !== 'created_at' && c !== 'updated_at').map((c) => `${c} = excluded.${c}`);
  return tx.query<{ id: string; externalId: string | null; inserted: boolean }>(
    `insert into ${def.table} (workspace_id, ${cols.join(', ')})
     select $1::uuid, ${select.join(', ')} from json_populate_recordset(null::${def.table}, $2::json) x
     on conflict (workspace_id, external_id) do update set ${[...updates, 'updated_at = now()'].join(', ')}
     returning id, external_id as "externalId", (xmax = 0) as inserted`,
    [workspaceId, JSON.stringify(rows)],
  );
}

/** Changed records, one statement per batch: every imported column is set from the row's final values. */
export async function updateBatch(tx: Db, def: ResourceDef, workspaceId: string, rows: Record<string, unknown>[]) {
  const cols = columnsOf(rows).filter((c) => !['id', 'workspace_id', 'created_at', 'updated_at'].includes(c));
  const sets = [...cols.map((c) => `${c} = x.${c}`), 'updated_at = now()'];
  await tx.query(
    `update ${def.table} t set ${sets.join(', ')}
       from json_populate_recordset(null::${def.table}, $2::json) x
      where t.workspace_id = $1 and t.id = x.id`,
    [workspaceId, JSON.stringify(rows)],
  );
}

export async function insertHistory(
  tx: Db,
  workspaceId: string,
  recordType: 'lead' | 'opportunity',
  actorId: string | null,
  entries: HistoryEntry[],
) {
  for (const batch of chunks(entries, WRITE_BATCH)) {
    const rows = batch.map((e) => ({ record_id: e.recordId, field: e.field, from_value: e.from, to_value: e.to, changed_at: e.at }));
    await tx.query(
      `insert into status_changes (workspace_id, record_type, record_id, field, from_value, to_value, actor_id, changed_at)
       select $1::uuid, $2, x.record_id, x.field, x.from_value, x.to_value, $3::uuid, coalesce(x.changed_at, now())
         from json_populate_recordset(null::status_changes, $4::json) x`,
      [workspaceId, recordType, actorId, JSON.stringify(rows)],
    );
  }
}

export { chunks };

/** Lead rows merged into another lead by an earlier import, by their external id. */
export async function loadAliases(tx: Db, workspaceId: string, externalIds: string[]): Promise<Map<string, string>> {
  const rows = await byKeys([externalIds], ([ext]) =>
    tx.query<{ externalId: string; leadId: string }>(
      `select external_id as "externalId", lead_id as "leadId" from lead_external_aliases where workspace_id = $1 and external_id = any($2::text[])`,
      [workspaceId, ext],
    ),
  );
  return new Map(rows.map((r) => [r.externalId, r.leadId]));
}

export async function inactiveUserIds(tx: Db, workspaceId: string): Promise<Set<string>> {
  const rows = await tx.query<{ id: string }>('select id from users where workspace_id = $1 and not active', [workspaceId]);
  return new Set(rows.map((r) => r.id));
}

export async function insertAliases(tx: Db, workspaceId: string, aliases: { externalId: string; leadId: string }[]) {
  for (const batch of chunks(aliases, WRITE_BATCH))
    await tx.query(
      `insert into lead_external_aliases (workspace_id, external_id, lead_id)
       select $1::uuid, x.e, x.l from unnest($2::text[], $3::uuid[]) as x(e, l)
       on conflict (workspace_id, external_id) do nothing`,
      [workspaceId, batch.map((a) => a.externalId), batch.map((a) => a.leadId)],
    );
}

/**
 * New leads whose row gives a status other than `new`: intake stored them as `new` at created_at; this sets
 * the row's status and adds the change to the history after it. The first-touch deadline is cleared: a lead
 * that was already worked elsewhere has no speed-to-lead to measure here.
 */
export async function applyImportedStatuses(
  tx: Db,
  p: { workspaceId: string; userId: string | null },
  leads: { leadId: string; status: string; disqualifyReason: string | null; at: Date }[],
) {
  for (const batch of chunks(leads, WRITE_BATCH)) {
    const params = [
      p.workspaceId,
      batch.map((l) => l.leadId),
      batch.map((l) => l.status),
      batch.map((l) => l.disqualifyReason),
      batch.map((l) => l.at.toISOString()),
    ];
    await tx.query(
      `update leads l set status = x.status, disqualify_reason = x.reason, first_touch_due_at = null, updated_at = x.at
         from unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[]) as x(id, status, reason, at)
        where l.workspace_id = $1 and l.id = x.id`,
      params,
    );
    await tx.query(
      `insert into status_changes (workspace_id, record_type, record_id, field, from_value, to_value, reason, actor_id, changed_at)
       select $1::uuid, 'lead', x.id, 'status', 'new', x.status, x.reason, $6::uuid, x.at
         from unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[]) as x(id, status, reason, at)`,
      [...params, p.userId],
    );
  }
}
