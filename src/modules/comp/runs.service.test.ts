import { beforeAll, beforeEach, expect, it } from 'vitest';
import { AE_PLAN, ahaMilestone, churned, ledgerRows, wonDeal } from '../../../test/support/comp-db.js';
import { describeEachDb } from '../../../test/support/db.js';
import { seedOrg } from '../../../test/support/fixtures.js';
import type { Db } from '../../db/client.js';
import { createAssignment } from './assignments.service.js';
import { addAdjustment, closePeriod } from './periods.service.js';
import { createDraft, publishVersion } from './plans.service.js';
import { runComp } from './runs.service.js';
import { statement } from './statements.service.js';

type Org = Awaited<ReturnType<typeof seedOrg>>;

/** A database that fails the n-th insert into the ledger: a run dying half-way through its writes. */
function failingOnLedgerInsert(db: Db, n: number): Db {
  let seen = 0;
  const wrap = (inner: Db): Db => ({
    kind: inner.kind,
    async query(sql, params) {
      if (/^insert into comp_ledger/.test(sql) && ++seen === n) throw new Error('disk full (injected)');
      return inner.query(sql, params);
    },
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx))),
    close: () => inner.close(),
  });
  return wrap(db);
}

describeEachDb('comp runs, periods and the ledger', (getDb) => {
  let db: Db;
  let org: Org;
  let ws: string;
  const july = '2026-07-10T10:00:00Z';
  const now = new Date('2026-09-15T12:00:00Z');
  const count = async () =>
    (await db.query<{ n: number }>('select count(*)::int as n from comp_ledger where workspace_id = $1', [ws]))[0].n;

  beforeAll(() => {
    db = getDb();
  });

  beforeEach(async () => {
    org = await seedOrg(db);
    ws = org.workspace.id;
    const draft = await createDraft(db, org.principals.ops, AE_PLAN);
    await publishVersion(db, org.principals.ops, draft.key, draft.version, '2026-01-01');
    await createAssignment(db, org.principals.ops, { userId: org.users.aeA.id, planKey: 'ae-test', from: '2026-07-01' });
  });

  it('runs twice to the identical ledger: the second run writes nothing', async () => {
    const d = await wonDeal(db, ws, { ownerId: org.users.aeA.id, amount: '40000', closedAt: july });
    await ahaMilestone(db, ws, d, { windowStart: july, windowEnd: '2026-09-08T10:00:00Z', reachedAt: '2026-08-20T09:00:00Z' });
    const first = await runComp(db, org.principals.ops, { period: '2026-Q3' }, now);
    expect(first).toMatchObject({ firstMonth: '2026-07', lastMonth: '2026-09', monthsWritten: 3, linesWritten: 3 });
    const before = await ledgerRows(db, ws);
    expect(before.map((r) => [r.period, r.kind, r.amount])).toEqual([
      ['2026-07', 'earning', '4000.00'], // 10% x 40,000
      ['2026-07', 'hold', '-2000.00'],
      ['2026-08', 'release', '2000.00'],
    ]);
    const second = await runComp(db, org.principals.ops, { period: '2026-Q3' }, now);
    expect(second).toMatchObject({ monthsWritten: 0, monthsUnchanged: 3, linesWritten: 0 });
    expect(await ledgerRows(db, ws)).toEqual(before);
    // Forced, every month is written again: new rows, the same current ledger.
    const forced = await runComp(db, org.principals.ops, { period: '2026-Q3', force: true }, now);
    expect(forced.monthsWritten).toBe(3);
    expect(await count()).toBe(6);
    expect(await ledgerRows(db, ws, true)).toEqual(before);
  });

  it('two runs at once never interleave: the second finds the ledger up to date', async () => {
    await wonDeal(db, ws, { ownerId: org.users.aeA.id, amount: '10000', closedAt: july });
    const [a, b] = await Promise.all([
      runComp(db, org.principals.ops, { period: '2026-Q3' }, now),
      runComp(db, org.principals.admin, { period: '2026-Q3' }, now),
    ]);
    expect([a.monthsWritten, b.monthsWritten].sort()).toEqual([0, 3]);
    expect(await count()).toBe(2);
  });

  it('a run that fails half-way leaves the ledger as it was, and says so in the run list', async () => {
    await wonDeal(db, ws, { ownerId: org.users.aeA.id, amount: '10000', closedAt: july });
    await wonDeal(db, ws, { ownerId: org.users.aeA.id, amount: '20000', closedAt: '2026-08-10T10:00:00Z' });
    await expect(runComp(failingOnLedgerInsert(db, 2), org.principals.ops, { period: '2026-Q3' }, now)).rejects.toThrow(/disk full/);
    expect(await count()).toBe(0);
    expect(await db.query('select 1 from comp_periods where workspace_id = $1', [ws])).toEqual([]);
    const runs = await db.query<{ status: string; error: string }>('select status, error from comp_runs where workspace_id = $1', [ws]);
    expect(runs).toEqual([{ status: 'failed', error: 'disk full (injected)' }]);
    const ok = await runComp(db, org.principals.ops, { period: '2026-Q3' }, now);
    expect(ok.linesWritten).toBe(4);
  });

  it('closes months in order; later facts about a closed month land in the first open one', async () => {
    const d = await wonDeal(db, ws, { ownerId: org.users.aeA.id, amount: '40000', closedAt: july });
    await ahaMilestone(db, ws, d, { windowStart: july, windowEnd: '2026-09-08T10:00:00Z' });
    await runComp(db, org.principals.ops, { period: '2026-08' }, now);
    await expect(closePeriod(db, org.principals.ops, '2026-08', now)).rejects.toThrow(
      /2026-07 is still open and has lines: close it first/,
    );
    expect(await closePeriod(db, org.principals.ops, '2026-07', now)).toEqual({ closed: ['2026-07'] });
    const julyLines = await ledgerRows(db, ws, true);

    // Learned now: the milestone was reached in July (decided in July), and another July deal was won.
    await ahaMilestone(db, ws, d, { windowStart: july, windowEnd: '2026-09-08T10:00:00Z', reachedAt: '2026-07-28T09:00:00Z' });
    const late = await wonDeal(db, ws, { ownerId: org.users.aeA.id, amount: '5000', closedAt: '2026-07-20T10:00:00Z' });
    const run = await runComp(db, org.principals.ops, { period: '2026-07' }, now);
    expect(run).toMatchObject({ firstMonth: '2026-08', lastMonth: '2026-08', monthsWritten: 1 });
    const current = await ledgerRows(db, ws, true);
    expect(current.filter((r) => r.period === '2026-07')).toEqual(julyLines.filter((r) => r.period === '2026-07'));
    expect(current.filter((r) => r.period === '2026-08').map((r) => [r.kind, r.event_period, r.amount, r.opportunity_id])).toEqual([
      ['earning', '2026-07', '500.00', late.opportunityId],
      ['hold', '2026-07', '-250.00', late.opportunityId],
      ['release', '2026-07', '2000.00', d.opportunityId],
    ]);
    expect(current.find((r) => r.kind === 'release')!.arithmetic).toMatch(
      /^2026-07 was closed when this was learned, so it is booked in 2026-08\./,
    );

    // A churn 40 days after the close claws back what was paid, in the open month.
    await churned(db, ws, d, '2026-08-19T10:00:00Z', '40000');
    await runComp(db, org.principals.ops, { period: '2026-08' }, now);
    const clawback = (await ledgerRows(db, ws, true)).find((r) => r.kind === 'clawback')!;
    expect(clawback).toMatchObject({ period: '2026-08', amount: '-4000.00' });
  });

  it('refuses edits to closed months with a clear message, and months that have not ended', async () => {
    await wonDeal(db, ws, { ownerId: org.users.aeA.id, amount: '40000', closedAt: july });
    await runComp(db, org.principals.ops, { period: '2026-07' }, now);
    await closePeriod(db, org.principals.ops, '2026-07', now);
    const adj = { userId: org.users.aeA.id, period: '2026-07', amount: '100', reason: 'missed SPIF' };
    await expect(addAdjustment(db, org.principals.ops, adj, now)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^2026-07 is closed/),
    });
    await expect(
      createAssignment(db, org.principals.ops, { userId: org.users.aeB.id, planKey: 'ae-test', from: '2026-07-15' }),
    ).rejects.toMatchObject({
      code: 'conflict',
      details: [{ path: 'from', message: expect.stringMatching(/closed/) }],
    });
    const v2 = await createDraft(db, org.principals.ops, { ...AE_PLAN, name: 'v2' });
    await expect(publishVersion(db, org.principals.ops, 'ae-test', v2.version, '2026-07-20')).rejects.toMatchObject({ code: 'conflict' });
    await expect(closePeriod(db, org.principals.ops, '2026-07', now)).rejects.toThrow(/already closed/);
    await expect(closePeriod(db, org.principals.ops, '2026-09', now)).rejects.toThrow(/2026-09 has not ended yet/);
    await expect(closePeriod(db, org.principals.ops, '2026-08', now)).rejects.toThrow(/2026-08 was never run/);
    await expect(closePeriod(db, org.principals.aeA, '2026-08', now)).rejects.toMatchObject({ code: 'forbidden' });
    // An open month takes the adjustment; it is audited with its reason.
    const line = await addAdjustment(db, org.principals.ops, { ...adj, period: '2026-08' }, now);
    expect(line).toMatchObject({ kind: 'adjustment', amount: '100.00', reason: 'missed SPIF', period: '2026-08' });
    const [entry] = await db.query<{ after: { reason: string } }>(
      `select after from audit_log where workspace_id = $1 and action = 'comp.adjustment'`,
      [ws],
    );
    expect(entry.after.reason).toBe('missed SPIF');
  });

  it('keeps the ledger append-only', async () => {
    await wonDeal(db, ws, { ownerId: org.users.aeA.id, amount: '40000', closedAt: july });
    await runComp(db, org.principals.ops, { period: '2026-07' }, now);
    await expect(db.query(`update comp_ledger set amount = 0 where workspace_id = $1`, [ws])).rejects.toThrow(/append-only/);
    await expect(db.query(`delete from comp_ledger where workspace_id = $1`, [ws])).rejects.toThrow(/append-only/);
    expect(await count()).toBe(2);
  });

  it('gives a statement with holds, what they wait for, totals and drill-down', async () => {
    const d = await wonDeal(db, ws, { ownerId: org.users.aeA.id, amount: '40000', closedAt: july, name: 'Globex' });
    await ahaMilestone(db, ws, d, { windowStart: july, windowEnd: '2026-09-08T10:00:00Z' });
    await runComp(db, org.principals.ops, { period: '2026-Q3' }, now);
    await addAdjustment(
      db,
      org.principals.ops,
      { userId: org.users.aeA.id, period: '2026-08', amount: '-50', reason: 'expense correction' },
      now,
    );
    const s = await statement(db, org.principals.aeA, { period: '2026-Q3' }, now);
    expect(s.totals).toEqual({
      earnings: '4000.00',
      holds: '-2000.00',
      releases: '0.00',
      clawbacks: '0.00',
      adjustments: '-50.00',
      draws: '0.00',
      payable: '1950.00',
    });
    expect(s.earnings[0]).toMatchObject({
      opportunityName: 'Globex',
      accountName: 'Globex Inc',
      arithmetic: expect.stringMatching(/^10% x €40,000\.00 credited ARR = €4,000\.00; 50% paid at signing/),
    });
    expect(s.holds).toEqual([
      expect.objectContaining({
        status: 'waiting',
        condition: expect.stringMatching(/^Globex Inc reaching its aha milestone "Five features" \(pending, window ends 2026-09-08/),
      }),
    ]);
    expect(s.adjustments[0]).toMatchObject({
      reason: 'expense correction',
      arithmetic: expect.stringMatching(/^Manual adjustment of -€50\.00 by ops: expense correction$/),
    });
    const july1 = await statement(db, org.principals.managerA, { period: '2026-08', repId: org.users.aeA.id }, now);
    expect(july1.totals.payable).toBe('-50.00');
  });
});
