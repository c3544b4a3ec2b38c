import type { Db } from '../../db/client.js';
import { invalid } from '../../platform/errors.js';
import { cursorValueSql, keyset, page, type SortSpec, Where } from '../../platform/http/list.js';
import type { DataScope } from '../org/org.core.js';
import type { ResourceDef } from './crm.resources.js';

/** Generic SQL for the CRM's record types, built from their ResourceDef. Every query is scoped by workspace. */

const selectCache = new WeakMap<ResourceDef, string>();
export function selectList(def: ResourceDef, alias = ''): string {
  let s = selectCache.get(def);
  if (!s) {
    const p = alias ? `${alias}.` : '';
    s = [`${p}id`, ...Object.entries(def.columns).map(([api, col]) => `${p}${col} as "${api}"`)].join(', ');
    selectCache.set(def, s);
  }
  return s;
}

export type Row = { id: string } & Record<string, unknown>;

export function applyScope(where: Where, def: ResourceDef, scope: DataScope, mode: 'read' | 'write') {
  if (!scope.all) where.add(def.scope[mode](where.param(scope.ownerIds)));
}

export async function listRecords(
  db: Db,
  def: ResourceDef,
  opts: {
    workspaceId: string;
    scope: DataScope;
    build?: (where: Where) => void;
    sort: string;
    order: 'asc' | 'desc';
    limit: number;
    cursor?: string;
  },
) {
  const where = new Where();
  where.add(`workspace_id = ${where.param(opts.workspaceId)}`);
  applyScope(where, def, opts.scope, 'read');
  opts.build?.(where);
  const sort: SortSpec = def.sorts[opts.sort] ?? def.sorts.createdAt;
  const orderBy = keyset(where, sort, opts.order, opts.cursor);
  // The sort value travels with each row so the next cursor can be made without re-deriving it.
  const rows = await db.query<Row & { _sort: unknown }>(
    `select ${selectList(def)}, ${cursorValueSql(sort)} as "_sort" from ${def.table} ${where.sql()} ${orderBy} limit ${opts.limit + 1}`,
    where.params,
  );
  const result = page(rows, opts.limit, (r) => r._sort);
  for (const r of result.items) delete (r as Partial<typeof r>)._sort;
  return result;
}

export async function findRecord(db: Db, def: ResourceDef, workspaceId: string, id: string, lock = false): Promise<Row | null> {
  const [row] = await db.query<Row>(
    `select ${selectList(def)} from ${def.table} where workspace_id = $1 and id = $2${lock ? ' for update' : ''}`,
    [workspaceId, id],
  );
  return row ?? null;
}

export async function inScope(db: Db, def: ResourceDef, workspaceId: string, id: string, scope: DataScope, mode: 'read' | 'write') {
  if (scope.all) return true;
  const where = new Where();
  where.add(`workspace_id = ${where.param(workspaceId)}`).add(`id = ${where.param(id)}`);
  applyScope(where, def, scope, mode);
  const rows = await db.query(`select 1 from ${def.table} ${where.sql()}`, where.params);
  return rows.length > 0;
}

function columnsOf(def: ResourceDef, values: Record<string, unknown>) {
  const entries = Object.entries(values).filter(([k, v]) => v !== undefined && k in def.columns);
  return { cols: entries.map(([k]) => def.columns[k]), vals: entries.map(([, v]) => v) };
}

/** Insert with extra raw columns (normalised keys, workspace) that the API does not expose. */
export async function insertRecord(
  tx: Db,
  def: ResourceDef,
  workspaceId: string,
  values: Record<string, unknown>,
  hidden: Record<string, unknown> = {},
): Promise<Row> {
  const { cols, vals } = columnsOf(def, values);
  const hiddenCols = Object.keys(hidden);
  const all = ['workspace_id', ...cols, ...hiddenCols];
  const params = [workspaceId, ...vals, ...Object.values(hidden)];
  const [row] = await tx.query<Row>(
    `insert into ${def.table} (${all.join(', ')}) values (${params.map((_, i) => `$${i + 1}`).join(', ')}) returning ${selectList(def)}`,
    params,
  );
  return row;
}

