import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../../src/modules/org/org.service.js';
import { describeEachDb } from '../support/db.js';
import { PASSWORD, seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';
import { seedRetentionBook } from '../support/retention.js';

type Client = Awaited<ReturnType<typeof loginAs>>;
type Org = Awaited<ReturnType<typeof seedOrg>>;
type Res = { statusCode: number; json: () => { error: { code: string; details?: { path: string }[] } } };
type Row = { key: string | null; label: string; metrics: { startArr: string; grr: string | null; nrr: string | null } };

const Q3 = '/api/v1/retention?period=2026-Q3';

describeEachDb('HTTP retention: numbers, scope and bad input', (getDb) => {
  let app: FastifyInstance;
  let org: Org;
  let other: Org;
  let csmB: { id: string; email: string };
  let as: Record<'admin' | 'ops' | 'managerA' | 'managerB' | 'aeA' | 'aeB' | 'sdrA' | 'csmB', Client>;

  beforeAll(async () => {
    const db = getDb();
    org = await seedOrg(db);
    other = await seedOrg(db);
    const domain = org.users.admin.email.split('@')[1];
    const csm = (key: string, teamId: string) =>
      createUser(db, 'system', org.workspace.id, { email: `${key}@${domain}`, name: key, roles: ['csm'], password: PASSWORD, teamId });
    const csmA = await csm('csmA', org.teams.teamA.id);
    csmB = await csm('csmB', org.teams.teamB.id);
    await seedRetentionBook(db, org.workspace.id, { aeA: org.users.aeA.id, aeB: org.users.aeB.id, csmA: csmA.id, csmB: csmB.id });
    app = await testApp(db);
    as = {} as typeof as;
    for (const k of ['admin', 'ops', 'managerA', 'managerB', 'aeA', 'aeB', 'sdrA'] as const) as[k] = await loginAs(app, org.users[k].email);
    as.csmB = await loginAs(app, csmB.email);
  });
  afterAll(() => app.close());

  const refused = (res: Res, status: number, path: string) => {
    expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
    expect(res.json().error.details?.map((d) => d.path)).toContain(path);
  };
  const labels = (res: { json: () => { rows: Row[] } }) => res.json().rows.map((r) => r.label);

  it('answers the golden GRR, NRR and logo churn to sales ops, with every group', async () => {
    const res = await as.ops.get(`${Q3}&groupBy=ae`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      groupBy: 'ae',
      timezone: 'Europe/Paris',
      currency: 'EUR',
      range: { from: '2026-07-01', to: '2026-09-30', label: '2026-Q3' },
      total: { logos: 5, churnedLogos: 1, startArr: '275000.00', grr: '0.7091', nrr: '0.8727', logoChurn: '0.2000' },
    });
    expect(labels(res)).toEqual(['aeA', 'aeB', 'Unassigned']);
    const custom = await as.admin.get('/api/v1/retention?from=2026-07-01&to=2026-09-30&groupBy=cohort');
    expect(custom.json()).toMatchObject({ range: { label: '2026-07-01..2026-09-30' }, total: { grr: '0.7091' } });
    expect(labels(custom)).toEqual(['2025-Q4', '2026-Q1', '2026-Q2']);
  });

  it('gives a manager their teams, a rep their own row, someone with no customers zeros', async () => {
    const team = await as.managerA.get(`${Q3}&groupBy=csm`);
    expect(team.statusCode).toBe(200);
    expect(labels(team)).toEqual(['csmA']);
    expect(team.body).not.toContain(csmB.id);
    expect(labels(await as.managerB.get(`${Q3}&groupBy=ae`))).toEqual(['aeB']);
    expect(labels(await as.csmB.get(`${Q3}&groupBy=csm`))).toEqual(['csmB']);
    const own = await as.aeB.get(`${Q3}&groupBy=segment`);
    // aeB closed ExpandChurn (SMB) and DipThenGrow (ESB): those two segments, and nothing of aeA's.
    expect(labels(own)).toEqual(['ESB', 'SMB']);
    expect(own.json().total).toMatchObject({ startArr: '110000.00', grr: '0.3636', nrr: '0.6364' });
    const none = await as.sdrA.get(Q3);
    expect(none.json().total).toMatchObject({ logos: 0, startArr: '0.00', grr: null, nrr: null });
  });

  it("refuses another team's person (403) and another workspace's (404), and strangers (401)", async () => {
    expect((await as.managerA.get(`${Q3}&repId=${org.users.aeA.id}`)).json().total.startArr).toBe('140000.00');
    refused(await as.managerA.get(`${Q3}&repId=${org.users.aeB.id}`), 403, 'repId');
    refused(await as.aeA.get(`${Q3}&repId=${org.users.aeB.id}`), 403, 'repId');
    refused(await as.aeA.get(`/api/v1/retention/trend?repId=${csmB.id}`), 403, 'repId');
    refused(await as.admin.get(`${Q3}&repId=${other.users.aeA.id}`), 404, 'repId');
    expect((await app.inject({ method: 'GET', url: Q3 })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/retention/trend' })).statusCode).toBe(401);
  });

  it('answers bad input with 400 naming the field', async () => {
    for (const [url, path] of [
      ['/api/v1/retention?period=2026-Q5', 'period'],
      ['/api/v1/retention?period=soon', 'period'],
      ['/api/v1/retention?period=2026-Q3&from=2026-07-01&to=2026-07-31', 'period'],
      ['/api/v1/retention?from=2026-07-01', 'to'],
      ['/api/v1/retention?from=2026-09-01&to=2026-08-01', 'to'],
      ['/api/v1/retention?from=yesterday&to=2026-08-01', 'from'],
      [`${Q3}&groupBy=planet`, 'groupBy'],
      [`${Q3}&repId=nope`, 'repId'],
      ['/api/v1/retention/trend?months=0', 'months'],
      ['/api/v1/retention/trend?months=37', 'months'],
      ['/api/v1/retention/trend?months=twelve', 'months'],
      ['/api/v1/retention/trend?until=2026-13', 'until'],
      ['/api/v1/retention/trend?until=0001-01', 'until'],
      ['/api/v1/retention/trend?groupBy=rep', 'groupBy'],
    ] as const)
      refused(await as.admin.get(url), 400, path);
  });

  it('gives the monthly trend, total and per group', async () => {
    const res = await as.managerA.get('/api/v1/retention/trend?months=3&until=2026-09&groupBy=ae');
    expect(res.statusCode).toBe(200);
    const t = res.json();
    expect(t.months.map((m: { label: string }) => m.label)).toEqual(['2026-07', '2026-08', '2026-09']);
    expect(t.series.map((s: { label: string }) => s.label)).toEqual(['aeA']);
    expect(t.total.map((p: { nrr: string }) => p.nrr)).toEqual(['0.9286', '1.1154', '1.0286']);
    const year = await as.admin.get('/api/v1/retention/trend');
    expect(year.json().months).toHaveLength(12);
    expect(year.json().series).toEqual([]);
  });
});
