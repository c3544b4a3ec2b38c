import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

type Client = Awaited<ReturnType<typeof loginAs>>;
type Org = Awaited<ReturnType<typeof seedOrg>>;

describeEachDb('HTTP quotas', (getDb) => {
  let app: FastifyInstance;
  let db: Db;
  let org: Org;
  let other: Org;
  let as: Record<'admin' | 'ops' | 'managerA' | 'aeA' | 'aeB', Client>;
  let otherAdmin: Client;
  const count = async () =>
    (await db.query<{ n: number }>('select count(*)::int as n from quotas where workspace_id = $1', [org.workspace.id]))[0].n;
  const field = (res: { json: () => { error: { details?: { path: string }[] } } }) => res.json().error.details?.[0]?.path;

  beforeAll(async () => {
    db = getDb();
    org = await seedOrg(db);
    other = await seedOrg(db);
    app = await testApp(db);
    as = {} as typeof as;
    for (const k of ['admin', 'ops', 'managerA', 'aeA', 'aeB'] as const) as[k] = await loginAs(app, org.users[k].email);
    otherAdmin = await loginAs(app, other.users.admin.email);
  });
  afterAll(() => app.close());

  it('PUT creates (201) then updates (200) the same quota; GET lists it; DELETE removes it', async () => {
    const body = { userId: org.users.aeA.id, metric: 'new_arr', period: '2026-Q3', amount: 250000 };
    const created = await as.ops.call('PUT', '/api/v1/quotas', body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ period: '2026-Q3', amount: '250000.00', periodStart: '2026-07-01' });
    const updated = await as.ops.call('PUT', '/api/v1/quotas', { ...body, amount: '260000.00' });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ id: created.json().id, amount: '260000.00' });
    const list = await as.aeA.get('/api/v1/quotas?period=2026-Q3');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(1);

    const extra = await as.managerA.call('PUT', '/api/v1/quotas', { ...body, period: '2026-10', amount: 1 });
    expect(extra.statusCode).toBe(201);
    expect((await otherAdmin.call('DELETE', `/api/v1/quotas/${extra.json().id}`)).statusCode).toBe(404);
    expect((await as.aeA.call('DELETE', `/api/v1/quotas/${extra.json().id}`)).statusCode).toBe(403);
    expect((await as.managerA.call('DELETE', `/api/v1/quotas/${extra.json().id}`)).statusCode).toBe(204);
  });

  it('refuses bad input with 400 naming the field, and saves nothing', async () => {
    const before = await count();
    const put = (x: Record<string, unknown>) =>
      as.admin.call('PUT', '/api/v1/quotas', { userId: org.users.aeA.id, metric: 'new_arr', period: '2026-Q4', amount: '100', ...x });
    for (const [x, path] of [
      [{ amount: 0 }, 'amount'],
      [{ amount: '-100' }, 'amount'],
      [{ amount: 'lots' }, 'amount'],
      [{ period: '2026-W40' }, 'period'],
      [{ period: 'next year' }, 'period'],
      [{ period: '2026-09' }, 'period'], // inside the 2026-Q3 quota
      [{ period: '2026' }, 'period'],
      [{ metric: 'expansion_arr' }, 'metric'],
      [{ metric: 'bogus' }, 'metric'],
      [{ userId: 'nope' }, 'userId'],
    ] as const) {
      const res = await put(x);
      expect(res.statusCode, JSON.stringify(x)).toBe(400);
      expect(field(res), JSON.stringify(x)).toBe(path);
    }
    expect((await put({ period: '2026' })).json().error.message).toMatch(/overlapping periods/);
    expect(await count()).toBe(before);
  });

  it('enforces who may set and read', async () => {
    const put = (c: Client, userId: string) => c.call('PUT', '/api/v1/quotas', { userId, metric: 'new_arr', period: '2027-Q1', amount: 5 });
    expect((await put(as.managerA, org.users.aeB.id)).statusCode).toBe(403);
    expect((await put(as.aeA, org.users.aeA.id)).statusCode).toBe(403);
    expect((await put(as.admin, other.users.aeA.id)).statusCode).toBe(404);
    expect((await as.aeA.get(`/api/v1/quotas?userId=${org.users.aeB.id}`)).statusCode).toBe(403);
    expect((await as.aeA.get(`/api/v1/quotas/attainment?teamId=${org.teams.teamB.id}`)).statusCode).toBe(403);
    expect((await as.admin.get(`/api/v1/quotas?teamId=${other.teams.teamA.id}`)).statusCode).toBe(404);
    expect(
      (
        await as.aeA.call(
          'PUT',
          '/api/v1/quotas',
          { userId: org.users.aeA.id, metric: 'new_arr', period: '2027-Q1', amount: 5 },
          { csrf: null },
        )
      ).statusCode,
    ).toBe(403);
  });

  it('reports attainment with team roll-ups', async () => {
    await db.query(
      `insert into opportunities (workspace_id, name, owner_id, amount, stage, created_at, closed_at, segment, source_type)
       values ($1, 'Deal', $2, 130000, 'won', '2026-07-02T10:00:00Z', '2026-08-03T10:00:00Z', 'SMB', 'net')`,
      [org.workspace.id, org.users.aeA.id],
    );
    const res = await as.managerA.get(`/api/v1/quotas/attainment?period=2026-Q3&teamId=${org.teams.teamA.id}`);
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.rows).toEqual([
      expect.objectContaining({
        userId: org.users.aeA.id,
        metric: 'new_arr',
        rampedQuota: '260000.00',
        actual: '130000.00',
        attainment: '0.5000',
      }),
    ]);
    expect(r.teams).toEqual([
      expect.objectContaining({ teamName: 'Team A', reps: 1, attained: 0, rampedQuota: '260000.00', actual: '130000.00' }),
    ]);
    expect((await as.admin.get('/api/v1/quotas/attainment?period=2026-W30')).statusCode).toBe(400);
  });

  it('reads and changes the ramp setting; a bad ramp is a 400 on ramp', async () => {
    expect((await as.aeA.get('/api/v1/quotas/settings')).json()).toEqual({ ramp: [25, 50, 75, 100], isDefault: true });
    const bad = await as.ops.call('PUT', '/api/v1/quotas/settings', { ramp: [25, 50] });
    expect(bad.statusCode).toBe(400);
    expect(field(bad)).toBe('ramp');
    expect(bad.json().error.message).toMatch(/must reach 100/);
    expect((await as.managerA.call('PUT', '/api/v1/quotas/settings', { ramp: [100] })).statusCode).toBe(403);
    const ok = await as.ops.call('PUT', '/api/v1/quotas/settings', { ramp: [50, 100] });
    expect(ok.statusCode).toBe(200);
    expect((await as.aeB.get('/api/v1/quotas/settings')).json()).toEqual({ ramp: [50, 100], isDefault: false });
    expect((await otherAdmin.get('/api/v1/quotas/settings')).json().isDefault).toBe(true);
  });
});
