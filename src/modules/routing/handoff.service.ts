import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs/queue.js';
import { leads, opportunities } from '../crm/crm.resources.js';
import { createDealFromLead, setLeadStatus } from '../crm/leads.service.js';
import * as records from '../crm/records.repo.js';
import { getFor, scopeOf } from '../crm/records.service.js';
import { type Notice, notify } from '../notify/notify.service.js';
import { findWorkspace } from '../org/org.repo.js';
import { chooseAe } from './ae-choice.js';
import { recordAssignment } from './assignments.repo.js';
import { getSettings } from './settings.repo.js';
import { addBusinessMinutes } from './sla.core.js';

export const SLA_JOB = 'routing.handoff_sla';

export type Handoff = {
  id: string;
  leadId: string;
  opportunityId: string | null;
  sdrId: string | null;
  aeId: string | null;
  status: 'pending' | 'accepted' | 'sent_back' | 'escalated';
  handedAt: Date;
  warnAt: Date;
  dueAt: Date;
  acceptedAt: Date | null;
};

const HANDOFF_COLS = `id, lead_id as "leadId", opportunity_id as "opportunityId", sdr_id as "sdrId", ae_id as "aeId", status,
  handed_at as "handedAt", warn_at as "warnAt", due_at as "dueAt", warned_at as "warnedAt", accepted_at as "acceptedAt",
  closed_at as "closedAt", sent_back_reason as "sentBackReason", escalated_from as "escalatedFrom"`;

/** Opens a handoff to an AE with its SLA timers booked as jobs (warning, then breach), each firing once. */
async function openHandoff(
  tx: Db,
  p: Principal,
  args: { leadId: string; opportunityId: string; sdrId: string | null; aeId: string; now: Date; escalatedFrom?: string },
): Promise<Handoff> {
  const ws = (await findWorkspace(tx, p.workspaceId))!;
  const s = await getSettings(tx, p.workspaceId);
  const calendar = { ...s.businessCalendar, timezone: ws.timezone };
  const warnAt = addBusinessMinutes(args.now, Math.max(1, Math.floor((s.handoffSlaMinutes * s.slaWarningPercent) / 100)), calendar);
  const dueAt = addBusinessMinutes(args.now, s.handoffSlaMinutes, calendar);
  const [h] = await tx.query<Handoff>(
    `insert into handoffs (workspace_id, lead_id, opportunity_id, sdr_id, ae_id, handed_at, warn_at, due_at, escalated_from)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning ${HANDOFF_COLS}`,
    [p.workspaceId, args.leadId, args.opportunityId, args.sdrId, args.aeId, args.now, warnAt, dueAt, args.escalatedFrom ?? null],
  );
  for (const phase of ['warn', 'due'] as const)
    await enqueue(tx, {
      kind: SLA_JOB,
      workspaceId: p.workspaceId,
      payload: { handoffId: h.id, phase },
      runAt: phase === 'warn' ? warnAt : dueAt,
      dedupeKey: `handoff:${h.id}:${phase}`,
    });
  return h;
}

/**
 * Hands a qualified lead to an AE: the account, contact and opportunity are created (the SDR recorded as
 * the source), the lead moves to handed_off, and the AE must accept within the SLA.
 */
export async function handOffLead(db: Db, p: Principal, leadId: string, input: { aeId?: string }, now: Date) {
  return db.transaction(async (tx) => {
    const lead = await getFor(tx, p, leads, leadId, 'write', true);
    if (lead.status !== 'qualified')
      throw new AppError('conflict', `only a qualified lead can be handed off; this one is ${lead.status}`, { status: lead.status });
    const choice = await chooseAe(tx, p.workspaceId, lead, { aeId: input.aeId, now });
    if (!choice.aeId)
      throw new AppError('conflict', 'No AE is available to take this lead (all out of office or inactive)', {
        explanation: choice.explanation,
      });
    const deal = await createDealFromLead(tx, p, lead, { aeId: choice.aeId, at: now });
    await setLeadStatus(
      tx,
      p,
      lead,
      'handed_off',
      choice.how,
      {
        accountId: deal.accountId,
        contactId: deal.contactId,
        opportunityId: deal.opportunity.id,
      },
      now,
    );
    const h = await openHandoff(tx, p, {
      leadId,
      opportunityId: deal.opportunity.id,
      sdrId: (lead.ownerId as string) ?? null,
      aeId: choice.aeId,
      now,
    });
    await recordAssignment(tx, {
      workspaceId: p.workspaceId,
      leadId,
      purpose: 'handoff',
      userId: choice.aeId,
      poolKey: 'poolKey' in choice ? choice.poolKey : null,
      explanation: choice.explanation,
    });
    const s = await getSettings(tx, p.workspaceId);
    await notify(
      tx,
      [
        handoffNotice(
          p.workspaceId,
          choice.aeId,
          'handoff_assigned',
          `New handoff: ${lead.company ?? lead.email ?? 'a lead'}`,
          h,
          'Accept it before the SLA ends',
        ),
      ],
      s.webhookUrl,
    );
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'lead.handoff',
      recordType: 'lead',
      recordId: leadId,
      after: { handoffId: h.id, aeId: choice.aeId, how: choice.how },
    });
    return { handoff: h, opportunity: deal.opportunity, how: choice.how };
  });
}

