import type { Db } from '../../db/client.js';

/**
 * The routing decision log (`lead_assignments`). Explanations are stored once per distinct content in
 * `routing_explanations` and referenced by hash (migration 0005); `lead_assignments_explained` reads them back.
 */

export type AssignmentPurpose = 'intake' | 'handoff' | 'escalation' | 'manual';

/**
 * CTEs `explanations (k, hash, explanation)` over a jsonb[] parameter (k = 1-based position) and
 * `saved_explanations`, which stores the ones the workspace does not have yet. Inserted in hash order, so
 * two transactions bringing the same new explanations wait for each other in one order, never crosswise.
 */
export function explanationsCtes(workspace: string, explanations: string) {
  return `explanations as (
      select e.k, routing_explanation_hash(e.explanation) as hash, e.explanation
        from unnest(${explanations}::jsonb[]) with ordinality as e(explanation, k)),
    saved_explanations as (
      insert into routing_explanations (workspace_id, hash, explanation)
      select distinct on (hash) ${workspace}::uuid, hash, explanation from explanations order by hash
      on conflict do nothing)`;
}

/** Records one decision (handoff, escalation, claim): the explanation is any JSON value, usually a list of steps. */
export async function recordAssignment(
  tx: Db,
  a: {
    workspaceId: string;
    leadId: string;
    purpose: AssignmentPurpose;
    userId: string | null;
    queue?: string | null;
    ruleId?: string | null;
    poolKey?: string | null;
    explanation: unknown;
  },
) {
  await tx.query(
    `with ${explanationsCtes('$1', '$8')}
     insert into lead_assignments (workspace_id, lead_id, purpose, user_id, queue, rule_id, pool_key, explanation_hash)
     select $1::uuid, $2::uuid, $3::text, $4::uuid, $5::text, $6::uuid, $7::text, e.hash from explanations e`,
    [a.workspaceId, a.leadId, a.purpose, a.userId, a.queue ?? null, a.ruleId ?? null, a.poolKey ?? null, [JSON.stringify(a.explanation)]],
  );
}
