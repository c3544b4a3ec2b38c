import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount, createSubscription } from '../../src/modules/crm/deals.service.js';
import { addDays, localDay } from '../../src/modules/success/health.core.js';
import { refreshHealth } from '../../src/modules/success/health.service.js';
import { addEvents, daysBefore, spread } from '../../src/modules/success/health.testkit.js';
import { detectSignals } from '../../src/modules/success/signals.service.js';
import { describeBrowser, newPage, signIn } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';

const SEATS_TASK = 'Stark Industries uses 5 of 5 seats';

/** The CSM's day: land on /success, open an account's success tab, close a task; renew from the pipeline. */
describeBrowser('browser: customer success', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    const { db, data } = stack;
    const ws = data.workspace.id;
    const stark = data.accounts.stark;
    // Stark (the CSM's customer) sells per seat: 5 bought, 5 people active this month -> an expansion task.
    await db.query('update subscriptions set seats = 5 where account_id = $1', [stark.id]);
    await addEvents(db, ws, stark.id, spread(40, daysBefore(new Date(), 1), 5));
    // A second customer renewing in 20 days, for the renewals pipeline.
    const wayne = await createAccount(db, data.system, { name: 'Wayne Corp', csmId: data.extra.csm.id });
    await createSubscription(db, data.system, {
      accountId: wayne.id,
      arr: '10000.00',
      startDate: '2025-01-01',
      renewalDate: addDays(localDay(new Date(), data.workspace.timezone), 20),
      status: 'active',
      plan: 'Team',
    });
    await refreshHealth(db, ws, new Date());
    await detectSignals(db, ws, new Date());
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("a CSM lands on /success, opens an account's success tab and marks its task done", async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.extra.csm.email);
      await page.waitForURL((u) => u.pathname === '/success');
      await page.getByRole('heading', { name: 'Customer success' }).waitFor();
      await page.getByRole('table', { name: 'Open tasks' }).getByText(SEATS_TASK).waitFor();
      const accounts = page.getByRole('table', { name: 'Accounts' });
      const starkRow = accounts.getByRole('row').filter({ hasText: 'Stark Industries' });
      await starkRow.getByTestId('health-badge').waitFor();
      expect(await starkRow.textContent()).toContain('€120,000');

      await starkRow.click();
      await page.waitForURL((u) => u.pathname === `/accounts/${stack.data.accounts.stark.id}` && u.search === '?tab=success');
      await page.getByRole('region', { name: 'Usage' }).getByTestId('usage-total').getByText('40 events').waitFor();
      const factors = page.getByRole('table', { name: 'Health factors' });
      await factors.getByRole('row').filter({ hasText: 'Seats used' }).getByText('5 of 5 seats used in the last 30 days').waitFor();
      await page.getByRole('region', { name: 'Health history' }).locator('.recharts-surface').first().waitFor();

      const tasks = page.getByRole('table', { name: 'Account tasks' });
      await tasks.getByRole('button', { name: `Mark done: ${SEATS_TASK}` }).click();
      await tasks.getByRole('row').filter({ hasText: SEATS_TASK }).getByText('Done', { exact: true }).waitFor();

      // Back home, the task is gone from the list to do and the account has no open task left.
      await page.goto('/success');
      await accounts.getByRole('row').filter({ hasText: 'Stark Industries' }).waitFor();
      expect(await page.getByRole('table', { name: 'Open tasks' }).getByText(SEATS_TASK).count()).toBe(0);
      const [row] = await stack.db.query<{ status: string; done_by: string }>(
        `select status, done_by from success_tasks where account_id = $1 and kind = 'expansion.seats'`,
        [stack.data.accounts.stark.id],
      );
      expect(row).toEqual({ status: 'done', done_by: stack.data.extra.csm.id });
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('the renewals pipeline forecasts and renews after a confirmation, showing a bad ARR on its field', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.extra.csm.email);
      await page.goto('/renewals');
      await page.getByRole('heading', { name: 'Renewals' }).waitFor();
      const row = page.getByRole('table', { name: 'Renewals' }).getByRole('row').filter({ hasText: 'Wayne Corp' });
      await row.waitFor();
      await page.getByTestId('bucket-0-30').getByText('€10,000').waitFor();

      await row.getByRole('button', { name: 'Renew Wayne Corp' }).click();
      const dialog = page.getByRole('dialog', { name: 'Renew Wayne Corp' });
      await dialog.getByRole('textbox', { name: 'New ARR' }).fill('lots');
      await dialog.getByRole('button', { name: 'Confirm renewal' }).click();
      await dialog.getByText(/a decimal amount with at most 12 digits/).waitFor();
      await dialog.getByRole('textbox', { name: 'New ARR' }).fill('12000');
      await dialog.getByRole('button', { name: 'Confirm renewal' }).click();
      await dialog.waitFor({ state: 'hidden' });
      // Renewed a year on: out of the 120-day window.
      await page.getByText('No renewal in this window').waitFor();
      await page.getByTestId('bucket-total').getByText('Total · 0').waitFor();
      const moves = await stack.db.query<{ kind: string; amount: string }>(
        `select m.kind, m.amount from arr_movements m join accounts a on a.id = m.account_id where a.name = 'Wayne Corp' order by m.id`,
      );
      expect(moves).toEqual([
        { kind: 'new', amount: '10000.00' },
        { kind: 'expansion', amount: '2000.00' },
        { kind: 'renewal', amount: '10000.00' },
      ]);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });
});
