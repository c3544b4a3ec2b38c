import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { parseMail, startSmtpServer } from '../../../test/support/smtp.js';
import { loadConfig } from '../../config.js';
import type { Db } from '../../db/client.js';
import { fixedClock } from '../../platform/clock.js';
import { startWorker } from '../../platform/jobs/worker.js';
import { createMailer, type Mailer } from '../../platform/mail/mailer.js';
import { changeStage, updateOpportunity } from '../crm/deals.service.js';
import { rateByLink, unsubscribeByLink } from './surveys.buyer.js';
import { addDays } from './surveys.core.js';
import { enqueueDueSends, SEND_KIND, SWEEP_KIND, scheduleSurveys, sendSurvey, surveyJobs } from './surveys.jobs.js';
import { buyerEmail, seedSurveyOrg, wonDeal } from './surveys.testkit.js';

const PUBLIC_URL = 'https://revline.test';

describeEachDb('buyer survey jobs', (getDb) => {
  let db: Db;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let mailer: Mailer;
  beforeAll(async () => {
    db = getDb();
    smtp = await startSmtpServer();
    mailer = createMailer({ smtpUrl: smtp.url, mailFrom: 'surveys@revline.test' })!;
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
  });

  const survey = async (opportunityId: string) =>
    (
      await db.query<{
        id: string;
        status: string;
        buyer_email: string | null;
        rep_id: string | null;
        send_at: Date;
        sent_at: Date | null;
        reminded_at: Date | null;
        skip_reason: string | null;
        last_error: string | null;
        claimed_until: Date | null;
      }>('select * from buyer_surveys where opportunity_id = $1', [opportunityId])
    )[0];
  const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));
  const closedAt = async (id: string) =>
    (await db.query<{ closed_at: Date }>('select closed_at from opportunities where id = $1', [id]))[0].closed_at;

  it('books a survey per won deal: the contact, else the lead, else skipped with the reason; the rep is the owner at close', async () => {
    const org = await seedSurveyOrg(db);
    const viaContact = await wonDeal(db, org);
    const viaLead = await wonDeal(db, org, { contactEmail: null, leadEmail: 'Lead.Buyer@Customer.test' });
    const nobody = await wonDeal(db, org, { contactEmail: null });
    const open = await wonDeal(db, org, { stage: 'proposal' });
    // Reassigned after the close: the buyer still rates aeA, who sold it.
    await updateOpportunity(db, org.system, viaContact.opp.id, { ownerId: org.users.aeB.id });

    const now = new Date();
    await scheduleSurveys(db, now);
    const a = await survey(viaContact.opp.id);
    expect(a).toMatchObject({ status: 'scheduled', buyer_email: viaContact.contactEmail, rep_id: org.users.aeA.id });
    expect(a.send_at).toEqual(addDays(await closedAt(viaContact.opp.id), 90));
    expect(await survey(viaLead.opp.id)).toMatchObject({ status: 'scheduled', buyer_email: 'lead.buyer@customer.test' });
    expect(await survey(nobody.opp.id)).toMatchObject({
      status: 'skipped',
      buyer_email: null,
      skip_reason: expect.stringContaining('no buyer email'),
    });
    expect(await survey(open.opp.id)).toBeUndefined();

    // Booking again books nothing new.
    const count = async () =>
      (await db.query<{ n: number }>('select count(*)::int as n from buyer_surveys where workspace_id = $1', [org.workspace.id]))[0].n;
    const before = await count();
    await scheduleSurveys(db, now);
    expect(await count()).toBe(before);
  });

  it('emails the buyer on the due date with five signed links and an unsubscribe link, then one reminder, then nothing', async () => {
    const org = await seedSurveyOrg(db);
    const deal = await wonDeal(db, org);
    await scheduleSurveys(db, new Date());
    const s = await survey(deal.opp.id);

    expect(await sendSurvey(db, mailer, PUBLIC_URL, s.id, addDays(s.send_at, -1))).toBeNull();
    expect(mailsTo(deal.contactEmail!)).toHaveLength(0);

    const sentAt = addDays(s.send_at, 0.5);
    expect(await sendSurvey(db, mailer, PUBLIC_URL, s.id, sentAt)).toBe('invite');
    const [first] = mailsTo(deal.contactEmail!);
    const mail = parseMail(first.raw);
    expect(mail.headers.subject).toBe(`How was buying from ${org.workspace.name}?`);
    expect(mail.text).toContain('Hello Ada,');
    expect(mail.text).toContain('how was the buying process, 1 to 5?');
    const links = [...mail.text.matchAll(/https:\/\/revline\.test\/survey\/rate\?t=[\w-]+/g)].map((m) => m[0]);
    expect(links).toHaveLength(5);
    expect(mail.html).toContain(links[0]);
    expect(mail.headers['list-unsubscribe']).toMatch(/^<https:\/\/revline\.test\/survey\/unsubscribe\?t=[\w-]+>$/);
    expect(await survey(deal.opp.id)).toMatchObject({ status: 'sent', sent_at: sentAt, claimed_until: null });

    expect(await sendSurvey(db, mailer, PUBLIC_URL, s.id, addDays(sentAt, 6.9))).toBeNull();
    expect(await sendSurvey(db, mailer, PUBLIC_URL, s.id, addDays(sentAt, 7))).toBe('reminder');
    expect(parseMail(mailsTo(deal.contactEmail!)[1].raw).headers.subject).toBe(`Reminder: how was buying from ${org.workspace.name}?`);
    expect(await sendSurvey(db, mailer, PUBLIC_URL, s.id, addDays(sentAt, 60))).toBeNull();
    expect(mailsTo(deal.contactEmail!)).toHaveLength(2);
    expect((await survey(deal.opp.id)).status).toBe('reminded');

    // The links go from 5 down to 1; the first email's 5-star link still records a rating after the reminder.
    const t = new URL(links[0]).searchParams.get('t')!;
    expect(await rateByLink(db, t, addDays(sentAt, 8))).toMatchObject({ kind: 'recorded', rating: 5 });
  });

  it('sends one email when two workers send the same survey at once', async () => {
    const org = await seedSurveyOrg(db);
    const deal = await wonDeal(db, org);
    await scheduleSurveys(db, new Date());
    const s = await survey(deal.opp.id);
    const at = addDays(s.send_at, 1);
    const results = await Promise.all([1, 2, 3].map(() => sendSurvey(db, mailer, PUBLIC_URL, s.id, at)));
    expect(results.filter((r) => r === 'invite')).toHaveLength(1);
    expect(mailsTo(deal.contactEmail!)).toHaveLength(1);
  });

  it('runs through the job system: the sweep books the sends, two workers deliver each email once', async () => {
    const org = await seedSurveyOrg(db);
    const deals = [await wonDeal(db, org), await wonDeal(db, org), await wonDeal(db, org)];
    const later = addDays(new Date(), 91);
    const handlers = surveyJobs({ ...loadConfig({}), smtpUrl: smtp.url, publicUrl: PUBLIC_URL }, fixedClock(later.toISOString()));
    await handlers[SWEEP_KIND]({ id: 0, workspaceId: null, kind: SWEEP_KIND, payload: {}, attempts: 1, maxAttempts: 1, runAt: later }, db);
    const jobs = await db.query<{ n: number }>(
      `select count(*)::int as n from jobs where kind = $1 and workspace_id = $2 and status = 'pending'`,
      [SEND_KIND, org.workspace.id],
    );
    expect(jobs[0].n).toBe(3);
    // Booking again the same day adds no second job per survey.
    await enqueueDueSends(db, later);
    expect(
      (
        await db.query<{ n: number }>('select count(*)::int as n from jobs where kind = $1 and workspace_id = $2', [
          SEND_KIND,
          org.workspace.id,
        ])
      )[0].n,
    ).toBe(3);

    const w1 = startWorker(db, handlers, { pollMs: 60_000 });
    const w2 = startWorker(db, handlers, { pollMs: 60_000 });
    await Promise.all([w1.stop(), w2.stop()]);
    await Promise.all([w1.runOnce(), w2.runOnce()]);
    for (const d of deals) {
      expect(mailsTo(d.contactEmail!)).toHaveLength(1);
      expect((await survey(d.opp.id)).status).toBe('sent');
    }
  });

  it('a failed send frees the survey, keeps the error, and is retried by the job system until it goes out', async () => {
    const org = await seedSurveyOrg(db);
    const email = buyerEmail('bouncy');
    const deal = await wonDeal(db, org, { contactEmail: email });
    await scheduleSurveys(db, new Date());
    const s = await survey(deal.opp.id);
    const at = addDays(s.send_at, 1);
    smtp.refuse.add(email);
    await expect(sendSurvey(db, mailer, PUBLIC_URL, s.id, at)).rejects.toThrow();
    expect(await survey(deal.opp.id)).toMatchObject({
      status: 'scheduled',
      claimed_until: null,
      last_error: expect.stringContaining('rejected'),
    });

    // Through a worker: the job is put back with a backoff, then succeeds once the server takes the address.
    const handlers = surveyJobs({ ...loadConfig({}), smtpUrl: smtp.url, publicUrl: PUBLIC_URL }, fixedClock(at.toISOString()));
    await enqueueDueSends(db, at);
    const worker = startWorker(db, handlers, { pollMs: 60_000 });
    await worker.stop();
    await worker.runOnce();
    const [job] = await db.query<{ id: number; status: string; attempts: number; last_error: string }>(
      `select id, status, attempts, last_error from jobs where kind = $1 and payload->>'surveyId' = $2`,
      [SEND_KIND, s.id],
    );
    expect(job).toMatchObject({ status: 'pending', attempts: 1 });
    expect(job.last_error).toContain('rejected');
    smtp.refuse.delete(email);
    await db.query(`update jobs set run_at = now() - interval '1 second' where id = $1`, [job.id]);
    await worker.runOnce();
    expect((await db.query<{ status: string }>('select status from jobs where id = $1', [job.id]))[0].status).toBe('done');
    expect(mailsTo(email)).toHaveLength(1);
    expect(await survey(deal.opp.id)).toMatchObject({ status: 'sent', last_error: null });
  });

  it('sends nothing to an address that unsubscribed, in this workspace', async () => {
    const org = await seedSurveyOrg(db);
    const email = buyerEmail('done');
    const first = await wonDeal(db, org, { contactEmail: email });
    const second = await wonDeal(db, org, { contactEmail: email.toUpperCase() });
    await scheduleSurveys(db, new Date());
    const s1 = await survey(first.opp.id);
    await sendSurvey(db, mailer, PUBLIC_URL, s1.id, addDays(s1.send_at, 1));
    const unsub = parseMail(mailsTo(email)[0].raw).headers['list-unsubscribe'].slice(1, -1);
    expect(await unsubscribeByLink(db, new URL(unsub).searchParams.get('t')!, addDays(s1.send_at, 2))).toMatchObject({
      kind: 'unsubscribed',
      email,
    });
    expect((await survey(first.opp.id)).status).toBe('unsubscribed');
    expect((await survey(second.opp.id)).status).toBe('unsubscribed');
    // Even a survey booked later for the same buyer is not sent.
    const third = await wonDeal(db, org, { contactEmail: email });
    await scheduleSurveys(db, new Date());
    const s3 = await survey(third.opp.id);
    expect(await sendSurvey(db, mailer, PUBLIC_URL, s3.id, addDays(s3.send_at, 1))).toBeNull();
    expect((await survey(third.opp.id)).status).toBe('unsubscribed');
    expect(mailsTo(email)).toHaveLength(1);
  });

  it('skips a survey whose deal was reopened before it went out', async () => {
    const org = await seedSurveyOrg(db);
    const deal = await wonDeal(db, org);
    await scheduleSurveys(db, new Date());
    await changeStage(db, org.principals.aeA, deal.opp.id, 'negotiation');
    const s = await survey(deal.opp.id);
    expect(await sendSurvey(db, mailer, PUBLIC_URL, s.id, addDays(s.send_at, 1))).toBeNull();
    expect(await survey(deal.opp.id)).toMatchObject({ status: 'skipped', skip_reason: 'the deal is no longer won' });
    expect(mailsTo(deal.contactEmail!)).toHaveLength(0);
  });

  it('without SMTP_URL, books surveys but sends nothing: they stay scheduled', async () => {
    const org = await seedSurveyOrg(db);
    const deal = await wonDeal(db, org);
    const later = addDays(new Date(), 91);
    const handlers = surveyJobs({ ...loadConfig({}), smtpUrl: undefined }, fixedClock(later.toISOString()));
    await handlers[SWEEP_KIND]({ id: 0, workspaceId: null, kind: SWEEP_KIND, payload: {}, attempts: 1, maxAttempts: 1, runAt: later }, db);
    const s = await survey(deal.opp.id);
    expect(s.status).toBe('scheduled');
    expect((await db.query(`select 1 from jobs where kind = $1 and payload->>'surveyId' = $2`, [SEND_KIND, s.id])).length).toBe(0);
    await expect(
      handlers[SEND_KIND](
        { id: 0, workspaceId: null, kind: SEND_KIND, payload: { surveyId: s.id }, attempts: 1, maxAttempts: 1, runAt: later },
        db,
      ),
    ).rejects.toThrow('SMTP_URL is not set');
  });
});
