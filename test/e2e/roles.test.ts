import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PASSWORD } from '../support/fixtures.js';
import { describeBrowser, newPage, signIn } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';

/** Each demo role signs in and lands on its own home, which renders without an error. */
describeBrowser('browser: sign-in and every role lands on its home', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const emailOf = (key: string) => {
    const d = stack.data;
    const base = (d.users as Record<string, { email: string }>)[key] ?? (d.extra as Record<string, { email: string }>)[key];
    if (!base) throw new Error(`no seeded user ${key}`);
    return base.email;
  };

  /** The home screen is up: its heading shows and no error or refusal is on the page. */
  async function expectHome(page: Page, path: string, heading: string) {
    await page.waitForURL((u) => u.pathname === path);
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    await page.getByTestId('user-name').waitFor();
    // Let every request the home makes finish, so a late failure would show.
    await page.waitForLoadState('networkidle');
    expect(await page.getByText('Something went wrong').count()).toBe(0);
    expect(await page.getByTestId('not-allowed').count()).toBe(0);
  }

  const HOMES: [string, string, string][] = [
    ['admin', '/admin', 'Admin'],
    ['ops', '/admin', 'Admin'],
    ['managerA', '/team', 'Team'],
    ['sdrA', '/queue', 'Lead queue'],
    ['sdr_outbound', '/queue', 'Lead queue'],
    ['aeA', '/pipeline', 'Pipeline'],
    ['realtime_ae', '/pipeline', 'Pipeline'],
    ['esb_ae', '/pipeline', 'Pipeline'],
    ['sales_engineer', '/pipeline', 'Pipeline'],
    ['csm', '/success', 'Customer success'],
    ['relationship_manager', '/success', 'Customer success'],
    ['enablement', '/accounts', 'Accounts'],
    ['support', '/accounts', 'Accounts'],
  ];

  it.each(HOMES)('%s lands on %s', async (who, path, heading) => {
    const s = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(s.page, emailOf(who));
      await expectHome(s.page, path, heading);
      // The shell names the person and the workspace, and offers sign-out.
      expect(await s.page.getByTestId('workspace-name').textContent()).toBe(stack.data.workspace.name);
      expect(s.pageErrors).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('shows each home its own content: SDR lead queue, AE board, manager team, admin tabs, CSM accounts', async () => {
    const s = await newPage(stack.browser, stack.baseUrl);
    const { page } = s;
    try {
      await signIn(page, emailOf('sdrA'));
      await page.getByRole('table', { name: 'Lead queue' }).getByText('Acme Robotics').waitFor();
      await page.getByRole('table', { name: 'Lead queue' }).getByText('Globex Analytics').waitFor();
      // Another team's lead is not in an SDR's queue.
      expect(await page.getByText('Initech Secret').count()).toBe(0);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL((u) => u.pathname === '/login');

      await signIn(page, emailOf('aeA'));
      await page.locator('section[data-stage="discovery"]').getByText('Umbrella Expansion').waitFor();
      await page.locator('section[data-stage="won"]').getByText('Wayne Enterprises').waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL((u) => u.pathname === '/login');

      await signIn(page, emailOf('managerA'));
      const members = page.getByRole('table', { name: 'Team members' });
      await members.getByText('aeA', { exact: true }).waitFor();
      await members.getByText('sdrA', { exact: true }).waitFor();
      expect(await members.getByText('aeB', { exact: true }).count()).toBe(0);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL((u) => u.pathname === '/login');

      await signIn(page, emailOf('csm'));
      await page.getByRole('table', { name: 'Accounts' }).getByText('Stark Industries').waitFor();
      await page.getByRole('table', { name: 'Accounts' }).getByText('Stark Industries').click();
      await page.getByTestId('account-title').waitFor();
      // The CSM home opens an account on its Success tab; the subscriptions are on the Overview tab.
      await page.getByRole('tab', { name: 'Overview' }).click();
      await page.getByRole('table', { name: 'Subscriptions' }).getByText('Enterprise').waitFor();
      expect(s.pageErrors).toEqual([]);
    } finally {
      await s.close();
    }
  }, 60_000);

  it('refuses a wrong password with a message and stays on the login page', async () => {
    const s = await newPage(stack.browser, stack.baseUrl);
    try {
      await s.page.goto('/login');
      await s.page.getByRole('textbox', { name: 'Email' }).fill(emailOf('sdrA'));
      await s.page.getByRole('textbox', { name: 'Password' }).fill('not-the-password');
      await s.page.getByRole('button', { name: 'Sign in' }).click();
      const error = s.page.getByTestId('login-error');
      await error.waitFor();
      expect(await error.textContent()).toContain('Wrong email or password');
      expect(new URL(s.page.url()).pathname).toBe('/login');
    } finally {
      await s.close();
    }
  });

  it('sends a signed-out visitor to the login page, and back to where they were after signing in', async () => {
    const s = await newPage(stack.browser, stack.baseUrl);
    try {
      await s.page.goto(`/accounts/${stack.data.accounts.stark.id}`);
      await s.page.waitForURL((u) => u.pathname === '/login');
      await s.page.getByRole('textbox', { name: 'Email' }).fill(emailOf('admin'));
      await s.page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
      await s.page.getByRole('button', { name: 'Sign in' }).click();
      await s.page.waitForURL((u) => u.pathname === `/accounts/${stack.data.accounts.stark.id}`);
      await s.page.getByTestId('account-title').waitFor();
      expect(await s.page.getByTestId('account-title').textContent()).toBe('Stark Industries');
    } finally {
      await s.close();
    }
  });
});
