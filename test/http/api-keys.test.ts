import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { createApiKey } from '../../src/modules/org/org.service.js';
import type { Permission } from '../../src/platform/auth/principal.js';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const lead = { email: 'ana@initech.com', company: 'Initech', sourceType: 'net', channel: 'website' };

async function keyFor(db: Db, workspaceId: string, permissions: Permission[]) {
  return (await createApiKey(db, 'system', workspaceId, { name: `key ${permissions.join(' ')}`, permissions })).key;
}

describeEachDb('HTTP API keys', (getDb) => {
  const setup = async () => {
    const db = getDb();
    const org = await seedOrg(db);
    const app: FastifyInstance = await testApp(db);
    return { db, org, app };
  };

  it('lets a key do what its permissions allow, without a CSRF token, and audits it under the key', async () => {
    const { db, org, app } = await setup();
    const key = await keyFor(getDb(), org.workspace.id, ['crm:read', 'crm:write']);
    const created = await app.inject({ method: 'POST', url: '/api/v1/leads', headers: bearer(key), payload: lead });
    expect(created.statusCode).toBe(201);
    expect(created.json().ownerId).toBeNull();
    const read = await app.inject({ method: 'GET', url: `/api/v1/leads/${created.json().id}`, headers: bearer(key) });
    expect(read.json().company).toBe('Initech');
    const [row] = await db.query<{ actor_type: string }>('select actor_type from audit_log where record_id = $1', [created.json().id]);
    expect(row.actor_type).toBe('api_key');
    // ...and nothing else: no org write, no audit log.
    expect((await app.inject({ method: 'PATCH', url: '/api/v1/workspace', headers: bearer(key), payload: { name: 'X' } })).statusCode).toBe(
      403,
    );
    expect((await app.inject({ method: 'GET', url: '/api/v1/audit-log', headers: bearer(key) })).statusCode).toBe(403);
    await app.close();
  });

  it('refuses a write with a read-only key (403) and writes nothing', async () => {
    const { db, org, app } = await setup();
    const key = await keyFor(getDb(), org.workspace.id, ['crm:read']);
    const res = await app.inject({ method: 'POST', url: '/api/v1/leads', headers: bearer(key), payload: lead });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('crm:write') });
    expect(await db.query('select 1 from leads where workspace_id = $1', [org.workspace.id])).toHaveLength(0);
    expect((await app.inject({ method: 'GET', url: '/api/v1/leads', headers: bearer(key) })).statusCode).toBe(200);
    await app.close();
  });

  it('refuses revoked, unknown and malformed keys with 401', async () => {
    const { org, app } = await setup();
    const admin = await loginAs(app, org.users.admin.email);
    const made = await admin.call('POST', '/api/v1/api-keys', { name: 'temp', permissions: ['crm:read'] });
    expect(made.statusCode).toBe(201);
    const { id, key } = made.json() as { id: string; key: string };
    expect((await app.inject({ method: 'GET', url: '/api/v1/leads', headers: bearer(key) })).statusCode).toBe(200);
    expect((await admin.call('DELETE', `/api/v1/api-keys/${id}`)).statusCode).toBe(204);
    const revoked = await app.inject({ method: 'GET', url: '/api/v1/leads', headers: bearer(key) });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.code).toBe('unauthenticated');

    const tampered = key.slice(0, -2) + (key.endsWith('AA') ? 'BB' : 'AA');
    for (const header of [
      `Bearer ${tampered}`,
      `Bearer rl_nothex______${'x'.repeat(30)}`,
      'Bearer abc',
      'Bearer',
      'Basic dXNlcjpwYXNz',
      `Bearer ${key} extra`,
    ]) {
      const res = await app.inject({ method: 'GET', url: '/api/v1/leads', headers: { authorization: header } });
      expect(res.statusCode, header).toBe(401);
      expect(res.json().error.code).toBe('unauthenticated');
    }
    await app.close();
  });

  it('stores keys hashed: the key text is nowhere in the api_keys table', async () => {
    const { db, org, app } = await setup();
    const admin = await loginAs(app, org.users.admin.email);
    const { key } = (await admin.call('POST', '/api/v1/api-keys', { name: 'ci', permissions: ['crm:read'] })).json() as { key: string };
    const rows = await db.query<{ row: string }>('select row_to_json(k)::text as row from api_keys k where workspace_id = $1', [
      org.workspace.id,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].row).not.toContain(key);
    expect(rows[0].row).not.toContain(key.split('_').slice(2).join('_'));
    const listed = await admin.get('/api/v1/api-keys');
    expect(listed.body).not.toContain(key);
    await app.close();
  });

  it("keeps a key inside its workspace: another workspace's records are not found and never listed", async () => {
    const { org, app } = await setup();
    const other = await seedOrg(getDb());
    const theirs = await loginAs(app, other.users.aeA.email);
    const theirLead = (await theirs.call('POST', '/api/v1/leads', lead)).json() as { id: string };
    const theirOpp = (await theirs.call('POST', '/api/v1/opportunities', { name: 'Secret deal' })).json() as { id: string };
    const key = await keyFor(getDb(), org.workspace.id, ['crm:read', 'crm:write']);
    for (const url of [`/api/v1/leads/${theirLead.id}`, `/api/v1/opportunities/${theirOpp.id}`]) {
      const res = await app.inject({ method: 'GET', url, headers: bearer(key) });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/v1/leads/${theirLead.id}`,
      headers: bearer(key),
      payload: { company: 'Pwned' },
    });
    expect(patch.statusCode).toBe(404);
    const hist = await app.inject({ method: 'GET', url: `/api/v1/history?recordType=lead&recordId=${theirLead.id}`, headers: bearer(key) });
    expect(hist.statusCode).toBe(404);
    for (const url of ['/api/v1/leads?limit=500', '/api/v1/opportunities?limit=500', '/api/v1/opportunities/summary']) {
      const res = await app.inject({ method: 'GET', url, headers: bearer(key) });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(theirLead.id);
      expect(res.body).not.toContain(theirOpp.id);
      expect(res.body).not.toContain('Secret deal');
    }
    expect((await theirs.get(`/api/v1/leads/${theirLead.id}`)).json().company).toBe('Initech');
    await app.close();
  });
});
