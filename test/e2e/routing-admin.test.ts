import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, newPage, pick, signIn } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';

/** Sales ops' side of issue 3: routing rules with their errors and the preview, scorecards, the website form. */
describeBrowser('browser: routing admin', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('an admin saves a rule with an empty pool and sees why, fixes it, and previews a lead that matches it', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    const ws = stack.data.workspace;
    try {
      await signIn(page, stack.data.users.admin.email);
      await page.goto('/admin?tab=routing');
      await page.getByRole('button', { name: 'Add rule' }).click();
      const rule = page.getByRole('region', { name: /^Rule 1:/ });
      await rule.getByRole('textbox', { name: 'Rule name' }).fill('Website to team A SDRs');
      await pick(page, 'Channels', 'Website', rule);
      await page.keyboard.press('Escape');
      await pick(page, 'Action', 'Round-robin in a pool', rule);
      await pick(page, 'Pool roles', 'Inbound SDR', rule);
      await page.keyboard.press('Escape');
      // Team B has no inbound SDR: the API refuses the empty pool, and says so on this rule.
      await pick(page, 'Pool team', 'Team B', rule);
      await page.getByRole('button', { name: 'Save intake rules' }).click();
      const poolError = rule.getByTestId('pool-error');
      await poolError.waitFor();
      expect(await poolError.textContent()).toContain('no active user has role sdr_inbound in that team: the pool is empty');
      await page.getByRole('alert').getByText('One rule needs a fix').waitFor();
      expect(await stack.db.query('select 1 from routing_rules where workspace_id = $1', [ws.id])).toHaveLength(0);

      await pick(page, 'Pool team', 'Team A', rule);
      await page.getByRole('button', { name: 'Save intake rules' }).click();
      await page.getByText('Intake rules saved').waitFor();
      await poolError.waitFor({ state: 'detached' });
      const stored = await stack.db.query<{ name: string; conditions: unknown; action: unknown }>(
        `select name, conditions, action from routing_rules where workspace_id = $1 and stage = 'intake'`,
        [ws.id],
      );
      expect(stored).toEqual([
        {
          name: 'Website to team A SDRs',
          conditions: { channels: ['website'] },
          action: { type: 'pool', pool: { roles: ['sdr_inbound'], segment: null, teamId: stack.data.teams.teamA.id } },
        },
      ]);

      // The preview runs the saved rule on a described lead: it matches, and the pool would pick sdrA.
      const preview = page.getByRole('region', { name: 'Test a lead' });
      await preview.getByRole('textbox', { name: 'Employees' }).fill('40');
      await preview.getByRole('button', { name: 'Test routing' }).click();
      const decision = preview.getByTestId('preview-decision');
      await decision.getByText('Matched rule: Website to team A SDRs').waitFor();
      expect(await preview.getByTestId('preview-pick').textContent()).toContain('The pool would pick sdrA now.');
      const checked = preview.getByRole('table', { name: 'Rules checked' });
      await checked.getByText('channel website is in website').waitFor();

      // A referral does not match: every rule's reason is shown, and the lead falls to the fallback queue.
      await pick(page, 'Channel', 'Referral', preview);
      await preview.getByRole('button', { name: 'Test routing' }).click();
      await decision.getByText('No rule matched: fallback queue').waitFor();
      await checked.getByText('channel referral is not in website').waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  }, 90_000);

  it('sales ops edit a scorecard: a threshold above the maximum is refused on the field, a good one is stored', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.ops.email);
      await page.goto('/admin?tab=scorecards');
      await page.getByRole('region', { name: /^Criterion 1: Need/ }).waitFor();
      const threshold = page.getByRole('textbox', { name: /^Threshold/ });
      await threshold.fill('99');
      await page.getByRole('button', { name: 'Save ESB scorecard' }).click();
      await page.getByText('an integer from 0 to the maximum score (18)', { exact: true }).waitFor();
      expect(await threshold.getAttribute('aria-invalid')).toBe('true');

      // A custom criterion with a duplicate answer value is refused on that answer.
      await page.getByRole('button', { name: 'Add criterion' }).click();
      const custom = page.getByRole('region', { name: /^Criterion 7:/ });
      await custom.getByRole('textbox', { name: 'Answer 2 value' }).fill('yes');
      await threshold.fill('10');
      await page.getByRole('button', { name: 'Save ESB scorecard' }).click();
      await custom.getByText('duplicate option yes').waitFor();

      await custom.getByRole('textbox', { name: 'Answer 2 value' }).fill('no');
      await custom.getByRole('textbox', { name: 'Label', exact: true }).fill('Champion');
      await page.getByRole('button', { name: 'Save ESB scorecard' }).click();
      await page.getByText('ESB scorecard saved').waitFor();
      const [card] = await stack.db.query<{ threshold: number; criteria: { key: string; label: string }[] }>(
        `select threshold, criteria from scorecards where workspace_id = $1 and segment = 'ESB'`,
        [stack.data.workspace.id],
      );
      expect(card.threshold).toBe(10);
      expect(card.criteria.map((c) => c.label)).toEqual(['Need', 'Size of need', 'Authority', 'Budget', 'Timing', 'Fit', 'Champion']);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('the copied web form snippet posts a lead from a plain page; with the honeypot filled nothing is written', async () => {
    const admin = await newPage(stack.browser, stack.baseUrl);
    const ws = stack.data.workspace;
    let copied = '';
    try {
      await admin.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.baseUrl });
      await signIn(admin.page, stack.data.users.admin.email);
      await admin.page.goto('/admin?tab=web-form');
      const shown = (await admin.page.getByTestId('web-form-snippet').textContent()) ?? '';
      await admin.page.getByRole('button', { name: 'Copy snippet' }).click();
      await admin.page.getByRole('button', { name: 'Copied' }).waitFor();
      copied = await admin.page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toBe(shown);
      const [settings] = await stack.db.query<{ web_form_key: string }>(
        'select web_form_key from routing_settings where workspace_id = $1',
        [ws.id],
      );
      expect(copied).toContain(`<form method="post" action="${stack.baseUrl}/api/v1/public/forms/${settings.web_form_key}">`);
      expect(copied).toMatch(/<div style="display:none"[^>]*>\s*<label>Website <input type="text" name="hp_website"/);
      expect(admin.pageErrors).toEqual([]);
    } finally {
      await admin.close();
    }

    // A visitor's browser (no session): the copied snippet pasted into a website page, filled in and sent.
    const visitor = await newPage(stack.browser, stack.baseUrl);
    const leadsWith = (email: string) =>
      stack.db.query<{ company: string; channel: string; employees: number; country: string; segment: string }>(
        'select company, channel, employees, country, segment from leads where workspace_id = $1 and email = $2',
        [ws.id, email],
      );
    const submit = async (snippet: string, email: string, honeypot: boolean) => {
      await visitor.page.setContent(snippet);
      expect(await visitor.page.locator('input[name="hp_website"]').isVisible()).toBe(false);
      await visitor.page.getByRole('textbox', { name: 'Work email' }).fill(email);
      await visitor.page.getByRole('textbox', { name: 'First name' }).fill('Elaine');
      await visitor.page.getByRole('textbox', { name: 'Company' }).fill('Pendant Publishing');
      await visitor.page.getByRole('spinbutton', { name: 'Employees' }).fill('120');
      await visitor.page.getByRole('textbox', { name: 'Country (2 letters)' }).fill('US');
      // People never see the honeypot; a bot fills every field it finds.
      if (honeypot)
        await visitor.page.locator('input[name="hp_website"]').evaluate((el) => ((el as HTMLInputElement).value = 'http://spam.test'));
      await Promise.all([
        visitor.page.waitForURL((u) => u.pathname.startsWith('/api/v1/public/forms/')),
        visitor.page.getByRole('button', { name: 'Contact sales' }).click(),
      ]);
      await visitor.page.getByText('Thank you, we will be in touch soon.').waitFor();
    };
    try {
      await submit(copied, 'elaine@pendant.test', false);
      expect(await leadsWith('elaine@pendant.test')).toEqual([
        { company: 'Pendant Publishing', channel: 'website', employees: 120, country: 'US', segment: 'SMB' },
      ]);

      await submit(copied, 'bot@pendant.test', true);
      expect(await leadsWith('bot@pendant.test')).toEqual([]);
      expect(visitor.pageErrors).toEqual([]);
    } finally {
      await visitor.close();
    }
  }, 60_000);
});
