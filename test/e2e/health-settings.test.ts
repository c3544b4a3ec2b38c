import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, newPage, signIn } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';

/** Sales ops tune the health score from the CSM home; bad values are refused on their field and nothing is stored. */
describeBrowser('browser: health score settings', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const stored = async () => {
    const [row] = await stack.db.query<{ settings: { weights: Record<string, number> } }>(
      'select settings from health_settings where workspace_id = $1',
      [stack.data.workspace.id],
    );
    return row?.settings ?? null;
  };

  it('sales ops change a weight, save, see it after a reload; a negative or all-zero weight is refused on its field', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.ops.email);
      await page.goto('/success');
      const open = async () => {
        await page.getByRole('button', { name: 'Health score settings' }).click();
        const region = page.getByRole('region', { name: 'Health score settings' });
        await region.getByText('Factor weights').waitFor();
        return region;
      };
      let settings = await open();
      await settings.getByText('The workspace uses the default settings.').waitFor();
      const usage = settings.getByRole('textbox', { name: 'Usage trend', exact: true });
      expect(await usage.inputValue()).toBe('30');
      await usage.fill('45');
      await settings.getByRole('button', { name: 'Save health settings' }).click();
      await settings.getByRole('status').getByText('Saved').waitFor();
      expect((await stored())?.weights.usageTrend).toBe(45);

      await page.reload();
      settings = await open();
      expect(await settings.getByRole('textbox', { name: 'Usage trend', exact: true }).inputValue()).toBe('45');
      expect(await settings.getByText('The workspace uses the default settings.').count()).toBe(0);

      const before = await stored();
      const seats = settings.getByRole('textbox', { name: 'Seats used', exact: true });
      await seats.fill('-5');
      await settings.getByRole('button', { name: 'Save health settings' }).click();
      await settings.getByText('must be 0 or more').waitFor();
      // The message sits on the seats input itself (Mantine links it through aria-describedby).
      expect(await seats.getAttribute('aria-invalid')).toBe('true');
      expect(await stored()).toEqual(before);

      for (const label of ['Usage trend', 'Seats used', 'Milestone', 'Support tickets', 'Buyer rating', 'Renewal proximity'])
        await settings.getByRole('textbox', { name: label, exact: true }).fill('0');
      await settings.getByRole('button', { name: 'Save health settings' }).click();
      await settings.getByRole('alert').getByText('at least one weight must be above zero').waitFor();
      expect(await stored()).toEqual(before);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a CSM sees no settings section', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.extra.csm.email);
      await page.goto('/success');
      await page.getByRole('table', { name: 'Accounts' }).waitFor();
      expect(await page.getByRole('button', { name: 'Health score settings' }).count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });
});
