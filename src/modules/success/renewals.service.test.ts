import { beforeEach, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { addDays, localDay } from './health.core.js';
import { customer, type SuccessOrg, seedSuccessOrg } from './health.testkit.js';
import { nextRenewalDate } from './renewals.core.js';
import { recordRenewal, renewalsPipeline } from './renewals.service.js';

describeEachDb('renewals', (getDb) => {
  let org: SuccessOrg;
  let today: string;
  beforeEach(async () => {
    org = await seedSuccessOrg(getDb());
    today = localDay(new Date(), 'Europe/Paris');
  });

  const health = (accountId: string, score: number, band: string) =>
    getDb().query(`insert into account_health (workspace_id, account_id, day, score, band, factors) values ($1, $2, $3, $4, $5, '[]')`, [
      org.workspace.id,
      accountId,
      today,
      score,
      band,
    ]);
  const movements = (subscriptionId: string) =>
    getDb().query<{ kind: string; amount: string }>('select kind, amount from arr_movements where subscription_id = $1 order by id', [
      subscriptionId,
    ]);

  it('buckets live renewals by days ahead and forecasts ARR x the probability of the health band', async () => {
    const db = getDb();
    const mk = (name: string, arr: string, days: number, csmId = org.csms.csmA.id, status = 'active') =>
      customer(db, org, { name, arr, renewalDate: addDays(today, days), csmId, status });
    const a = await mk('Healthy Co', '10000.00', 10);
    const b = await mk('Risky Co', '20000.00', 45);
    const c = await mk('Critical Co', '5000.00', 100);
    await mk('Overdue Co', '1000.00', -3);
    await mk('Far Co', '99000.00', 121);
    await mk('Churned Co', '7000.00', 5, org.csms.csmA.id, 'churned');
    await mk('Other Team Co', '3000.00', 15, org.csms.csmB.id);
    await health(a.account.id, 85, 'healthy');
    await health(b.account.id, 55, 'at_risk');
    await health(c.account.id, 20, 'critical');

    const all = await renewalsPipeline(db, org.csmPrincipals.csmA, { window: 120 }, new Date());
    expect(all.items.map((i) => [i.accountName, i.bucket, i.probability, i.expectedArr])).toEqual([
      ['Overdue Co', 'overdue', '0.8', '800.00'],
      ['Healthy Co', '0-30', '0.95', '9500.00'],
      ['Risky Co', '31-60', '0.7', '14000.00'],
      ['Critical Co', '91-120', '0.4', '2000.00'],
    ]);
    expect(all.buckets.map((x) => [x.bucket, x.count, x.arr, x.expectedArr])).toEqual([
      ['overdue', 1, '1000.00', '800.00'],
      ['0-30', 1, '10000.00', '9500.00'],
      ['31-60', 1, '20000.00', '14000.00'],
      ['61-90', 0, '0.00', '0.00'],
      ['91-120', 1, '5000.00', '2000.00'],
    ]);
    expect(all.total).toEqual({ count: 4, arr: '36000.00', expectedArr: '26300.00' });

    const soon = await renewalsPipeline(db, org.csmPrincipals.csmA, { window: 30 }, new Date());
    expect(soon.items.map((i) => i.accountName)).toEqual(['Overdue Co', 'Healthy Co']);
    expect(soon.buckets.map((x) => x.bucket)).toEqual(['overdue', '0-30']);
    // A leader sees every team's renewals.
    const admin = await renewalsPipeline(db, org.principals.admin, { window: 30 }, new Date());
    expect(admin.items.map((i) => i.accountName)).toEqual(['Overdue Co', 'Healthy Co', 'Other Team Co']);
  });

  it('records a renewal at a higher ARR: renewal + expansion, the date a year on, audited', async () => {
    const db = getDb();
    const { subscription } = await customer(db, org, {
      name: 'Up',
      arr: '10000.00',
      renewalDate: addDays(today, 20),
      csmId: org.csms.csmA.id,
    });
    const r = await recordRenewal(
      db,
      org.csmPrincipals.csmA,
      subscription.id,
      { outcome: 'renewed', arr: '12500.50' },
      undefined,
      new Date(),
    );
    expect(r.body).toMatchObject({
      subscription: { arr: '12500.50', renewalDate: nextRenewalDate(addDays(today, 20), today), status: 'active' },
      movements: [
        { kind: 'renewal', amount: '10000.00' },
        { kind: 'expansion', amount: '2500.50' },
      ],
    });
    expect(await movements(subscription.id)).toEqual([
      { kind: 'new', amount: '10000.00' },
      { kind: 'expansion', amount: '2500.50' },
      { kind: 'renewal', amount: '10000.00' },
    ]);
    const [a] = await db.query<{ after: { arr: string } }>(
      `select after from audit_log where record_id = $1 and action = 'subscription.renewal'`,
      [subscription.id],
    );
    expect(a.after.arr).toBe('12500.50');
  });

  it('records a contraction, a churn, and refuses what is not a renewal', async () => {
    const db = getDb();
    const down = await customer(db, org, { name: 'Down', arr: '10000.00', renewalDate: addDays(today, 20), csmId: org.csms.csmA.id });
    const date = addDays(today, 400);
    await recordRenewal(
      db,
      org.csmPrincipals.csmA,
      down.subscription.id,
      { outcome: 'renewed', arr: '8000', renewalDate: date },
      undefined,
      new Date(),
    );
    expect((await movements(down.subscription.id)).slice(1)).toEqual([
      { kind: 'contraction', amount: '2000.00' },
      { kind: 'renewal', amount: '8000.00' },
    ]);
    const bad = (input: Parameters<typeof recordRenewal>[3]) =>
      recordRenewal(db, org.csmPrincipals.csmA, down.subscription.id, input, undefined, new Date()).catch((e) => e);
    expect(await bad({ outcome: 'renewed', renewalDate: date })).toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'renewalDate' }],
    });
    expect(await bad({ outcome: 'renewed', arr: '0' })).toMatchObject({ code: 'validation_failed', details: [{ path: 'arr' }] });

    const gone = await customer(db, org, { name: 'Gone', arr: '4000.00', renewalDate: addDays(today, 5), csmId: org.csms.csmA.id });
    await recordRenewal(db, org.csmPrincipals.csmA, gone.subscription.id, { outcome: 'churned', reason: 'budget' }, undefined, new Date());
    expect((await movements(gone.subscription.id)).slice(1)).toEqual([{ kind: 'churn', amount: '4000.00' }]);
    const [sub] = await db.query<{ status: string }>('select status from subscriptions where id = $1', [gone.subscription.id]);
    expect(sub.status).toBe('churned');
    await expect(
      recordRenewal(db, org.csmPrincipals.csmA, gone.subscription.id, { outcome: 'churned' }, undefined, new Date()),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('records a retried renewal once with an Idempotency-Key, and refuses out of scope (403) and other workspaces (404)', async () => {
    const db = getDb();
    const { subscription } = await customer(db, org, {
      name: 'Once',
      arr: '1000.00',
      renewalDate: addDays(today, 9),
      csmId: org.csms.csmA.id,
    });
    const input = { outcome: 'renewed' as const };
    const first = await recordRenewal(db, org.csmPrincipals.csmA, subscription.id, input, 'renew-once-1', new Date());
    const again = await recordRenewal(db, org.csmPrincipals.csmA, subscription.id, input, 'renew-once-1', new Date());
    expect(again.replayed).toBe(true);
    expect(again.body).toEqual(JSON.parse(JSON.stringify(first.body)));
    expect((await movements(subscription.id)).map((m) => m.kind)).toEqual(['new', 'renewal']);

    await expect(recordRenewal(db, org.csmPrincipals.csmB, subscription.id, input, undefined, new Date())).rejects.toMatchObject({
      code: 'forbidden',
    });
    const other = await seedSuccessOrg(db);
    await expect(recordRenewal(db, other.principals.admin, subscription.id, input, undefined, new Date())).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