function handoffNotice(workspaceId: string, userId: string, kind: Notice['kind'], title: string, h: Handoff, body?: string): Notice {
  return { workspaceId, userId, kind, title, body: body ?? null, recordType: 'lead', recordId: h.leadId };
}

async function lockHandoff(tx: Db, p: Principal, id: string): Promise<Handoff> {
  const [h] = await tx.query<Handoff>(`select ${HANDOFF_COLS} from handoffs where workspace_id = $1 and id = $2 for update`, [
    p.workspaceId,
    id,
  ]);
  if (!h) throw notFound('Handoff');
  return h;
}

/** The AE (or their manager, or sales ops) answers a handoff. */
function checkAnswerer(p: Principal, h: Handoff) {
  const scope = scopeOf(p, 'write');
  if (!scope.all && !(h.aeId && scope.ownerIds.includes(h.aeId)))
    throw forbidden('Only the AE it was handed to (or their manager) can answer this handoff');
  if (h.status !== 'pending') throw new AppError('conflict', `this handoff is already ${h.status.replace('_', ' ')}`, { status: h.status });
}

export async function acceptHandoff(db: Db, p: Principal, id: string, now: Date) {
  return db.transaction(async (tx) => {
    const h = await lockHandoff(tx, p, id);
    checkAnswerer(p, h);
    await tx.query(`update handoffs set status = 'accepted', accepted_at = $2, closed_at = $2 where id = $1`, [id, now]);
    const lead = (await records.findRecord(tx, leads, p.workspaceId, h.leadId, true))!;
    await setLeadStatus(tx, p, lead, 'converted', 'handoff accepted', {}, now);
    const s = await getSettings(tx, p.workspaceId);
    if (h.sdrId)
      await notify(
        tx,
        [handoffNotice(p.workspaceId, h.sdrId, 'handoff_accepted', `Handoff accepted: ${lead.company ?? lead.email ?? 'your lead'}`, h)],
        s.webhookUrl,
      );
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'handoff.accept',
      recordType: 'handoff',
      recordId: id,
      before: { status: 'pending' },
      after: { status: 'accepted' },
    });
    return { ...h, status: 'accepted' as const, acceptedAt: now };
  });
}

/** The AE sends the lead back to the SDR with a reason: the opportunity is closed lost, the lead is qualified again. */
export async function sendBackHandoff(db: Db, p: Principal, id: string, reason: string, now: Date) {
  return db.transaction(async (tx) => {
    const h = await lockHandoff(tx, p, id);
    checkAnswerer(p, h);
    await tx.query(`update handoffs set status = 'sent_back', sent_back_reason = $2, closed_at = $3 where id = $1`, [id, reason, now]);
    if (h.opportunityId) {
      const opp = await records.findRecord(tx, opportunities, p.workspaceId, h.opportunityId, true);
      if (opp && opp.stage !== 'lost' && opp.stage !== 'won') {
        await records.updateRecord(
          tx,
          opportunities,
          p.workspaceId,
          opp.id,
          { stage: 'lost', lostReason: `Sent back to SDR: ${reason}` },
          { closed_at: now },
        );
        await records.recordChange(tx, {
          workspaceId: p.workspaceId,
          recordType: 'opportunity',
          recordId: opp.id,
          field: 'stage',
          from: opp.stage as string,
          to: 'lost',
          reason: `sent back: ${reason}`,
          actorId: p.userId,
          at: now,
        });
      }
    }
    const lead = (await records.findRecord(tx, leads, p.workspaceId, h.leadId, true))!;
    await setLeadStatus(tx, p, lead, 'qualified', `sent back: ${reason}`, { opportunityId: null }, now);
    const s = await getSettings(tx, p.workspaceId);
    if (h.sdrId)
      await notify(
        tx,
        [handoffNotice(p.workspaceId, h.sdrId, 'handoff_sent_back', `Sent back: ${lead.company ?? lead.email ?? 'your lead'}`, h, reason)],
        s.webhookUrl,
      );
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'handoff.send_back',
      recordType: 'handoff',
      recordId: id,
      before: { status: 'pending' },
      after: { status: 'sent_back', reason },
    });
    return { ...h, status: 'sent_back' as const };
  });
}

export { HANDOFF_COLS, openHandoff };
