import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { leads } from '../crm/crm.resources.js';
import { getLead } from '../crm/leads.service.js';
import * as records from '../crm/records.repo.js';
import { recordAssignment } from './assignments.repo.js';

/** A rep takes an unassigned lead out of its queue: it becomes theirs, with the owner change in the history. */
export async function claimLead(db: Db, p: Principal, leadId: string) {
  requirePermission(p, 'crm:write');
  if (!p.userId) throw new AppError('bad_request', 'Only a user can claim a lead; API keys assign with ownerId');
  return db.transaction(async (tx) => {
    const lead = await getLead(tx, p, leadId, true);
    if (lead.ownerId)
      throw new AppError('conflict', lead.ownerId === p.userId ? 'You already own this lead' : 'Someone already took this lead', {
        ownerId: lead.ownerId,
      });
    const queue = (await tx.query<{ queue: string | null }>('select queue from leads where id = $1', [leadId]))[0]?.queue;
    await tx.query('update leads set owner_id = $3, queue = null, updated_at = now() where workspace_id = $1 and id = $2', [
      p.workspaceId,
      leadId,
      p.userId,
    ]);
    await records.recordChange(tx, {
      workspaceId: p.workspaceId,
      recordType: 'lead',
      recordId: leadId,
      field: 'owner',
      from: null,
      to: p.userId,
      reason: `claimed from ${queue ?? 'no queue'}`,
      actorId: p.userId,
    });
    await recordAssignment(tx, {
      workspaceId: p.workspaceId,
      leadId,
      purpose: 'manual',
      userId: p.userId,
      queue,
      explanation: [{ name: `claimed from the ${queue ?? ''} queue` }],
    });
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'lead.claim',
      recordType: 'lead',
      recordId: leadId,
      before: { ownerId: null, queue },
      after: { ownerId: p.userId, queue: null },
    });
    return (await records.findRecord(tx, leads, p.workspaceId, leadId))!;
  });
}
