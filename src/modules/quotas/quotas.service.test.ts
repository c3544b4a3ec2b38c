import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { principalFor, seedOrg } from '../../../test/support/fixtures.js';
import type { Db } from '../../db/client.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { createUser } from '../org/org.service.js';
import { deleteQuota, getRamp, listQuotas, quotaAttainment, setQuota, setRamp } from './quotas.service.js';

type Org = Awaited<ReturnType<typeof seedOrg>>;
const NOW = new Date('2026-11-23T12:00:00Z');

/** The AppError a call throws, so a test can check its code and the field it names. */
async function refusal(p: Promise<unknown>): Promise<{ code: string; path?: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const d = Array.isArray(err.details) ? err.details[0] : undefined;
    return { code: err.code, path: d?.path, message: d?.message ?? err.message };
  }
  throw new Error('expected a refusal');
}

describeEachDb('quotas service', (getDb) => {
  let db: Db;
  let org: Org;
  let csm: { id: string; email: string };
  let other: Org;
  const count = async (table: string) =>
    Number((await db.query<{ n: number }>(`select count(*)::int as n from ${table} where workspace_id = $1`, [org.workspace.id]))[0].n);

  beforeAll(async () => {
    db = getDb();
    org = await seedOrg(db);
    other = await seedOrg(db);
    csm = await createUser(db, 'system', org.workspace.id, {
      email: `csm@${org.workspace.id}.test`,
      name: 'csmA',
      roles: ['csm'],
      password: 'test-password-123',
      teamId: org.teams.teamA.id,
    });
  });

  it('creates a quota, then updates it when set again for the same user, metric and period, audited each time', async () => {
    const { ops } = org.principals;
    const first = await setQuota(db, ops, { userId: org.users.aeA.id, metric: 'new_arr', period: '2026-Q3', amount: '90000' });
    expect(first.created).toBe(true);
    expect(first.quota).toMatchObject({
      period: '2026-Q3',
      periodKind: 'quarter',
      periodStart: '2026-07-01',
      periodEnd: '2026-09-30',
      amount: '90000.00',
    });
    const again = await setQuota(db, ops, {
      userId: org.users.aeA.id,
      metric: 'new_arr',
      period: '2026-q3',
      amount: '95000.50',
      note: 'raised',
    });
    expect(again.created).toBe(false);
    expect(again.quota).toMatchObject({ id: first.quota.id, amount: '95000.50', note: 'raised' });
    const log = await db.query<{ action: string }>(
      `select action from audit_log where workspace_id = $1 and record_type = 'quota' and record_id = $2 order by id`,
      [org.workspace.id, first.quota.id],
    );
    expect(log.map((l) => l.action)).toEqual(['quota.create', 'quota.update']);
  });

  it('refuses overlapping periods of the same user and metric, naming the period, and saves nothing', async () => {
    const before = await count('quotas');
    for (const period of ['2026-07', '2026-09', '2026']) {
      const r = await refusal(setQuota(db, org.principals.ops, { userId: org.users.aeA.id, metric: 'new_arr', period, amount: '1000' }));
      expect(r).toMatchObject({ code: 'validation_failed', path: 'period' });
      expect(r.message).toMatch(/overlapping periods.*2026-Q3/);
    }
    expect(await count('quotas')).toBe(before);
    // The next quarter and another metric of another rep do not overlap.
    await setQuota(db, org.principals.ops, { userId: org.users.aeA.id, metric: 'new_arr', period: '2026-10', amount: '30000' });
    await setQuota(db, org.principals.ops, { userId: org.users.sdrA.id, metric: 'accepted_leads', period: '2026-07', amount: '10' });
    await setQuota(db, org.principals.ops, { userId: org.users.sdrA.id, metric: 'pipeline_created', period: '2026-Q3', amount: '60000' });
    expect(await count('quotas')).toBe(before + 3);
  });

  it('refuses zero, negative and malformed amounts, bad periods and metrics that do not fit the role', async () => {
    const before = await count('quotas');
    const set = (x: Partial<Parameters<typeof setQuota>[2]>) =>
      refusal(setQuota(db, org.principals.admin, { userId: org.users.aeB.id, metric: 'new_arr', period: '2026-Q3', amount: '100', ...x }));
    expect(await set({ amount: '0' })).toMatchObject({ code: 'validation_failed', path: 'amount', message: 'must be above zero' });
    expect(await set({ amount: '-5' })).toMatchObject({ path: 'amount' });
    expect(await set({ amount: '1.234' })).toMatchObject({ path: 'amount' });
    expect(await set({ period: '2026-W10' })).toMatchObject({ path: 'period' });
    expect(await set({ period: '2026-13' })).toMatchObject({ path: 'period' });
    expect(await set({ metric: 'accepted_leads' })).toMatchObject({ path: 'metric', message: expect.stringMatching(/use new_arr/) });
    expect(
      await refusal(setQuota(db, org.principals.admin, { userId: org.users.managerA.id, metric: 'new_arr', period: '2026', amount: '1' })),
    ).toMatchObject({ path: 'metric', message: expect.stringMatching(/no selling role/) });
    expect(
      await refusal(setQuota(db, org.principals.admin, { userId: csm.id, metric: 'new_arr', period: '2026', amount: '1' })),
    ).toMatchObject({ path: 'metric', message: expect.stringMatching(/use expansion_arr/) });
    expect(await count('quotas')).toBe(before);
  });

  it('lets a manager set quotas of their own team only; reps set none; another workspace is not found', async () => {
    const { managerA, aeA } = org.principals;
    await setQuota(db, managerA, { userId: org.users.aeA.id, metric: 'new_arr', period: '2026-11', amount: '31000' });
    expect(
      await refusal(setQuota(db, managerA, { userId: org.users.aeB.id, metric: 'new_arr', period: '2026-11', amount: '1' })),
    ).toMatchObject({ code: 'forbidden' });
    expect(await refusal(setQuota(db, aeA, { userId: org.users.aeA.id, metric: 'new_arr', period: '2026-12', amount: '1' }))).toMatchObject(
      {
        code: 'forbidden',
      },
    );
    expect(
      await refusal(setQuota(db, org.principals.admin, { userId: other.users.aeA.id, metric: 'new_arr', period: '2026-12', amount: '1' })),
    ).toMatchObject({ code: 'not_found', path: 'userId' });
  });

  it('shows reps their own quotas only, and managers their teams', async () => {
    const { aeA, managerB, ops } = org.principals;
    const mine = await listQuotas(db, aeA, {});
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((q) => q.userId))).toEqual(new Set([org.users.aeA.id]));
    expect(await refusal(listQuotas(db, aeA, { userId: org.users.aeB.id }))).toMatchObject({ code: 'forbidden', path: 'userId' });
    expect(await refusal(listQuotas(db, aeA, { teamId: org.teams.teamB.id }))).toMatchObject({ code: 'forbidden', path: 'teamId' });
    expect(await refusal(listQuotas(db, ops, { teamId: other.teams.teamA.id }))).toMatchObject({ code: 'not_found', path: 'teamId' });
    expect(await listQuotas(db, managerB, { teamId: org.teams.teamA.id }).catch((e) => e.code)).toBe('forbidden');
    const q3 = await listQuotas(db, ops, { period: '2026-Q3', teamId: org.teams.teamA.id });
    expect(q3.map((q) => `${q.userId === org.users.aeA.id ? 'aeA' : 'sdrA'} ${q.metric} ${q.period}`).sort()).toEqual([
      'aeA new_arr 2026-Q3',
      'sdrA accepted_leads 2026-07',
      'sdrA pipeline_created 2026-Q3',
    ]);
  });

  it('deletes a quota (audited), 404 from another workspace, 403 for a rep', async () => {
    const { quota } = await setQuota(db, org.principals.ops, { userId: org.users.aeB.id, metric: 'new_arr', period: '2027', amount: '5' });
    expect(await refusal(deleteQuota(db, org.principals.aeB, quota.id))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(deleteQuota(db, other.principals.admin, quota.id))).toMatchObject({ code: 'not_found' });
    await deleteQuota(db, org.principals.ops, quota.id);
    expect((await listQuotas(db, org.principals.ops, { period: '2027' })).length).toBe(0);
    const [log] = await db.query<{ action: string }>('select action from audit_log where record_id = $1 order by id desc limit 1', [
      quota.id,
    ]);
    expect(log.action).toBe('quota.delete');
  });

  it('validates and stores the ramp; only admins and sales ops change it', async () => {
    expect(await getRamp(db, org.principals.aeA)).toEqual({ ramp: [25, 50, 75, 100], isDefault: true });
    expect(await refusal(setRamp(db, org.principals.ops, { ramp: [25, 50, 75] }))).toMatchObject({
      code: 'validation_failed',
      path: 'ramp',
      message: 'must reach 100 in its last step',
    });
    expect(await refusal(setRamp(db, org.principals.ops, { ramp: [50, 40, 100] }))).toMatchObject({ path: 'ramp' });
    expect(await refusal(setRamp(db, org.principals.managerA, { ramp: [50, 100] }))).toMatchObject({ code: 'forbidden' });
    expect(await getRamp(db, org.principals.aeA)).toMatchObject({ isDefault: true });
    await setRamp(db, other.principals.ops, { ramp: [50, 100] });
    expect(await getRamp(db, other.principals.aeA)).toEqual({ ramp: [50, 100], isDefault: false });
    expect(await getRamp(db, org.principals.aeA)).toMatchObject({ isDefault: true });
  });

  it('computes live attainment with ramp, a leaver, accepted leads and team roll-ups (hand-computed)', async () => {
    const ws = org.workspace.id;
    const { aeA, sdrA, aeB } = org.users;
    // aeA hired 2026-07-10: Jul 25%, Aug 50%, Sep 75% -> Q3 95,000.50 x 50% = 47,500.25.
    await db.query('update users set hire_date = $2 where id = $1', [aeA.id, '2026-07-10']);
    // aeB left on 2026-08-20: Q3 93,000 -> 31,000 + 31,000 x 20/31 = 51,000.
    await db.query('update users set left_at = $2 where id = $1', [aeB.id, '2026-08-20']);
    await setQuota(db, org.principals.ops, { userId: aeB.id, metric: 'new_arr', period: '2026-Q3', amount: '93000' });
    // A year quota of the CSM: a quarter of it is due in Q3.
    await setQuota(db, org.principals.ops, { userId: csm.id, metric: 'expansion_arr', period: '2026', amount: '40000' });

    const [acc] = await db.query<{ id: string }>(
      `insert into accounts (workspace_id, name, segment) values ($1, 'Acme', 'SMB') returning id`,
      [ws],
    );
    const opp = (owner: string, amount: string, createdAt: string, closedAt: string | null, stage: string) =>
      db.query(
        `insert into opportunities (workspace_id, name, owner_id, sdr_id, account_id, amount, stage, created_at, closed_at, segment, source_type)
         values ($1, 'Deal', $2, $3, $4, $5, $6, $7, $8, 'SMB', 'net')`,
        [ws, owner, sdrA.id, acc.id, amount, stage, createdAt, closedAt],
      );
    await opp(aeA.id, '30000.00', '2026-07-20T10:00:00+02:00', '2026-08-05T10:00:00+02:00', 'won');
    await opp(aeA.id, '12000.00', '2026-08-01T10:00:00+02:00', null, 'proposal');
    // Won on 1 October in Paris (30 September in UTC): Q4, not Q3.
    await opp(aeA.id, '7000.00', '2026-08-02T10:00:00+02:00', '2026-09-30T22:30:00Z', 'won');
    const [sub] = await db.query<{ id: string }>(
      `insert into subscriptions (workspace_id, account_id, arr, start_date) values ($1, $2, 30000, '2026-08-05') returning id`,
      [ws, acc.id],
    );
    await db.query(
      `insert into arr_movements (workspace_id, subscription_id, account_id, kind, amount, occurred_at, actor_id)
       values ($1, $2, $3, 'expansion', 2500.00, '2026-09-10T10:00:00+02:00', $4)`,
      [ws, sub.id, acc.id, csm.id],
    );
    const handoff = async (acceptedAt: string | null) => {
      const [lead] = await db.query<{ id: string }>(
        `insert into leads (workspace_id, company, owner_id, source_type, channel, status) values ($1, 'Co', $2, 'net', 'web', 'handed_off') returning id`,
        [ws, aeA.id],
      );
      await db.query(
        `insert into handoffs (workspace_id, lead_id, sdr_id, ae_id, status, handed_at, warn_at, due_at, accepted_at)
         values ($1, $2, $3, $4, $5, $6, $6, $6, $7)`,
        [ws, lead.id, sdrA.id, aeA.id, acceptedAt ? 'accepted' : 'pending', '2026-07-01T08:00:00Z', acceptedAt],
      );
    };
    await handoff('2026-07-02T09:00:00+02:00');
    await handoff('2026-07-31T22:30:00Z'); // 00:30 on 1 August in Paris: outside the July quota
    await handoff('2026-07-15T09:00:00+02:00');
    await handoff(null);

    const r = await quotaAttainment(db, org.principals.ops, { period: '2026-Q3' }, NOW);
    expect(r.period).toMatchObject({ label: '2026-Q3', start: '2026-07-01', end: '2026-09-30' });
    const row = (userId: string, metric: string) => r.rows.find((x) => x.userId === userId && x.metric === metric);
    expect(row(aeA.id, 'new_arr')).toMatchObject({ quota: '95000.50', rampedQuota: '47500.25', actual: '30000.00', attainment: '0.6316' });
    expect(row(aeB.id, 'new_arr')).toMatchObject({ quota: '93000.00', rampedQuota: '51000.00', actual: '0.00', attainment: '0.0000' });
    // The July quota of 10 leads is all of sdrA's Q3 lead quota; leads accepted in Q3: 3 (one on 1 August).
    expect(row(sdrA.id, 'accepted_leads')).toMatchObject({ quota: '10.00', rampedQuota: '10.00', actual: '3.00', attainment: '0.3000' });
    expect(row(sdrA.id, 'pipeline_created')).toMatchObject({ rampedQuota: '60000.00', actual: '49000.00', attainment: '0.8167' });
    expect(row(csm.id, 'expansion_arr')).toMatchObject({
      quota: '10000.00',
      rampedQuota: '10000.00',
      actual: '2500.00',
      attainment: '0.2500',
    });
    const teamA = r.teams.find((t) => t.teamId === org.teams.teamA.id && t.metric === 'new_arr');
    expect(teamA).toMatchObject({ reps: 1, attained: 0, rampedQuota: '47500.25', actual: '30000.00' });

    // July alone: the lead quota for the month, and aeA's ramp at 25%.
    const jul = await quotaAttainment(db, org.principals.managerA, { period: '2026-07', teamId: org.teams.teamA.id }, NOW);
    const julLeads = jul.rows.find((x) => x.userId === sdrA.id && x.metric === 'accepted_leads');
    expect(julLeads).toMatchObject({ actual: '2.00', attainment: '0.2000' });
    expect(jul.rows.find((x) => x.userId === aeA.id)).toMatchObject({ rampedQuota: '7916.71' });
    expect(jul.rows.some((x) => x.userId === aeB.id)).toBe(false);

    // A rep sees their own row only; a manager of another team is refused the team.
    const mine = await quotaAttainment(db, org.principals.aeA, { period: '2026-Q3' }, NOW);
    expect(new Set(mine.rows.map((x) => x.userId))).toEqual(new Set([aeA.id]));
    expect(await refusal(quotaAttainment(db, org.principals.managerB, { teamId: org.teams.teamA.id }, NOW))).toMatchObject({
      code: 'forbidden',
      path: 'teamId',
    });
    // Default period: the current quarter in the workspace timezone (2026-Q4 at NOW).
    expect((await quotaAttainment(db, org.principals.ops, {}, NOW)).period.label).toBe('2026-Q4');
  });

  it('prorates a deactivated user without a leaving date from their deactivation day', async () => {
    const p: Principal = await principalFor(db, org.users.admin.email);
    await db.query(`update users set active = false, updated_at = '2026-09-15T10:00:00Z' where id = $1`, [org.users.aeB.id]);
    await db.query('update users set left_at = null where id = $1', [org.users.aeB.id]);
    const r = await quotaAttainment(db, p, { period: '2026-09' }, NOW);
    // 31,000 for September x 15/30 days
    expect(r.rows.find((x) => x.userId === org.users.aeB.id)).toMatchObject({ rampedQuota: '15500.00' });
  });

  it('measures a CSM on retention (GRR %): start ARR of their accounts, contraction and churn in the period, no ramp', async () => {
    const ws = org.workspace.id;
    const account = async (name: string) => {
      const [a] = await db.query<{ id: string }>(`insert into accounts (workspace_id, name, csm_id) values ($1, $2, $3) returning id`, [
        ws,
        name,
        csm.id,
      ]);
      const [s] = await db.query<{ id: string }>(
        `insert into subscriptions (workspace_id, account_id, arr, start_date) values ($1, $2, 0, '2026-01-01') returning id`,
        [ws, a.id],
      );
      return (kind: string, amount: string, at: string) =>
        db.query(
          'insert into arr_movements (workspace_id, subscription_id, account_id, kind, amount, occurred_at) values ($1, $2, $3, $4, $5, $6)',
          [ws, s.id, a.id, kind, amount, at],
        );
    };
    const a = await account('Retained Co');
    const b = await account('Churned Co');
    const c = await account('Won and lost in Q3');
    await a('new', '100000', '2026-03-10T12:00:00Z');
    await b('new', '50000', '2026-05-01T12:00:00Z');
    await a('expansion', '5000', '2026-07-20T12:00:00Z'); // in the period: neither start ARR nor a loss
    await a('contraction', '10000', '2026-08-15T12:00:00Z');
    await b('churn', '50000', '2026-09-01T12:00:00Z');
    await c('new', '20000', '2026-08-01T12:00:00Z'); // no ARR at the start: not part of retention
    await c('churn', '20000', '2026-09-10T12:00:00Z');

    const { ops } = org.principals;
    expect(await refusal(setQuota(db, ops, { userId: csm.id, metric: 'grr', period: '2026-Q3', amount: '120' }))).toMatchObject({
      code: 'validation_failed',
      path: 'amount',
    });
    await setQuota(db, ops, { userId: csm.id, metric: 'grr', period: '2026-Q3', amount: '90' });
    const r = await quotaAttainment(db, ops, { period: '2026-Q3' }, NOW);
    // Start ARR 100,000 + 50,000 = 150,000; lost 10,000 + 50,000 = 60,000; GRR = 90,000 / 150,000 = 60.00%.
    expect(r.rows.find((x) => x.userId === csm.id && x.metric === 'grr')).toMatchObject({
      quota: '90.00',
      rampedQuota: '90.00',
      actual: '60.00',
      attainment: '0.6667',
    });
    expect(r.teams.find((t) => t.metric === 'grr')).toMatchObject({ reps: 1, attained: 0, rampedQuota: '90.00', actual: '60.00' });
    // A month quota of the same metric would overlap the quarter: refused like any other metric.
    expect(await refusal(setQuota(db, ops, { userId: csm.id, metric: 'grr', period: '2026-08', amount: '95' }))).toMatchObject({
      path: 'period',
    });
  });
});
