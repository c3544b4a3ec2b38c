import { expect, it } from 'vitest';
import { wonDeal } from '../../../test/support/comp-db.js';
import { describeEachDb } from '../../../test/support/db.js';
import { seedOrg } from '../../../test/support/fixtures.js';
import { seedDemoCompPlans } from './demo-plans.js';
import { runComp } from './runs.service.js';

describeEachDb('demo comp plans', (getDb) => {
  it('publishes the four plans, assigns everyone with a fitting role once, and pays AEs, SDRs and managers', async () => {
    const db = getDb();
    const org = await seedOrg(db);
    const ws = org.workspace.id;
    expect(await seedDemoCompPlans(db, ws, { from: '2026-01-01' })).toEqual({ plans: 4, assignments: 5 });
    expect(await seedDemoCompPlans(db, ws)).toEqual({ plans: 0, assignments: 0 });
    const assigned = await db.query<{ name: string; plan: string; level: number }>(
      `select u.name, a.plan_key as plan, a.level from comp_assignments a join users u on u.id = a.user_id where a.workspace_id = $1 order by u.name`,
      [ws],
    );
    expect(assigned.map((a) => `${a.name}:${a.plan}`)).toEqual([
      'aeA:ae-2026',
      'aeB:ae-2026',
      'managerA:manager-2026',
      'managerB:manager-2026',
      'sdrA:sdr-2026',
    ]);

    // aeA (level 1) wins $40,000 sourced by sdrA: 6.25% = $2,500 (half held), 1% sourced = $400; managerA's override 1% = $400.
    await wonDeal(db, ws, { ownerId: org.users.aeA.id, sdrId: org.users.sdrA.id, amount: '40000', closedAt: '2026-02-10T10:00:00Z' });
    await runComp(db, org.system, { period: '2026-02' }, new Date('2026-03-05T12:00:00Z'));
    const lines = await db.query<{ name: string; kind: string; amount: string; component: string }>(
      `select u.name, l.kind, l.amount, l.component from comp_ledger l join users u on u.id = l.user_id where l.workspace_id = $1 order by u.name, l.id`,
      [ws],
    );
    expect(lines).toEqual([
      { name: 'aeA', kind: 'earning', amount: '2500.00', component: 'new-arr' },
      { name: 'aeA', kind: 'hold', amount: '-1250.00', component: 'new-arr' },
      { name: 'managerA', kind: 'earning', amount: '400.00', component: 'team-override' },
      { name: 'sdrA', kind: 'earning', amount: '400.00', component: 'sourced-arr' },
    ]);
  });
});
