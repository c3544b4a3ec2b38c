import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, newPage, pick, signIn } from './support/browser.js';
import { XSS_COMPANY } from './support/seed.js';
import { type Stack, startStack } from './support/stack.js';

/** The SDR's day: the queue, a lead worked, noted and converted into an AE's opportunity. */
describeBrowser('browser: leads', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('an SDR opens a lead, works it, adds a note and converts it to an opportunity for an AE', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    const { leads, users } = stack.data;
    try {
      await signIn(page, users.sdrA.email);
      // The SDR's home is the lead queue; the full list is one click away.
      await page.getByRole('link', { name: 'All leads' }).click();
      await page.getByRole('table', { name: 'Leads' }).getByText('Acme Robotics').click();
      await page.waitForURL((u) => u.pathname === `/leads/${leads.acme.id}`);
      expect(await page.getByTestId('lead-title').textContent()).toBe('Acme Robotics');

      // Status: new -> working, kept in the history with the SDR as actor.
      await page.getByRole('button', { name: 'Start working' }).click();
      await page.getByRole('button', { name: 'Mark qualified' }).waitFor();
      const timeline = page.getByTestId('timeline');
      await timeline.getByText('Status: New → Working').waitFor();

      // A note on the timeline.
      await page.getByRole('textbox', { name: 'Activity summary' }).fill('Discovery call booked');
      await page.getByRole('textbox', { name: 'Activity details' }).fill('Needs 40 seats; budget approved for Q3.');
      await page.getByRole('button', { name: 'Add note' }).click();
      await timeline.getByText('Discovery call booked').waitFor();
      await timeline.getByText('Needs 40 seats; budget approved for Q3.').waitFor();

      // Convert, handing the deal to aeA.
      await page.getByRole('button', { name: 'Convert' }).click();
      const dialog = page.getByRole('dialog', { name: 'Convert lead' });
      await dialog.waitFor();
      expect(await dialog.getByRole('textbox', { name: 'Opportunity name' }).inputValue()).toBe('Acme Robotics');
      expect(await dialog.getByRole('textbox', { name: /Amount/ }).inputValue()).toBe('18000.00');
      await pick(page, 'Account executive', 'aeA', dialog);
      await dialog.getByRole('button', { name: 'Convert' }).click();
      await page.waitForURL((u) => u.pathname.startsWith('/opportunities/'));
      expect(await page.getByTestId('opportunity-title').textContent()).toBe('Acme Robotics');

      // What the server now holds: the lead converted, its opportunity owned by the AE and sourced by the SDR.
      const [lead] = await stack.db.query<{ status: string; opportunity_id: string }>(
        'select status, opportunity_id from leads where id = $1',
        [leads.acme.id],
      );
      expect(lead.status).toBe('converted');
      expect(new URL(page.url()).pathname).toBe(`/opportunities/${lead.opportunity_id}`);
      const [opp] = await stack.db.query<{ owner_id: string; sdr_id: string; stage: string; amount: string }>(
        'select owner_id, sdr_id, stage, amount from opportunities where id = $1',
        [lead.opportunity_id],
      );
      expect(opp).toEqual({ owner_id: users.aeA.id, sdr_id: users.sdrA.id, stage: 'discovery', amount: '18000.00' });
      const notes = await stack.db.query('select 1 from activities where record_type = $1 and record_id = $2 and subject = $3', [
        'lead',
        leads.acme.id,
        'Discovery call booked',
      ]);
      expect(notes).toHaveLength(1);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it("shows 'not allowed' when a rep opens another team's lead by its address", async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.sdrA.email);
      await page.goto(`/leads/${stack.data.leads.otherTeam.id}`);
      const refusal = page.getByTestId('not-allowed');
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain('not allowed');
      expect(await page.getByText('Initech Secret').count()).toBe(0);
      // The shell is still there: the refusal is a message, not a crash.
      await page.getByRole('navigation').getByRole('link', { name: 'Leads' }).waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('renders a company name made of HTML as text, in the list and on the lead page', async () => {
    const { page, pageErrors, dialogs, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.sdrA.email);
      await page.goto('/leads');
      const cell = page.getByRole('table', { name: 'Leads' }).getByText(XSS_COMPANY, { exact: true });
      await cell.waitFor();
      await cell.click();
      await page.waitForURL((u) => u.pathname === `/leads/${stack.data.leads.xss.id}`);
      expect(await page.getByTestId('lead-title').textContent()).toBe(XSS_COMPANY);
      expect(await page.getByRole('textbox', { name: 'Company' }).inputValue()).toBe(XSS_COMPANY);
      await page.waitForLoadState('networkidle');
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('filters and searches the list, and creates a lead with field errors from the API', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    try {
      await signIn(page, stack.data.users.sdrA.email);
      await page.goto('/leads');
      const table = page.getByRole('table', { name: 'Leads' });
      await table.getByText('Globex Analytics').waitFor();

      await page.getByRole('textbox', { name: 'Search' }).fill('globex');
      await page.waitForURL((u) => u.searchParams.get('q') === 'globex');
      await page.getByTestId('loaded-count').getByText('1 loaded').waitFor();
      expect(await table.getByText('Acme Robotics').count()).toBe(0);
      await page.getByRole('textbox', { name: 'Search' }).fill('');
      await page.waitForURL((u) => !u.searchParams.has('q'));

      // A bad email comes back from the API as a message under the email field.
      await page.getByRole('button', { name: 'New lead' }).click();
      const dialog = page.getByRole('dialog', { name: 'New lead' });
      await dialog.getByRole('textbox', { name: 'Company' }).fill('Soylent Foods');
      await dialog.getByRole('textbox', { name: 'Email' }).fill('not-an-email');
      await dialog.getByRole('button', { name: 'Create lead' }).click();
      await dialog.getByRole('textbox', { name: 'Email' }).and(page.locator('[aria-invalid="true"]')).waitFor();
      await dialog.getByRole('textbox', { name: 'Email' }).fill('buyer@soylent.test');
      await dialog.getByRole('button', { name: 'Create lead' }).click();
      await page.waitForURL((u) => /^\/leads\/[0-9a-f-]{36}$/.test(u.pathname));
      expect(await page.getByTestId('lead-title').textContent()).toBe('Soylent Foods');
      const [row] = await stack.db.query<{ owner_id: string }>('select owner_id from leads where company = $1', ['Soylent Foods']);
      expect(row.owner_id).toBe(stack.data.users.sdrA.id);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('keeps a long list light: pages load as the SDR scrolls, but only the rows in view are in the page', async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    const sdr = stack.data.extra.sdr_outbound;
    const TOTAL = 1_000;
    // Rows straight into the table: this test is about the list, not about lead intake.
    await stack.db.query(
      `insert into leads (workspace_id, company, source_type, channel, owner_id, created_at, updated_at)
       select $1, 'Bulk Co ' || lpad(g::text, 5, '0'), 'spear', 'linkedin', $2, now() - g * interval '1 minute', now()
         from generate_series(1, ${TOTAL}) g`,
      [stack.data.workspace.id, sdr.id],
    );
    try {
      await signIn(page, sdr.email);
      await page.goto('/leads');
      const table = page.getByRole('table', { name: 'Leads' });
      await table.getByText('Bulk Co 00001').waitFor();
      await page.getByTestId('loaded-count').getByText('200 loaded, scroll for more').waitFor();
      // Scroll to the end until every page is in; each scroll to the bottom asks for the next page.
      for (let loaded = 200; loaded < TOTAL; loaded += 200) {
        await table.evaluate((el) => el.scrollTo(0, el.scrollHeight));
        await page
          .getByTestId('loaded-count')
          .getByText(new RegExp(`^${(loaded + 200).toLocaleString('en-US')} loaded`))
          .waitFor();
      }
      await table.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await table.getByText(`Bulk Co ${String(TOTAL).padStart(5, '0')}`).waitFor();
      // A thousand rows loaded, a few dozen rendered (the header row included).
      const rendered = await table.getByRole('row').count();
      expect(rendered).toBeGreaterThan(10);
      expect(rendered).toBeLessThan(80);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});
