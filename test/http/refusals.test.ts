import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

type Client = Awaited<ReturnType<typeof loginAs>>;
type Org = Awaited<ReturnType<typeof seedOrg>>;

describeEachDb('HTTP refusals', (getDb) => {
  let app: FastifyInstance;
  let org: Org;
  let as: Record<'admin' | 'ops' | 'managerA' | 'managerB' | 'aeA' | 'sdrA' | 'aeB', Client>;
  let oppA: { id: string; amount: string };
  let leadA: { id: string; company: string };

  beforeAll(async () => {
    org = await seedOrg(getDb());
    app = await testApp(getDb());
    as = {} as typeof as;
    for (const k of ['admin', 'ops', 'managerA', 'managerB', 'aeA', 'sdrA', 'aeB'] as const) as[k] = await loginAs(app, org.users[k].email);
    oppA = (await as.aeA.call('POST', '/api/v1/opportunities', { name: 'Team A deal', amount: '5000' })).json();
    leadA = (
      await as.sdrA.call('POST', '/api/v1/leads', { email: 'x@acme.io', company: 'Acme', sourceType: 'spear', channel: 'linkedin' })
    ).json();
  });
  afterAll(() => app.close());

  const refused = (res: { statusCode: number; json: () => { error: { code: string } } }, status = 403, code = 'forbidden') => {
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
  };

  it("refuses a rep editing another rep's opportunity, and leaves it unchanged", async () => {
    refused(await as.aeB.call('PATCH', `/api/v1/opportunities/${oppA.id}`, { amount: '1' }));
    refused(await as.aeB.call('POST', `/api/v1/opportunities/${oppA.id}/stage`, { stage: 'won' }));
    refused(await as.aeB.get(`/api/v1/opportunities/${oppA.id}`));
    const now = (await as.aeA.get(`/api/v1/opportunities/${oppA.id}`)).json();
    expect(now).toMatchObject({ amount: '5000.00', stage: 'discovery' });
  });

  it("refuses a rep reading another rep's lead, even a teammate's", async () => {
    refused(await as.aeB.get(`/api/v1/leads/${leadA.id}`));
    refused(await as.aeA.get(`/api/v1/leads/${leadA.id}`));
    refused(await as.aeA.get(`/api/v1/history?recordType=lead&recordId=${leadA.id}`));
    refused(await as.aeA.get(`/api/v1/activities?recordType=lead&recordId=${leadA.id}`));
    expect((await as.sdrA.get(`/api/v1/leads/${leadA.id}`)).statusCode).toBe(200);
  });

  it("refuses a manager reading another team's records, and leaves them out of lists and totals", async () => {
    refused(await as.managerB.get(`/api/v1/leads/${leadA.id}`));
    refused(await as.managerB.get(`/api/v1/opportunities/${oppA.id}`));
    refused(await as.managerB.call('PATCH', `/api/v1/leads/${leadA.id}`, { company: 'Mine now' }));
    for (const url of ['/api/v1/leads', '/api/v1/opportunities', '/api/v1/opportunities/summary']) {
      const res = await as.managerB.get(url);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(leadA.id);
      expect(res.body).not.toContain(oppA.id);
    }
    expect((await as.managerB.get('/api/v1/opportunities/summary')).json().items).toEqual([]);
    const mine = await as.managerA.get('/api/v1/leads');
    expect(mine.json().items.map((l: { id: string }) => l.id)).toContain(leadA.id);
  });

  it("lets a manager edit their team member's deal", async () => {
    const res = await as.managerA.call('PATCH', `/api/v1/opportunities/${oppA.id}`, { amount: '7500.25', closeDate: '2026-01-31' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ amount: '7500.25', closeDate: '2026-01-31', ownerId: org.users.aeA.id });
    expect((await as.managerA.call('POST', `/api/v1/opportunities/${oppA.id}/stage`, { stage: 'trial' })).statusCode).toBe(200);
  });

  it('refuses a rep assigning a lead to someone outside their team, and lets them hand it to a teammate', async () => {
    const body = { email: 'y@acme.io', sourceType: 'net', channel: 'chat', ownerId: org.users.aeB.id };
    const res = await as.sdrA.call('POST', '/api/v1/leads', body);
    refused(res);
    expect(res.json().error.details).toEqual([{ path: 'ownerId', message: 'outside your team' }]);
    refused(await as.sdrA.call('PATCH', `/api/v1/leads/${leadA.id}`, { ownerId: org.users.aeB.id }));
    refused(await as.managerA.call('PATCH', `/api/v1/opportunities/${oppA.id}`, { ownerId: org.users.aeB.id }));
    const handed = await as.sdrA.call('POST', '/api/v1/leads', { ...body, ownerId: org.users.aeA.id });
    expect(handed.statusCode).toBe(201);
  });

  it('refuses an account of another workspace on a contact, naming accountId', async () => {
    const other = await seedOrg(getDb());
    const theirs = await loginAs(app, other.users.aeA.email);
    const account = (await theirs.call('POST', '/api/v1/accounts', { name: 'Elsewhere Inc' })).json() as { id: string };
    const res = await as.aeA.call('POST', '/api/v1/contacts', { firstName: 'Ana', email: 'ana@x.io', accountId: account.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed', details: [{ path: 'accountId', message: expect.any(String) }] });
    expect((await as.admin.get(`/api/v1/accounts/${account.id}`)).statusCode).toBe(404);
  });

  it('refuses sales ops granting admin, reps managing people or the workspace, and reps reading the audit log', async () => {
    const ws = org.workspace;
    refused(await as.ops.call('POST', '/api/v1/users', { email: 'root@x.test', name: 'Root', roles: ['admin'] }));
    refused(await as.ops.call('PATCH', `/api/v1/users/${org.users.ops.id}`, { roles: ['sales_ops', 'admin'] }));
    refused(await as.aeA.call('PATCH', '/api/v1/workspace', { name: 'Mine' }));
    refused(await as.aeA.call('PUT', '/api/v1/segments', []));
    refused(await as.aeA.call('POST', '/api/v1/users', { email: 'friend@x.test', name: 'Friend', roles: ['ae'] }));
    refused(await as.aeA.call('POST', '/api/v1/teams', { name: 'My own team' }));
    refused(await as.aeA.call('PATCH', `/api/v1/users/${org.users.aeB.id}`, { name: 'Renamed' }));
    refused(await as.aeA.call('PATCH', `/api/v1/users/${org.users.aeA.id}`, { roles: ['admin'] }));
    refused(await as.aeA.get('/api/v1/audit-log'));
    refused(await as.managerA.get('/api/v1/audit-log'));
    refused(await as.aeA.get('/api/v1/api-keys'));
    refused(await as.aeA.call('POST', '/api/v1/api-keys', { name: 'k', permissions: ['crm:read'] }));
    const db = getDb();
    expect((await db.query<{ name: string }>('select name from workspaces where id = $1', [ws.id]))[0].name).toBe(ws.name);
    expect(await db.query("select 1 from users where workspace_id = $1 and email in ('root@x.test', 'friend@x.test')", [ws.id])).toEqual(
      [],
    );
    expect((await as.ops.get('/api/v1/audit-log')).statusCode).toBe(200);
  });

  it('answers unknown ids with 404 and ids of another workspace the same way', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const url of [`/api/v1/leads/${missing}`, `/api/v1/opportunities/${missing}`, `/api/v1/users/${missing}`])
      refused(await as.admin.get(url), 404, 'not_found');
    refused(await as.admin.call('PATCH', `/api/v1/teams/${missing}`, { name: 'x' }), 404, 'not_found');
    refused(await as.admin.call('DELETE', `/api/v1/api-keys/${missing}`), 404, 'not_found');
  });
});
