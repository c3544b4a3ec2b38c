import { beforeEach, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { updateSubscription } from '../crm/deals.service.js';
import { addDays, DEFAULT_HEALTH_SETTINGS, localDay } from './health.core.js';
import { accountSuccess, getHealthSettings, putHealthSettings, refreshHealth, successAccounts } from './health.service.js';
import {
  addEvents,
  addMilestone,
  addRating,
  customer,
  daysBefore,
  healthRows,
  type SuccessOrg,
  seedSuccessOrg,
  spread,
} from './health.testkit.js';

// Noon in Paris (the test workspace's zone): the local day is 2026-03-10.
const AS_OF = new Date('2026-03-10T11:00:00Z');
const DAY = '2026-03-10';

describeEachDb('health scores', (getDb) => {
  let org: SuccessOrg;
  beforeEach(async () => {
    org = await seedSuccessOrg(getDb());
  });

  /** The golden case of health.core.test.ts, built from rows: 77, healthy. */
  async function goldenAccount() {
    const db = getDb();
    const ws = org.workspace.id;
    const { account } = await customer(db, org, {
      name: 'Golden',
      csmId: org.csms.csmA.id,
      seats: 10,
      renewalDate: addDays(DAY, 90),
    });
    // 80 events by 6 users in the last 30 days, 100 the 30 before, 2 tickets (not usage), one old event.
    await addEvents(db, ws, account.id, spread(80, daysBefore(AS_OF, 1), 6));
    await addEvents(db, ws, account.id, spread(100, daysBefore(AS_OF, 40), 3));
    await addEvents(db, ws, account.id, spread(2, daysBefore(AS_OF, 2), 9, { name: 'support.ticket_opened' }));
    await addMilestone(db, ws, account.id, {
      status: 'pending',
      windowStart: daysBefore(AS_OF, 20),
      windowEnd: daysBefore(AS_OF, -40),
      progress: [
        { label: 'files', value: 3, target: 5 },
        { label: 'users', value: 10, target: 10 },
      ],
    });
    await addRating(db, org, account.id, 2, daysBefore(AS_OF, 60));
    await addRating(db, org, account.id, 4, daysBefore(AS_OF, 30)); // the latest counts
    await addRating(db, org, account.id, 1, daysBefore(AS_OF, -3)); // after asOf: not known then
    return account;
  }

  it('scores from the stored rows exactly as the golden case, and renormalises an account with less data', async () => {
    const db = getDb();
    const ws = org.workspace.id;
    const golden = await goldenAccount();
    const { account: sparse } = await customer(db, org, { name: 'Sparse', renewalDate: addDays(DAY, 30) });
    await addEvents(db, ws, sparse.id, spread(50, daysBefore(AS_OF, 3)));
    await addEvents(db, ws, sparse.id, spread(100, daysBefore(AS_OF, 35)));
    // Not customers then: a churned subscription, one starting later, an account without subscription.
    await customer(db, org, { name: 'Gone', status: 'churned' });
    await customer(db, org, { name: 'Later', startDate: addDays(DAY, 5) });

    await refreshHealth(db, ws, AS_OF);
    const rows = await healthRows(db, ws);
    expect(rows).toHaveLength(2);
    const g = rows.find((r) => r.accountId === golden.id)!;
    expect(g).toMatchObject({ day: DAY, score: 77, band: 'healthy' });
    expect(g.factors.map((f) => [f.factor, f.score])).toEqual([
      ['usageTrend', 80],
      ['seatUtilization', 75],
      ['milestone', 90],
      ['supportTickets', 60],
      ['buyerRating', 75],
      ['renewalProximity', 75],
    ]);
    const s = rows.find((r) => r.accountId === sparse.id)!;
    // (30 x 50 + 10 x 100 + 15 x 25) / 55 = 52.27: the workspace sends tickets, so zero tickets is data.
    expect(s).toMatchObject({ score: 52, band: 'at_risk' });
  });

  it('replaces the same day on recomputation, keeps other days, and drops an account no longer a customer', async () => {
    const db = getDb();
    const ws = org.workspace.id;
    const golden = await goldenAccount();
    await refreshHealth(db, ws, AS_OF);
    await refreshHealth(db, ws, new Date('2026-03-10T20:00:00Z')); // same local day in Paris
    expect((await healthRows(db, ws)).map((r) => [r.day, r.score])).toEqual([[DAY, 77]]);

    // A better rating the same day: the day's row changes, not a second one.
    await addRating(db, org, golden.id, 5, daysBefore(AS_OF, 0.5));
    await refreshHealth(db, ws, AS_OF);
    expect((await healthRows(db, ws)).map((r) => [r.day, r.score])).toEqual([[DAY, 80]]); // 77.25 + 10 x 25 / 100

    await refreshHealth(db, ws, new Date('2026-03-11T11:00:00Z'));
    expect((await healthRows(db, ws)).map((r) => r.day)).toEqual([DAY, '2026-03-11']);

    // Churned now: still a customer on 2026-03-10 (the status history says so), not today.
    const now = new Date();
    await refreshHealth(db, ws, now);
    const [sub] = await db.query<{ id: string }>('select id from subscriptions where account_id = $1', [golden.id]);
    await updateSubscription(db, org.system, sub.id, { status: 'churned' });
    await refreshHealth(db, ws, new Date());
    await refreshHealth(db, ws, AS_OF);
    const days = (await healthRows(db, ws)).map((r) => r.day);
    expect(days).toContain(DAY);
    expect(days).not.toContain(localDay(now, 'Europe/Paris'));
  });

  it('uses the configured weights and bands', async () => {
    const db = getDb();
    const ws = org.workspace.id;
    await goldenAccount();
    await putHealthSettings(db, org.principals.admin, {
      ...DEFAULT_HEALTH_SETTINGS,
      weights: { usageTrend: 1, seatUtilization: 0, milestone: 0, supportTickets: 0, buyerRating: 0, renewalProximity: 0 },
      bands: { healthy: 90, atRisk: 80 },
    });
    await refreshHealth(db, ws, AS_OF);
    expect((await healthRows(db, ws)).map((r) => [r.score, r.band])).toEqual([[80, 'at_risk']]);
  });
});

describeEachDb('health settings', (getDb) => {
  let org: SuccessOrg;
  beforeEach(async () => {
    org = await seedSuccessOrg(getDb());
  });

  it('admins and sales ops read and change them, audited; others are refused', async () => {
    const db = getDb();
    expect(await getHealthSettings(db, org.principals.ops)).toEqual({ settings: DEFAULT_HEALTH_SETTINGS, isDefault: true });
    const next = { ...DEFAULT_HEALTH_SETTINGS, bands: { healthy: 75, atRisk: 45 } };
    await putHealthSettings(db, org.principals.ops, next);
    expect(await getHealthSettings(db, org.principals.admin)).toEqual({ settings: next, isDefault: false });
    const [a] = await db.query<{ before: { bands: unknown }; after: { bands: unknown } }>(
      `select before, after from audit_log where workspace_id = $1 and action = 'health.settings'`,
      [org.workspace.id],
    );
    expect(a.before.bands).toEqual({ healthy: 70, atRisk: 40 });
    expect(a.after.bands).toEqual({ healthy: 75, atRisk: 45 });
    for (const p of [org.principals.managerA, org.csmPrincipals.csmA, org.principals.aeA]) {
      await expect(getHealthSettings(db, p)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(putHealthSettings(db, p, next)).rejects.toMatchObject({ code: 'forbidden' });
    }
  });

  it('refuses bad settings naming each field', async () => {
    const db = getDb();
    const bad = {
      ...DEFAULT_HEALTH_SETTINGS,
      weights: { usageTrend: 0, seatUtilization: 0, milestone: 0, supportTickets: 0, buyerRating: 0, renewalProximity: 0 },
      bands: { healthy: 40, atRisk: 60 },
      renewalProbability: { healthy: 0.5, atRisk: 0.9, critical: 1.5, unscored: 0.5 },
    };
    const err = await putHealthSettings(db, org.principals.admin, bad).catch((e) => e);
    expect(err.code).toBe('validation_failed');
    const paths = err.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['weights', 'bands.atRisk', 'renewalProbability.critical']));
    expect((await getHealthSettings(db, org.principals.admin)).isDefault).toBe(true);
  });
});

