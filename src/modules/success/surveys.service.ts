import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { cursorValueSql, keyset, page, type SortSpec, Where } from '../../platform/http/list.js';
import { enqueue } from '../../platform/jobs/queue.js';
import { smtpStatus } from '../../platform/mail/mailer.js';
import { normalizeEmail } from '../crm/crm.core.js';
import type { Role } from '../org/org.core.js';
import { findWorkspace } from '../org/org.repo.js';
import {
  alertStagesProblem,
  averageOf,
  compareScores,
  defaultAlertStages,
  effectiveAlertStages,
  isLowRated,
  isSendableEmail,
  type SurveySettings,
} from './surveys.core.js';
import { SEND_ATTEMPTS, SEND_KIND } from './surveys.jobs.js';
import * as repo from './surveys.repo.js';
import type { SettingsInput, SurveyListQuery } from './surveys.schema.js';

/** Leaders and customer success read every survey; anyone else the surveys of their own deals. */
const SEE_ALL: Role[] = ['admin', 'sales_ops', 'manager', 'csm', 'relationship_manager'];
const LEADERS: Role[] = ['admin', 'sales_ops', 'manager'];

const seesAll = (p: Principal) => p.kind !== 'user' || p.roles.some((r) => SEE_ALL.includes(r));

export async function listSurveys(db: Db, p: Principal, q: SurveyListQuery) {
  requirePermission(p, 'crm:read');
  if (q.repId) {
    const [rep] = await db.query('select 1 from users where workspace_id = $1 and id = $2', [p.workspaceId, q.repId]);
    if (!rep) throw new AppError('not_found', 'no such rep in this workspace', [{ path: 'repId', message: 'not found' }]);
    if (!seesAll(p) && q.repId !== p.userId)
      throw new AppError('forbidden', "you may see only your own deals' surveys", [{ path: 'repId', message: 'outside your scope' }]);
  }
  const w = new Where();
  w.add(`b.workspace_id = ${w.param(p.workspaceId)}`);
  if (!seesAll(p)) w.add(`b.rep_id = ${w.param(p.userId)}`);
  if (q.repId) w.add(`b.rep_id = ${w.param(q.repId)}`);
  if (q.status) w.add(`b.status = any(${w.param(q.status)}::text[])`);
  if (q.rating) w.add(`b.rating = any(${w.param(q.rating.map(Number))}::int[])`);
  const sort: SortSpec = { expr: 'b.send_at', type: 'timestamptz' };
  const order = keyset(w, sort, 'desc', q.cursor, 'b.id');
  const rows = await db.query<repo.SurveyRow & { cursorValue: string }>(
    `${repo.surveySelect(`${cursorValueSql(sort)} as "cursorValue", `)} ${w.sql()} ${order} limit ${q.limit + 1}`,
    w.params,
  );
  const result = page(rows, q.limit, (r) => r.cursorValue);
  return { items: result.items.map(({ cursorValue: _, ...row }) => row), nextCursor: result.nextCursor };
}

/** Published internally: every signed-in role reads every rep's score (never the comments). */
export async function leaderboard(db: Db, p: Principal, q: { asOf?: string }, now: Date) {
  requirePermission(p, 'crm:read');
  const at = q.asOf ? new Date(q.asOf) : now;
  const settings = await repo.readSettings(db, p.workspaceId);
  const reps = (await repo.leaderboard(db, p.workspaceId, at)).sort(compareScores).map((r) => ({
    userId: r.userId,
    name: r.name,
    teamName: r.teamName,
    average: averageOf(r),
    ratingSum: r.sum,
    count: r.count,
    fiveStar: r.fiveStar,
    belowThreshold: isLowRated(r, settings.threshold, settings.minRatings),
    lastRatedAt: r.lastRatedAt,
  }));
  return { asOf: at, threshold: settings.threshold, minRatings: settings.minRatings, reps };
}

