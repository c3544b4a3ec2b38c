import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../../src/modules/org/org.service.js';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

/**
 * Throws garbage at every write route the OpenAPI document lists: whole garbage bodies, and plausible bodies
 * with one field at a time replaced by garbage. Whatever comes back must be a 4xx/2xx in the one error shape, never a 500.
 */
type Schema = {
  type?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  format?: string;
  pattern?: string;
  minLength?: number;
  minItems?: number;
  minimum?: number;
};
type Op = { requestBody?: { content?: { 'application/json'?: { schema?: Schema } } } };

const deep = (n: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
};

const GARBAGE_BODIES: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  '',
  'garbage',
  [],
  [null],
  [{}],
  {},
  { '': '' },
  deep(200),
  JSON.parse('{"__proto__": {"roles": ["admin"]}, "constructor": {"prototype": {"x": 1}}}'),
];

const GARBAGE_VALUES: unknown[] = [
  null,
  true,
  -1,
  0,
  1.5,
  2 ** 31,
  1e21,
  -1e21,
  '',
  ' ',
  'x',
  'x'.repeat(20_000),
  '\u0000',
  '💥\uD800',
  '../../etc/passwd',
  "' or 1=1 --",
  '<script>alert(1)</script>',
  '00000000-0000-0000-0000-000000000000',
  '2025-02-30',
  '9999-12-31T23:59:59Z',
  '-0.001',
  '1e5',
  'NaN',
  [],
  ['x'],
  [null],
  {},
  { a: 1 },
  deep(50),
];

/** A value the schema would probably accept, so that handlers (not just validation) get exercised. */
function plausible(s: Schema, ids: Record<string, string>): unknown {
  if (s.enum) return s.enum[0];
  if (s.anyOf) return plausible(s.anyOf.find((x) => x.type !== 'null') ?? s.anyOf[0], ids);
  switch (s.type) {
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, plausible(v, ids)]));
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => plausible(s.items ?? {}, ids));
    case 'integer':
    case 'number':
      return Math.max(1, s.minimum ?? 1);
    case 'boolean':
      return true;
    default:
      if (s.format === 'uuid' || s.pattern?.includes('[0-9a-fA-F]{8}')) return ids.any;
      if (s.format === 'email') return 'fuzz@example.com';
      if (s.format === 'date-time') return '2025-01-01T00:00:00Z';
      if (s.format === 'date') return '2025-01-01';
      if (s.pattern?.includes('{2}')) return 'US';
      if (s.pattern?.includes('@')) return 'example.com';
      return 'fuzz'.padEnd(s.minLength ?? 1, 'z');
  }
}

describeEachDb('HTTP fuzz of every write route', (getDb) => {
  let app: FastifyInstance;
  let admin: Awaited<ReturnType<typeof loginAs>>;
  let apiKey: string;
  let routes: { method: string; path: string; schema?: Schema }[];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const org = await seedOrg(getDb());
    app = await testApp(getDb());
    admin = await loginAs(app, org.users.admin.email);
    apiKey = (await createApiKey(getDb(), 'system', org.workspace.id, { name: 'fuzz', permissions: ['crm:read', 'crm:write'] })).key;
    const post = async (url: string, body: unknown) => (await admin.call('POST', url, body)).json().id as string;
    ids.accounts = await post('/api/v1/accounts', { name: 'Fuzz account' });
    ids.contacts = await post('/api/v1/contacts', { firstName: 'F', accountId: ids.accounts });
    ids.leads = await post('/api/v1/leads', { sourceType: 'net', channel: 'chat', email: 'f@fuzz.io' });
    ids.opportunities = await post('/api/v1/opportunities', { name: 'Fuzz deal', accountId: ids.accounts });
    ids.subscriptions = await post('/api/v1/subscriptions', { accountId: ids.accounts, arr: '100', startDate: '2025-01-01' });
    ids.users = org.users.aeA.id;
    ids.teams = org.teams.teamA.id;
    ids.any = ids.leads;
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, Op>> };
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([m]) => ['post', 'patch', 'put'].includes(m))
        .map(([m, op]) => ({ method: m.toUpperCase(), path, schema: op.requestBody?.content?.['application/json']?.schema })),
    );
  });
  afterAll(() => app.close());

  const urlsFor = (path: string) => {
    const collection = path.split('/')[3];
    return [ids[collection] ?? ids.any, '00000000-0000-4000-8000-000000000000', 'not-a-uuid', '%00'].map((id) => path.replace('{id}', id));
  };

  async function expectNo500(method: string, url: string, payload: unknown, auth: 'session' | 'key' = 'session') {
    const res =
      auth === 'session'
        ? await admin.call(method as 'POST', url, payload)
        : await app.inject({
            method: method as 'POST',
            url,
            payload: payload as never,
            headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          });
    expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)?.slice(0, 200)} -> ${res.body.slice(0, 300)}`).toBeLessThan(500);
    if (res.statusCode >= 400) expect(res.json().error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    return res.statusCode;
  }

  it('finds the write routes in the OpenAPI document', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(
      expect.arrayContaining(['POST /api/v1/leads', 'PATCH /api/v1/leads/{id}', 'PATCH /api/v1/workspace', 'PUT /api/v1/segments']),
    );
    expect(routes.length).toBeGreaterThanOrEqual(18);
  });

  // The routes are split in parts so each test stays well inside its time limit as modules add routes.
  const PARTS = 6;
  const part = (n: number) => routes.filter((_, i) => i % PARTS === n);

  for (let n = 0; n < PARTS; n++)
    it(`never answers a garbage body with a 500 (routes part ${n + 1} of ${PARTS})`, async () => {
      for (const r of part(n)) {
        if (r.path.endsWith('/auth/logout')) continue; // would end the session the fuzzing runs under
        for (const url of urlsFor(r.path)) for (const body of GARBAGE_BODIES) await expectNo500(r.method, url, body);
      }
    });

  const seen = new Set<number>();

  for (let n = 0; n < PARTS; n++)
    it(`never answers a plausible body with one garbage field with a 500, for a session or an API key (part ${n + 1} of ${PARTS})`, async () => {
      for (const r of part(n)) {
        if (!r.schema || r.path.endsWith('/auth/logout') || r.path.endsWith('/auth/login')) continue;
        const [url] = urlsFor(r.path);
        const base = plausible(r.schema, ids);
        seen.add(await expectNo500(r.method, url, base));
        const item = Array.isArray(base) ? (base[0] as Record<string, unknown>) : (base as Record<string, unknown>);
        for (const field of Object.keys(item ?? {}))
          for (const value of GARBAGE_VALUES) {
            const mutated = { ...item, [field]: value };
            seen.add(await expectNo500(r.method, url, Array.isArray(base) ? [mutated] : mutated));
          }
        seen.add(await expectNo500(r.method, url, base, 'key'));
      }
    });

  it('gets plausible bodies through validation sometimes, so handlers and SQL were exercised too', () => {
    expect([...seen].some((s) => s < 300)).toBe(true);
  });

  it('never answers garbage on the public auth routes with a 500', async () => {
    for (const body of [
      ...GARBAGE_BODIES,
      { email: 'x'.repeat(300), password: 'p' },
      { email: 'a@b.c', password: 'x'.repeat(201) },
      { email: 'a@b.c', password: 'p', workspace: { $ne: 1 } },
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: body as never,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.statusCode, JSON.stringify(body).slice(0, 100)).toBeLessThan(500);
    }
    const out = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      payload: 'garbage',
      headers: { 'content-type': 'application/json' },
    });
    expect(out.statusCode).toBeLessThan(500);
  });
});
