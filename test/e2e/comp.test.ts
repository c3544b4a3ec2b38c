import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAssignment } from '../../src/modules/comp/assignments.service.js';
import { seedDemoLevels } from '../../src/modules/comp/levels.service.js';
import { createDraft, publishVersion } from '../../src/modules/comp/plans.service.js';
import { runComp } from '../../src/modules/comp/runs.service.js';
import { AE_PLAN, wonDeal } from '../support/comp-db.js';
import { describeBrowser, newPage, signIn } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';

describeBrowser('browser: comp', () => {
  let stack: Stack;
  let period: string;
  let arithmetic: string;

  beforeAll(async () => {
    stack = await startStack();
    const { workspace, principals, users } = stack.data;
    const ws = workspace.id;
    // A plan, aeA on it, a deal won two hours ago, and a run of its month: the ledger a statement shows.
    await seedDemoLevels(stack.db, ws);
    const draft = await createDraft(stack.db, principals.ops, AE_PLAN);
    await publishVersion(stack.db, principals.ops, draft.key, draft.version, '2020-01-01');
    await createAssignment(stack.db, principals.ops, { userId: users.aeA.id, planKey: 'ae-test', from: '2020-01-01' });
    const closedAt = DateTime.now().minus({ hours: 2 });
    period = closedAt.setZone(workspace.timezone).toFormat('yyyy-MM');
    await wonDeal(stack.db, ws, { ownerId: users.aeA.id, amount: '40000', closedAt: closedAt.toISO()!, name: 'Comp e2e deal' });
    await runComp(stack.db, principals.ops, { period }, new Date());
    const [line] = await stack.db.query<{ arithmetic: string }>(
      `select arithmetic from comp_ledger where workspace_id = $1 and user_id = $2 and kind = 'earning'`,
      [ws, users.aeA.id],
    );
    arithmetic = line.arithmetic;
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('a rep opens My comp and sees a statement line with its arithmetic, linked to its deal', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.aeA.email);
      await page.goto(`/comp?period=${period}`);
      const earnings = page.getByRole('table', { name: 'Earnings' });
      await earnings.getByText(arithmetic).waitFor();
      const deal = earnings.getByRole('link', { name: 'Comp e2e deal' });
      expect(await deal.getAttribute('href')).toMatch(/^\/opportunities\/[0-9a-f-]{36}$/);
      expect(await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toContain(`period=${period}`);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('a manager opens Team comp, sees their rep, and drills into the statement', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.managerA.email);
      await page.goto(`/comp/team?period=${period}`);
      const table = page.getByRole('table', { name: 'Team comp' });
      await table.getByText('aeA').click();
      await page.waitForURL((u) => u.pathname === '/comp' && u.searchParams.get('repId') === stack.data.users.aeA.id);
      await page.getByRole('table', { name: 'Earnings' }).getByText(arithmetic).waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});
