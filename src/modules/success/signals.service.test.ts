import { beforeEach, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { addDays, DEFAULT_HEALTH_SETTINGS } from './health.core.js';
import { putHealthSettings } from './health.service.js';
import { addEvents, addMilestone, customer, daysBefore, type SuccessOrg, seedSuccessOrg, spread } from './health.testkit.js';
import { detectSignals } from './signals.service.js';
import { closeTask, listTasks } from './tasks.service.js';

const NOW = new Date('2026-03-10T11:00:00Z'); // 2026-03-10 in Paris
const DAY = '2026-03-10';
const ALL_KINDS = [
  'churn_risk.health_drop',
  'churn_risk.milestone_missed',
  'churn_risk.usage_decline',
  'expansion.new_team',
  'expansion.plan_limit',
  'expansion.seats',
];

describeEachDb('signals become tasks', (getDb) => {
  let org: SuccessOrg;
  let ws: string;
  let ids: { busy: string; orphan: string; nobody: string; quiet: string };

  /** Busy raises every signal; Orphan (no CSM) and Nobody (no CSM, no owner) are full on seats; Quiet raises none. */
  beforeEach(async () => {
    const db = getDb();
    org = await seedSuccessOrg(db);
    ws = org.workspace.id;
    const busy = (await customer(db, org, { name: 'Busy', csmId: org.csms.csmA.id, seats: 10 })).account;
    // 100 events 40 days ago (team Sales); 60 in the last days by 9 users (team Finance, new), 2 plan-limit hits.
    await addEvents(db, ws, busy.id, spread(100, daysBefore(NOW, 40), 3, { properties: { team: 'Sales' } }));
    await addEvents(db, ws, busy.id, spread(60, daysBefore(NOW, 2), 9, { properties: { team: 'Finance' } }));
    await addEvents(db, ws, busy.id, spread(2, daysBefore(NOW, 1), 1, { name: 'plan.limit_reached' }));
    await addMilestone(db, ws, busy.id, {
      status: 'missed',
      windowStart: daysBefore(NOW, 65),
      windowEnd: daysBefore(NOW, 5),
      decidedAt: daysBefore(NOW, 4),
      name: 'Ten files shared',
    });
    await db.query(
      `insert into account_health (workspace_id, account_id, day, score, band, factors)
       values ($1, $2, $3, 85, 'healthy', '[]'), ($1, $2, $4, 60, 'at_risk', '[]')`,
      [ws, busy.id, addDays(DAY, -5), DAY],
    );
    const orphan = (await customer(db, org, { name: 'Orphan', ownerId: org.users.aeB.id, seats: 10 })).account;
    await addEvents(db, ws, orphan.id, spread(10, daysBefore(NOW, 1), 10));
    const nobody = (await customer(db, org, { name: 'Nobody', seats: 1 })).account;
    await addEvents(db, ws, nobody.id, spread(1, daysBefore(NOW, 1)));
    const quiet = (await customer(db, org, { name: 'Quiet', csmId: org.csms.csmB.id, seats: 20 })).account;
    await addEvents(db, ws, quiet.id, [...spread(30, daysBefore(NOW, 40), 4), ...spread(30, daysBefore(NOW, 3), 4)]);
    ids = { busy: busy.id, orphan: orphan.id, nobody: nobody.id, quiet: quiet.id };
  });

  const tasksOf = (accountId: string) =>
    getDb().query<{ kind: string; assigneeId: string | null; status: string; title: string; dueAt: Date }>(
      `select kind, assignee_id as "assigneeId", status, title, due_at as "dueAt" from success_tasks where account_id = $1 order by kind, created_at`,
      [accountId],
    );
  const notices = (userId: string) =>
    getDb().query<{ title: string; recordId: string }>(
      `select title, record_id as "recordId" from notifications where user_id = $1 and kind = 'success_task' order by id`,
      [userId],
    );

  it("raises each signal once as a task for the account's CSM (else its owner), with a notification", async () => {
    const db = getDb();
    await detectSignals(db, ws, NOW);
    const busy = await tasksOf(ids.busy);
    expect(busy.map((t) => t.kind)).toEqual(ALL_KINDS);
    expect(new Set(busy.map((t) => t.assigneeId))).toEqual(new Set([org.csms.csmA.id]));
    expect(busy.find((t) => t.kind === 'churn_risk.health_drop')!.title).toBe('Health of Busy fell from 85 to 60');
    expect(busy.find((t) => t.kind === 'expansion.new_team')!.title).toBe('New team using Busy: Finance');
    expect(busy.find((t) => t.kind === 'churn_risk.usage_decline')!.dueAt.toISOString()).toBe('2026-03-13T11:00:00.000Z');
    expect(busy.find((t) => t.kind === 'expansion.seats')!.dueAt.toISOString()).toBe('2026-03-17T11:00:00.000Z');
    expect(await notices(org.csms.csmA.id)).toHaveLength(6);

    expect((await tasksOf(ids.orphan)).map((t) => [t.kind, t.assigneeId])).toEqual([['expansion.seats', org.users.aeB.id]]);
    expect((await notices(org.users.aeB.id)).map((n) => n.recordId)).toEqual([ids.orphan]);
    expect((await tasksOf(ids.nobody)).map((t) => [t.kind, t.assigneeId])).toEqual([['expansion.seats', null]]);
    expect(await tasksOf(ids.quiet)).toEqual([]);

    // Detection is idempotent: a second run (same moment or a day later) raises nothing new and notifies nobody.
    await detectSignals(db, ws, NOW);
    await detectSignals(db, ws, new Date(NOW.getTime() + 86_400_000));
    expect(await tasksOf(ids.busy)).toHaveLength(6);
    expect(await notices(org.csms.csmA.id)).toHaveLength(6);
  });

  it('creates each task once when detections run at the same time', async () => {
    const db = getDb();
    await Promise.all(Array.from({ length: 4 }, () => detectSignals(db, ws, NOW)));
    expect((await tasksOf(ids.busy)).map((t) => t.kind)).toEqual(ALL_KINDS);
    expect(await notices(org.csms.csmA.id)).toHaveLength(6);
  });

  it('waits for the cooldown after a task is closed before raising the same signal again', async () => {
    const db = getDb();
    await detectSignals(db, ws, NOW);
    const [seats] = await db.query<{ id: string }>(`select id from success_tasks where account_id = $1 and kind = 'expansion.seats'`, [
      ids.orphan,
    ]);
    await closeTask(db, org.principals.aeB, seats.id, 'done', NOW);
    await detectSignals(db, ws, new Date(NOW.getTime() + 3600_000));
    expect((await tasksOf(ids.orphan)).map((t) => t.status)).toEqual(['done']);

    await putHealthSettings(db, org.principals.admin, {
      ...DEFAULT_HEALTH_SETTINGS,
      signals: { ...DEFAULT_HEALTH_SETTINGS.signals, cooldownDays: 0 },
    });
    await detectSignals(db, ws, new Date(NOW.getTime() + 7200_000));
    expect((await tasksOf(ids.orphan)).map((t) => t.status)).toEqual(['done', 'open']);
  });

  it('lists tasks by scope and lets the assignee, their manager or a leader close them', async () => {
    const db = getDb();
    await detectSignals(db, ws, NOW);
    const q = { limit: 50, status: ['open' as const] };
    const accountsSeen = async (p: typeof org.principals.admin) =>
      [...new Set((await listTasks(db, p, q)).items.map((t) => t.accountName))].sort();
    expect(await accountsSeen(org.csmPrincipals.csmA)).toEqual(['Busy']);
    expect(await accountsSeen(org.csmPrincipals.csmB)).toEqual([]);
    expect(await accountsSeen(org.principals.managerA)).toEqual(['Busy']);
    expect(await accountsSeen(org.principals.managerB)).toEqual(['Orphan']);
    expect(await accountsSeen(org.principals.admin)).toEqual(['Busy', 'Nobody', 'Orphan']);
    // Soonest due first (churn risks are due in 3 days, expansion in 7), paged.
    const page1 = await listTasks(db, org.csmPrincipals.csmA, { ...q, limit: 4 });
    const page2 = await listTasks(db, org.csmPrincipals.csmA, { ...q, limit: 4, cursor: page1.nextCursor! });
    const kinds = [...page1.items, ...page2.items].map((t) => t.kind);
    expect(kinds.slice(0, 3).every((k) => k.startsWith('churn_risk.'))).toBe(true);
    expect(new Set(kinds).size).toBe(6);
    await expect(listTasks(db, org.csmPrincipals.csmA, { ...q, assigneeId: org.csms.csmB.id })).rejects.toMatchObject({
      code: 'forbidden',
      details: [{ path: 'assigneeId' }],
    });

    const [first, second] = page1.items;
    await expect(closeTask(db, org.csmPrincipals.csmB, first.id, 'done', NOW)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(closeTask(db, org.principals.managerB, first.id, 'done', NOW)).rejects.toMatchObject({ code: 'forbidden' });
    const other = await seedSuccessOrg(db);
    await expect(closeTask(db, other.principals.admin, first.id, 'done', NOW)).rejects.toMatchObject({ code: 'not_found' });

    const done = await closeTask(db, org.csmPrincipals.csmA, first.id, 'done', NOW);
    expect(done).toMatchObject({ status: 'done', doneBy: org.csms.csmA.id });
    expect(await closeTask(db, org.csmPrincipals.csmA, first.id, 'done', NOW)).toMatchObject({ status: 'done' }); // a retry
    await expect(closeTask(db, org.csmPrincipals.csmA, first.id, 'dismissed', NOW)).rejects.toMatchObject({ code: 'conflict' });
    expect(await closeTask(db, org.principals.managerA, second.id, 'dismissed', NOW)).toMatchObject({ status: 'dismissed' });
    const [audited] = await db.query<{ n: number }>(
      `select count(*)::int as n from audit_log where workspace_id = $1 and record_type = 'success_task'`,
      [ws],
    );
    expect(audited.n).toBe(2);

    // An unassigned task: whoever may edit the account (here only leaders).
    const [unassigned] = (await listTasks(db, org.principals.admin, { ...q, accountId: ids.nobody })).items;
    await expect(closeTask(db, org.principals.aeA, unassigned.id, 'done', NOW)).rejects.toMatchObject({ code: 'forbidden' });
    expect(await closeTask(db, org.principals.ops, unassigned.id, 'done', NOW)).toMatchObject({ status: 'done' });
    expect((await listTasks(db, org.csmPrincipals.csmA, q)).items).toHaveLength(4);
    expect((await listTasks(db, org.csmPrincipals.csmA, { ...q, status: ['done', 'dismissed'] })).items).toHaveLength(2);
  });
});
