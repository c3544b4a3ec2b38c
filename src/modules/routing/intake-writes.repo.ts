import type { BulkColumn } from '../../db/bulk.js';
import type { Db } from '../../db/client.js';

/** Numbered parameters for a statement composed of several parts. */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown) {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

export type AssignmentRow = {
  leadId: string;
  purpose: 'intake' | 'manual';
  userId: string | null;
  queue: string | null;
  ruleId: string | null;
  poolKey: string | null;
  /** JSON text of the routing explanation. */
  explanation: string;
};

export type HistoryRow = { leadId: string; ownerId: string | null; reason: string | null; at: Date };

/**
 * Writes the new leads of an intake, their first history rows and their routing decisions in ONE statement
 * (data-modifying CTEs; the foreign keys are checked at its end, when the leads are there): one round trip
 * whatever the batch size, which matters most inside the pool lock a single-lead intake holds.
 */
export async function writeNewLeads(
  tx: Db,
  args: {
    workspaceId: string;
    actorId: string | null;
    at: Date;
    columns: BulkColumn[];
    leads: unknown[][];
    history: HistoryRow[];
    assignments: AssignmentRow[];
  },
) {
  if (!args.leads.length) return;
  const ps = new Params();
  const ws = ps.add(args.workspaceId);
  const parts = [`new_leads as (${leadsInsert(ps, args.columns, args.leads)} returning 1)`];
  if (args.history.length) parts.push(`history as (${historyInsert(ps, ws, args.actorId, args.history)} returning 1)`);
  if (args.assignments.length) parts.push(`decisions as (${assignmentsInsert(ps, ws, args.at, args.assignments)} returning 1)`);
  await tx.query(`with ${parts.join(', ')} select count(*) from new_leads`, ps.values);
}

function leadsInsert(ps: Params, columns: BulkColumn[], rows: unknown[][]) {
  const arrays = columns.map((col, c) => `${ps.add(rows.map((r) => r[c] ?? null))}::${col.type}[]`);
  return `insert into leads (${columns.map((c) => c.name).join(', ')}) select * from unnest(${arrays.join(', ')})`;
}

/** Status `new` for each lead, then its owner when routing set one (in that order, lead by lead). */
function historyInsert(ps: Params, ws: string, actorId: string | null, rows: HistoryRow[]) {
  return `insert into status_changes (workspace_id, record_type, record_id, field, from_value, to_value, reason, actor_id, changed_at)
     select ${ws}, 'lead', t.id, f.field, null, case f.field when 'status' then 'new' else t.owner_id::text end,
            case f.field when 'owner' then t.reason end, ${ps.add(actorId)}::uuid, t.at
       from unnest(${ps.add(rows.map((r) => r.leadId))}::uuid[], ${ps.add(rows.map((r) => r.ownerId))}::uuid[],
                   ${ps.add(rows.map((r) => r.reason))}::text[], ${ps.add(rows.map((r) => r.at))}::timestamptz[])
            with ordinality as t(id, owner_id, reason, at, n)
       cross join (values (1, 'status'), (2, 'owner')) as f(k, field)
      where f.field = 'status' or t.owner_id is not null
      order by t.n, f.k`;
}

/** Leads routed the same way carry the same explanation: each distinct one is sent and parsed once. */
function assignmentsInsert(ps: Params, ws: string, at: Date, rows: AssignmentRow[]) {
  const distinct = new Map<string, number>();
  const refs = rows.map((r) => {
    const known = distinct.get(r.explanation);
    if (known !== undefined) return known;
    distinct.set(r.explanation, distinct.size + 1);
    return distinct.size;
  });
  const col = <K extends keyof AssignmentRow>(k: K, type: string) => `${ps.add(rows.map((r) => r[k]))}::${type}[]`;
  return `insert into lead_assignments (workspace_id, lead_id, purpose, user_id, queue, rule_id, pool_key, explanation, assigned_at)
     select ${ws}, t.lead_id, t.purpose, t.user_id, t.queue, t.rule_id, t.pool_key, e.explanation, ${ps.add(at)}::timestamptz
       from unnest(${col('leadId', 'uuid')}, ${col('purpose', 'text')}, ${col('userId', 'uuid')}, ${col('queue', 'text')},
                   ${col('ruleId', 'uuid')}, ${col('poolKey', 'text')}, ${ps.add(refs)}::int[])
            as t(lead_id, purpose, user_id, queue, rule_id, pool_key, k)
       join unnest(${ps.add([...distinct.keys()])}::jsonb[]) with ordinality as e(explanation, k) on e.k = t.k`;
}

const FILL_COLUMNS: [key: string, column: string, type: string][] = [
  ['firstName', 'first_name', 'text'],
  ['lastName', 'last_name', 'text'],
  ['company', 'company', 'text'],
  ['domain', 'domain', 'text'],
  ['title', 'title', 'text'],
  ['phone', 'phone', 'text'],
  ['employees', 'employees', 'int'],
  ['expectedArr', 'expected_arr', 'numeric'],
  ['country', 'country', 'text'],
];

/** Fills blank fields of merged-into leads in one statement; `patches` hold only the fields to set. */
export async function fillLeadBlanks(tx: Db, workspaceId: string, patches: Map<string, Record<string, unknown>>) {
  if (!patches.size) return;
  const ids = [...patches.keys()];
  const columns = FILL_COLUMNS.filter(([key]) => ids.some((id) => patches.get(id)![key] != null));
  if (!columns.length) return;
  await tx.query(
    `update leads l set ${columns.map(([, col]) => `${col} = coalesce(v.${col}, l.${col})`).join(', ')}, updated_at = now()
       from unnest($2::uuid[], ${columns.map(([, , type], i) => `$${i + 3}::${type}[]`).join(', ')}) as v(id, ${columns.map(([, col]) => col).join(', ')})
      where l.workspace_id = $1 and l.id = v.id`,
    [workspaceId, ids, ...columns.map(([key]) => ids.map((id) => patches.get(id)![key] ?? null))],
  );
}
