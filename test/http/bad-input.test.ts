import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

type Client = Awaited<ReturnType<typeof loginAs>>;
type Case = [what: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, body: unknown, path: string];

const LEAD = { sourceType: 'net', channel: 'website' };
const long = (n: number) => 'x'.repeat(n);
const cursorOf = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Every case must be refused with a 4xx whose details name `path`. `:lead` and `:opp` are replaced by real ids. */
const CASES: Case[] = [
  ['unknown field', 'POST', '/api/v1/leads', { ...LEAD, favouriteColour: 'blue' }, 'favouriteColour'],
  ['two unknown fields', 'PATCH', '/api/v1/leads/:lead', { a: 1, b: 2 }, 'a,b'],
  ['missing required field', 'POST', '/api/v1/leads', { sourceType: 'net' }, 'channel'],
  ['missing required field (account)', 'POST', '/api/v1/accounts', { domain: 'acme.com' }, 'name'],
  [
    'segment size beyond an integer',
    'PUT',
    '/api/v1/segments',
    [{ code: 'ESB', name: 'E', maxEmployees: 2 ** 31, maxArr: '1' }],
    '0.maxEmployees',
  ],
  ['wrong type: number as text', 'POST', '/api/v1/leads', { ...LEAD, employees: 'forty' }, 'employees'],
  ['wrong type: fractional count', 'POST', '/api/v1/leads', { ...LEAD, employees: 4.5 }, 'employees'],
  ['wrong type: object for text', 'POST', '/api/v1/leads', { ...LEAD, company: { name: 'x' } }, 'company'],
  ['wrong type: boolean for enum', 'POST', '/api/v1/leads', { ...LEAD, sourceType: true }, 'sourceType'],
  ['bad enum value', 'POST', '/api/v1/leads', { ...LEAD, channel: 'carrier_pigeon' }, 'channel'],
  ['oversized company', 'POST', '/api/v1/leads', { ...LEAD, company: long(201) }, 'company'],
  ['oversized first name', 'PATCH', '/api/v1/leads/:lead', { firstName: long(101) }, 'firstName'],
  [
    'oversized activity body',
    'POST',
    '/api/v1/activities',
    { kind: 'note', subject: 's', body: long(10_001), recordType: 'lead', recordId: ':lead' },
    'body',
  ],
  ['invalid email', 'POST', '/api/v1/leads', { ...LEAD, email: 'not-an-email' }, 'email'],
  ['email with spaces', 'POST', '/api/v1/contacts', { email: 'ana @initech.com' }, 'email'],
  ['oversized email', 'POST', '/api/v1/users', { email: `${long(250)}@x.io`, name: 'N', roles: ['ae'] }, 'email'],
  ['invalid country', 'POST', '/api/v1/accounts', { name: 'A', country: 'USA' }, 'country'],
  ['invalid domain', 'POST', '/api/v1/accounts', { name: 'A', domain: 'not a domain' }, 'domain'],
  ['negative count', 'POST', '/api/v1/accounts', { name: 'A', employees: -1 }, 'employees'],
  ['empty name', 'POST', '/api/v1/accounts', { name: '   ' }, 'name'],
  ['over-precise money', 'POST', '/api/v1/opportunities', { name: 'D', amount: '12.345' }, 'amount'],
  ['over-precise money as a number', 'POST', '/api/v1/opportunities', { name: 'D', amount: 12.345 }, 'amount'],
  ['negative money', 'POST', '/api/v1/opportunities', { name: 'D', amount: '-5.00' }, 'amount'],
  ['money in exponent form', 'POST', '/api/v1/opportunities', { name: 'D', amount: '1e5' }, 'amount'],
  ['money too large', 'POST', '/api/v1/opportunities', { name: 'D', amount: '10000000000000' }, 'amount'],
  ['money with a currency sign', 'PATCH', '/api/v1/opportunities/:opp', { amount: '$100' }, 'amount'],
  ['negative expected ARR', 'POST', '/api/v1/leads', { ...LEAD, expectedArr: -1 }, 'expectedArr'],
  ['impossible date', 'PATCH', '/api/v1/opportunities/:opp', { closeDate: '2025-02-30' }, 'closeDate'],
  ['date-time without offset', 'POST', '/api/v1/leads', { ...LEAD, createdAt: '2025-01-01 10:00' }, 'createdAt'],
  ['invalid uuid in body', 'POST', '/api/v1/opportunities', { name: 'D', accountId: 'acc-1' }, 'accountId'],
  ['unknown stage', 'POST', '/api/v1/opportunities/:opp/stage', { stage: 'pilot' }, 'stage'],
  ['bad lead status', 'POST', '/api/v1/leads/:lead/status', { status: 'hot' }, 'status'],
  ['invalid uuid in path', 'GET', '/api/v1/leads/not-a-uuid', undefined, 'id'],
  ['invalid uuid in path (PATCH)', 'PATCH', '/api/v1/opportunities/123', { name: 'x' }, 'id'],
  ['bad cursor', 'GET', '/api/v1/leads?cursor=garbage', undefined, 'cursor'],
  ['cursor with a forged id', 'GET', `/api/v1/leads?cursor=${cursorOf(['2025-01-01T00:00:00.000Z', "x' or 1=1"])}`, undefined, 'cursor'],
  [
    'cursor of another sort',
    'GET',
    `/api/v1/leads?sort=expectedArr&cursor=${cursorOf(['Initech', '00000000-0000-4000-8000-000000000000'])}`,
    undefined,
    'cursor',
  ],
  ['bad enum in query', 'GET', '/api/v1/leads?status=open', undefined, 'status'],
  ['bad enum in a list', 'GET', '/api/v1/leads?channel=chat,fax', undefined, 'channel'],
  ['empty enum list', 'GET', '/api/v1/leads?segment=', undefined, 'segment'],
  ['bad sort', 'GET', '/api/v1/leads?sort=password', undefined, 'sort'],
  ['bad order', 'GET', '/api/v1/opportunities?order=sideways', undefined, 'order'],
  ['limit zero', 'GET', '/api/v1/leads?limit=0', undefined, 'limit'],
  ['limit too large', 'GET', '/api/v1/leads?limit=501', undefined, 'limit'],
  ['limit not a number', 'GET', '/api/v1/accounts?limit=ten', undefined, 'limit'],
  ['limit fractional', 'GET', '/api/v1/contacts?limit=2.5', undefined, 'limit'],
  ['bad owner filter', 'GET', '/api/v1/leads?ownerId=someone', undefined, 'ownerId'],
  ['bad date filter', 'GET', '/api/v1/leads?createdFrom=yesterday', undefined, 'createdFrom'],
  ['oversized search', 'GET', `/api/v1/leads?q=${long(101)}`, undefined, 'q'],
  ['history of an unknown type', 'GET', '/api/v1/history?recordType=user&recordId=:lead', undefined, 'recordType'],
  ['history without id', 'GET', '/api/v1/history?recordType=lead', undefined, 'recordId'],
  ['invalid timezone', 'PATCH', '/api/v1/workspace', { timezone: 'Mars/Olympus' }, 'timezone'],
  ['invalid currency', 'PATCH', '/api/v1/workspace', { currency: 'ZZZ' }, 'currency'],
  ['currency of the wrong length', 'PATCH', '/api/v1/workspace', { currency: 'EURO' }, 'currency'],
  ['malformed stage list', 'PATCH', '/api/v1/workspace', { opportunityStages: ['Open', 'won', 'lost'] }, 'opportunityStages'],
  ['segments out of order', 'PUT', '/api/v1/segments', [{ code: 'SMB', name: 'S', maxEmployees: 1, maxArr: '1' }], 'segments'],
  ['segment money over-precise', 'PUT', '/api/v1/segments', [{ code: 'ESB', name: 'E', maxEmployees: 1, maxArr: '1.001' }], '0.maxArr'],
  ['unknown role', 'POST', '/api/v1/users', { email: 'r@x.io', name: 'R', roles: ['ceo'] }, 'roles.0'],
  ['no roles', 'POST', '/api/v1/users', { email: 'r@x.io', name: 'R', roles: [] }, 'roles'],
  ['short password', 'POST', '/api/v1/users', { email: 'r@x.io', name: 'R', roles: ['ae'], password: 'short' }, 'password'],
  ['unknown permission', 'POST', '/api/v1/api-keys', { name: 'k', permissions: ['root'] }, 'permissions.0'],
  ['array for an object', 'POST', '/api/v1/leads', [LEAD], 'body'],
  ['null body', 'POST', '/api/v1/accounts', null, 'body'],
];

