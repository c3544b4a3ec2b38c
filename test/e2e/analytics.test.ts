import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { createUser } from '../../src/modules/org/org.service.js';
import { PASSWORD } from '../support/fixtures.js';
import { describeBrowser, newPage, signIn } from './support/browser.js';
import { type Stack, startStack } from './support/stack.js';

/** A past quarter, so the seed's "now" records never mix in; everything below is dated inside it. */
const PERIOD = '2025-Q2';

type Deal = { name: string; owner: string; stage: 'won' | 'lost'; amount: string; created: string; closed: string };

/** One lead and its deal, with the deal's stage history, at explicit instants (the rollup triggers mark the days dirty). */
async function insertDeal(db: Db, workspaceId: string, d: Deal) {
  const [lead] = await db.query<{ id: string }>(
    `insert into leads (workspace_id, company, source_type, channel, status, owner_id, created_at, updated_at)
     values ($1, $2, 'net', 'website', 'converted', $3, $4, $4) returning id`,
    [workspaceId, d.name, d.owner, d.created],
  );
  const [opp] = await db.query<{ id: string }>(
    `insert into opportunities (workspace_id, name, lead_id, stage, amount, owner_id, source_type, closed_at, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, 'net', $7, $8, $7) returning id`,
    [workspaceId, d.name, lead.id, d.stage, d.amount, d.owner, d.closed, d.created],
  );
  await db.query(
    `insert into status_changes (workspace_id, record_type, record_id, field, from_value, to_value, actor_id, changed_at)
     values ($1, 'opportunity', $2, 'stage', null, 'discovery', $3, $4), ($1, 'opportunity', $2, 'stage', 'discovery', $5, $3, $6)`,
    [workspaceId, opp.id, d.owner, d.created, d.stage, d.closed],
  );
  return opp.id;
}

const funnel = (page: Page) => page.getByTestId('funnel');

