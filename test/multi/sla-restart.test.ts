import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { createUser } from '../../src/modules/org/org.service.js';
import { handOffLead } from '../../src/modules/routing/handoff.service.js';
import { intakeLeads } from '../../src/modules/routing/intake.service.js';
import { qualifyLead } from '../../src/modules/routing/qualify.service.js';
import { updateRoutingSettings } from '../../src/modules/routing/routing.service.js';
import { openTestDb } from '../support/db.js';
import { PASSWORD, seedOrg } from '../support/fixtures.js';
import { killAllServerProcesses, startServerProcess } from '../support/process.js';
import { describeOnPostgres } from './support.js';

const GOOD = { need: 'clear', need_size: 'large', authority: 'decision_maker', budget: 'allocated', timing: 'this_quarter', fit: 'strong' };

/** Polls the database until `check` returns a value (the worker runs every second); fails after `ms`. */
async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describeOnPostgres('handoff SLA timers across a server crash', () => {
  let handle: Awaited<ReturnType<typeof openTestDb>>;
  let db: Db;

  beforeAll(async () => {
    handle = await openTestDb('postgres');
    db = handle.db;
  });
  afterAll(async () => {
    await killAllServerProcesses();
    await handle?.drop();
  });

  it('escalates once after a restart, and once more with two servers running, never twice', async () => {
    const org = await seedOrg(db);
    const ws = org.workspace.id;
    const ae2 = await createUser(db, 'system', ws, {
      email: `ae2@${org.workspace.slug}.test`,
      name: 'ae2',
      roles: ['ae'],
      // The only SMB AE: the first escalation goes to ae2 whatever the random ids of the other AEs.
      segments: ['SMB'],
      teamId: org.teams.teamA.id,
      password: PASSWORD,
    });
    // A one-minute SLA on a clock that runs every day, all day.
    await updateRoutingSettings(db, org.principals.ops, {
      handoffSlaMinutes: 1,
      businessCalendar: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', holidays: [] },
    });
    const now = new Date();
    const [o] = await intakeLeads(
      db,
      org.principals.sdrA,
      [{ email: 'cto@initech.com', company: 'Initech', employees: 60, channel: 'website' } as never],
      now,
    );
    const leadId = o.status === 'created' ? o.leadId : '';
    expect((await qualifyLead(db, org.principals.sdrA, leadId, GOOD, now)).qualified).toBe(true);
    const first = await handOffLead(db, org.principals.sdrA, leadId, { aeId: org.users.aeA.id }, now);
    expect(first.handoff.dueAt.getTime()).toBeGreaterThan(now.getTime());

    const handoffJobs = (handoffId: string) =>
      db.query<{ status: string; attempts: number; phase: string }>(
        `select status, attempts, payload->>'phase' as phase from jobs where kind = 'routing.handoff_sla' and payload->>'handoffId' = $1 order by id`,
        [handoffId],
      );
    const handoffsOfLead = () =>
      db.query<{ id: string; status: string; ae_id: string; escalated_from: string | null }>(
        'select id, status, ae_id, escalated_from from handoffs where lead_id = $1 order by created_at, id',
        [leadId],
      );
    const breaches = (userId: string) =>
      db.query('select id from notifications where workspace_id = $1 and user_id = $2 and kind = $3', [ws, userId, 'sla_breach']);

    // A server is up while the SLA runs, and dies hard before it is due: the timers must outlive it.
    const crashed = await startServerProcess({ databaseUrl: handle.url! });
    await crashed.kill('SIGKILL');
    expect((await handoffJobs(first.handoff.id)).map((j) => j.status)).toEqual(['pending', 'pending']);

    // Rather than wait a minute: the deadline passes while no server is running.
    await db.query(`update jobs set run_at = now() - interval '1 second' where payload->>'handoffId' = $1`, [first.handoff.id]);
    const restarted = await startServerProcess({ databaseUrl: handle.url! });
    await until('the first escalation', async () => (await handoffJobs(first.handoff.id)).every((j) => j.status === 'done'));

    const afterRestart = await handoffsOfLead();
    expect(afterRestart.map((h) => h.status)).toEqual(['escalated', 'pending']);
    expect(afterRestart[1]).toMatchObject({ ae_id: ae2.id, escalated_from: first.handoff.id });
    expect(await breaches(org.users.managerA.id)).toHaveLength(1);
    expect(await db.query("select id from notifications where user_id = $1 and kind = 'sla_warning'", [org.users.aeA.id])).toHaveLength(1);
    expect(await db.query("select id from lead_assignments where lead_id = $1 and purpose = 'escalation'", [leadId])).toHaveLength(1);

    // A second server joins; the escalated handoff lapses too, and both workers race for its timers.
    const second = await startServerProcess({ databaseUrl: handle.url! });
    const escalatedId = afterRestart[1].id;
    await db.query(`update jobs set run_at = now() - interval '1 second' where payload->>'handoffId' = $1`, [escalatedId]);
    await until('the second escalation', async () => (await handoffJobs(escalatedId)).every((j) => j.status === 'done'));

    const final = await handoffsOfLead();
    expect(final.map((h) => h.status)).toEqual(['escalated', 'escalated', 'pending']);
    expect(final[2]).toMatchObject({ escalated_from: escalatedId });
    expect(final[2].ae_id).not.toBe(ae2.id);
    // Every timer ran in exactly one attempt on one of the servers.
    for (const id of [first.handoff.id, escalatedId])
      expect(await handoffJobs(id)).toEqual([
        { status: 'done', attempts: 1, phase: 'warn' },
        { status: 'done', attempts: 1, phase: 'due' },
      ]);
    // ae2 is in team A: managerA hears about both breaches, once each.
    expect(await breaches(org.users.managerA.id)).toHaveLength(2);
    expect(await breaches(ae2.id)).toHaveLength(1);
    expect(await db.query("select id from lead_assignments where lead_id = $1 and purpose = 'escalation'", [leadId])).toHaveLength(2);
    await Promise.all([restarted.kill(), second.kill()]);
    expect(restarted.output()).not.toMatch(/job failed/);
    expect(second.output()).not.toMatch(/job failed/);
  }, 60_000);
});
