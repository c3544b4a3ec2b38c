import { insertMany } from '../../db/bulk.js';
import type { Db } from '../../db/client.js';
import { DEFAULT_SETTINGS, type Score, type SurveyPlan, type SurveySettings, type SurveyStatus } from './surveys.core.js';
import { newSigningKey } from './surveys.tokens.js';

const SETTINGS_COLS = `delay_days as "delayDays", reminder_days as "reminderDays", token_days as "tokenDays", threshold,
  min_ratings as "minRatings", alert_stages as "alertStages", alert_user_ids as "alertUserIds", updated_at as "updatedAt"`;

export type StoredSettings = SurveySettings & { updatedAt: Date | null };

async function ensureSettingsRow(db: Db, workspaceId: string) {
  await db.query(
    `insert into survey_settings (workspace_id, signing_key) select $1, $2
      where not exists (select 1 from survey_settings where workspace_id = $1) on conflict (workspace_id) do nothing`,
    [workspaceId, newSigningKey()],
  );
}

/** A workspace's survey settings; the defaults (not stored) until someone saves them or a key is needed. */
export async function readSettings(db: Db, workspaceId: string): Promise<StoredSettings> {
  const [row] = await db.query<StoredSettings>(`select ${SETTINGS_COLS} from survey_settings where workspace_id = $1`, [workspaceId]);
  return row ?? { ...DEFAULT_SETTINGS, updatedAt: null };
}

/** The key that signs this workspace's survey links, created on first use. Never returned by the API. */
export async function signingKey(db: Db, workspaceId: string): Promise<string> {
  await ensureSettingsRow(db, workspaceId);
  return (await findSigningKey(db, workspaceId)) as string;
}

/** The key if the workspace has one: checking a link never creates anything. */
export async function findSigningKey(db: Db, workspaceId: string): Promise<string | null> {
  const [row] = await db.query<{ signing_key: string }>('select signing_key from survey_settings where workspace_id = $1', [workspaceId]);
  return row?.signing_key ?? null;
}

export async function writeSettings(tx: Db, workspaceId: string, s: SurveySettings) {
  await ensureSettingsRow(tx, workspaceId);
  await tx.query(
    `update survey_settings set delay_days = $2, reminder_days = $3, token_days = $4, threshold = $5, min_ratings = $6,
            alert_stages = $7, alert_user_ids = $8, updated_at = now()
      where workspace_id = $1`,
    [workspaceId, s.delayDays, s.reminderDays, s.tokenDays, s.threshold, s.minRatings, s.alertStages, s.alertUserIds],
  );
}

/** Surveys not yet due follow a new delay: their send date moves with it. */
export async function reschedulePending(tx: Db, workspaceId: string, delayDays: number, now: Date) {
  await tx.query(
    `update buyer_surveys b set send_at = o.closed_at + make_interval(days => $2), updated_at = now()
       from opportunities o
      where b.workspace_id = $1 and o.id = b.opportunity_id and b.status = 'scheduled' and b.send_at > $3 and o.closed_at is not null`,
    [workspaceId, delayDays, now],
  );
}

// The rep the buyer rates is the owner at close: the "from" of the first owner change after the close, else the owner now.
const REP_AT_CLOSE = `coalesce(
  (select u.id from users u where u.id = (
     select ch.from_value::uuid from status_changes ch
      where ch.workspace_id = o.workspace_id and ch.record_type = 'opportunity' and ch.record_id = o.id
        and ch.field = 'owner' and ch.changed_at > o.closed_at
      order by ch.changed_at, ch.id limit 1)),
  o.owner_id)`;

export type WonDealRow = {
  id: string;
  workspaceId: string;
  accountId: string | null;
  contactId: string | null;
  repId: string | null;
  closedAt: Date;
  contactEmail: string | null;
  leadEmail: string | null;
  delayDays: number;
};

/**
 * Won deals that have no survey yet, a batch at a time. The batch is picked first and the owner at close is
 * looked up for its rows only (in the select list of the whole scan it would run once per candidate).
 */