export async function updateRecord(
  tx: Db,
  def: ResourceDef,
  workspaceId: string,
  id: string,
  values: Record<string, unknown>,
  hidden: Record<string, unknown> = {},
): Promise<Row> {
  const { cols, vals } = columnsOf(def, values);
  const sets = [...cols, ...Object.keys(hidden)].map((c, i) => `${c} = $${i + 3}`);
  if ('updatedAt' in def.columns) sets.push('updated_at = now()');
  const [row] = await tx.query<Row>(
    `update ${def.table} set ${sets.join(', ')} where workspace_id = $1 and id = $2 returning ${selectList(def)}`,
    [workspaceId, id, ...vals, ...Object.values(hidden)],
  );
  return row;
}

/** Rejects references to records that do not exist in this workspace (ids from another tenant included). */
export async function checkRefs(db: Db, def: ResourceDef, workspaceId: string, values: Record<string, unknown>) {
  for (const [field, table] of Object.entries(def.refs)) {
    const id = values[field];
    if (id == null) continue;
    const rows = await db.query(`select 1 from ${table} where workspace_id = $1 and id = $2`, [workspaceId, id]);
    if (!rows.length) throw invalid(field, `no ${table.replace(/s$/, '')} with this id in this workspace`);
  }
}

export async function recordChange(
  tx: Db,
  c: {
    workspaceId: string;
    recordType: 'lead' | 'opportunity' | 'subscription';
    recordId: string;
    field: 'status' | 'stage' | 'owner';
    from: string | null;
    to: string | null;
    reason?: string | null;
    actorId: string | null;
    at?: Date | string;
  },
) {
  await tx.query(
    `insert into status_changes (workspace_id, record_type, record_id, field, from_value, to_value, reason, actor_id, changed_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9::timestamptz, now()))`,
    [c.workspaceId, c.recordType, c.recordId, c.field, c.from, c.to, c.reason ?? null, c.actorId, c.at ?? null],
  );
}

/**
 * A record's history, oldest first. Two entries of a lead are not `status_changes` rows (bench:intake):
 * - "created as new" (since migration 0011): the lead's own created_at and created_by, first of its history;
 * - the owner it got at intake (since migration 0005): its first `lead_assignments` row, shown as the owner
 *   change it is, dated at the lead's creation, by whoever created it, right after its `new` entry.
 * Leads taken in before those migrations (and the demo's) have these rows stored and show them as stored.
 */
export async function historyOf(db: Db, workspaceId: string, recordType: string, recordId: string) {
  return db.query(
    `with created as (
       select l.id, l.created_at, coalesce(s.actor_id, l.created_by) as actor_id, s.id is not null as stored
         from leads l
         left join lateral (select s.id, s.actor_id from status_changes s
                             where s.workspace_id = $1 and s.record_type = 'lead' and s.record_id = l.id and s.field = 'status'
                               and s.from_value is null order by s.changed_at, s.id limit 1) s on true
        where $2 = 'lead' and l.workspace_id = $1 and l.id = $3)
     select id, field, "from", "to", reason, "actorId", "actorName", "changedAt" from (
       select sc.id, sc.field, sc.from_value as "from", sc.to_value as "to", sc.reason, sc.actor_id as "actorId",
              u.name as "actorName", sc.changed_at as "changedAt", 0 as after_same_time
         from status_changes sc left join users u on u.id = sc.actor_id
        where sc.workspace_id = $1 and sc.record_type = $2 and sc.record_id = $3
       union all
       select 0, 'status', null, 'new', null, c.actor_id, u.name, c.created_at, -1
         from created c left join users u on u.id = c.actor_id
        where not c.stored
       union all
       select -a.id, 'owner', null, a.user_id::text,
              case a.purpose when 'intake' then 'routing: ' || coalesce(a.rule_id::text, 'fallback') end,
              c.actor_id, u.name, c.created_at, 1
         from created c
         join lateral (select * from lead_assignments f where f.lead_id = c.id order by f.id limit 1) a on true
         left join users u on u.id = c.actor_id
        where a.purpose in ('intake', 'manual') and a.user_id is not null
          and not exists (select 1 from status_changes o where o.workspace_id = $1 and o.record_type = 'lead' and o.record_id = c.id
                             and o.field = 'owner' and o.from_value is null and o.changed_at = c.created_at)
     ) h
     order by "changedAt", after_same_time, id`,
    [workspaceId, recordType, recordId],
  );
}
