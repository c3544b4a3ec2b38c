import { expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import type { Job } from '../../platform/jobs/queue.js';
import { HEALTH_KIND, healthJobs, scheduleHealthJobs } from './health.jobs.js';
import { addEvents, customer, daysBefore, seedSuccessOrg, spread } from './health.testkit.js';

describeEachDb('the daily health job', (getDb) => {
  it('scores and raises tasks in every workspace, books the next day once, and is harmless when run again', async () => {
    const db = getDb();
    const org = await seedSuccessOrg(db);
    const { account } = await customer(db, org, { name: 'Full House', csmId: org.csms.csmA.id, seats: 3 });
    await addEvents(db, org.workspace.id, account.id, spread(9, daysBefore(new Date(), 1), 3));
    const jobsOfKind = async () =>
      (await db.query<{ n: number }>(`select count(*)::int as n from jobs where kind = $1 and status = 'pending'`, [HEALTH_KIND]))[0].n;
    await scheduleHealthJobs(db, new Date());
    await scheduleHealthJobs(db, new Date()); // a second instance starting: same slots
    const booked = await jobsOfKind();

    const run = () =>
      healthJobs[HEALTH_KIND](
        { id: 0, workspaceId: null, kind: HEALTH_KIND, payload: {}, attempts: 1, maxAttempts: 5, runAt: new Date() } as Job,
        db,
      );
    await run();
    await run();
    const [h] = await db.query<{ n: number }>('select count(*)::int as n from account_health where account_id = $1', [account.id]);
    expect(h.n).toBe(1);
    const tasks = await db.query<{ kind: string }>('select kind from success_tasks where account_id = $1', [account.id]);
    expect(tasks.map((t) => t.kind)).toEqual(['expansion.seats']);
    // Today's and tomorrow's slots were booked at start-up; the runs book nothing new.
    expect(await jobsOfKind()).toBe(booked);
  });
});
