import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

type Client = Awaited<ReturnType<typeof loginAs>>;
type Lead = {
  id: string;
  company: string | null;
  status: string;
  sourceType: string;
  channel: string;
  segment: string | null;
  ownerId: string | null;
};

describeEachDb('HTTP list filters', (getDb) => {
  let app: FastifyInstance;
  let admin: Client;
  let sdr: Client;
  let org: Awaited<ReturnType<typeof seedOrg>>;
  const made: Lead[] = [];

  const list = async (c: Client, query: string) => {
    const res = await c.get(`/api/v1/leads?limit=500&${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as Lead[]).map((l) => l.company).sort();
  };

  beforeAll(async () => {
    org = await seedOrg(getDb());
    app = await testApp(getDb());
    admin = await loginAs(app, org.users.admin.email);
    sdr = await loginAs(app, org.users.sdrA.email);
    const rows = [
      {
        by: sdr,
        company: 'Alpha',
        sourceType: 'seed',
        channel: 'referral',
        employees: 5,
        email: 'ana@alpha.io',
        firstName: 'Ana',
        createdAt: '2025-01-10T00:00:00Z',
      },
      { by: sdr, company: 'Bravo', sourceType: 'net', channel: 'website', employees: 50, createdAt: '2025-02-10T00:00:00Z' },
      {
        by: admin,
        company: 'Charlie',
        sourceType: 'spear',
        channel: 'linkedin',
        employees: 5000,
        ownerId: null,
        createdAt: '2025-03-10T00:00:00Z',
      },
      {
        by: admin,
        company: 'Delta 100%',
        sourceType: 'net',
        channel: 'chat',
        expectedArr: '60000',
        ownerId: org.users.aeB.id,
        createdAt: '2025-04-10T00:00:00Z',
      },
      { by: sdr, company: 'Echo_co', sourceType: 'spear', channel: 'outbound_email', createdAt: '2025-05-10T00:00:00Z' },
    ];
    for (const { by, ...body } of rows) {
      const res = await by.call('POST', '/api/v1/leads', body);
      expect(res.statusCode, res.body).toBe(201);
      made.push(res.json());
    }
    await sdr.call('POST', `/api/v1/leads/${made[0].id}/status`, { status: 'working' });
    await sdr.call('POST', `/api/v1/leads/${made[1].id}/status`, { status: 'disqualified', reason: 'student project' });
  });
  afterAll(() => app.close());

  it('classified each lead into a segment from its size or expected ARR', () => {
    expect(made.map((l) => l.segment)).toEqual(['ESB', 'SMB', 'MME', 'MME', null]);
  });

  it('filters by status, source type, channel and segment, each as a comma list', async () => {
    expect(await list(admin, 'status=working')).toEqual(['Alpha']);
    expect(await list(admin, 'status=new,disqualified')).toEqual(['Bravo', 'Charlie', 'Delta 100%', 'Echo_co']);
    expect(await list(admin, 'sourceType=spear')).toEqual(['Charlie', 'Echo_co']);
    expect(await list(admin, 'sourceType=seed,net')).toEqual(['Alpha', 'Bravo', 'Delta 100%']);
    expect(await list(admin, 'channel=linkedin,outbound_email')).toEqual(['Charlie', 'Echo_co']);
    expect(await list(admin, 'segment=MME')).toEqual(['Charlie', 'Delta 100%']);
    expect(await list(admin, 'segment=ESB,SMB&sourceType=net')).toEqual(['Bravo']);
  });

  it('filters by owner: me, none, or someone', async () => {
    expect(await list(sdr, 'ownerId=me')).toEqual(['Alpha', 'Bravo', 'Echo_co']);
    expect(await list(admin, 'ownerId=none')).toEqual(['Charlie']);
    expect(await list(admin, `ownerId=${org.users.aeB.id}`)).toEqual(['Delta 100%']);
    expect(await list(admin, 'ownerId=me')).toEqual([]); // unowned or given away: the admin owns none
  });

  it('searches company, email and name case-insensitively, with LIKE wildcards taken literally', async () => {
    expect(await list(admin, 'q=ALPHA')).toEqual(['Alpha']);
    expect(await list(admin, 'q=ana%40alpha')).toEqual(['Alpha']);
    expect(await list(admin, 'q=ana')).toEqual(['Alpha']);
    expect(await list(admin, 'q=100%25')).toEqual(['Delta 100%']);
    expect(await list(admin, 'q=%25')).toEqual(['Delta 100%']);
    expect(await list(admin, 'q=o_c')).toEqual(['Echo_co']);
    expect(await list(admin, 'q=_')).toEqual(['Echo_co']);
    expect(await list(admin, 'q=nothing-like-this')).toEqual([]);
  });

  it('filters by creation time, from inclusive to exclusive', async () => {
    expect(await list(admin, 'createdFrom=2025-02-10T00:00:00Z&createdTo=2025-04-10T00:00:00Z')).toEqual(['Bravo', 'Charlie']);
    expect(await list(admin, 'createdFrom=2025-05-10T02:00:00%2B02:00')).toEqual(['Echo_co']);
  });

  it('filters inside the caller scope only', async () => {
    expect(await list(sdr, 'sourceType=spear')).toEqual(['Echo_co']);
    const managerB = await loginAs(app, org.users.managerB.email);
    expect(await list(managerB, '')).toEqual(['Delta 100%']);
  });

  it('filters the other lists too', async () => {
    const acc = (await admin.call('POST', '/api/v1/accounts', { name: 'Zulu Ltd', domain: 'https://www.zulu.io/', segment: 'SMB' })).json();
    await admin.call('POST', '/api/v1/opportunities', { name: 'Zulu expansion', accountId: acc.id, amount: '900', sourceType: 'seed' });
    const names = async (url: string) => ((await admin.get(url)).json().items as { name: string }[]).map((x) => x.name);
    expect(await names('/api/v1/accounts?q=zulu.io')).toEqual(['Zulu Ltd']);
    expect(await names('/api/v1/accounts?segment=MME')).toEqual([]);
    expect(await names(`/api/v1/opportunities?accountId=${acc.id}&stage=discovery,trial`)).toEqual(['Zulu expansion']);
    expect(await names('/api/v1/opportunities?sourceType=spear')).toEqual([]);
    expect(await names('/api/v1/opportunities?q=EXPANSION&ownerId=me')).toEqual(['Zulu expansion']);
  });
});