export async function wonDealsWithoutSurvey(db: Db, limit: number): Promise<WonDealRow[]> {
  return db.query<WonDealRow>(
    `with batch as (
       select o.id from opportunities o
        where o.stage = 'won' and o.closed_at is not null
          and not exists (select 1 from buyer_surveys b where b.opportunity_id = o.id)
        limit $1)
     select o.id, o.workspace_id as "workspaceId", o.account_id as "accountId", o.contact_id as "contactId", ${REP_AT_CLOSE} as "repId",
            o.closed_at as "closedAt", c.email as "contactEmail", l.email as "leadEmail", coalesce(st.delay_days, $2) as "delayDays"
       from batch join opportunities o on o.id = batch.id
       left join contacts c on c.id = o.contact_id
       left join leads l on l.id = o.lead_id
       left join survey_settings st on st.workspace_id = o.workspace_id`,
    [limit, DEFAULT_SETTINGS.delayDays],
  );
}

/** One statement for the batch; a survey booked meanwhile by another worker wins (unique opportunity). */
export async function insertSurveys(tx: Db, rows: (WonDealRow & { plan: SurveyPlan })[]) {
  await insertMany(
    tx,
    'buyer_surveys',
    [
      { name: 'workspace_id', type: 'uuid' },
      { name: 'opportunity_id', type: 'uuid' },
      { name: 'account_id', type: 'uuid' },
      { name: 'rep_id', type: 'uuid' },
      { name: 'contact_id', type: 'uuid' },
      { name: 'buyer_email', type: 'text' },
      { name: 'status', type: 'text' },
      { name: 'send_at', type: 'timestamptz' },
      { name: 'skip_reason', type: 'text' },
    ],
    rows.map((r) => [
      r.workspaceId,
      r.id,
      r.accountId,
      r.repId,
      r.contactId,
      r.plan.buyerEmail,
      r.plan.status,
      r.plan.sendAt.toISOString(),
      r.plan.skipReason,
    ]),
    5000,
    'on conflict (opportunity_id) do nothing',
  );
}

/**
 * Surveys whose first email or reminder is due and that no worker is sending right now. Demo workspaces never send:
 * their buyers are invented people at made-up addresses, and a server started with SMTP_URL must not mail them.
 */
export async function dueSurveyIds(db: Db, now: Date, limit: number) {
  return db.query<{ id: string; workspaceId: string; kind: 'invite' | 'reminder' }>(
    `select b.id, b.workspace_id as "workspaceId", case when b.status = 'scheduled' then 'invite' else 'reminder' end as kind
       from buyer_surveys b join workspaces w on w.id = b.workspace_id and not w.is_demo
       left join survey_settings st on st.workspace_id = b.workspace_id
      where b.rating is null and b.buyer_email is not null and (b.claimed_until is null or b.claimed_until < $1)
        and ((b.status = 'scheduled' and b.send_at <= $1)
          or (b.status = 'sent' and b.reminded_at is null and b.sent_at + make_interval(days => coalesce(st.reminder_days, $3)) <= $1))
      order by b.send_at, b.id
      limit $2`,
    [now, limit, DEFAULT_SETTINGS.reminderDays],
  );
}

export type SurveyForSend = {
  id: string;
  workspaceId: string;
  status: SurveyStatus;
  sendAt: Date;
  sentAt: Date | null;
  remindedAt: Date | null;
  rating: number | null;
  buyerEmail: string | null;
  claimedUntil: Date | null;
  dealStage: string | null;
  workspaceName: string;
  repName: string | null;
  buyerName: string | null;
};