describeEachDb('the CSM home and an account success tab', (getDb) => {
  let org: SuccessOrg;
  beforeEach(async () => {
    org = await seedSuccessOrg(getDb());
  });

  async function portfolio() {
    const db = getDb();
    const ws = org.workspace.id;
    const mk = (name: string, csmId: string | null, arr: string, renewalDate: string | null, ownerId: string | null = null) =>
      customer(db, org, { name, csmId, arr, renewalDate, ownerId }).then((c) => c.account);
    const today = localDay(new Date(), 'Europe/Paris');
    const a1 = await mk('Alpha', org.csms.csmA.id, '10000.00', addDays(today, 20));
    const a2 = await mk('Beta', org.csms.csmA.id, '20000.00', addDays(today, 200));
    const b1 = await mk('Gamma', org.csms.csmB.id, '30000.00', addDays(today, 10));
    const owned = await mk('Delta', null, '5000.00', null, org.users.aeA.id);
    await customer(db, org, { name: 'Churned Co', csmId: org.csms.csmA.id, status: 'churned' });
    // Alpha: in use, a missed milestone, 70 eight days ago; Beta: only a far renewal (100); Gamma: renewal in 10 days
    // (8, critical); Delta: nothing to score.
    await addEvents(db, ws, a1.id, spread(30, daysBefore(new Date(), 1), 2));
    await addMilestone(db, ws, a1.id, { status: 'missed', windowStart: daysBefore(new Date(), 70), windowEnd: daysBefore(new Date(), 10) });
    await db.query(
      `insert into account_health (workspace_id, account_id, day, score, band, factors) values ($1, $2, $3, 70, 'healthy', '[]')`,
      [ws, a1.id, addDays(today, -8)],
    );
    await refreshHealth(db, ws, new Date());
    return { a1, a2, b1, owned };
  }

  it('lists a CSM their own customers, a manager their teams, leaders all; worst health first', async () => {
    const db = getDb();
    const { a1, a2, b1, owned } = await portfolio();
    const q = { limit: 50, sort: 'health' as const, order: 'asc' as const };
    const names = async (p: typeof org.principals.admin, extra = {}) =>
      (await successAccounts(db, p, { ...q, ...extra }, new Date())).items.map((i) => i.name);

    expect(await names(org.csmPrincipals.csmA)).toEqual(['Alpha', 'Beta']);
    expect(await names(org.csmPrincipals.csmB)).toEqual(['Gamma']);
    expect((await names(org.principals.managerA)).sort()).toEqual(['Alpha', 'Beta', 'Delta']);
    expect((await names(org.principals.admin)).sort()).toEqual(['Alpha', 'Beta', 'Delta', 'Gamma']);
    expect(await names(org.principals.aeA)).toEqual(['Delta']);

    const list = await successAccounts(db, org.csmPrincipals.csmA, q, new Date());
    const alpha = list.items.find((i) => i.id === a1.id)!;
    expect(alpha).toMatchObject({ arr: '10000.00', daysToRenewal: 20, milestone: { status: 'missed' }, openTasks: 0 });
    // Usage 100 (used now, nothing before), milestone missed 0, renewal in 20 days 17: (3000 + 0 + 255) / 60 = 54.25.
    expect(alpha.health).toMatchObject({ score: 54, band: 'at_risk', trend: -16 });
    expect(list.items.find((i) => i.id === a2.id)!.health).toMatchObject({ score: 100, band: 'healthy' });

    // Filters and paging.
    expect(await names(org.principals.admin, { band: ['healthy'] })).toEqual(['Beta']);
    expect((await names(org.principals.admin, { renewalWithinDays: 30 })).sort()).toEqual(['Alpha', 'Gamma']);
    expect(await names(org.principals.admin, { q: 'amm' })).toEqual(['Gamma']);
    expect(await names(org.principals.admin, { csmId: org.csms.csmB.id })).toEqual(['Gamma']);
    const first = await successAccounts(db, org.principals.admin, { ...q, sort: 'arr', order: 'desc', limit: 2 }, new Date());
    const second = await successAccounts(
      db,
      org.principals.admin,
      { ...q, sort: 'arr', order: 'desc', limit: 2, cursor: first.nextCursor! },
      new Date(),
    );
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual([b1.id, a2.id, a1.id, owned.id]);
    expect(second.nextCursor).toBeNull();

    // A filter on someone outside the caller's scope is refused on its field.
    await expect(successAccounts(db, org.csmPrincipals.csmA, { ...q, csmId: org.csms.csmB.id }, new Date())).rejects.toMatchObject({
      code: 'forbidden',
      details: [{ path: 'csmId' }],
    });
  });

  it("shows an account's usage by day, milestones, health history and tasks, scoped like the account", async () => {
    const db = getDb();
    const { a1, b1 } = await portfolio();
    const tab = await accountSuccess(db, org.csmPrincipals.csmA, a1.id, new Date());
    expect(tab.usage).toHaveLength(90);
    expect(tab.usage.at(-1)!.day).toBe(localDay(new Date(), 'Europe/Paris'));
    expect(tab.usage.reduce((n, d) => n + d.events, 0)).toBe(30);
    expect(Math.max(...tab.usage.map((d) => d.users))).toBeGreaterThan(0);
    expect(tab.milestones.map((m) => m.status)).toEqual(['missed']);
    expect(tab.health.history.map((h) => h.score)).toEqual([70, 54]);
    expect(tab.health.latest!.factors).toHaveLength(6);

    await expect(accountSuccess(db, org.csmPrincipals.csmA, b1.id, new Date())).rejects.toMatchObject({ code: 'forbidden' });
    const other = await seedSuccessOrg(db);
    await expect(accountSuccess(db, other.principals.admin, a1.id, new Date())).rejects.toMatchObject({ code: 'not_found' });
  });
});
