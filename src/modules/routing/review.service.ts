import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { leads } from '../crm/crm.resources.js';
import { setLeadStatus } from '../crm/leads.service.js';
import { getFor } from '../crm/records.service.js';

/**
 * A person's decision on a lead flagged as a possible duplicate of a closed one:
 * `keep` (a genuine new inquiry) clears the flag; `merge` closes the new lead as a duplicate and moves
 * its activities onto the earlier lead, so nothing it carried is lost.
 */
export async function resolveDuplicate(db: Db, p: Principal, leadId: string, decision: 'keep' | 'merge') {
  return db.transaction(async (tx) => {
    const lead = await getFor(tx, p, leads, leadId, 'write', true);
    const [flag] = await tx.query<{ needs_review: boolean; duplicate_of: string | null }>(
      'select needs_review, duplicate_of from leads where id = $1',
      [leadId],
    );
    if (!flag.needs_review || !flag.duplicate_of) throw new AppError('conflict', 'this lead is not waiting for a duplicate review');
    await tx.query('update leads set needs_review = false, updated_at = now() where id = $1', [leadId]);
    if (decision === 'merge') {
      await tx.query(`update activities set record_id = $3 where workspace_id = $1 and record_type = 'lead' and record_id = $2`, [
        p.workspaceId,
        leadId,
        flag.duplicate_of,
      ]);
      await tx.query(
        `insert into activities (workspace_id, kind, subject, body, record_type, record_id, actor_id) values ($1, 'note', 'Duplicate merged', $2, 'lead', $3, $4)`,
        [
          p.workspaceId,
          `A new submission (${lead.email ?? lead.company ?? leadId}, via ${lead.channel}) was merged into this lead.`,
          flag.duplicate_of,
          p.userId,
        ],
      );
      if (lead.status !== 'disqualified' && lead.status !== 'converted')
        await setLeadStatus(tx, p, lead, 'disqualified', `duplicate of ${flag.duplicate_of}`, {
          disqualifyReason: `Duplicate of lead ${flag.duplicate_of}`,
        });
    }
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: `lead.duplicate_${decision}`,
      recordType: 'lead',
      recordId: leadId,
      after: { duplicateOf: flag.duplicate_of, decision },
    });
    return { leadId, decision, duplicateOf: flag.duplicate_of };
  });
}