/** Locks the survey row (the email itself goes out after the lock is released, under a claim). */
export async function lockForSend(tx: Db, id: string): Promise<SurveyForSend | undefined> {
  const [row] = await tx.query<SurveyForSend>(
    `select b.id, b.workspace_id as "workspaceId", b.status, b.send_at as "sendAt", b.sent_at as "sentAt", b.reminded_at as "remindedAt",
            b.rating, b.buyer_email as "buyerEmail", b.claimed_until as "claimedUntil", o.stage as "dealStage", w.name as "workspaceName",
            u.name as "repName", coalesce(c.first_name, l.first_name) as "buyerName"
       from buyer_surveys b
       join workspaces w on w.id = b.workspace_id
       left join opportunities o on o.id = b.opportunity_id
       left join users u on u.id = b.rep_id
       left join contacts c on c.id = b.contact_id
       left join leads l on l.id = o.lead_id
      where b.id = $1
      for update of b`,
    [id],
  );
  return row;
}

export async function claimForSend(tx: Db, id: string, until: Date) {
  await tx.query('update buyer_surveys set claimed_until = $2 where id = $1', [id, until]);
}

export async function releaseClaim(db: Db, id: string, error: string) {
  await db.query('update buyer_surveys set claimed_until = null, last_error = $2, updated_at = now() where id = $1', [
    id,
    error.slice(0, 500),
  ]);
}

export async function markSent(db: Db, id: string, kind: 'invite' | 'reminder', at: Date) {
  await db.query(
    kind === 'invite'
      ? `update buyer_surveys set status = 'sent', sent_at = $2, claimed_until = null, last_error = null, updated_at = $2
          where id = $1 and rating is null`
      : `update buyer_surveys set status = 'reminded', reminded_at = $2, claimed_until = null, last_error = null, updated_at = $2
          where id = $1 and rating is null`,
    [id, at],
  );
}

export async function markSkipped(tx: Db, id: string, reason: string) {
  await tx.query(`update buyer_surveys set status = 'skipped', skip_reason = $2, updated_at = now() where id = $1`, [id, reason]);
}

export async function isSuppressed(db: Db, workspaceId: string, email: string) {
  return (
    (await db.query('select 1 from survey_suppressions where workspace_id = $1 and email_normalized = $2', [workspaceId, email])).length > 0
  );
}

/** Unsubscribes an address: no survey email to it again, and its unanswered surveys stop. Returns how many stopped. */
export async function suppress(tx: Db, workspaceId: string, email: string, surveyId: string) {
  await tx.query(
    `insert into survey_suppressions (workspace_id, email_normalized, survey_id) values ($1, $2, $3)
     on conflict (workspace_id, email_normalized) do nothing`,
    [workspaceId, email, surveyId],
  );
  const stopped = await tx.query(
    `update buyer_surveys set status = 'unsubscribed', claimed_until = null, updated_at = now()
      where workspace_id = $1 and buyer_email = $2 and rating is null and status in ('scheduled', 'sent', 'reminded') returning id`,
    [workspaceId, email],
  );
  return stopped.length;
}

export type SurveyRef = { id: string; workspaceId: string; buyerEmail: string | null; rating: number | null; comment: string | null };

export async function findSurveyRef(db: Db, id: string): Promise<SurveyRef | undefined> {
  const [row] = await db.query<SurveyRef>(
    'select id, workspace_id as "workspaceId", buyer_email as "buyerEmail", rating, comment from buyer_surveys where id = $1',
    [id],
  );
  return row;
}

/** Records the rating once: the second attempt changes nothing and returns undefined. */
export async function recordRating(tx: Db, id: string, rating: number, at: Date) {
  const [row] = await tx.query<{ id: string }>(
    `update buyer_surveys set rating = $2, rated_at = $3, status = 'rated', claimed_until = null, updated_at = $3
      where id = $1 and rating is null returning id`,
    [id, rating, at],
  );
  return row;
}

export async function recordComment(tx: Db, id: string, comment: string, at: Date) {
  const [row] = await tx.query<{ id: string }>(
    `update buyer_surveys set comment = $2, updated_at = $3 where id = $1 and rating is not null and comment is null returning id`,
    [id, comment, at],
  );
  return row;
}

