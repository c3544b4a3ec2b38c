import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { setQuota } from '../../src/modules/quotas/quotas.service.js';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

type Client = Awaited<ReturnType<typeof loginAs>>;
type Org = Awaited<ReturnType<typeof seedOrg>>;

describeEachDb('HTTP quota calibration and backtest', (getDb) => {
  let app: FastifyInstance;
  let db: Db;
  let org: Org;
  let as: Record<'admin' | 'ops' | 'managerA' | 'managerB' | 'aeA' | 'sdrA', Client>;
  let otherAdmin: Client;
  const field = (res: { json: () => { error: { details?: { path: string }[] } } }) => res.json().error.details?.[0]?.path;

  beforeAll(async () => {
    db = getDb();
    org = await seedOrg(db);
    const other = await seedOrg(db);
    app = await testApp(db);
    as = {} as typeof as;
    for (const k of ['admin', 'ops', 'managerA', 'managerB', 'aeA', 'sdrA'] as const) as[k] = await loginAs(app, org.users[k].email);
    otherAdmin = await loginAs(app, other.users.admin.email);
    for (const [userId, amount] of [
      [org.users.aeA.id, '50000'],
      [org.users.aeB.id, '80000'],
    ])
      await setQuota(db, org.principals.ops, { userId, metric: 'new_arr', period: '2026-Q3', amount });
    const [acc] = await db.query<{ id: string }>(
      `insert into accounts (workspace_id, name, segment) values ($1, 'Acme', 'SMB') returning id`,
      [org.workspace.id],
    );
    await db.query(
      `insert into opportunities (workspace_id, name, owner_id, account_id, amount, stage, created_at, closed_at, segment, source_type)
       values ($1, 'Deal', $2, $3, 60000, 'won', '2026-08-01T10:00:00Z', '2026-08-01T10:00:00Z', 'SMB', 'net')`,
      [org.workspace.id, org.users.aeA.id, acc.id],
    );
  });
  afterAll(() => app.close());

  it('GET /quotas/calibration returns the contract shape; a manager sees their team only', async () => {
    const res = await as.ops.get('/api/v1/quotas/calibration?metric=new_arr&period=2026-Q3&periods=2');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.metric).toBe('new_arr');
    expect(body.periods).toEqual(['2026-Q2', '2026-Q3']);
    expect(body.distribution).toEqual([
      expect.objectContaining({
        teamId: org.teams.teamA.id,
        teamName: 'Team A',
        period: '2026-Q3',
        reps: 1,
        attained: 1,
        share: 1,
        flag: 'too_easy',
      }),
      expect.objectContaining({
        teamId: org.teams.teamB.id,
        teamName: 'Team B',
        period: '2026-Q3',
        reps: 1,
        attained: 0,
        share: 0,
        flag: 'too_hard',
      }),
    ]);
    expect(body.distribution[0].buckets).toHaveLength(5);
    expect(body.distribution[0].reason).toMatch(/1 of 1 rep \(100%\) reached quota in 2026-Q3/);
    expect(body.raise.map((r: { teamName: string; fires: boolean; suggestion: unknown }) => [r.teamName, r.fires, r.suggestion])).toEqual([
      ['Team A', false, null],
      ['Team B', false, null],
    ]);
    const mine = await as.managerA.get('/api/v1/quotas/calibration?metric=new_arr&period=2026-Q3');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().periods).toHaveLength(4);
    expect(mine.json().distribution.map((d: { teamId: string }) => d.teamId)).toEqual([org.teams.teamA.id]);
  });

  it('POST /quotas/backtest answers who would have attained', async () => {
    const res = await as.admin.call('POST', '/api/v1/quotas/backtest', {
      metric: 'new_arr',
      periods: ['2026-Q3'],
      quota: { amount: 60000 },
    });
    expect(res.statusCode).toBe(200);
    const [p] = res.json().periods;
    expect(p.period).toBe('2026-Q3');
    expect(p.teams).toEqual([
      { teamId: org.teams.teamA.id, teamName: 'Team A', reps: 1, attained: 1, share: 1, flag: 'too_easy' },
      { teamId: org.teams.teamB.id, teamName: 'Team B', reps: 1, attained: 0, share: 0, flag: 'too_hard' },
    ]);
    expect(p.reps).toContainEqual({
      userId: org.users.aeA.id,
      name: 'aeA',
      teamId: org.teams.teamA.id,
      actual: '60000.00',
      quota: '60000.00',
      attained: true,
    });
    const mgr = await as.managerB.call('POST', '/api/v1/quotas/backtest', {
      metric: 'new_arr',
      periods: ['2026-Q3'],
      quota: { byTeam: { [org.teams.teamB.id]: '1' } },
    });
    expect(mgr.statusCode).toBe(200);
    expect(mgr.json().periods[0].reps.map((r: { name: string; attained: boolean }) => [r.name, r.attained])).toEqual([['aeB', false]]);
  });

  it('refuses reps, other teams and other workspaces', async () => {
    expect((await as.aeA.get('/api/v1/quotas/calibration?metric=new_arr&period=2026-Q3')).statusCode).toBe(403);
    expect(
      (await as.sdrA.call('POST', '/api/v1/quotas/backtest', { metric: 'new_arr', periods: ['2026-Q3'], quota: { amount: 1 } })).statusCode,
    ).toBe(403);
    const cross = await as.managerB.get(`/api/v1/quotas/calibration?metric=new_arr&period=2026-Q3&teamId=${org.teams.teamA.id}`);
    expect(cross.statusCode).toBe(403);
    expect(field(cross)).toBe('teamId');
    const foreign = await otherAdmin.get(`/api/v1/quotas/calibration?metric=new_arr&period=2026-Q3&teamId=${org.teams.teamA.id}`);
    expect(foreign.statusCode).toBe(404);
    const theirs = await otherAdmin.get('/api/v1/quotas/calibration?metric=new_arr&period=2026-Q3');
    expect(theirs.json().distribution).toEqual([]);
    const notMine = await as.managerB.call('POST', '/api/v1/quotas/backtest', {
      metric: 'new_arr',
      periods: ['2026-Q3'],
      quota: { byTeam: { [org.teams.teamA.id]: '1' } },
    });
    expect(notMine.statusCode).toBe(400);
    expect(field(notMine)).toBe(`quota.byTeam.${org.teams.teamA.id}`);
  });

  it('refuses bad input with 400 naming the field', async () => {
    for (const [qs, path] of [
      ['metric=arr&period=2026-Q3', 'metric'],
      ['metric=new_arr&period=2026-W12', 'period'],
      ['metric=new_arr&period=2026-Q3&periods=13', 'periods'],
      ['metric=new_arr&period=2026-Q3&periods=two', 'periods'],
      ['period=2026-Q3', 'metric'],
      ['metric=new_arr', 'period'],
    ]) {
      const res = await as.ops.get(`/api/v1/quotas/calibration?${qs}`);
      expect(res.statusCode, qs).toBe(400);
      expect(field(res), qs).toBe(path);
    }
    const post = (body: Record<string, unknown>) =>
      as.ops.call('POST', '/api/v1/quotas/backtest', { metric: 'new_arr', periods: ['2026-Q3'], quota: { amount: 1 }, ...body });
    for (const [body, path] of [
      [{ quota: { amount: 0 } }, 'quota.amount'],
      [{ quota: { amount: -10 } }, 'quota.amount'],
      [{ quota: { amount: '1.234' } }, 'quota.amount'],
      [{ quota: { byRep: { [org.users.aeA.id]: '0' } } }, `quota.byRep.${org.users.aeA.id}`],
      [{ quota: {} }, 'quota'],
      [{ periods: [] }, 'periods'],
      [{ periods: ['2026-Q1', 'later'] }, 'periods[1]'],
      [{ metric: 'deals' }, 'metric'],
    ] as const) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(field(res), JSON.stringify(body)).toBe(path);
    }
  });
});
