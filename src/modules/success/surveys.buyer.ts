import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { addDays } from './surveys.core.js';
import * as repo from './surveys.repo.js';
import { COMMENT_MAX } from './surveys.schema.js';
import { signToken, surveyIdOf, type TokenAction, verifyToken } from './surveys.tokens.js';

/**
 * What a buyer does through the signed links of a survey email: rate in one click, comment, unsubscribe.
 * No sign-in: the token is the proof. A link that is not valid or has expired writes nothing.
 */
export type LinkRefusal = { kind: 'invalid' } | { kind: 'expired' };

export type RateOutcome =
  | LinkRefusal
  | { kind: 'recorded' | 'already'; rating: number; commentToken: string | null; workspaceName: string };
export type CommentOutcome = LinkRefusal | { kind: 'saved' | 'already' } | { kind: 'empty' | 'too_long'; commentToken: string };
export type UnsubscribeOutcome = LinkRefusal | { kind: 'unsubscribed'; email: string; workspaceName: string };

type Checked = { ok: true; survey: repo.SurveyRef; action: TokenAction; key: string } | { ok: false; refusal: LinkRefusal };

async function checkLink(db: Db, token: string | undefined, now: Date, accepts: (a: TokenAction) => boolean): Promise<Checked> {
  const invalid = { ok: false as const, refusal: { kind: 'invalid' as const } };
  const surveyId = token ? surveyIdOf(token) : null;
  const survey = surveyId ? await repo.findSurveyRef(db, surveyId) : undefined;
  const key = survey ? await repo.findSigningKey(db, survey.workspaceId) : null;
  if (!token || !survey || !key) return invalid;
  const check = verifyToken(key, token, now);
  if (!check.ok) return { ok: false, refusal: { kind: check.reason } };
  if (!accepts(check.claims.action)) return invalid;
  return { ok: true, survey, action: check.claims.action, key };
}

async function workspaceName(db: Db, workspaceId: string) {
  const [w] = await db.query<{ name: string }>('select name from workspaces where id = $1', [workspaceId]);
  return w?.name ?? '';
}

async function commentTokenFor(db: Db, survey: repo.SurveyRef, key: string, now: Date) {
  const { tokenDays } = await repo.readSettings(db, survey.workspaceId);
  return signToken(key, { surveyId: survey.id, action: 'comment', expiresAt: addDays(now, tokenDays) });
}

/** The one-click rating: recorded the first time; any later click (any rating) says it was already recorded. */
export async function rateByLink(db: Db, token: string | undefined, now: Date): Promise<RateOutcome> {
  const c = await checkLink(db, token, now, (a) => typeof a === 'number');
  if (!c.ok) return c.refusal;
  const rating = c.action as number;
  return db.transaction(async (tx) => {
    const recorded = await repo.recordRating(tx, c.survey.id, rating, now);
    if (recorded)
      await audit(tx, 'system', {
        workspaceId: c.survey.workspaceId,
        action: 'survey.rate',
        recordType: 'buyer_survey',
        recordId: c.survey.id,
        after: { rating },
      });
    const current = (await repo.findSurveyRef(tx, c.survey.id))!;
    return {
      kind: recorded ? 'recorded' : 'already',
      rating: current.rating as number,
      commentToken: current.comment == null ? await commentTokenFor(tx, current, c.key, now) : null,
      workspaceName: await workspaceName(tx, current.workspaceId),
    };
  });
}

/** One comment per survey, after the rating; an empty or too long one is shown the form again. */
export async function commentByLink(db: Db, token: string | undefined, comment: string | undefined, now: Date): Promise<CommentOutcome> {
  const c = await checkLink(db, token, now, (a) => a === 'comment');
  if (!c.ok) return c.refusal;
  const text = (comment ?? '').replace(/\r\n/g, '\n').trim();
  if (!text) return { kind: 'empty', commentToken: token as string };
  if (text.length > COMMENT_MAX) return { kind: 'too_long', commentToken: token as string };
  return db.transaction(async (tx) => {
    const saved = await repo.recordComment(tx, c.survey.id, text, now);
    if (saved)
      await audit(tx, 'system', {
        workspaceId: c.survey.workspaceId,
        action: 'survey.comment',
        recordType: 'buyer_survey',
        recordId: c.survey.id,
      });
    return { kind: saved ? 'saved' : 'already' };
  });
}

/** Unsubscribes the survey's address from this workspace's survey emails (idempotent). */
export async function unsubscribeByLink(db: Db, token: string | undefined, now: Date): Promise<UnsubscribeOutcome> {
  const c = await checkLink(db, token, now, (a) => a === 'unsubscribe');
  if (!c.ok) return c.refusal;
  const email = c.survey.buyerEmail;
  if (!email) return { kind: 'invalid' };
  await db.transaction(async (tx) => {
    const stopped = await repo.suppress(tx, c.survey.workspaceId, email, c.survey.id);
    await audit(tx, 'system', {
      workspaceId: c.survey.workspaceId,
      action: 'survey.unsubscribe',
      recordType: 'buyer_survey',
      recordId: c.survey.id,
      after: { stoppedSurveys: stopped },
    });
  });
  return { kind: 'unsubscribed', email, workspaceName: await workspaceName(db, c.survey.workspaceId) };
}
