import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

type Client = Awaited<ReturnType<typeof loginAs>>;
type Item = { id: string } & Record<string, unknown>;

/** Follows nextCursor to the end; returns the ids in the order served. */
async function walk(c: Client, url: string, limit: number) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res = await c.get(`${url}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: Item[]; nextCursor: string | null };
    expect(body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...body.items.map((i) => i.id));
    cursor = body.nextCursor;
    if (++pages > 200) throw new Error('paging does not end');
  } while (cursor);
  return ids;
}

describeEachDb('HTTP cursor paging', (getDb) => {
  let app: FastifyInstance;
  let admin: Client;
  let sdr: Client;
  const leadIds: string[] = [];
  const oppIds: string[] = [];

  beforeAll(async () => {
    const org = await seedOrg(getDb());
    app = await testApp(getDb());
    admin = await loginAs(app, org.users.admin.email);
    sdr = await loginAs(app, org.users.sdrA.email);
    // Many ties on every sort value: 3 creation instants, 4 companies (one missing), 3 ARR values (one missing).
    const companies = ['Acme', 'Globex', null, 'acme'];
    const arrs = ['100.00', null, '2500.50'];
    const instants = ['2025-01-01T00:00:00Z', '2025-01-01T00:00:00.000001Z', '2025-03-01T12:00:00Z'];
    for (let i = 0; i < 23; i++) {
      const body = { sourceType: 'net', channel: 'chat', company: companies[i % 4], expectedArr: arrs[i % 3], createdAt: instants[i % 3] };
      const res = await (i % 2 ? sdr : admin).call('POST', '/api/v1/leads', body);
      leadIds.push(res.json().id);
    }
    // Records created through the API a microsecond apart: the cursor must keep full timestamp precision.
    for (let i = 0; i < 9; i++)
      oppIds.push((await admin.call('POST', '/api/v1/opportunities', { name: `Deal ${i % 2}`, amount: String(i % 3) })).json().id);
  });
  afterAll(() => app.close());

  for (const sort of ['createdAt', 'updatedAt', 'company', 'expectedArr'])
    for (const order of ['asc', 'desc'])
      it(`walks every lead exactly once sorted by ${sort} ${order}, in the order of a single page`, async () => {
        const url = `/api/v1/leads?sort=${sort}&order=${order}`;
        const all = (await admin.get(`${url}&limit=500`)).json().items.map((i: Item) => i.id);
        expect([...all].sort()).toEqual([...leadIds].sort());
        for (const limit of [1, 4, 7]) expect(await walk(admin, url, limit)).toEqual(all);
      });

  for (const sort of ['createdAt', 'updatedAt', 'amount', 'name', 'closeDate'])
    for (const order of ['asc', 'desc'])
      it(`walks every opportunity exactly once sorted by ${sort} ${order}`, async () => {
        const url = `/api/v1/opportunities?sort=${sort}&order=${order}`;
        const all = (await admin.get(`${url}&limit=500`)).json().items.map((i: Item) => i.id);
        expect([...all].sort()).toEqual([...oppIds].sort());
        expect(await walk(admin, url, 2)).toEqual(all);
      });

  it('sorts by value: newest first by default, ARR ascending with missing values as zero', async () => {
    const items = (await admin.get('/api/v1/leads?limit=500')).json().items as { createdAt: string }[];
    const times = items.map((i) => Date.parse(i.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const byArr = (await admin.get('/api/v1/leads?limit=500&sort=expectedArr&order=asc')).json().items as { expectedArr: string | null }[];
    const values = byArr.map((i) => Number(i.expectedArr ?? 0));
    expect(values).toEqual([...values].sort((a, b) => a - b));
  });

  it('pages within the caller scope and with filters applied', async () => {
    const mine = await walk(sdr, '/api/v1/leads?order=asc', 3);
    expect(mine).toHaveLength(11);
    const filtered = await walk(admin, '/api/v1/leads?sort=company&q=acme', 2);
    expect(filtered).toHaveLength(11); // Acme and acme, case-insensitively
    expect(new Set(filtered).size).toBe(11);
  });
});
