import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedRetentionBook } from '../support/retention.js';
import { describeBrowser, newPage, pick, signIn } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';

describeBrowser('browser: retention dashboard', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    const { workspace, users, extra } = stack.data;
    // The golden book, 2026-Q3; its team A CSM is the seed's CSM. The seed's own customer (Stark) started later.
    await seedRetentionBook(stack.db, workspace.id, { aeA: users.aeA.id, aeB: users.aeB.id, csmA: extra.csm.id, csmB: null });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("a manager sees their team's KPI cards, group table, AE table and trend, and downloads the table", async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.managerA.email);
      await page.goto('/retention?period=2026-Q3&groupBy=ae');
      await page.getByRole('heading', { name: 'Retention' }).waitFor();

      // Team A's closed customers in the base: Steady (100k, -10k) and CrossSell (40k, +15k cross-sell).
      await page.getByTestId('kpi-GRR').getByText('92.86%').waitFor();
      expect(await page.getByTestId('kpi-NRR').textContent()).toBe('103.57%');
      expect(await page.getByTestId('kpi-Start ARR').textContent()).toBe('€140,000');
      expect(await page.getByTestId('kpi-Logo churn').textContent()).toBe('0.00%');
      expect(await page.getByTestId('kpi-Expansion').textContent()).toBe('€15,000');
      expect(await page.getByTestId('kpi-Contraction').textContent()).toBe('€10,000');
      expect(await page.getByTestId('kpi-Churn').textContent()).toBe('€0');

      // Only team A's AE, never team B's (aeB closed ExpandChurn and DipThenGrow).
      const table = page.getByRole('table', { name: 'Retention by group' });
      const cells = async () => (await table.getByTestId('retention-row').allTextContents()).map((t) => t.replace(/\s+/g, ' '));
      expect(await cells()).toEqual([
        expect.stringMatching(/^aeA200\.00%€140,000€15,000€10,000€0€145,00092\.86%103\.57%$/),
        expect.stringMatching(/^Total200\.00%/),
      ]);
      expect(await page.getByText('aeB', { exact: true }).count()).toBe(0);
      const ae = page.getByRole('table', { name: 'Churn by closing AE' });
      expect(await ae.getByTestId('ae-row').allTextContents()).toEqual([expect.stringMatching(/^aeA2/)]);

      const trend = page.getByRole('region', { name: 'Monthly retention' });
      await trend
        .getByTestId('trend-range')
        .getByText(/^2025-10 – 2026-09/)
        .waitFor();
      await trend.locator('.recharts-line').first().waitFor();

      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download CSV' }).click();
      const csv = readFileSync((await (await download).path())!, 'utf8').split('\r\n');
      expect(csv[0]).toBe('label,key,logos,churned_logos,logo_churn,start_arr,expansion,contraction,churn,end_arr,grr,nrr');
      expect(csv[1]).toBe(`aeA,${stack.data.users.aeA.id},2,0,0.0000,140000.00,15000.00,10000.00,0.00,145000.00,0.9286,1.0357`);

      // Grouped by CSM: team A's CSM and her two base customers (Steady, ExpandChurn, which churned).
      await pick(page, 'Group by', 'CSM');
      await page.waitForURL((u) => u.searchParams.get('groupBy') === 'csm');
      await table.getByRole('cell', { name: 'csm user' }).waitFor();
      await page.getByTestId('kpi-Logo churn').getByText('50.00%').waitFor();
      expect(await page.getByTestId('kpi-GRR').textContent()).toBe('60.00%');
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a bad period shows the server message, not a crash', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.managerA.email);
      await page.goto('/retention?period=2026-Q5');
      await page.getByText(/period: must be YYYY, YYYY-Qn, YYYY-MM/).waitFor();
      expect(await page.getByTestId('retention-kpi').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });
});
