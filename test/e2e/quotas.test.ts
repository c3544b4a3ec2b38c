import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setQuota } from '../../src/modules/quotas/quotas.service.js';
import { systemPrincipal } from '../../src/platform/auth/principal.js';
import { describeBrowser, newPage, pick, signIn } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';

/** The attainment table's row of one rep (exact name: aeA is not aeB). */
const repRow = (page: Page, name: string) =>
  page
    .getByRole('table', { name: 'Attainment per rep' })
    .getByTestId('attainment-row')
    .filter({ has: page.getByRole('cell', { name, exact: true }) });

describeBrowser('browser: quotas and capacity planning', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('an admin sets an AE quota on /quotas, sees it in the table, and a bad amount gets its field error', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.admin.email);
      await page.goto('/quotas');
      await page.getByRole('heading', { name: 'Quotas' }).waitFor();
      const card = page.getByRole('region', { name: 'Set a quota' });
      await pick(page, 'Person', 'aeA', card);
      // aeA is an AE: the only metric that fits is new ARR, chosen for them.
      expect(await card.getByLabel('Metric').and(page.locator('input:not([type=hidden])')).inputValue()).toBe('New ARR');

      // Zero is refused by the service on `amount`; nothing is saved.
      await card.getByRole('textbox', { name: 'Amount' }).fill('0');
      await card.getByRole('button', { name: 'Save quota' }).click();
      await card.getByText('must be above zero').waitFor();
      expect(await repRow(page, 'aeA').count()).toBe(0);

      await card.getByRole('textbox', { name: 'Amount' }).fill('250000');
      await card.getByRole('button', { name: 'Save quota' }).click();
      const row = repRow(page, 'aeA');
      await row.getByText('€250,000').first().waitFor();
      expect(await row.textContent()).toContain('New ARR');
      // aeA's seed deal (Wayne Enterprises, 99,000 won now) counts live: 99,000 / 250,000.
      await row.getByText('39.6%').waitFor();
      await page.getByRole('region', { name: 'Team roll-ups' }).getByText('Team A').waitFor();

      // Inline: text that is not an amount gets the schema's message under the input.
      await row.getByRole('button', { name: 'Edit quota of aeA' }).click();
      const inline = row.getByRole('textbox', { name: /^Quota of aeA for / });
      await inline.fill('lots');
      await row.getByRole('button', { name: 'Save' }).click();
      await row.getByText(/a decimal amount with at most 12 digits/).waitFor();
      await inline.fill('300000');
      await row.getByRole('button', { name: 'Save' }).click();
      await row.getByText('€300,000').first().waitFor();
      await row.getByText('33.0%').waitFor();

      // The ramp card shows the server's validation message and keeps the old ramp.
      const ramp = page.getByRole('region', { name: 'Ramp' });
      const steps = ramp.getByRole('textbox', { name: 'Ramp steps (%)' });
      expect(await steps.inputValue()).toBe('25, 50, 75, 100');
      await steps.fill('25, 10, 100');
      await ramp.getByRole('button', { name: 'Save ramp' }).click();
      await ramp.getByText(/a ramp never goes down/).waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a rep sees only their own row', async () => {
    const { users, workspace } = stack.data;
    await setQuota(stack.db, systemPrincipal(workspace.id), {
      userId: users.aeB.id,
      metric: 'new_arr',
      period: await currentQuarterOf(stack),
      amount: '100000',
    });
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, users.aeB.email);
      await page.goto('/quotas');
      await repRow(page, 'aeB').waitFor();
      expect(await repRow(page, 'aeA').count()).toBe(0);
      // Reps cannot set quotas: no edit button and no form.
      expect(await page.getByRole('button', { name: /Edit quota/ }).count()).toBe(0);
      expect(await page.getByRole('region', { name: 'Set a quota' }).count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('the capacity planner plans from edited assumptions, shows hires and flags, and names an impossible conversion', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.admin.email);
      await page.goto('/plan');
      const target = page.getByRole('textbox', { name: /^Target ARR/ });
      await target.fill('6000000');
      await page.getByRole('button', { name: 'Plan', exact: true }).click();
      const hires = page.getByTestId('hires-table');
      await hires.waitFor();
      expect(await hires.locator('tbody tr').count()).toBeGreaterThan(0);
      // The default ladder (800k quota on 100k OTE) is 8x: outside 4-6x, flagged but still planned.
      await page.getByTestId('plan-flag').filter({ hasText: /quota/i }).first().waitFor();
      await page.getByRole('region', { name: 'Headcount by month' }).waitFor();
      expect(await page.getByTestId('sdr-ae').textContent()).toMatch(/: 1$|—/);

      await page.getByRole('textbox', { name: 'SMB Opp → customer' }).fill('1.5');
      await page.getByRole('button', { name: 'Plan', exact: true }).click();
      await page.getByText('must be in (0, 1], got 1.5').waitFor();
      // The message sits with its input (the SMB row), and the stale plan is gone.
      const smbRow = page.getByRole('table', { name: 'Segments' }).getByRole('row').filter({ hasText: 'SMB' });
      expect(await smbRow.textContent()).toContain('must be in (0, 1], got 1.5');
      expect(await page.getByTestId('plan-result').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('the calibration screen flags Team A as too hard and backtests a lower quota', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.admin.email);
      await page.goto('/quotas/calibration');
      await page.getByRole('heading', { name: 'Calibration' }).waitFor();
      await page.getByText('60-75%').first().waitFor();
      // The quotas set above (aeA 300,000 with 99,000 won; aeB 100,000 with nothing): nobody in Team A attained.
      const teamA = page.getByRole('region', { name: 'Calibration Team A' });
      const quarter = await currentQuarterOf(stack);
      await teamA.getByText(`${quarter}: 0% · Too hard`).waitFor();

      // Backtest: had the quota been 50,000, aeA (99,000) would have attained, aeB (0) not; a zero quota is refused on its field.
      const backtest = page.getByRole('region', { name: 'Backtest' });
      await backtest.getByRole('textbox', { name: 'Quota' }).fill('0');
      await backtest.getByRole('button', { name: 'Backtest' }).click();
      await backtest.getByText('must be above zero').waitFor();
      await backtest.getByRole('textbox', { name: 'Quota' }).fill('50000');
      await backtest.getByRole('button', { name: 'Backtest' }).click();
      const table = backtest.getByRole('table', { name: `Backtest ${quarter}` });
      await table.waitFor();
      expect(await table.getByRole('row').filter({ hasText: 'aeA' }).textContent()).toContain('Yes');
      expect(await table.getByRole('row').filter({ hasText: 'aeB' }).textContent()).toContain('No');
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a rep opening /plan is told "Not allowed"', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.aeA.email);
      await page.goto('/plan');
      await page.getByTestId('not-allowed').getByText('Not allowed', { exact: true }).waitFor();
      expect(await page.getByRole('link', { name: 'Capacity planner' }).count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });
});

/** The workspace's current quarter, as the server defaults it (its own clock and time zone). */
async function currentQuarterOf(stack: Stack): Promise<string> {
  const { timezone } = stack.data.workspace;
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit' }).format(new Date()).split('-');
  return `${y}-Q${Math.floor((Number(m) - 1) / 3) + 1}`;
}
