import { expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { seedOrg } from '../../../test/support/fixtures.js';
import { loginAs, testApp } from '../../../test/support/http.js';
import { changeStage, createOpportunity } from './deals.service.js';
import { changeLeadStatus, createLead } from './leads.service.js';
import { teamOverview } from './views.service.js';

describeEachDb('team overview', (getDb) => {
  it("counts each member's open leads, open pipeline, this quarter's wins and sourced deals", async () => {
    const db = getDb();
    const { principals, users, teams } = await seedOrg(db);
    const lead = (company: string) => createLead(db, principals.sdrA, { company, sourceType: 'net', channel: 'website' });
    await lead('Open One');
    await lead('Open Two');
    const dq = await lead('Not a fit');
    await changeLeadStatus(db, principals.sdrA, dq.id, 'disqualified', 'no budget');

    await createOpportunity(db, principals.aeA, { name: 'Open A', amount: '1000.10', sdrId: users.sdrA.id });
    await createOpportunity(db, principals.aeA, { name: 'Open B', amount: '2000.20', stage: 'trial' });
    const won = await createOpportunity(db, principals.aeA, { name: 'Won now', amount: '5000.00' });
    await changeStage(db, principals.aeA, won.id, 'won');
    const old = await createOpportunity(db, principals.aeA, { name: 'Won long ago', amount: '7000.00', stage: 'won' });
    await db.query(`update opportunities set closed_at = '2001-01-01T00:00:00Z' where id = $1`, [old.id]);
    await createOpportunity(db, principals.aeA, { name: 'Lost', amount: '9000.00', stage: 'lost', lostReason: 'price' });

    const rows = await teamOverview(db, principals.managerA, { teamId: teams.teamA.id });
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(['aeA', 'sdrA']);
    expect(byName.sdrA).toMatchObject({ openLeads: 2, openOpportunities: 0, openPipeline: '0.00', sourcedThisQuarter: 1 });
    expect(byName.aeA).toMatchObject({
      openLeads: 0,
      openOpportunities: 2,
      openPipeline: '3000.30',
      wonThisQuarter: 1,
      wonThisQuarterAmount: '5000.00',
    });
  });

  it("lists only the people the caller may read: a manager never sees another team's reps", async () => {
    const db = getDb();
    const { principals, teams, users } = await seedOrg(db);
    expect(await teamOverview(db, principals.managerA, { teamId: teams.teamB.id })).toEqual([]);
    const all = await teamOverview(db, principals.admin, { teamId: teams.teamB.id });
    expect(all.map((r) => r.userId)).toEqual([users.aeB.id]);
    const own = await teamOverview(db, principals.aeA, {});
    expect(own.map((r) => r.userId)).toEqual([users.aeA.id]);
  });

  it('is served at GET /api/v1/team/overview and validates teamId', async () => {
    const db = getDb();
    const { users, teams } = await seedOrg(db);
    const app = await testApp(db);
    try {
      const manager = await loginAs(app, users.managerA.email);
      const ok = await manager.get(`/api/v1/team/overview?teamId=${teams.teamA.id}`);
      expect(ok.statusCode).toBe(200);
      expect(
        ok
          .json()
          .items.map((r: { name: string }) => r.name)
          .sort(),
      ).toEqual(['aeA', 'sdrA']);
      const bad = await manager.get('/api/v1/team/overview?teamId=nope');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details[0].path).toBe('teamId');
    } finally {
      await app.close();
    }
  });
});
