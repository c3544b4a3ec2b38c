import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError, invalid } from '../../platform/errors.js';
import type { LeadStatus } from '../crm/crm.core.js';
import { leads } from '../crm/crm.resources.js';
import { setLeadStatus } from '../crm/leads.service.js';
import { getFor } from '../crm/records.service.js';
import { type Answers, type Scorecard, scoreLead, validateScorecard } from './scorecard.core.js';
import { getScorecard, saveScorecard } from './settings.repo.js';
import { markFirstTouch } from './touch.repo.js';

export async function putScorecard(db: Db, p: Principal, segment: string, card: Omit<Scorecard, 'segment'>) {
  requirePermission(p, 'org:write');
  const errors = validateScorecard({ ...card, segment });
  if (errors.length) throw new AppError('validation_failed', `${errors[0].path}: ${errors[0].message}`, errors);
  return db.transaction(async (tx) => {
    const before = await getScorecard(tx, p.workspaceId, segment);
    await saveScorecard(tx, p.workspaceId, segment, card, p.userId);
    const after = await getScorecard(tx, p.workspaceId, segment);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'scorecard.update',
      recordType: 'scorecard',
      recordId: segment,
      before,
      after,
    });
    return after;
  });
}

/**
 * The SDR fills in the segment's scorecard on a lead. The result and its reasons are kept (every fill-in),
 * and the lead moves to qualified when it meets the bar, or back to working when it no longer does.
 */
export async function qualifyLead(db: Db, p: Principal, leadId: string, answers: Answers, now: Date) {
  return db.transaction(async (tx) => {
    const lead = await getFor(tx, p, leads, leadId, 'write', true);
    const status = lead.status as LeadStatus;
    if (!['new', 'working', 'qualified'].includes(status))
      throw new AppError('conflict', `a ${status} lead cannot be requalified`, { status });
    if (!lead.segment) throw invalid('segment', 'classify the lead into a segment (employees or expected ARR) before qualifying it');
    const card = await getScorecard(tx, p.workspaceId, lead.segment as string);
    const unknown = Object.keys(answers).filter((k) => !card.criteria.some((c) => c.key === k));
    if (unknown.length) throw invalid(`answers.${unknown[0]}`, `not a criterion of the ${lead.segment} scorecard`);
    const result = scoreLead({ ...card, segment: lead.segment as string }, answers);
    const [row] = await tx.query<{ id: number; createdAt: Date }>(
      `insert into lead_qualifications (workspace_id, lead_id, segment, answers, score, max_score, threshold, qualified, reasons, actor_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id, created_at as "createdAt"`,
      [
        p.workspaceId,
        leadId,
        lead.segment,
        JSON.stringify(answers),
        result.score,
        result.maxScore,
        result.threshold,
        result.qualified,
        JSON.stringify(result.reasons),
        p.userId,
      ],
    );
    await tx.query('update leads set score = $3, qualified = $4, updated_at = now() where workspace_id = $1 and id = $2', [
      p.workspaceId,
      leadId,
      result.score,
      result.qualified,
    ]);
    await markFirstTouch(tx, p, lead, now);
    if (result.qualified && status !== 'qualified')
      await setLeadStatus(tx, p, lead, 'qualified', `scorecard ${result.score}/${result.maxScore}`, {}, now);
    if (!result.qualified && status === 'qualified') await setLeadStatus(tx, p, lead, 'working', 'no longer meets the scorecard', {}, now);
    if (!result.qualified && status === 'new') await setLeadStatus(tx, p, lead, 'working', null, {}, now);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'lead.qualify',
      recordType: 'lead',
      recordId: leadId,
      after: { answers, ...result },
    });
    return { id: row.id, createdAt: row.createdAt, ...result };
  });
}

export async function qualificationHistory(db: Db, p: Principal, leadId: string) {
  await getFor(db, p, leads, leadId, 'read');
  return db.query(
    `select q.id, q.segment, q.answers, q.score, q.max_score as "maxScore", q.threshold, q.qualified, q.reasons,
            q.actor_id as "actorId", u.name as "actorName", q.created_at as "createdAt"
       from lead_qualifications q left join users u on u.id = q.actor_id
      where q.workspace_id = $1 and q.lead_id = $2 order by q.id desc`,
    [p.workspaceId, leadId],
  );
}
