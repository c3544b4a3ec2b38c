import type { BulkColumn } from '../../db/bulk.js';
import type { Db } from '../../db/client.js';
import { explanationsCtes } from './assignments.repo.js';

/** Numbered parameters for a statement composed of several parts. */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown) {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** How one or more new leads were routed: a row of `lead_assignments` each, sharing the explanation. */
export type IntakeDecision = {
  purpose: 'intake' | 'manual';
  ruleId: string | null;
  poolKey: string | null;
  /** JSON text of the routing explanation. */
  explanation: string;
};

/**
 * Writes the new leads of an intake, their `new` history rows, their routing decisions and the pools'
 * round-robin counters in ONE statement (data-modifying CTEs; the foreign keys are checked at its end, when
 * the leads are there): one round trip whatever the batch size, which matters most inside the pool locks.
 * The history and decision rows reuse the leads' own array parameters (id, owner, queue, creation time), so
 * each value is sent and parsed once; decisions are sent once per distinct decision with a number per lead.
 * The owner a lead got at intake is its `lead_assignments` row; the history endpoint shows it from there
 * (`records.repo.ts` historyOf), so intake writes no owner row to `status_changes`.
 */
export async function writeNewLeads(
  tx: Db,
  args: {
    workspaceId: string;
    actorId: string | null;
    at: Date;
    columns: BulkColumn[];
    leads: unknown[][];
    decisions: IntakeDecision[];
    /** Per lead, its index in `decisions`. */
    decisionOf: number[];
    /** Round-robin counter increments of the pool picks (see assignPools). */
    counters: { poolKey: string; userId: string; n: number }[];
  },
) {
  if (!args.leads.length) return;
  const ps = new Params();
  const ws = `${ps.add(args.workspaceId)}::uuid`;
  const col: Record<string, string> = {};
  args.columns.forEach((c, i) => {
    col[c.name] = `${ps.add(args.leads.map((r) => r[i] ?? null))}::${c.type}[]`;
  });
  const d = args.decisions;
  await tx.query(
    `with new_leads as (
       insert into leads (${args.columns.map((c) => c.name).join(', ')})
       select * from unnest(${args.columns.map((c) => col[c.name]).join(', ')})),
     history as (
       insert into status_changes (workspace_id, record_type, record_id, field, from_value, to_value, actor_id, changed_at)
       select ${ws}, 'lead', t.id, 'status', null, 'new', ${ps.add(args.actorId)}::uuid, t.at
         from unnest(${col.id}, ${col.created_at}) as t(id, at)),
     ${explanationsCtes(ws, ps.add(d.map((x) => x.explanation)))},
     decisions as (
       select d.k, d.purpose, d.rule_id, d.pool_key, e.hash
         from unnest(${ps.add(d.map((x) => x.purpose))}::text[], ${ps.add(d.map((x) => x.ruleId))}::uuid[],
                     ${ps.add(d.map((x) => x.poolKey))}::text[]) with ordinality as d(purpose, rule_id, pool_key, k)
         join explanations e on e.k = d.k),
     assigned as (
       insert into lead_assignments (workspace_id, lead_id, purpose, user_id, queue, rule_id, pool_key, explanation_hash, assigned_at)
       select ${ws}, t.id, d.purpose, t.owner_id, t.queue, d.rule_id, d.pool_key, d.hash, ${ps.add(args.at)}::timestamptz
         from unnest(${col.id}, ${col.owner_id}, ${col.queue}, ${ps.add(args.decisionOf.map((k) => k + 1))}::int[]) as t(id, owner_id, queue, k)
         join decisions d on d.k = t.k),
     counted as (
       insert into routing_pool_counters (workspace_id, pool_key, user_id, assigned)
       select ${ws}, t.pool_key, t.user_id, t.n
         from unnest(${ps.add(args.counters.map((c) => c.poolKey))}::text[], ${ps.add(args.counters.map((c) => c.userId))}::uuid[],
                     ${ps.add(args.counters.map((c) => c.n))}::int[]) as t(pool_key, user_id, n)
       on conflict (workspace_id, pool_key, user_id) do update set assigned = routing_pool_counters.assigned + excluded.assigned)
     select 1`,
    ps.values,
  );
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
