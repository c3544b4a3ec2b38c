import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, newPage, signIn } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';

/** Drags with real pointer events, in small steps, the way a person moves a card. */
async function drag(page: Page, card: Locator, target: Locator) {
  // The board scrolls sideways on narrow screens: bring the target column (and its neighbours) into view.
  await target.scrollIntoViewIfNeeded();
  const from = await card.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error('card or column not on screen');
  const x = from.x + from.width / 2;
  const y = from.y + 12;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 12, y + 4, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + 80, { steps: 16 });
  await page.mouse.up();
}

const column = (page: Page, stage: string) => page.locator(`section[data-stage="${stage}"]`);
const card = (page: Page, stage: string, name: string) => column(page, stage).getByTestId('deal-card').filter({ hasText: name });

describeBrowser('browser: pipeline board', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('an AE drags a deal from discovery to trial, and the move is saved with its history', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    const { umbrella } = stack.data.opportunities;
    try {
      await signIn(page, stack.data.users.aeA.email);
      await page.waitForURL((u) => u.pathname === '/pipeline');
      await card(page, 'discovery', 'Umbrella Expansion').waitFor();
      expect(await column(page, 'trial').getByTestId('stage-count').textContent()).toBe('0');

      const saved = page.waitForResponse(
        (r) => r.url().endsWith(`/api/v1/opportunities/${umbrella.id}/stage`) && r.request().method() === 'POST',
      );
      await drag(page, card(page, 'discovery', 'Umbrella Expansion'), column(page, 'trial'));
      expect((await saved).status()).toBe(200);
      await card(page, 'trial', 'Umbrella Expansion').waitFor();
      await column(page, 'trial').getByTestId('stage-count').getByText('1', { exact: true }).waitFor();

      // The API (with the browser's own session) and the history agree.
      const res = await page.request.get(`/api/v1/opportunities/${umbrella.id}`);
      expect((await res.json()).stage).toBe('trial');
      const history = await stack.db.query<{ from_value: string; to_value: string; actor_id: string }>(
        `select from_value, to_value, actor_id from status_changes where record_id = $1 and field = 'stage' order by changed_at desc limit 1`,
        [umbrella.id],
      );
      expect(history[0]).toEqual({ from_value: 'discovery', to_value: 'trial', actor_id: stack.data.users.aeA.id });

      // Still there after a reload.
      await page.reload();
      await card(page, 'trial', 'Umbrella Expansion').waitFor();
      expect(await card(page, 'discovery', 'Umbrella Expansion').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('asks for a reason when a deal is dropped on lost, and puts the card back when the API refuses', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.aeA.email);
      await card(page, 'won', 'Wayne Enterprises').waitFor();
      await drag(page, card(page, 'won', 'Wayne Enterprises'), column(page, 'lost'));
      const dialog = page.getByRole('dialog', { name: 'Mark as lost' });
      await dialog.getByRole('textbox', { name: 'Reason' }).fill('Budget cut');
      const refused = page.waitForResponse((r) => r.url().includes('/stage') && r.request().method() === 'POST');
      await dialog.getByRole('button', { name: 'Mark lost' }).click();
      expect((await refused).status()).toBe(409);
      // The API's own message is shown, and the card is back in won.
      await page.getByText('a won opportunity cannot be marked lost; reopen it first').waitFor();
      await card(page, 'won', 'Wayne Enterprises').waitFor();
      expect(await card(page, 'lost', 'Wayne Enterprises').count()).toBe(0);
      const [row] = await stack.db.query<{ stage: string }>('select stage from opportunities where id = $1', [
        stack.data.opportunities.wayne.id,
      ]);
      expect(row.stage).toBe('won');
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('shows per-stage totals and opens a deal page with its stage history', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.aeA.email);
      const proposal = column(page, 'proposal');
      await card(page, 'proposal', 'Hooli Platform').waitFor();
      // EUR workspace: 56000.00 as whole euros, formatted by Intl in the browser's locale.
      // The totals come from their own request: wait for them rather than reading the first render.
      await proposal.getByTestId('stage-total').filter({ hasText: '€56,000' }).waitFor({ timeout: 10_000 });
      expect(await proposal.getByTestId('stage-total').textContent()).toBe('€56,000');
      await proposal.getByRole('link', { name: 'Hooli Platform' }).click();
      await page.waitForURL((u) => u.pathname === `/opportunities/${stack.data.opportunities.hooli.id}`);
      await page.getByTestId('timeline').getByText('Created as Proposal').waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });
});
