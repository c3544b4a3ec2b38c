import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { systemPrincipal } from '../../platform/auth/principal.js';
import type { JobHandler } from '../../platform/jobs/worker.js';
import { leads, opportunities } from '../crm/crm.resources.js';
import * as records from '../crm/records.repo.js';
import { type Notice, notify } from '../notify/notify.service.js';
import { chooseAe } from './ae-choice.js';
import { recordAssignment } from './assignments.repo.js';
import { HANDOFF_COLS, type Handoff, openHandoff, SLA_JOB } from './handoff.service.js';
import { getSettings } from './settings.repo.js';

/**
 * A handoff's SLA timer. Each phase is one job row (booked with a dedupe key), and the handoff row is
 * locked and re-checked here, so a timer fires once even after a restart or with several workers:
 * an accepted or already-escalated handoff makes the job a no-op.
 */
export async function handleHandoffSla(db: Db, workspaceId: string, payload: { handoffId: string; phase: 'warn' | 'due' }, now: Date) {
  await db.transaction(async (tx) => {
    const [h] = await tx.query<Handoff & { warnedAt: Date | null }>(
      `select ${HANDOFF_COLS} from handoffs where workspace_id = $1 and id = $2 for update`,
      [workspaceId, payload.handoffId],
    );
    if (h?.status !== 'pending') return;
    const s = await getSettings(tx, workspaceId);
    const lead = (await records.findRecord(tx, leads, workspaceId, h.leadId))!;
    const label = (lead.company as string) ?? (lead.email as string) ?? 'a lead';
    if (payload.phase === 'warn') {
      if (h.warnedAt) return;
      await tx.query('update handoffs set warned_at = $2 where id = $1', [h.id, now]);
      if (h.aeId)
        await notify(
          tx,
          [
            {
              workspaceId,
              userId: h.aeId,
              kind: 'sla_warning',
              title: `SLA warning: accept ${label} before ${h.dueAt.toISOString()}`,
              recordType: 'lead',
              recordId: h.leadId,
            },
          ],
          s.webhookUrl,
        );
      return;
    }
    const sys = systemPrincipal(workspaceId);
    await tx.query(`update handoffs set status = 'escalated', closed_at = $2 where id = $1`, [h.id, now]);
    const choice = await chooseAe(tx, workspaceId, lead, { exclude: h.aeId ? [h.aeId] : [], now });
    const notices: Notice[] = [];
    const [manager] = h.aeId
      ? await tx.query<{ manager_id: string | null }>('select t.manager_id from users u join teams t on t.id = u.team_id where u.id = $1', [
          h.aeId,
        ])
      : [];
    if (choice.aeId && h.opportunityId) {
      const opp = await records.findRecord(tx, opportunities, workspaceId, h.opportunityId, true);
      if (opp) {
        await records.updateRecord(tx, opportunities, workspaceId, opp.id, { ownerId: choice.aeId });
        await records.recordChange(tx, {
          workspaceId,
          recordType: 'opportunity',
          recordId: opp.id,
          field: 'owner',
          from: (opp.ownerId as string) ?? null,
          to: choice.aeId,
          reason: 'handoff SLA breached: reassigned',
          actorId: null,
        });
      }
      await openHandoff(tx, sys, {
        leadId: h.leadId,
        opportunityId: h.opportunityId,
        sdrId: h.sdrId,
        aeId: choice.aeId,
        now,
        escalatedFrom: h.id,
      });
      await recordAssignment(tx, {
        workspaceId,
        leadId: h.leadId,
        purpose: 'escalation',
        userId: choice.aeId,
        explanation: choice.explanation,
      });
      notices.push({
        workspaceId,
        userId: choice.aeId,
        kind: 'handoff_assigned',
        title: `Escalated to you: ${label}`,
        body: 'The first AE did not accept in time',
        recordType: 'lead',
        recordId: h.leadId,
      });
    }
    const what = choice.aeId ? 'reassigned to another AE' : 'no other AE is available: please reassign';
    if (manager?.manager_id)
      notices.push({
        workspaceId,
        userId: manager.manager_id,
        kind: 'sla_breach',
        title: `Handoff SLA breached: ${label}`,
        body: what,
        recordType: 'lead',
        recordId: h.leadId,
      });
    if (h.sdrId)
      notices.push({
        workspaceId,
        userId: h.sdrId,
        kind: 'handoff_escalated',
        title: `Handoff escalated: ${label}`,
        body: what,
        recordType: 'lead',
        recordId: h.leadId,
      });
    if (h.aeId)
      notices.push({
        workspaceId,
        userId: h.aeId,
        kind: 'sla_breach',
        title: `You missed the handoff SLA for ${label}`,
        body: what,
        recordType: 'lead',
        recordId: h.leadId,
      });
    await notify(tx, notices, s.webhookUrl);
    await audit(tx, 'system', {
      workspaceId,
      action: 'handoff.escalate',
      recordType: 'handoff',
      recordId: h.id,
      before: { status: 'pending', aeId: h.aeId },
      after: { status: 'escalated', newAeId: choice.aeId },
    });
  });
}

export const routingJobs: Record<string, JobHandler> = {
  [SLA_JOB]: (job, db) => handleHandoffSla(db, job.workspaceId!, job.payload as never, new Date()),
};