describeBrowser('browser: funnel analytics', () => {
  let stack: Stack;
  let aeC: { id: string };
  let alphaId: string;
  beforeAll(async () => {
    stack = await startStack();
    const { workspace, users, teams } = stack.data;
    const domain = users.admin.email.split('@')[1];
    // A second AE in team B, so aeA has two comparable peers (coaching needs at least two).
    aeC = await createUser(stack.db, 'system', workspace.id, {
      email: `aeC@${domain}`,
      name: 'aeC',
      roles: ['ae'],
      password: PASSWORD,
      teamId: teams.teamB.id,
    });
    // aeA wins one deal of eight; each peer wins both of theirs: a win-rate gap even with tiny samples.
    alphaId = await insertDeal(stack.db, workspace.id, {
      name: 'Alpha Won Deal',
      owner: users.aeA.id,
      stage: 'won',
      amount: '12000.00',
      created: '2025-04-10T09:00:00Z',
      closed: '2025-05-20T15:00:00Z',
    });
    for (let i = 1; i <= 7; i++)
      await insertDeal(stack.db, workspace.id, {
        name: `Lost Deal ${i}`,
        owner: users.aeA.id,
        stage: 'lost',
        amount: '5000.00',
        created: `2025-04-${String(10 + i).padStart(2, '0')}T09:00:00Z`,
        closed: `2025-06-${String(1 + i).padStart(2, '0')}T10:00:00Z`,
      });
    for (const [owner, tag] of [
      [users.aeB.id, 'B'],
      [aeC.id, 'C'],
    ])
      for (let i = 1; i <= 2; i++)
        await insertDeal(stack.db, workspace.id, {
          name: `Peer ${tag} Deal ${i}`,
          owner,
          stage: 'won',
          amount: '8000.00',
          created: `2025-04-0${i}T09:00:00Z`,
          closed: `2025-05-0${i}T09:00:00Z`,
        });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("a manager sees the team's funnel, opens a rep, reads a coaching gap and the deals behind it", async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    const { aeA } = stack.data.users;
    try {
      await signIn(page, stack.data.users.managerA.email);
      await page.getByRole('link', { name: 'Analytics' }).first().waitFor();
      await page.goto(`/analytics?period=${PERIOD}`);
      // Team A only: aeA's 8 opportunities and 1 customer; team B's four wins are outside the manager's scope.
      await funnel(page).getByTestId('stage-opportunities').getByText('8', { exact: true }).waitFor();
      expect(await funnel(page).getByTestId('stage-customers').textContent()).toBe('1');
      expect(await funnel(page).getByTestId('stage-leads').textContent()).toBe('8');
      await page.getByTestId('kpi-Win rate').getByText('12.5%').waitFor();
      const table = page.getByRole('table', { name: 'Funnel by group' });
      expect(await table.getByText('aeB').count()).toBe(0);

      // The CSV holds the same numbers as the table.
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download CSV' }).click();
      const csv = await (await download).path().then((p) => import('node:fs').then((fs) => fs.readFileSync(p!, 'utf8')));
      expect(csv.split('\r\n')[0]).toContain('group,visitors,conversations,leads');
      expect(csv).toMatch(/\r\naeA,0,0,8,0,8,1,7,/);

      // Coaching: one row per rep of team A; at 1 case aeA's row names their biggest gap against the AE peers.
      const coaching = page.getByRole('region', { name: 'Coaching' });
      const aeARow = coaching.getByTestId('coaching-row').filter({ has: page.getByRole('link', { name: 'aeA', exact: true }) });
      await aeARow.getByText('No clear gap').waitFor();
      await coaching.getByRole('textbox', { name: 'Minimum cases' }).fill('1');
      await aeARow.getByText(/below the peer median/).waitFor();
      expect(await coaching.getByTestId('coaching-row').filter({ hasText: 'aeB' }).count()).toBe(0);

      // Open deals (live, scoped to team A): aeA's two open seed deals, per stage and longest-waiting, linked.
      const open = page.getByRole('region', { name: 'Open deals' });
      expect(await open.getByTestId('open-stage-proposal').locator('td').nth(1).textContent()).toBe('1');
      const hooli = open.getByRole('table', { name: 'Longest-waiting deals' }).getByRole('link', { name: 'Hooli Platform' });
      expect(await hooli.getAttribute('href')).toBe(`/opportunities/${stack.data.opportunities.hooli.id}`);
      expect(await open.getByRole('link', { name: 'Umbrella Expansion' }).count()).toBe(1);

      await table.getByRole('link', { name: 'aeA' }).click();
      await page.waitForURL((u) => u.pathname === `/analytics/reps/${aeA.id}` && u.searchParams.get('period') === PERIOD);
      await page.getByTestId('rep-funnel').getByTestId('stage-customers').getByText('1', { exact: true }).waitFor();

      // With the default of 20 cases nothing is conclusive; at 1 case the win-rate gap shows with its checklist.
      const minCases = page.getByRole('textbox', { name: 'Minimum cases' });
      await minCases.fill('1');
      const gap = page.getByTestId('insight').filter({ hasText: 'Closed deals to wins (win rate)' });
      await gap.waitFor();
      expect(await gap.textContent()).toContain('gap');
      await gap.getByTestId('trial-checklist').getByText('Is the messenger installed on the trial account?').waitFor();

      await gap.getByRole('button', { name: 'Show deals' }).click();
      const records = page.getByRole('table', { name: 'Records' });
      await records.getByRole('link', { name: 'Alpha Won Deal' }).click();
      await page.waitForURL((u) => u.pathname === `/opportunities/${alphaId}`);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  }, 90_000);

  it("a rep sees their own numbers beside the team's, and is refused another rep's page", async () => {
    const { page, pageErrors, close } = await newPage(stack.browser, stack.baseUrl);
    const { aeA, sdrA } = stack.data.users;
    try {
      await signIn(page, aeA.email);
      await page.goto(`/analytics/reps/${aeA.id}?period=${PERIOD}`);
      await page.getByTestId('rep-funnel').getByTestId('stage-opportunities').getByText('8', { exact: true }).waitFor();
      // Their team's totals beside their own: team A has only aeA's deals in this quarter.
      const teamOpps = page.getByTestId('rep-funnel').locator('[data-stage="opportunities"]').getByTitle('Team A');
      expect(await teamOpps.textContent()).toBe('8');
      await page.getByRole('button', { name: 'Show Customers' }).click();
      await page.getByRole('table', { name: 'Records' }).getByRole('link', { name: 'Alpha Won Deal' }).waitFor();

      const refused = page.waitForResponse((r) => r.url().includes('/api/v1/analytics/funnel') && r.url().includes(sdrA.id));
      await page.goto(`/analytics/reps/${sdrA.id}?period=${PERIOD}`);
      expect((await refused).status()).toBe(403);
      await page.getByTestId('not-allowed').waitFor();
      expect(await page.getByText('Lost Deal 1').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});
