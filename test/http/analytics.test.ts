import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

type Client = Awaited<ReturnType<typeof loginAs>>;
type Org = Awaited<ReturnType<typeof seedOrg>>;
type Res = { statusCode: number; json: () => { error: { code: string; details?: { path: string }[] } } };

const Q3 = '/api/v1/analytics/funnel?period=2025-Q3';

describeEachDb('HTTP analytics: scope and bad input', (getDb) => {
  let app: FastifyInstance;
  let org: Org;
  let other: Org;
  let as: Record<'admin' | 'managerA' | 'managerB' | 'aeA' | 'sdrA' | 'aeB', Client>;

  beforeAll(async () => {
    const db = getDb();
    org = await seedOrg(db);
    other = await seedOrg(db);
    // One lead per rep in 2025-Q3 (two for aeA), so every rep has a row.
    const { aeA, sdrA, aeB } = org.users;
    for (const [owner, at] of [
      [aeA.id, '2025-08-01T10:00:00+02:00'],
      [aeA.id, '2025-08-02T10:00:00+02:00'],
      [sdrA.id, '2025-08-03T10:00:00+02:00'],
      [aeB.id, '2025-08-04T10:00:00+02:00'],
    ])
      await db.query(
        `insert into leads (workspace_id, company, owner_id, source_type, channel, created_at) values ($1, 'Co', $2, 'net', 'web', $3)`,
        [org.workspace.id, owner, at],
      );
    app = await testApp(db);
    as = {} as typeof as;
    for (const k of ['admin', 'managerA', 'managerB', 'aeA', 'sdrA', 'aeB'] as const) as[k] = await loginAs(app, org.users[k].email);
  });
  afterAll(() => app.close());

  const refused = (res: Res, status: number, path: string) => {
    expect(res.statusCode).toBe(status);
    expect(res.json().error.details?.map((d) => d.path)).toContain(path);
  };

  it('gives an admin every rep, and a rep only their own row plus the team benchmark', async () => {
    const all = await as.admin.get(`${Q3}&groupBy=rep`);
    expect(all.statusCode).toBe(200);
    expect(all.json().total.counts.leads).toBe(4);
    expect(all.json().rows).toHaveLength(3);
    expect(all.json().benchmark).toBeNull();

    const mine = await as.aeA.get(`${Q3}&groupBy=rep`);
    expect(mine.statusCode).toBe(200);
    const body = mine.json();
    expect(body.rows.map((r: { key: string }) => r.key)).toEqual([org.users.aeA.id]);
    expect(body.total.counts.leads).toBe(2);
    expect(body.benchmark).toMatchObject({ label: 'Team A', metrics: { counts: { leads: 3 } } });
    expect(mine.body).not.toContain(org.users.aeB.id);
    expect(mine.body).not.toContain(org.users.sdrA.id);
  });

  it('gives a manager their team only', async () => {
    const res = await as.managerA.get(`${Q3}&groupBy=rep`);
    expect(res.statusCode).toBe(200);
    expect(res.json().total.counts.leads).toBe(3);
    expect(
      res
        .json()
        .rows.map((r: { key: string }) => r.key)
        .sort(),
    ).toEqual([org.users.aeA.id, org.users.sdrA.id].sort());
    expect((await as.managerA.get(`${Q3}&teamId=${org.teams.teamA.id}`)).statusCode).toBe(200);
  });

  it("refuses a rep asking for another rep's or another team's numbers", async () => {
    refused(await as.aeA.get(`${Q3}&repId=${org.users.sdrA.id}`), 403, 'repId');
    refused(await as.aeA.get(`${Q3}&repId=${org.users.aeB.id}`), 403, 'repId');
    refused(await as.aeA.get(`${Q3}&teamId=${org.teams.teamB.id}`), 403, 'teamId');
    expect((await as.aeA.get(`${Q3}&repId=${org.users.aeA.id}`)).statusCode).toBe(200);
  });

  it("refuses a manager asking for another team's numbers", async () => {
    refused(await as.managerB.get(`${Q3}&teamId=${org.teams.teamA.id}`), 403, 'teamId');
    refused(await as.managerB.get(`${Q3}&repId=${org.users.aeA.id}`), 403, 'repId');
  });

  it("answers 404 for another workspace's rep or team", async () => {
    refused(await as.admin.get(`${Q3}&repId=${other.users.aeA.id}`), 404, 'repId');
    refused(await as.aeA.get(`${Q3}&teamId=${other.teams.teamA.id}`), 404, 'teamId');
  });

  it.each([
    ['unknown groupBy', '/api/v1/analytics/funnel?groupBy=planet', 'groupBy'],
    ['unknown view', '/api/v1/analytics/funnel?view=sideways', 'view'],
    ['period 2026-Q5', '/api/v1/analytics/funnel?period=2026-Q5', 'period'],
    ['period 2026-13', '/api/v1/analytics/funnel?period=2026-13', 'period'],
    ['from after to', '/api/v1/analytics/funnel?from=2026-03-01&to=2026-02-01', 'to'],
    ['from without to', '/api/v1/analytics/funnel?from=2026-03-01', 'to'],
    ['to without from', '/api/v1/analytics/funnel?to=2026-03-01', 'from'],
    ['not a date', '/api/v1/analytics/funnel?from=2026-02-30&to=2026-03-01', 'from'],
    ['bad repId', '/api/v1/analytics/funnel?repId=nope', 'repId'],
  ])('answers 400 naming the field: %s', async (_what, url, path) => {
    const res = await as.admin.get(url);
    refused(res, 400, path);
    expect(res.json().error.code).toBe('validation_failed');
  });

  it('answers a period without data with zeros', async () => {
    const res = await as.admin.get('/api/v1/analytics/funnel?period=2019-Q1&groupBy=rep');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.rows).toEqual([]);
    expect(Object.values(body.total.counts).every((n) => n === 0)).toBe(true);
    expect(body.total.bookings.total).toBe('0.00');
    expect(body.total.winRate).toBeNull();
    const rep = await as.aeA.get('/api/v1/analytics/funnel?period=2019-Q1');
    expect(rep.statusCode).toBe(200);
    expect(rep.json().total.counts.leads).toBe(0);
    expect(rep.json().benchmark.metrics.counts.leads).toBe(0);
  });
});
