import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, newPage, pick, signIn } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';

describeBrowser('browser: admin', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('an admin adds a person to a team and creates a team with a manager', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    const ws = stack.data.workspace;
    try {
      await signIn(page, stack.data.users.admin.email);
      await page.waitForURL((u) => u.pathname === '/admin');

      // People: add Nora, an AE in team A.
      await page.getByRole('button', { name: 'Add person' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a person' });
      await dialog.getByRole('textbox', { name: 'Name' }).fill('Nora Newhire');
      await dialog.getByRole('textbox', { name: 'Email' }).fill('nora@e2e.test');
      await pick(page, 'Roles', 'Account Executive', dialog);
      await page.keyboard.press('Escape');
      await pick(page, 'Team', 'Team A', dialog);
      await dialog.getByRole('textbox', { name: /^Capacity/ }).fill('40');
      await dialog.getByRole('button', { name: 'Add person' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('table', { name: 'People' }).getByText('Nora Newhire').waitFor();
      const [nora] = await stack.db.query<{ id: string; roles: string[]; team_id: string; capacity: number }>(
        'select id, roles, team_id, capacity from users where workspace_id = $1 and email = $2',
        [ws.id, 'nora@e2e.test'],
      );
      expect(nora).toMatchObject({ roles: ['ae'], team_id: stack.data.teams.teamA.id, capacity: 40 });

      // Teams: create Team C managed by managerB.
      await page.getByRole('tab', { name: 'Teams' }).click();
      await page.getByRole('textbox', { name: 'Team name' }).fill('Team C');
      await pick(page, 'Manager', 'managerB');
      await page.getByRole('button', { name: 'Create team' }).click();
      await page.getByRole('table', { name: 'Teams' }).getByText('Team C').waitFor();
      const [team] = await stack.db.query<{ manager_id: string }>('select manager_id from teams where workspace_id = $1 and name = $2', [
        ws.id,
        'Team C',
      ]);
      expect(team.manager_id).toBe(stack.data.users.managerB.id);

      // Both changes are in the audit log, with the admin as actor.
      await page.getByRole('tab', { name: 'Audit log' }).click();
      const audit = page.getByRole('table', { name: 'Audit log' });
      await audit.getByText('team.create').first().waitFor();
      await audit.getByText('user.create').first().waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('shows the validation message when segment thresholds do not grow', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.ops.email);
      await page.goto('/admin?tab=segments');
      const smb = page.getByRole('textbox', { name: 'SMB max employees' });
      await smb.fill('5');
      await page.getByRole('button', { name: 'Save segments' }).click();
      await page.getByRole('alert').getByText("SMB: maxEmployees must be above ESB's (10)").waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('creates an API key, shows it once, and revokes it', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.admin.email);
      await page.goto('/admin?tab=api-keys');
      await page.getByRole('textbox', { name: 'Name' }).fill('Website forms');
      await page.getByRole('button', { name: 'Create key' }).click();
      const key = (await page.getByTestId('new-api-key').textContent()) ?? '';
      expect(key).toMatch(/^rl_/);
      // The key works against the API, until it is revoked.
      const ok = await page.request.get('/api/v1/leads?limit=1', { headers: { authorization: `Bearer ${key}` } });
      expect(ok.status()).toBe(200);
      await page.getByRole('table', { name: 'API keys' }).getByRole('button', { name: 'Revoke' }).click();
      await page
        .getByRole('table', { name: 'API keys' })
        .getByText(/^revoked/)
        .waitFor();
      const refused = await page.request.get('/api/v1/leads?limit=1', { headers: { authorization: `Bearer ${key}` } });
      expect(refused.status()).toBe(401);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('keeps a rep out of the admin screens with a message', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.aeA.email);
      expect(await page.getByRole('navigation').getByRole('link', { name: 'Admin' }).count()).toBe(0);
      await page.goto('/admin?tab=api-keys');
      await page.getByTestId('not-allowed').first().waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });
});
