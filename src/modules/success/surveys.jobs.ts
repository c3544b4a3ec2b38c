import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { type Clock, systemClock } from '../../platform/clock.js';
import { enqueue } from '../../platform/jobs/queue.js';
import type { JobHandler } from '../../platform/jobs/worker.js';
import { scheduleRecurring } from '../../platform/jobs/worker.js';
import { createMailer, type Mailer } from '../../platform/mail/mailer.js';
import { alertRecentLateStages } from './surveys.alerts.js';
import { addDays, dueEmail, planSurvey, UNSUBSCRIBE_LINK_DAYS } from './surveys.core.js';
import { surveyEmail } from './surveys.email.js';
import * as repo from './surveys.repo.js';
import { signToken } from './surveys.tokens.js';

export const SWEEP_KIND = 'surveys.sweep';
export const SEND_KIND = 'surveys.send';
const SWEEP_EVERY_SECONDS = 15 * 60;
const BATCH = 2000;
/** How long a worker holds a survey while its email goes out; a worker that dies frees it after this. */
const CLAIM_MINUTES = 10;
/** Backoff from 10 s doubling: eight attempts over about 21 minutes wait out a mail server down for a while. */
export const SEND_ATTEMPTS = 8;

/** Books a survey for every won deal that has none (in batches, so a big import does not make one huge transaction). */
export async function scheduleSurveys(db: Db, now: Date): Promise<number> {
  let booked = 0;
  for (;;) {
    const deals = await repo.wonDealsWithoutSurvey(db, BATCH);
    if (!deals.length) return booked;
    await db.transaction((tx) =>
      repo.insertSurveys(
        tx,
        deals.map((d) => ({ ...d, plan: planSurvey(d, d.delayDays, now) })),
      ),
    );
    booked += deals.length;
    if (deals.length < BATCH) return booked;
  }
}

/**
 * One send job per due email. The dedupe key holds one job per survey, email and day: a job that used up its
 * attempts (mail server down for hours) is booked again the next day, and the send itself re-checks under a lock.
 */
export async function enqueueDueSends(db: Db, now: Date): Promise<number> {
  const due = await repo.dueSurveyIds(db, now, 5000);
  const day = now.toISOString().slice(0, 10);
  for (const s of due)
    await enqueue(db, {
      kind: SEND_KIND,
      workspaceId: s.workspaceId,
      payload: { surveyId: s.id },
      dedupeKey: `${SEND_KIND}:${s.id}:${s.kind}:${day}`,
      maxAttempts: SEND_ATTEMPTS,
    });
  return due.length;
}

/**
 * Sends the email a survey is due for. The row is locked only to decide and to claim it (claimed_until), then the
 * email goes out outside any transaction, so a slow mail server never holds a database lock; a second worker finds
 * the claim and does nothing. A failed send releases the claim and throws: the job system retries it with backoff.
 */
export async function sendSurvey(
  db: Db,
  mailer: Mailer,
  publicUrl: string,
  surveyId: string,
  now: Date,
): Promise<'invite' | 'reminder' | null> {
  const claimed = await db.transaction(async (tx) => {
    const s = await repo.lockForSend(tx, surveyId);
    if (!s || (s.claimedUntil && s.claimedUntil > now)) return null;
    const settings = await repo.readSettings(tx, s.workspaceId);
    const kind = dueEmail(s, settings.reminderDays, now);
    if (!kind || !s.buyerEmail) return null;
    if (await repo.isSuppressed(tx, s.workspaceId, s.buyerEmail)) {
      await repo.suppress(tx, s.workspaceId, s.buyerEmail, s.id);
      return null;
    }
    if (s.dealStage !== 'won') {
      await repo.markSkipped(tx, s.id, 'the deal is no longer won');
      return null;
    }
    await repo.claimForSend(tx, s.id, new Date(now.getTime() + CLAIM_MINUTES * 60_000));
    return { s, kind, buyerEmail: s.buyerEmail, key: await repo.signingKey(tx, s.workspaceId), tokenDays: settings.tokenDays };
  });
  if (!claimed) return null;
  const { s, kind, key } = claimed;
  const expiresAt = addDays(now, claimed.tokenDays);
  const link = (path: string, action: Parameters<typeof signToken>[1]['action'], until: Date) =>
    `${publicUrl.replace(/\/$/, '')}${path}?t=${signToken(key, { surveyId: s.id, action, expiresAt: until })}`;
  const mail = surveyEmail({
    kind,
    to: claimed.buyerEmail,
    workspaceName: s.workspaceName,
    buyerName: s.buyerName,
    repName: s.repName,
    rateLinks: ([1, 2, 3, 4, 5] as const).map((r) => link('/survey/rate', r, expiresAt)),
    unsubscribeLink: link('/survey/unsubscribe', 'unsubscribe', addDays(now, UNSUBSCRIBE_LINK_DAYS)),
    expiresAt,
  });
  try {
    await mailer.send(mail);
  } catch (e) {
    await repo.releaseClaim(db, s.id, e instanceof Error ? e.message : String(e));
    throw e;
  }
  await repo.markSent(db, s.id, kind, now);
  return kind;
}

/**
 * The recurring sweep books surveys for new won deals, alerts on late-stage deals the stage hook could not see
 * (created or imported directly in a late stage), and books the sends. Without SMTP_URL nothing is sent:
 * surveys stay 'scheduled' and the settings screen says why.
 */
export const surveyJobs = (config: Config, clock: Clock = systemClock): Record<string, JobHandler> => {
  const mailer = createMailer(config);
  return {
    [SWEEP_KIND]: async (_job, db) => {
      const now = clock.now();
      await scheduleSurveys(db, now);
      await alertRecentLateStages(db, now);
      if (mailer) await enqueueDueSends(db, now);
      await scheduleRecurring(db, SWEEP_KIND, SWEEP_EVERY_SECONDS, now);
    },
    [SEND_KIND]: async (job, db) => {
      if (!mailer) throw new Error('SMTP_URL is not set: the survey email cannot be sent');
      await sendSurvey(db, mailer, config.publicUrl, String(job.payload.surveyId), clock.now());
    },
  };
};

export const scheduleSurveyJobs = (db: Db, now: Date) => scheduleRecurring(db, SWEEP_KIND, SWEEP_EVERY_SECONDS, now);
