import { expect, it } from 'vitest';
import { createApiKey } from '../../src/modules/org/org.service.js';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

const lead = { email: 'csrf@initech.com', company: 'Initech', sourceType: 'net', channel: 'website' };

describeEachDb('HTTP CSRF protection', (getDb) => {
  it('refuses cookie-authenticated writes without the token or with a wrong one, and writes nothing', async () => {
    const db = getDb();
    const { users, workspace } = await seedOrg(db);
    const app = await testApp(db);
    const s = await loginAs(app, users.sdrA.email);
    const own = (await s.call('POST', '/api/v1/leads', { ...lead, email: 'mine@initech.com' })).json() as { id: string; company: string };
    const other = await loginAs(app, users.sdrA.email); // another session of the same user: its token is not this one's

    const attempts = [
      () => s.call('POST', '/api/v1/leads', lead, { csrf: null }),
      () => s.call('POST', '/api/v1/leads', lead, { csrf: 'forged-token' }),
      () => s.call('POST', '/api/v1/leads', lead, { csrf: other.csrf }),
      () => s.call('POST', '/api/v1/leads', lead, { csrf: '' }),
      () => s.call('PATCH', `/api/v1/leads/${own.id}`, { company: 'Hacked' }, { csrf: null }),
      () => s.call('PATCH', `/api/v1/leads/${own.id}`, { company: 'Hacked' }, { csrf: `${s.csrf}x` }),
      () => s.call('POST', `/api/v1/leads/${own.id}/status`, { status: 'working' }, { csrf: null }),
      () => s.call('PATCH', `/api/v1/users/${users.sdrA.id}`, { name: 'Hacked' }, { csrf: null }),
      // Even a body that would fail validation is refused for the missing token first: nothing about the request is processed.
      () => s.call('POST', '/api/v1/leads', { nonsense: true }, { csrf: null }),
    ];
    for (const attempt of attempts) {
      const res = await attempt();
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('csrf_failed');
    }
    const rows = await db.query<{ company: string; status: string }>('select company, status from leads where workspace_id = $1', [
      workspace.id,
    ]);
    expect(rows).toEqual([{ company: 'Initech', status: 'new' }]);
    const [u] = await db.query<{ name: string }>('select name from users where id = $1', [users.sdrA.id]);
    expect(u.name).toBe('sdrA');

    // The right token works, and reads never need it.
    expect((await s.call('PATCH', `/api/v1/leads/${own.id}`, { company: 'Initech Corp' })).statusCode).toBe(200);
    expect((await s.call('GET', '/api/v1/leads', undefined, { csrf: null })).statusCode).toBe(200);
    await app.close();
  });

  it('does not ask API-key writes for a token (browsers never send keys on their own)', async () => {
    const db = getDb();
    const { workspace } = await seedOrg(db);
    const app = await testApp(db);
    const { key } = await createApiKey(db, 'system', workspace.id, { name: 'etl', permissions: ['crm:read', 'crm:write'] });
    const res = await app.inject({ method: 'POST', url: '/api/v1/leads', headers: { authorization: `Bearer ${key}` }, payload: lead });
    expect(res.statusCode).toBe(201);
    await app.close();
  });
});