/** A rep's ratings up to a moment (compensation asks "what was their rating on that date?"). */
export async function repScore(db: Db, workspaceId: string, repId: string, at: Date): Promise<Score> {
  const [row] = await db.query<Score>(
    `select coalesce(sum(rating), 0)::int as sum, count(*)::int as count from buyer_surveys
      where workspace_id = $1 and rep_id = $2 and rating is not null and rated_at <= $3`,
    [workspaceId, repId, at],
  );
  return row;
}

export type LeaderRow = Score & { userId: string; name: string; teamName: string | null; fiveStar: number; lastRatedAt: Date };

export async function leaderboard(db: Db, workspaceId: string, at: Date): Promise<LeaderRow[]> {
  return db.query<LeaderRow>(
    `select u.id as "userId", u.name, t.name as "teamName", sum(b.rating)::int as sum, count(*)::int as count,
            (count(*) filter (where b.rating = 5))::int as "fiveStar", max(b.rated_at) as "lastRatedAt"
       from buyer_surveys b join users u on u.id = b.rep_id left join teams t on t.id = u.team_id
      where b.workspace_id = $1 and b.rating is not null and b.rated_at <= $2
      group by u.id, u.name, t.name`,
    [workspaceId, at],
  );
}

export type SurveyRow = {
  id: string;
  opportunityId: string;
  opportunityName: string | null;
  accountId: string | null;
  accountName: string | null;
  repId: string | null;
  repName: string | null;
  contactId: string | null;
  buyerEmail: string | null;
  status: SurveyStatus;
  rating: number | null;
  comment: string | null;
  skipReason: string | null;
  lastError: string | null;
  closedAt: Date | null;
  sendAt: Date;
  sentAt: Date | null;
  remindedAt: Date | null;
  ratedAt: Date | null;
};

/** The results' columns; `extra` adds selected expressions in front (a list's cursor value). */
export const surveySelect = (
  extra = '',
) => `select ${extra}b.id, b.opportunity_id as "opportunityId", o.name as "opportunityName", b.account_id as "accountId",
    a.name as "accountName", b.rep_id as "repId", u.name as "repName", b.contact_id as "contactId", b.buyer_email as "buyerEmail",
    b.status, b.rating, b.comment, b.skip_reason as "skipReason", b.last_error as "lastError", o.closed_at as "closedAt",
    b.send_at as "sendAt", b.sent_at as "sentAt", b.reminded_at as "remindedAt", b.rated_at as "ratedAt"
  from buyer_surveys b
  left join opportunities o on o.id = b.opportunity_id
  left join accounts a on a.id = b.account_id
  left join users u on u.id = b.rep_id`;

export async function findSurvey(db: Db, workspaceId: string, id: string, lock = false): Promise<SurveyRow | undefined> {
  const [row] = await db.query<SurveyRow>(`${surveySelect()} where b.workspace_id = $1 and b.id = $2${lock ? ' for update of b' : ''}`, [
    workspaceId,
    id,
  ]);
  return row;
}

/** The buyer's address as the deal has it now (a resend picks up a corrected contact). */
export async function currentBuyerEmails(db: Db, opportunityId: string) {
  const [row] = await db.query<{ contactEmail: string | null; leadEmail: string | null; closedAt: Date | null; stage: string }>(
    `select c.email as "contactEmail", l.email as "leadEmail", o.closed_at as "closedAt", o.stage
       from opportunities o left join contacts c on c.id = o.contact_id left join leads l on l.id = o.lead_id where o.id = $1`,
    [opportunityId],
  );
  return row;
}

export async function rescheduleNow(tx: Db, id: string, buyerEmail: string, now: Date) {
  await tx.query(
    `update buyer_surveys set status = 'scheduled', send_at = $3, buyer_email = $2, reminded_at = null, skip_reason = null,
            last_error = null, claimed_until = null, updated_at = $3
      where id = $1`,
    [id, buyerEmail, now],
  );
}
