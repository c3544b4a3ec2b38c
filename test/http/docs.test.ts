import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

const WEB_BUILT = fs.existsSync(path.resolve('web/dist/index.html'));

describeEachDb('HTTP platform endpoints', (getDb, kind) => {
  it('answers GET /api/v1/health without signing in, naming the database', async () => {
    const app = await testApp(getDb());
    const res = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: kind });
    await app.close();
  });

  it('publishes an OpenAPI document listing the routes, with their schemas', async () => {
    const app = await testApp(getDb());
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /api/v1/health',
        'POST /api/v1/auth/login',
        'POST /api/v1/auth/logout',
        'GET /api/v1/auth/me',
        'GET /api/v1/workspace',
        'PATCH /api/v1/workspace',
        'PUT /api/v1/segments',
        'POST /api/v1/users',
        'PATCH /api/v1/users/{id}',
        'POST /api/v1/teams',
        'DELETE /api/v1/api-keys/{id}',
        'GET /api/v1/audit-log',
        'GET /api/v1/leads',
        'POST /api/v1/leads',
        'PATCH /api/v1/leads/{id}',
        'POST /api/v1/leads/{id}/status',
        'POST /api/v1/leads/{id}/convert',
        'GET /api/v1/accounts',
        'GET /api/v1/contacts',
        'POST /api/v1/opportunities/{id}/stage',
        'GET /api/v1/opportunities/summary',
        'POST /api/v1/subscriptions',
        'GET /api/v1/activities',
        'GET /api/v1/history',
        'POST /api/v1/web-events',
      ]),
    );
    const leadBody = doc.paths['/api/v1/leads'].post.requestBody.content['application/json'].schema;
    expect(leadBody.additionalProperties).toBe(false);
    expect(leadBody.properties.channel.enum).toContain('outbound_email');
    expect(doc.paths['/api/v1/leads'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['status', 'sourceType', 'channel', 'segment', 'ownerId', 'q', 'sort', 'order', 'limit', 'cursor']),
    );
    expect(Object.keys(doc.components.securitySchemes)).toEqual(expect.arrayContaining(['session', 'apiKey']));
    await app.close();
  });

  it('serves the API docs page as HTML', async () => {
    const app = await testApp(getDb());
    const res = await app.inject({ method: 'GET', url: '/api/docs' });
    const page =
      res.statusCode === 302 ? await app.inject({ method: 'GET', url: `/api/docs/${res.headers.location?.replace(/^.*\//, '')}` }) : res;
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toMatch(/swagger/i);
    await app.close();
  });

  it('answers unknown API routes with the JSON 404, and unknown pages with the web app', async () => {
    const db = getDb();
    const { users } = await seedOrg(db);
    const app = await testApp(db);
    const admin = await loginAs(app, users.admin.email);
    const res = await admin.get('/api/v1/no-such-thing');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'No route GET /api/v1/no-such-thing' } });
    const page = await app.inject({ method: 'GET', url: '/leads/some-client-route' });
    if (WEB_BUILT) {
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
    } else expect(page.statusCode).toBe(404);
    await app.close();
  });
});
