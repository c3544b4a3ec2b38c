import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { changeLeadStatus } from '../../src/modules/crm/leads.service.js';
import { intakeLeads } from '../../src/modules/routing/intake.service.js';
import { saveRules } from '../../src/modules/routing/routing.service.js';
import { describeBrowser, newPage, pick, signIn } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';

/**
 * Issue 3 end to end: leads routed to an SDR (who hears of them through the bell), worked from the queue,
 * qualified with the scorecard, handed off; the AE accepts one and sends the other back; duplicates reviewed.
 */
describeBrowser('browser: SDR to AE', () => {
  let stack: Stack;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startStack();
    const { db, data } = stack;
    const { admin, sdrA } = data.principals;
    // Website leads go to sdrA; handoffs without a named AE go to aeA.
    await saveRules(db, admin, 'intake', [
      {
        name: 'Website to sdrA',
        enabled: true,
        conditions: { channels: ['website'] },
        action: { type: 'user', userId: data.users.sdrA.id },
      },
    ]);
    await saveRules(db, admin, 'handoff', [
      { name: 'Everything to aeA', enabled: true, conditions: {}, action: { type: 'user', userId: data.users.aeA.id } },
    ]);
    for (const [key, company, firstName] of [
      ['vandelay', 'Vandelay Industries', 'Art'],
      ['kramerica', 'Kramerica', 'Cosmo'],
    ]) {
      const email = `${firstName.toLowerCase()}@${key}.test`;
      const [outcome] = await intakeLeads(db, data.system, [{ company, email, firstName, employees: 40, channel: 'website' }], new Date());
      if (outcome.status !== 'created') throw new Error(`seed intake: ${outcome.status}`);
      ids[key] = outcome.leadId;
    }
    // A lead that came in ten days ago and was never touched: a first-touch breach for the manager's page.
    const [late] = await intakeLeads(
      db,
      data.system,
      [
        {
          company: 'Late Lateral',
          email: 'slow@lateral.test',
          channel: 'call',
          ownerId: data.users.sdrA.id,
          createdAt: new Date(Date.now() - 10 * 86_400_000).toISOString(),
        },
      ],
      new Date(),
    );
    if (late.status !== 'created') throw new Error('seed late lead');
    ids.late = late.leadId;
    // Two returning buyers: each had a lead that was closed, and has just written in again.
    for (const [key, email] of [
      ['keep', 'returning@dupes.test'],
      ['merge', 'again@dupes.test'],
    ]) {
      const [first] = await intakeLeads(db, sdrA, [{ company: `Old ${key}`, email, channel: 'call' }], new Date());
      if (first.status !== 'created') throw new Error('seed duplicate');
      await changeLeadStatus(db, sdrA, first.leadId, 'disqualified', 'No budget this year');
      const [again] = await intakeLeads(db, sdrA, [{ company: `New ${key}`, email, channel: 'call' }], new Date());
      if (again.status !== 'created' || !again.needsReview) throw new Error('seed duplicate not flagged');
      ids[`${key}Old`] = first.leadId;
      ids[key] = again.leadId;
    }
  });
  afterAll(async () => {
    await stack?.close();
  });

  const unreadOf = async (userId: string) =>
    Number(
      (
        await stack.db.query<{ n: number }>('select count(*)::int as n from notifications where user_id = $1 and read_at is null', [userId])
      )[0].n,
    );

  /** Answers the default SMB scorecard: need, authority, fit and budget at full marks make 12, the threshold. */
  async function qualify(page: Page) {
    const card = page.getByRole('region', { name: 'Qualification' });
    const answer = (criterion: RegExp, option: string) =>
      card.getByRole('radiogroup', { name: criterion }).getByRole('radio', { name: option }).check();
    await answer(/^Need/, 'Clear and stated (+3)');
    await answer(/^Authority/, 'Decision maker (+3)');
    await answer(/^Fit/, 'Strong (+3)');
    await card.getByTestId('live-score').getByText('Below the bar').waitFor();
    await answer(/^Budget/, 'Allocated (+3)');
    await card.getByTestId('live-score').getByText('Meets the bar').waitFor();
    expect(await card.getByTestId('live-score').textContent()).toContain('Score 12 of 18 · threshold 12');
    await card.getByRole('button', { name: 'Save scorecard' }).click();
    const result = card.getByTestId('qualification-result');
    await result.getByText('Qualified', { exact: true }).waitFor();
    await result.getByText('score 12 of 18, threshold 12: met').waitFor();
  }

  it('an SDR hears of a new lead through the bell, works it from the queue, qualifies it and hands it off', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    const { users } = stack.data;
    try {
      await signIn(page, users.sdrA.email);
      await page.waitForURL((u) => u.pathname === '/queue');
      const unread = await unreadOf(users.sdrA.id);
      expect(unread).toBeGreaterThanOrEqual(2);
      const bell = page.getByRole('button', { name: `Notifications (${unread} unread)` });
      await bell.click();
      const list = page.getByRole('list', { name: 'Notifications' });
      await list.getByText('New lead: Vandelay Industries').click();
      await page.waitForURL((u) => u.pathname === `/leads/${ids.vandelay}`);
      await page.getByRole('button', { name: `Notifications (${unread - 1} unread)` }).waitFor();
      expect(await unreadOf(users.sdrA.id)).toBe(unread - 1);

      // Back to the queue: both routed leads are there.
      await page.getByRole('navigation').getByRole('link', { name: 'Queue' }).click();
      const queue = page.getByRole('table', { name: 'Lead queue' });
      await queue.getByText('Kramerica', { exact: true }).waitFor();
      await queue.getByText('Vandelay Industries').click();
      await page.waitForURL((u) => u.pathname === `/leads/${ids.vandelay}`);
      await qualify(page);
      await page.getByTestId('lead-title').locator('..').getByText('Qualified').waitFor();

      // Hand off to a chosen AE.
      await page.getByRole('button', { name: 'Hand off to AE' }).click();
      const dialog = page.getByRole('dialog', { name: 'Hand off to an AE' });
      await pick(page, 'Account executive', 'aeA', dialog);
      await dialog.getByRole('button', { name: 'Hand off' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const handoffs = page.getByRole('table', { name: 'Handoffs of this lead' });
      await handoffs.getByText('aeA').waitFor();
      await handoffs.getByText('Pending').waitFor();

      // The second lead goes out with no AE named: the handoff rule picks aeA.
      await page.goto(`/leads/${ids.kramerica}`);
      await qualify(page);
      await page.getByRole('button', { name: 'Hand off to AE' }).click();
      await page.getByRole('dialog', { name: 'Hand off to an AE' }).getByRole('button', { name: 'Hand off' }).click();
      await page.getByRole('table', { name: 'Handoffs of this lead' }).getByText('aeA').waitFor();

      const rows = await stack.db.query<{ lead_id: string; ae_id: string; sdr_id: string; status: string }>(
        'select lead_id, ae_id, sdr_id, status from handoffs where lead_id = any($1) order by handed_at',
        [[ids.vandelay, ids.kramerica]],
      );
      expect(rows).toEqual([
        { lead_id: ids.vandelay, ae_id: users.aeA.id, sdr_id: users.sdrA.id, status: 'pending' },
        { lead_id: ids.kramerica, ae_id: users.aeA.id, sdr_id: users.sdrA.id, status: 'pending' },
      ]);
      const history = await stack.db.query<{ qualified: boolean; score: number }>(
        'select qualified, score from lead_qualifications where lead_id = $1',
        [ids.vandelay],
      );
      expect(history).toEqual([{ qualified: true, score: 12 }]);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  }, 90_000);

  it('the AE accepts one handoff (the lead is converted) and sends the other back with a reason', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    const { users } = stack.data;
    try {
      await signIn(page, users.aeA.email);
      const nav = page.getByRole('navigation');
      await nav
        .getByRole('link', { name: /^Handoffs/ })
        .getByText('2', { exact: true })
        .waitFor();
      await nav.getByRole('link', { name: /^Handoffs/ }).click();
      const inbox = page.getByRole('table', { name: 'Pending handoffs' });
      const row = (company: string) => inbox.getByRole('row').filter({ hasText: company });
      await row('Vandelay Industries').getByText('sdrA').waitFor();

      await row('Vandelay Industries').getByRole('button', { name: 'Accept' }).click();
      await row('Vandelay Industries').waitFor({ state: 'detached' });
      const [lead] = await stack.db.query<{ status: string; opportunity_id: string }>(
        'select status, opportunity_id from leads where id = $1',
        [ids.vandelay],
      );
      expect(lead.status).toBe('converted');
      const [opp] = await stack.db.query<{ owner_id: string; sdr_id: string; stage: string }>(
        'select owner_id, sdr_id, stage from opportunities where id = $1',
        [lead.opportunity_id],
      );
      expect(opp).toEqual({ owner_id: users.aeA.id, sdr_id: users.sdrA.id, stage: 'discovery' });

      // Send back needs a reason.
      await row('Kramerica').getByRole('button', { name: 'Send back' }).click();
      const dialog = page.getByRole('dialog', { name: 'Send back to the SDR' });
      await dialog.getByRole('button', { name: 'Send back' }).click();
      await dialog.getByText('Say why it goes back, so the SDR can fix it').waitFor();
      await dialog.getByRole('textbox', { name: 'Reason' }).fill('No budget owner identified yet');
      await dialog.getByRole('button', { name: 'Send back' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await row('Kramerica').waitFor({ state: 'detached' });
      await inbox.page().getByText('No handoffs waiting: nothing to accept').waitFor();

      const [h] = await stack.db.query<{ status: string; sent_back_reason: string }>(
        'select status, sent_back_reason from handoffs where lead_id = $1',
        [ids.kramerica],
      );
      expect(h).toEqual({ status: 'sent_back', sent_back_reason: 'No budget owner identified yet' });
      const [back] = await stack.db.query<{ status: string }>('select status from leads where id = $1', [ids.kramerica]);
      expect(back.status).toBe('qualified');
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('a manager opens the SLA breaches from the team page and finds the lead nobody touched', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.managerA.email);
      await page.getByRole('link', { name: 'SLA breaches' }).click();
      await page.waitForURL((u) => u.pathname === '/breaches');
      const late = page.getByRole('table', { name: 'Late first touches' }).getByRole('row').filter({ hasText: 'Late Lateral' });
      await late.getByText('not yet').waitFor();
      await late.getByText('sdrA').waitFor();
      await page.getByRole('table', { name: 'Late handoffs' }).waitFor();
      // Narrowed to the last two days, the ten-day-old lead is out of the period.
      const today = await page.getByRole('textbox', { name: 'To' }).inputValue();
      const twoDaysAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 2 * 86_400_000).toISOString().slice(0, 10);
      await page.getByRole('textbox', { name: 'From' }).fill(twoDaysAgo);
      await page.getByText('Late first touch (0)').waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('an SDR reviews possible duplicates: keeps one as new, merges the other into the earlier lead', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.sdrA.email);
      await page
        .getByRole('navigation')
        .getByRole('link', { name: /^Duplicates/ })
        .click();
      const keep = page.getByRole('region', { name: 'Possible duplicate: returning@dupes.test' });
      const merge = page.getByRole('region', { name: 'Possible duplicate: again@dupes.test' });
      await keep.getByText('New keep').waitFor();
      await keep.getByText('Old keep').waitFor();
      await keep.getByText('Reason: No budget this year').waitFor();

      await keep.getByRole('button', { name: 'Keep' }).click();
      await keep.waitFor({ state: 'detached' });
      await merge.getByRole('button', { name: 'Merge' }).click();
      await merge.waitFor({ state: 'detached' });
      await page.getByText('Nothing to review.').waitFor();

      const state = async (id: string) =>
        (await stack.db.query<{ status: string; needs_review: boolean }>('select status, needs_review from leads where id = $1', [id]))[0];
      expect(await state(ids.keep)).toEqual({ status: 'new', needs_review: false });
      expect(await state(ids.merge)).toEqual({ status: 'disqualified', needs_review: false });
      const notes = await stack.db.query(
        `select 1 from activities where record_type = 'lead' and record_id = $1 and subject = 'Duplicate merged'`,
        [ids.mergeOld],
      );
      expect(notes).toHaveLength(1);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});