describeEachDb('HTTP bad input', (getDb) => {
  let app: FastifyInstance;
  let admin: Client;
  let ids: { lead: string; opp: string };

  beforeAll(async () => {
    const org = await seedOrg(getDb());
    app = await testApp(getDb());
    admin = await loginAs(app, org.users.admin.email);
    const lead = (await admin.call('POST', '/api/v1/leads', { ...LEAD, company: 'Initech' })).json();
    const opp = (await admin.call('POST', '/api/v1/opportunities', { name: 'Deal' })).json();
    ids = { lead: lead.id, opp: opp.id };
  });
  afterAll(() => app.close());

  const fill = (s: string) => s.replace(':lead', ids.lead).replace(':opp', ids.opp);

  it.each(CASES)('%s: 4xx naming the field', async (_what, method, url, body, path) => {
    const payload = body === undefined ? undefined : JSON.parse(fill(JSON.stringify(body)));
    const res = await admin.call(method, fill(url), payload);
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, res.body).toBeLessThan(500);
    const { error } = res.json();
    expect(error.code).toBe('validation_failed');
    expect(typeof error.message).toBe('string');
    // A bad item of a list may be named with its index (`roles.0`, `channel.1`).
    const paths = (error.details as { path: string; message: string }[]).map((d) => d.path);
    expect(
      paths.some((p) => p === path || p.startsWith(`${path}.`)),
      `${paths} should name ${path}`,
    ).toBe(true);
    for (const d of error.details) expect(d.message).toEqual(expect.any(String));
  });

  it('refuses malformed JSON, an empty JSON body and a non-JSON body with a clear 4xx', async () => {
    const send = (payload: string, contentType = 'application/json') =>
      app.inject({
        method: 'POST',
        url: '/api/v1/leads',
        payload,
        headers: { 'content-type': contentType, 'x-csrf-token': admin.csrf },
        cookies: { revline_session: admin.session },
      });
    for (const bad of ['{"sourceType": "net",', "{'a': 1}", '{"a":1}}', 'undefined', '']) {
      const res = await send(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation_failed', details: [{ path: 'body', message: expect.any(String) }] });
    }
    const text = await send('sourceType=net', 'text/plain');
    expect(text.statusCode).toBe(400);
    expect(text.json().error.details).toEqual([{ path: 'body', message: expect.stringContaining('expected object') }]);
    for (const type of ['application/xml', 'application/x-www-form-urlencoded']) {
      const res = await send('<lead/>', type);
      expect(res.statusCode).toBe(415);
      expect(res.json().error.code).toBe('unsupported_media_type');
    }
  });

  it('refuses text the database cannot store (a NUL byte) as bad input naming the field', async () => {
    const res = await admin.call('POST', '/api/v1/leads', { ...LEAD, company: 'Ini\u0000tech' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ path: 'company', message: expect.any(String) }]);
    const search = await admin.get('/api/v1/leads?q=a%00b');
    expect(search.statusCode).toBe(400);
    expect(search.json().error.details).toEqual([{ path: 'q', message: expect.any(String) }]);
  });

  it('wrote nothing for any of the refused requests', async () => {
    const db = getDb();
    const [{ n }] = await db.query<{ n: number }>(
      'select count(*)::int as n from leads where workspace_id = (select workspace_id from leads where id = $1)',
      [ids.lead],
    );
    expect(n).toBe(1);
    const [opp] = await db.query<{ amount: string; stage: string }>('select amount, stage from opportunities where id = $1', [ids.opp]);
    expect(opp).toEqual({ amount: '0.00', stage: 'discovery' });
  });
});
