import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { principalFor, seedOrg } from '../../../test/support/fixtures.js';
import { customerWriter, seedRetentionBook } from '../../../test/support/retention.js';
import type { Db } from '../../db/client.js';
import type { Principal } from '../../platform/auth/principal.js';
import type { AppError } from '../../platform/errors.js';
import { createUser } from '../org/org.service.js';
import { EMPTY_SUMS, type RetentionMetrics, retentionMetrics } from './retention.core.js';
import { type RetentionReport, retentionOfRepCustomers, retentionReport, retentionTrend } from './retention.service.js';

const NOW = new Date('2026-11-15T12:00:00Z');

/** The figures of the golden book (test/support/retention.ts) for 2026-Q3 in Paris, computed by hand. */
const m = (x: Partial<RetentionMetrics>) => expect.objectContaining(x);

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: AppError) => ({ code: e.code, path: Array.isArray(e.details) ? e.details[0]?.path : undefined }),
  );

describeEachDb('retention', (getDb) => {
  let db: Db;
  let org: Awaited<ReturnType<typeof seedOrg>>;
  let people: { aeA: string; aeB: string; csmA: string; csmB: string };
  let csmB: Principal;
  const report = (p: Principal, q: Parameters<typeof retentionReport>[2] = {}) => retentionReport(db, p, { period: '2026-Q3', ...q }, NOW);
  const row = (r: RetentionReport, label: string) => r.rows.find((x) => x.label === label)?.metrics;

  // The tests only read (the UTC one puts the timezone back), so one book serves them all.
  beforeAll(async () => {
    db = getDb();
    org = await seedOrg(db);
    const domain = org.users.admin.email.split('@')[1];
    const csm = (key: string, teamId: string) =>
      createUser(db, 'system', org.workspace.id, {
        email: `${key}@${domain}`,
        name: key,
        roles: ['csm'],
        password: 'test-password-123',
        teamId,
      });
    const csmA = await csm('csmA', org.teams.teamA.id);
    const csmBUser = await csm('csmB', org.teams.teamB.id);
    people = { aeA: org.users.aeA.id, aeB: org.users.aeB.id, csmA: csmA.id, csmB: csmBUser.id };
    await seedRetentionBook(db, org.workspace.id, people);
    csmB = await principalFor(db, csmBUser.email);
    // Another workspace with the same book: never counted here.
    const other = await seedOrg(db);
    await seedRetentionBook(db, other.workspace.id, { aeA: other.users.aeA.id, aeB: other.users.aeB.id, csmA: null, csmB: null });
  });

  it('golden: GRR, NRR and logo churn of 2026-Q3, with expand-then-churn, new business, a cross-sell and the timezone edge', async () => {
    const r = await report(org.principals.ops);
    expect(r.range).toEqual({ from: '2026-07-01', to: '2026-09-30', label: '2026-Q3' });
    // Base: Steady 100k, ExpandChurn 50k, CrossSell 40k, EdgeIn 25k, DipThenGrow 60k = 275k (5 logos).
    // Not in the base: NewInQ3 and EdgeOut (started in Q3, Paris time), LostBefore (no ARR left at the start).
    // Contraction: Steady 10k (at Q3's first instant) + DipThenGrow 20k. Churn: ExpandChurn lost its 50k start ARR;
    // the 20k it gained in July and lost again in September is not a loss of the base and not an expansion.
    // Expansion: the CrossSell's second subscription 15k + DipThenGrow 30k. The renewal changes nothing.
    expect(r.total).toEqual({
      logos: 5,
      churnedLogos: 1,
      startArr: '275000.00',
      expansion: '45000.00',
      contraction: '30000.00',
      churn: '50000.00',
      endArr: '240000.00',
      grr: '0.7091', // (275,000 - 30,000 - 50,000) / 275,000
      nrr: '0.8727', // (275,000 + 45,000 - 30,000 - 50,000) / 275,000
      logoChurn: '0.2000', // 1 / 5
    });
    expect(r.rows).toEqual([]);
  });

  it('golden: the same book in UTC has another base (EdgeOut joins it, Steady contracted before the quarter)', async () => {
    const setZone = (tz: string) => db.query('update workspaces set timezone = $2 where id = $1', [org.workspace.id, tz]);
    await setZone('UTC');
    const r = await report(org.principals.ops).finally(() => setZone('Europe/Paris'));
    expect(r.total).toMatchObject({
      logos: 6,
      startArr: '277000.00', // 275k - Steady's 10k contraction + EdgeOut's 12k
      contraction: '20000.00',
      churn: '50000.00',
      expansion: '45000.00',
      grr: '0.7473', // 207,000 / 277,000
      nrr: '0.9097', // 252,000 / 277,000
    });
  });

  it('golden: caps losses at each account start ARR, churn first, and takes the excess off expansion', async () => {
    const small = await seedOrg(db);
    const { account, subscription } = customerWriter(db, small.workspace.id);
    // Shrink: 30k at the start, +20k, then -40k: it lost its whole start ARR (30k) to contraction; the other 10k
    // contracted came out of the July expansion, so expansion is 10k and it ends at 10k.
    const shrink = await subscription(await account('Shrink', null, null, null), '2026-01-10', null);
    await shrink('new', '30000', '2026-01-10T10:00:00Z');
    await shrink('expansion', '20000', '2026-07-10T10:00:00Z');
    await shrink('contraction', '40000', '2026-08-10T10:00:00Z');
    // Both: 10k, -4k, +8k, then churn of the remaining 14k: churn counts first (its 10k start ARR), so the 4k
    // contraction is not a loss of the base on top of it; the 8k gained and lost nets out of expansion.
    const both = await subscription(await account('Both', null, null, null), '2026-02-10', null);
    await both('new', '10000', '2026-02-10T10:00:00Z');
    await both('contraction', '4000', '2026-07-05T10:00:00Z');
    await both('expansion', '8000', '2026-07-20T10:00:00Z');
    await both('churn', '14000', '2026-09-01T10:00:00Z');
    const r = await retentionReport(db, small.principals.ops, { period: '2026-Q3' }, NOW);
    expect(r.total).toEqual({
      logos: 2,
      churnedLogos: 1,
      startArr: '40000.00',
      expansion: '10000.00',
      contraction: '30000.00',
      churn: '10000.00',
      endArr: '10000.00',
      grr: '0.0000',
      nrr: '0.2500',
      logoChurn: '0.5000',
    });
  });

  it('groups by segment, CSM, closing AE and cohort; the rows add up to the total', async () => {
    const ops = org.principals.ops;
    const bySegment = await report(ops, { groupBy: 'segment' });
    expect(bySegment.rows.map((x) => x.label)).toEqual(['ESB', 'MME', 'SMB', 'No segment']);
    expect(row(bySegment, 'SMB')).toEqual(
      m({ logos: 2, churnedLogos: 1, startArr: '150000.00', contraction: '10000.00', churn: '50000.00', expansion: '0.00', grr: '0.6000' }),
    );
    expect(row(bySegment, 'MME')).toEqual(m({ startArr: '40000.00', expansion: '15000.00', grr: '1.0000', nrr: '1.3750' }));
    expect(row(bySegment, 'ESB')).toEqual(m({ startArr: '60000.00', grr: '0.6667', nrr: '1.1667' }));
    expect(bySegment.total.nrr).toBe('0.8727');

    const byCsm = await report(ops, { groupBy: 'csm' });
    expect(byCsm.rows.map((x) => [x.key, x.label])).toEqual([
      [people.csmA, 'csmA'],
      [people.csmB, 'csmB'],
      [null, 'No CSM'],
    ]);
    expect(row(byCsm, 'csmB')).toEqual(m({ logos: 2, startArr: '100000.00', contraction: '20000.00', grr: '0.8000', nrr: '1.2500' }));

    // Closing AE: the owner of the deal of the first subscription (CrossSell: aeA, though aeB sold the cross-sell),
    // else the account owner (ExpandChurn: aeB); EdgeIn has neither.
    const byAe = await report(ops, { groupBy: 'ae' });
    expect(byAe.rows.map((x) => x.label)).toEqual(['aeA', 'aeB', 'Unassigned']);
    expect(row(byAe, 'aeA')).toEqual(
      m({ logos: 2, churnedLogos: 0, startArr: '140000.00', contraction: '10000.00', expansion: '15000.00', grr: '0.9286', nrr: '1.0357' }),
    );
    expect(row(byAe, 'aeB')).toEqual(
      m({ logos: 2, churnedLogos: 1, startArr: '110000.00', churn: '50000.00', grr: '0.3636', nrr: '0.6364', logoChurn: '0.5000' }),
    );

    // Cohort: the quarter of the first 'new' movement in Paris (DipThenGrow's 2025-12-31 23:30 UTC is 2026-Q1).
    const byCohort = await report(ops, { groupBy: 'cohort' });
    expect(byCohort.rows.map((x) => x.label)).toEqual(['2025-Q4', '2026-Q1', '2026-Q2']);
    expect(row(byCohort, '2026-Q1')).toEqual(
      m({ logos: 3, churnedLogos: 1, startArr: '210000.00', grr: '0.6190', nrr: '0.7619', logoChurn: '0.3333' }),
    );

    for (const r of [bySegment, byCsm, byAe, byCohort]) {
      expect(r.total).toEqual((await report(ops)).total);
      expect(r.rows.reduce((n, x) => n + x.metrics.logos, 0)).toBe(5);
    }
  });

  it('scopes a manager to their teams, a rep to their own customers', async () => {
    const { aeB } = org.principals;
    // Signed in after csmA joined team A (a principal carries the team members of its login).
    const managerA = await principalFor(db, org.users.managerA.email);
    // Team A (aeA, sdrA, csmA): accounts whose CSM or closing AE is one of them: Steady, ExpandChurn, CrossSell.
    const mine = await report(managerA);
    expect(mine.total).toMatchObject({ logos: 3, startArr: '190000.00', grr: '0.6842', nrr: '0.7632' });
    // Grouped by AE or CSM: only their people's rows, and the total of those rows.
    const byAe = await report(managerA, { groupBy: 'ae' });
    expect(byAe.rows.map((x) => x.label)).toEqual(['aeA']);
    expect(byAe.total).toEqual(byAe.rows[0].metrics);
    expect((await report(managerA, { groupBy: 'csm' })).rows.map((x) => x.label)).toEqual(['csmA']);

    expect((await report(aeB, { groupBy: 'ae' })).rows.map((x) => x.label)).toEqual(['aeB']);
    expect((await report(aeB)).total).toMatchObject({ logos: 2, startArr: '110000.00' });
    expect((await report(csmB, { groupBy: 'csm' })).rows).toEqual([expect.objectContaining({ label: 'csmB' })]);

    // One person's customers: in scope, out of scope (403), another workspace's (404).
    expect((await report(managerA, { repId: people.aeA, groupBy: 'ae' })).total).toMatchObject({ startArr: '140000.00' });
    expect(await refusal(report(managerA, { repId: people.aeB }))).toEqual({ code: 'forbidden', path: 'repId' });
    expect(await refusal(report(aeB, { repId: people.aeA }))).toEqual({ code: 'forbidden', path: 'repId' });
    const stranger = (await seedOrg(db)).users.aeA.id;
    expect(await refusal(report(org.principals.admin, { repId: stranger }))).toEqual({ code: 'not_found', path: 'repId' });
  });

  it('refuses a bad period naming the field, and answers an empty period with zeros', async () => {
    const ops = org.principals.ops;
    expect(await refusal(report(ops, { period: '2026-Q5' }))).toEqual({ code: 'validation_failed', path: 'period' });
    expect(await refusal(retentionReport(db, ops, { from: '2026-09-01', to: '2026-08-01' }, NOW))).toEqual({
      code: 'validation_failed',
      path: 'to',
    });
    const empty = await report(ops, { period: '2020' });
    expect(empty.total).toMatchObject({ logos: 0, startArr: '0.00', grr: null, nrr: null, logoChurn: null });
  });

  it('trend: each month measured on its own base', async () => {
    const t = await retentionTrend(db, org.principals.ops, { months: 3, until: '2026-09', groupBy: 'ae' }, NOW);
    expect(t.months.map((x) => x.label)).toEqual(['2026-07', '2026-08', '2026-09']);
    expect(t.total).toEqual([
      // July: ExpandChurn +20k, Steady -10k, DipThenGrow -20k.
      m({ logos: 5, startArr: '275000.00', grr: '0.8909', nrr: '0.9636' }),
      // August: EdgeOut (started 1 July) is in the base now; CrossSell's cross-sell.
      m({ logos: 6, startArr: '277000.00', grr: '1.0000', nrr: '1.0542' }),
      // September: NewInQ3 is in the base; ExpandChurn churns all of its 70k.
      m({ logos: 7, churnedLogos: 1, startArr: '322000.00', churn: '70000.00', grr: '0.7826', nrr: '0.8913', logoChurn: '0.1429' }),
    ]);
    expect(t.series.map((s) => s.label)).toEqual(['aeA', 'aeB', 'Unassigned']);
    expect(t.series[0].points.map((p) => [p.grr, p.nrr])).toEqual([
      ['0.9286', '0.9286'],
      ['1.0000', '1.1154'],
      ['1.0000', '1.0286'],
    ]);
  });

  it('a month of the trend equals that month measured on its own, total and per group', async () => {
    const ops = org.principals.ops;
    const t = await retentionTrend(db, ops, { months: 14, until: '2026-12', groupBy: 'segment' }, NOW);
    expect(t.series.map((s) => s.label)).toEqual(['ESB', 'MME', 'SMB', 'No segment']);
    for (const [i, month] of t.months.entries()) {
      const alone = await report(ops, { period: month.label, groupBy: 'segment' });
      expect(t.total[i], month.label).toEqual(alone.total);
      for (const s of t.series)
        expect(s.points[i], `${month.label} ${s.label}`).toEqual(
          alone.rows.find((r) => r.key === s.key)?.metrics ?? retentionMetrics(EMPTY_SUMS),
        );
    }
  });

  it('the rep view for compensation: the customers a rep closed, between two instants', async () => {
    const q3 = await retentionOfRepCustomers(
      db,
      org.workspace.id,
      people.aeA,
      new Date('2026-06-30T22:00:00Z'),
      new Date('2026-09-30T22:00:00Z'),
    );
    expect(q3).toEqual({
      logos: 2,
      churnedLogos: 0,
      startArr: '140000.00',
      expansion: '15000.00',
      contraction: '10000.00',
      churn: '0.00',
      endArr: '145000.00',
      grr: '0.9286',
      nrr: '1.0357',
      logoChurn: '0.0000',
    });
    // From UTC midnight instead, Steady's contraction (22:00 UTC on 30 June) falls before the start.
    const utc = await retentionOfRepCustomers(
      db,
      org.workspace.id,
      people.aeA,
      new Date('2026-07-01T00:00:00Z'),
      new Date('2026-10-01T00:00:00Z'),
    );
    expect(utc).toMatchObject({ startArr: '130000.00', contraction: '0.00', nrr: '1.1154' });
    expect(await retentionOfRepCustomers(db, org.workspace.id, people.csmA, new Date('2026-07-01'), new Date('2026-10-01'))).toMatchObject({
      logos: 0,
      grr: null,
    });
    expect(
      await refusal(retentionOfRepCustomers(db, org.workspace.id, people.aeA, new Date('2026-10-01'), new Date('2026-07-01'))),
    ).toEqual({
      code: 'validation_failed',
      path: 'to',
    });
  });
});
