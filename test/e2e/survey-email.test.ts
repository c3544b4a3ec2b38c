import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import { createAccount, createContact, createOpportunity } from '../../src/modules/crm/deals.service.js';
import { addDays } from '../../src/modules/success/surveys.core.js';
import { SWEEP_KIND, surveyJobs } from '../../src/modules/success/surveys.jobs.js';
import { signingKey } from '../../src/modules/success/surveys.repo.js';
import { signToken } from '../../src/modules/success/surveys.tokens.js';
import { enqueue } from '../../src/platform/jobs/queue.js';
import { startWorker } from '../../src/platform/jobs/worker.js';
import { buildApp } from '../../src/server/app.js';
import { openTestDb } from '../support/db.js';
import { type ParsedMail, parseMail, startSmtpServer } from '../support/smtp.js';
import { describeBrowser, launchBrowser, newPage, signIn } from './support/browser.js';
import { type E2EData, seedE2E } from './support/seed.js';
import { ensureWebBuild } from './support/stack.js';

/**
 * Issue 5's acceptance, end to end with real parts only: a real SMTP server on loopback, the app listening with
 * SMTP_URL pointing at it, the survey jobs run by the job worker, the email parsed from what the server received,
 * and its links opened in Chromium.
 */
describeBrowser('browser: buyer survey by email', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let handle: Awaited<ReturnType<typeof openTestDb>>;
  let db: Db;
  let data: E2EData;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;
  const buyers = { ada: 'ada.buyer@umbrella-corp.test', bob: 'bob.buyer@initrode.test' };
  const surveys: Record<keyof typeof buyers, string> = { ada: '', bob: '' };
  const mails: Partial<Record<keyof typeof buyers, ParsedMail>> = {};

  // A web build (when web/src changed) on a busy two-core machine can take longer than the default hook timeout.
  beforeAll(async () => {
    ensureWebBuild();
    smtp = await startSmtpServer();
    handle = await openTestDb(process.env.DB === 'postgres' && inject('postgresUp') ? 'postgres' : 'pglite');
    db = handle.db;
    data = await seedE2E(db);
    const config = { ...loadConfig({}), loginRateLimit: 1000, smtpUrl: smtp.url, mailFrom: 'Revline surveys <surveys@revline.test>' };
    app = await buildApp({ db, config });
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchBrowser();

    // Two deals won by aeA, each with a buyer contact; their close is moved 91 days back, as if time had passed.
    for (const [who, email] of Object.entries(buyers) as [keyof typeof buyers, string][]) {
      const account = await createAccount(db, data.system, { name: `${who} & Co <b>` });
      const contact = await createContact(db, data.system, { accountId: account.id, firstName: `${who}<i>`, email });
      const opp = await createOpportunity(db, data.principals.aeA, {
        name: `${who} deal`,
        accountId: account.id,
        contactId: contact.id,
        amount: '30000',
        stage: 'won',
      });
      await db.query(`update opportunities set closed_at = now() - interval '91 days' where id = $1`, [opp.id]);
    }

    // The jobs as the server runs them: the recurring sweep books surveys and sends, the worker delivers.
    const worker = startWorker(db, surveyJobs({ ...config, publicUrl: baseUrl }), { pollMs: 60_000 });
    await worker.stop();
    await enqueue(db, { kind: SWEEP_KIND });
    while ((await worker.runOnce()) > 0);
    await smtp.waitFor(2);
    for (const who of Object.keys(buyers) as (keyof typeof buyers)[]) {
      const received = smtp.received.find((m) => m.to.includes(buyers[who]));
      if (received) mails[who] = parseMail(received.raw);
      const [row] = await db.query<{ id: string }>('select id from buyer_surveys where buyer_email = $1', [buyers[who]]);
      surveys[who] = row.id;
    }
  }, 180_000);
  afterAll(async () => {
    await browser?.close().catch(() => {});
    await app?.close();
    await handle?.drop();
    await smtp?.close();
  });

  const surveyRow = async (id: string) =>
    (
      await db.query<{ status: string; rating: number | null; rated_at: Date | null; comment: string | null }>(
        'select status, rating, rated_at, comment from buyer_surveys where id = $1',
        [id],
      )
    )[0];
  const linkFor = (mail: ParsedMail, rating: number) => new RegExp(`${rating} - \\w[\\w ]*: (http\\S+)`).exec(mail.text)?.[1] as string;

  it('emails each buyer once, from MAIL_FROM, with escaped names and five one-click links', async () => {
    expect(smtp.received).toHaveLength(2);
    const ada = mails.ada!;
    expect(ada.headers.from).toBe('Revline surveys <surveys@revline.test>');
    expect(ada.headers.subject).toBe(`How was buying from ${data.workspace.name}?`);
    expect(ada.text).toContain('Hello ada<i>,');
    expect(ada.html).toContain('Hello ada&lt;i&gt;,');
    expect(ada.html).not.toContain('<i>');
    for (const r of [1, 2, 3, 4, 5]) expect(linkFor(ada, r)).toMatch(new RegExp(`^${baseUrl}/survey/rate\\?t=[\\w-]{72}$`));
    expect((await surveyRow(surveys.ada)).status).toBe('sent');
  });

  it('records a rating clicked in the email once; a second click says it is already recorded', async () => {
    const { page, pageErrors, close } = await newPage(browser, baseUrl);
    try {
      // The HTML email as a mail client shows it; the buyer clicks "5 - Excellent".
      await page.setContent(mails.ada!.html);
      await page.getByRole('link', { name: '5 - Excellent' }).click();
      await page.getByRole('heading', { name: 'Thank you' }).waitFor();
      await page.getByText('Your rating of 5 (Excellent)').waitFor();
      const first = await surveyRow(surveys.ada);
      expect(first).toMatchObject({ status: 'rated', rating: 5 });

      // The optional comment: shown back as text, never as markup.
      const comment = 'Smooth <script>alert(1)</script> buying';
      await page.getByLabel('Anything to add? (optional)').fill(comment);
      await page.getByRole('button', { name: 'Send comment' }).click();
      await page.getByRole('heading', { name: 'Thank you for your comment' }).waitFor();
      expect(await page.locator('blockquote').textContent()).toBe(comment);
      expect((await surveyRow(surveys.ada)).comment).toBe(comment);

      // Clicking again (this link, or another rating in the same email) changes nothing.
      await page.setContent(mails.ada!.html);
      await page.getByRole('link', { name: '5 - Excellent' }).click();
      await page.getByRole('heading', { name: 'Your rating was already recorded' }).waitFor();
      const again = await page.goto(linkFor(mails.ada!, 1));
      expect(again?.status()).toBe(200);
      await page.getByRole('heading', { name: 'Your rating was already recorded' }).waitFor();
      expect(await surveyRow(surveys.ada)).toMatchObject({ rating: 5, rated_at: first.rated_at, comment });
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a tampered or expired link writes nothing and says why', async () => {
    const { page, close } = await newPage(browser, baseUrl);
    try {
      const link = linkFor(mails.bob!, 1);
      const token = new URL(link).searchParams.get('t')!;
      const i = 40;
      const tampered = `${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
      const bad = await page.goto(`${baseUrl}/survey/rate?t=${tampered}`);
      expect(bad?.status()).toBe(400);
      await page.getByRole('heading', { name: 'This link is not valid' }).waitFor();
      await page.getByText('Nothing was recorded').waitFor();

      const key = await signingKey(db, data.workspace.id);
      const expired = signToken(key, { surveyId: surveys.bob, action: 1, expiresAt: addDays(new Date(), -1) });
      const old = await page.goto(`${baseUrl}/survey/rate?t=${expired}`);
      expect(old?.status()).toBe(410);
      await page.getByRole('heading', { name: 'This link has expired' }).waitFor();
      expect(await surveyRow(surveys.bob)).toMatchObject({ status: 'sent', rating: null, rated_at: null });

      // The genuine link still works after those attempts... but Bob unsubscribes instead.
      const unsubscribe = /No more emails like this one: (http\S+)/.exec(mails.bob!.text)![1];
      await page.goto(unsubscribe);
      await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
      await page.getByText(`${buyers.bob} will get no more survey emails`).waitFor();
      expect((await surveyRow(surveys.bob)).status).toBe('unsubscribed');
    } finally {
      await close();
    }
  });

  it('shows the leaderboard and results to an admin, with the SMTP state and settings field errors', async () => {
    const { page, pageErrors, close } = await newPage(browser, baseUrl);
    try {
      await signIn(page, data.users.admin.email);
      await page.goto('/surveys');
      await page.getByRole('heading', { name: 'Buyer ratings' }).waitFor();
      const row = page.getByRole('table', { name: 'Rep rating leaderboard' }).getByTestId('leader-row').filter({ hasText: 'aeA' });
      await row.getByText('5.00').waitFor();
      expect(await row.textContent()).toContain('(1 rating)');
      const results = page.getByRole('region', { name: 'Survey results' });
      await results.getByRole('img', { name: '5 of 5' }).waitFor();
      await results.getByText('Smooth <script>alert(1)</script> buying').waitFor();
      await results.getByText('unsubscribed').waitFor();

      const settings = page.getByRole('region', { name: 'Survey settings' });
      await settings.getByText(`Surveys are sent through smtp://127.0.0.1:`).waitFor();
      await settings.getByRole('textbox', { name: 'Low-rating threshold' }).fill('7');
      await settings.getByRole('button', { name: 'Save survey settings' }).click();
      await settings.getByText('a rating from 1 to 5 with at most 2 decimals').waitFor();
      await settings.getByRole('textbox', { name: 'Low-rating threshold' }).fill('4.5');
      await settings.getByRole('button', { name: 'Save survey settings' }).click();
      await settings.getByRole('status').getByText('Saved').waitFor();
      // The leaderboard follows the new threshold; aeA's single rating is too few to judge.
      await page.getByText(/Below 4\.50 with at least 3 ratings/).waitFor();
      await row.getByText('too few ratings to judge').waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows a rep the published leaderboard and only their own surveys, without settings', async () => {
    const { page, pageErrors, close } = await newPage(browser, baseUrl);
    try {
      await signIn(page, data.users.aeB.email);
      await page.goto('/surveys');
      await page.getByRole('table', { name: 'Rep rating leaderboard' }).getByText('aeA').waitFor();
      await page.getByText('Surveys of my deals').waitFor();
      await page.getByText('No survey matches.').waitFor();
      expect(await page.getByRole('region', { name: 'Survey settings' }).count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("shows customer success every deal's result and comment, without settings", async () => {
    const { page, pageErrors, close } = await newPage(browser, baseUrl);
    try {
      await signIn(page, data.extra.csm.email);
      await page.goto('/surveys');
      const results = page.getByRole('region', { name: 'Survey results' });
      await results.getByText('Survey results').waitFor();
      await results.getByText('Smooth <script>alert(1)</script> buying').waitFor();
      expect(await results.getByRole('button', { name: /^Resend/ }).count()).toBe(0);
      expect(await page.getByRole('region', { name: 'Survey settings' }).count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });
});
