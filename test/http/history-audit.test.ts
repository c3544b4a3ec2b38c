import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

type Client = Awaited<ReturnType<typeof loginAs>>;
type Change = {
  field: string;
  from: string | null;
  to: string;
  reason: string | null;
  actorId: string;
  actorName: string;
  changedAt: string;
};

describeEachDb('HTTP history, conversion, audit and ARR', (getDb) => {
  let app: FastifyInstance;
  let org: Awaited<ReturnType<typeof seedOrg>>;
  let admin: Client;
  let sdr: Client;
  let ae: Client;

  beforeAll(async () => {
    org = await seedOrg(getDb());
    app = await testApp(getDb());
    admin = await loginAs(app, org.users.admin.email);
    sdr = await loginAs(app, org.users.sdrA.email);
    ae = await loginAs(app, org.users.aeA.email);
  });
  afterAll(() => app.close());

  const historyOf = async (c: Client, recordType: string, id: string) => {
    const res = await c.get(`/api/v1/history?recordType=${recordType}&recordId=${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Change[];
  };

  it('keeps every lead status change with actor and time, then converts the lead into account, contact and deal', async () => {
    const before = Date.now();
    const lead = (
      await sdr.call('POST', '/api/v1/leads', {
        email: 'Ana@Initech.com',
        firstName: 'Ana',
        company: 'Initech',
        domain: 'www.initech.com',
        employees: 40,
        expectedArr: '12000',
        sourceType: 'net',
        channel: 'website',
      })
    ).json();
    for (const [status, reason] of [['working'], ['disqualified', 'no budget this year'], ['working'], ['qualified']]) {
      const res = await sdr.call('POST', `/api/v1/leads/${lead.id}/status`, { status, reason });
      expect(res.statusCode, res.body).toBe(200);
    }
    const refused = await sdr.call('POST', `/api/v1/leads/${lead.id}/status`, { status: 'converted' });
    expect(refused.statusCode).toBe(409);

    const conv = await sdr.call('POST', `/api/v1/leads/${lead.id}/convert`, { ownerId: org.users.aeA.id, closeDate: '2025-12-31' });
    expect(conv.statusCode, conv.body).toBe(200);
    const r = conv.json();
    expect(r.lead).toMatchObject({ status: 'converted', accountId: r.accountId, contactId: r.contactId, opportunityId: r.opportunity.id });
    expect(r.opportunity).toMatchObject({
      stage: 'discovery',
      amount: '12000.00',
      ownerId: org.users.aeA.id,
      sdrId: org.users.sdrA.id,
      sourceType: 'net',
      segment: 'SMB',
      closeDate: '2025-12-31',
    });
    expect((await ae.get(`/api/v1/accounts/${r.accountId}`)).json()).toMatchObject({ name: 'Initech', ownerId: org.users.aeA.id });
    expect((await ae.get(`/api/v1/contacts/${r.contactId}`)).json()).toMatchObject({ email: 'Ana@Initech.com', accountId: r.accountId });
    expect((await sdr.call('POST', `/api/v1/leads/${lead.id}/convert`, {})).statusCode).toBe(409);

    const all = await historyOf(admin, 'lead', lead.id);
    expect(all.filter((c) => c.field === 'owner').at(-1)?.to).toBe(org.users.sdrA.id);
    const h = all.filter((c) => c.field === 'status');
    expect(h.map((c) => [c.from, c.to])).toEqual([
      [null, 'new'],
      ['new', 'working'],
      ['working', 'disqualified'],
      ['disqualified', 'working'],
      ['working', 'qualified'],
      ['qualified', 'converted'],
    ]);
    expect(h[2].reason).toBe('no budget this year');
    for (const c of h) {
      expect(c).toMatchObject({ field: 'status', actorId: org.users.sdrA.id, actorName: 'sdrA' });
      expect(Date.parse(c.changedAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(c.changedAt).toMatch(/Z$/);
    }
    // A second lead from the same company joins the account instead of duplicating it.
    const again = (await sdr.call('POST', '/api/v1/leads', { email: 'bo@initech.com', sourceType: 'seed', channel: 'referral' })).json();
    const r2 = (await sdr.call('POST', `/api/v1/leads/${again.id}/convert`, { ownerId: org.users.aeA.id })).json();
    expect(r2.accountId).toBe(r.accountId);
  });

  it('keeps every opportunity stage change with actor and time', async () => {
    const opp = (await ae.call('POST', '/api/v1/opportunities', { name: 'Globex', amount: '30000' })).json();
    const manager = await loginAs(app, org.users.managerA.email);
    await ae.call('POST', `/api/v1/opportunities/${opp.id}/stage`, { stage: 'trial' });
    await ae.call('POST', `/api/v1/opportunities/${opp.id}/stage`, { stage: 'proposal' });
    const lost = await manager.call('POST', `/api/v1/opportunities/${opp.id}/stage`, { stage: 'lost' });
    expect(lost.statusCode).toBe(400);
    expect(lost.json().error.details[0].path).toBe('lostReason');
    await manager.call('POST', `/api/v1/opportunities/${opp.id}/stage`, { stage: 'lost', lostReason: 'chose a competitor' });
    await ae.call('POST', `/api/v1/opportunities/${opp.id}/stage`, { stage: 'negotiation' });
    await ae.call('POST', `/api/v1/opportunities/${opp.id}/stage`, { stage: 'won' });
    const h = await historyOf(ae, 'opportunity', opp.id);
    expect(h.map((c) => `${c.from}>${c.to}:${c.actorName}`)).toEqual([
      'null>discovery:aeA',
      'discovery>trial:aeA',
      'trial>proposal:aeA',
      'proposal>lost:managerA',
      'lost>negotiation:aeA',
      'negotiation>won:aeA',
    ]);
    expect(h[3].reason).toBe('chose a competitor');
    const won = (await ae.get(`/api/v1/opportunities/${opp.id}`)).json();
    expect(won).toMatchObject({ stage: 'won', lostReason: null });
    expect(won.closedAt).not.toBeNull();
    const summary = (await ae.get('/api/v1/opportunities/summary')).json().items as { stage: string; count: number; amount: string }[];
    expect(summary.find((s) => s.stage === 'won')).toMatchObject({ count: 1, amount: '30000.00' });
  });

  it('audits an update with who, before and after', async () => {
    const acc = (await ae.call('POST', '/api/v1/accounts', { name: 'Hooli', employees: 120, industry: 'Software' })).json();
    await ae.call('PATCH', `/api/v1/accounts/${acc.id}`, { employees: 250, industry: 'Software' });
    const res = await admin.get(`/api/v1/audit-log?recordType=account&recordId=${acc.id}`);
    expect(res.statusCode).toBe(200);
    const [update, create] = res.json().items;
    expect(update).toMatchObject({
      action: 'account.update',
      actorType: 'user',
      actorId: org.users.aeA.id,
      actorName: 'aeA',
      before: { employees: 120 },
      after: { employees: 250 },
    });
    expect(Object.keys(update.after)).not.toContain('industry'); // unchanged fields are not repeated
    expect(Date.parse(update.at)).not.toBeNaN();
    expect(create).toMatchObject({ action: 'account.create', before: null, after: { name: 'Hooli' } });
  });

  it('records ARR movements: new for a subscription, churn when it churns', async () => {
    const acc = (await ae.call('POST', '/api/v1/accounts', { name: 'Pied Piper' })).json();
    const sub = await ae.call('POST', '/api/v1/subscriptions', {
      accountId: acc.id,
      arr: '24000.00',
      startDate: '2025-01-01',
      renewalDate: '2026-01-01',
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const id = sub.json().id;
    expect((await ae.call('PATCH', `/api/v1/subscriptions/${id}`, { arr: '30000' })).statusCode).toBe(200);
    const churned = await ae.call('PATCH', `/api/v1/subscriptions/${id}`, { status: 'churned' });
    expect(churned.json().status).toBe('churned');
    const rows = await getDb().query<{ kind: string; amount: string; actor_id: string }>(
      'select kind, amount, actor_id from arr_movements where subscription_id = $1 order by id',
      [id],
    );
    expect(rows).toEqual([
      { kind: 'new', amount: '24000.00', actor_id: org.users.aeA.id },
      { kind: 'expansion', amount: '6000.00', actor_id: org.users.aeA.id },
      { kind: 'churn', amount: '30000.00', actor_id: org.users.aeA.id },
    ]);
  });

  it('records website visits and conversations as funnel events', async () => {
    const res = await ae.call('POST', '/api/v1/web-events', {
      kind: 'conversation',
      visitorId: 'v-42',
      repId: org.users.aeA.id,
      channel: 'chat',
      page: '/pricing',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'conversation', visitorId: 'v-42', repId: org.users.aeA.id });
  });
});
