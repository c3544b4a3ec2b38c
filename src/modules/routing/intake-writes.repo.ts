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
 * Writes the new leads of an intake, their routing decisions and the pools' round-robin counters in ONE
 * statement (data-modifying CTEs; the foreign keys are checked at its end, when the leads are there): one round
 * trip whatever the batch size, which matters most inside the pool locks. The decision rows reuse the leads' own
 * array parameters (id, owner, queue), so each value is sent and parsed once; decisions are sent once per
 * distinct decision with a number per lead.
 * Nothing else is written per lead: its creation ("created as new", by whom, when) is the lead row itself
 * (created_at, created_by; migration 0011) and the owner it got is its `lead_assignments` row (migration 0005);
 * the history endpoint shows both (`records.repo.ts` historyOf).
 */
export async function writeNewLeads(
  tx: Db,
  args: {
    workspaceId: string;
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

/** A blank field: null, or empty for text. */
const blank = (column: string, type: string) => (type === 'text' ? `(l.${column} is null or l.${column} = '')` : `l.${column} is null`);

/**
 * Writes what merged submissions leave on the leads they join, in one statement: the blank fields filled from
 * `fills` (per lead, the values its submissions bring: see fillValues; only leads that change are locked and
 * touched) and one note per submission.
 */
export async function writeMerges(
  tx: Db,
  args: {
    workspaceId: string;
    actorId: string | null;
    at: Date;
    fills: Map<string, Record<string, unknown>>;
    notes: { leadId: string; subject: string; body: string }[];
  },
) {
  if (!args.notes.length) return;
  const ps = new Params();
  const ws = `${ps.add(args.workspaceId)}::uuid`;
  const ids = [...args.fills.keys()];
  const columns = FILL_COLUMNS.filter(([key]) => ids.some((id) => args.fills.get(id)![key] != null));
  const fillable = ([, col, type]: (typeof FILL_COLUMNS)[number]) => `${blank(col, type)} and v.${col} is not null`;
  const fill = columns.length
    ? `filled as (
         update leads l set ${columns.map((c) => `${c[1]} = case when ${fillable(c)} then v.${c[1]} else l.${c[1]} end`).join(', ')}, updated_at = now()
           from unnest(${ps.add(ids)}::uuid[], ${columns.map(([key, , type]) => `${ps.add(ids.map((id) => args.fills.get(id)![key] ?? null))}::${type}[]`).join(', ')})
                as v(id, ${columns.map(([, col]) => col).join(', ')})
          where l.workspace_id = ${ws} and l.id = v.id and (${columns.map(fillable).join(' or ')})),`
    : '';
  await tx.query(
    `with ${fill}
     noted as (
       insert into activities (workspace_id, kind, subject, body, record_type, record_id, actor_id, occurred_at)
       select ${ws}, 'note', n.subject, n.body, 'lead', n.lead_id, ${ps.add(args.actorId)}::uuid, ${ps.add(args.at)}::timestamptz
         from unnest(${ps.add(args.notes.map((n) => n.subject))}::text[], ${ps.add(args.notes.map((n) => n.body))}::text[],
                     ${ps.add(args.notes.map((n) => n.leadId))}::uuid[]) as n(subject, body, lead_id))
     select 1`,
    ps.values,
  );
}