async function settingsView(db: Db, workspaceId: string, config: Pick<Config, 'smtpUrl'>) {
  const ws = (await findWorkspace(db, workspaceId))!;
  const { updatedAt, ...s } = await repo.readSettings(db, workspaceId);
  return {
    ...s,
    alertStages: effectiveAlertStages(s, ws.opportunityStages),
    alertStagesDefault: s.alertStages == null,
    defaultAlertStages: defaultAlertStages(ws.opportunityStages),
    openStages: ws.opportunityStages.filter((st) => st !== 'won' && st !== 'lost'),
    smtp: smtpStatus(config),
    updatedAt,
  };
}

export async function getSettings(db: Db, p: Principal, config: Pick<Config, 'smtpUrl'>) {
  requirePermission(p, 'org:write');
  return settingsView(db, p.workspaceId, config);
}

/** Admins and sales ops; stages and people are checked against the workspace, each refusal naming its field. */
export async function putSettings(db: Db, p: Principal, input: SettingsInput, config: Pick<Config, 'smtpUrl'>, now: Date) {
  requirePermission(p, 'org:write');
  const ws = (await findWorkspace(db, p.workspaceId))!;
  if (input.alertStages) {
    const problem = alertStagesProblem(input.alertStages, ws.opportunityStages);
    if (problem) throw invalid('alertStages', problem);
  }
  const people = await db.query<{ id: string }>('select id from users where workspace_id = $1 and active and id = any($2::uuid[])', [
    p.workspaceId,
    input.alertUserIds,
  ]);
  const unknown = input.alertUserIds.filter((id) => !people.some((u) => u.id === id));
  if (unknown.length) throw invalid('alertUserIds', `no active user with this id in this workspace: ${unknown.join(', ')}`);
  const next: SurveySettings = {
    ...input,
    threshold: Number(input.threshold).toFixed(2),
    alertUserIds: [...new Set(input.alertUserIds)],
  };
  return db.transaction(async (tx) => {
    const { updatedAt: _, ...before } = await repo.readSettings(tx, p.workspaceId);
    await repo.writeSettings(tx, p.workspaceId, next);
    if (before.delayDays !== next.delayDays) await repo.reschedulePending(tx, p.workspaceId, next.delayDays, now);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'survey.settings',
      recordType: 'survey_settings',
      recordId: p.workspaceId,
      before,
      after: next,
    });
    return settingsView(tx, p.workspaceId, config);
  });
}

/**
 * Sends the survey again now (leaders): to the buyer's current address, with fresh links. Refused, with the reason,
 * for a rated survey, a deal no longer won, no usable address, an unsubscribed buyer, or no mail server.
 */
export async function resendSurvey(db: Db, p: Principal, id: string, config: Pick<Config, 'smtpUrl'>, now: Date) {
  const found = await repo.findSurvey(db, p.workspaceId, id);
  if (!found) throw notFound('survey');
  if (p.kind === 'user' && !p.roles.some((r) => LEADERS.includes(r)))
    throw forbidden('only admins, sales ops and managers resend a survey');
  if (!config.smtpUrl) throw conflict('SMTP_URL is not set: no email can be sent');
  return db.transaction(async (tx) => {
    const s = (await repo.findSurvey(tx, p.workspaceId, id, true))!;
    if (s.rating != null) throw conflict('the buyer already answered this survey');
    const deal = await repo.currentBuyerEmails(tx, s.opportunityId);
    if (deal?.stage !== 'won') throw conflict('the deal is no longer won');
    const email = [deal.contactEmail, deal.leadEmail].map(normalizeEmail).find((e) => e != null && isSendableEmail(e));
    if (!email) throw conflict("no buyer email: give the deal's contact a valid email address first");
    if (await repo.isSuppressed(tx, p.workspaceId, email)) throw conflict('the buyer unsubscribed from survey emails');
    await repo.rescheduleNow(tx, id, email, now);
    await enqueue(tx, {
      kind: SEND_KIND,
      workspaceId: p.workspaceId,
      payload: { surveyId: id },
      dedupeKey: `${SEND_KIND}:${id}:resend:${now.getTime()}`,
      maxAttempts: SEND_ATTEMPTS,
    });
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'survey.resend',
      recordType: 'buyer_survey',
      recordId: id,
      before: { status: s.status, buyerEmail: s.buyerEmail },
      after: { status: 'scheduled', buyerEmail: email },
    });
    return (await repo.findSurvey(tx, p.workspaceId, id))!;
  });
}
