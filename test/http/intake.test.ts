import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../../src/modules/org/org.service.js';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

type Detail = { path: string; message: string };

describeEachDb('HTTP lead intake: single, batch, idempotency', (getDb) => {
  let app: FastifyInstance;
  let org: Awaited<ReturnType<typeof seedOrg>>;
  let key: string;

  beforeAll(async () => {
    org = await seedOrg(getDb());
    app = await testApp(getDb());
    key = (await createApiKey(getDb(), 'system', org.workspace.id, { name: 'intake', permissions: ['crm:read', 'crm:write'] })).key;
    await getDb().query(`update users set segments = '{SMB}' where id = $1`, [org.users.sdrA.id]);
    const ops = await loginAs(app, org.users.ops.email);
    expect(
      (
        await ops.call('PUT', '/api/v1/routing/rules', {
          rules: [
            { name: 'SMB', conditions: { segments: ['SMB'] }, action: { type: 'pool', pool: { roles: ['sdr_inbound'], segment: 'SMB' } } },
          ],
        })
      ).statusCode,
    ).toBe(200);
  });
  afterAll(() => app.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: `/api/v1${url}`,
      payload: payload as never,
      headers: { authorization: `Bearer ${key}`, ...headers },
    });
  const countLeads = async (where = 'true', params: unknown[] = []) =>
    (
      await getDb().query<{ n: number }>(`select count(*)::int as n from leads where workspace_id = $1 and ${where}`, [
        org.workspace.id,
        ...params,
      ])
    )[0].n;

  it('creates, classifies and routes one lead, and names every bad field', async () => {
    const res = await post('/leads', { email: 'Ana@Initech.com', company: 'Initech', employees: 40, country: 'FR', channel: 'website' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      email: 'Ana@Initech.com',
      segment: 'SMB',
      sourceType: 'net',
      ownerId: org.users.sdrA.id,
      status: 'new',
      intake: { status: 'created', ownerId: org.users.sdrA.id, queue: null, ruleId: expect.any(String) },
    });
    const bad = await post('/leads', { email: 'not-an-email', employees: -3, channel: 'fax', country: 'France', colour: 'red' });
    expect(bad.statusCode).toBe(400);
    const paths = (bad.json().error.details as Detail[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'employees', 'channel', 'country']));
    expect(paths.some((p) => p.includes('colour'))).toBe(true);
    expect(
      (await post('/leads', { email: 'x@y.com', channel: 'website', ownerId: '00000000-0000-4000-8000-000000000000' })).json().error
        .details,
    ).toEqual([{ path: 'ownerId', message: 'no active user with this id in this workspace' }]);
    expect((await post('/leads', '{"email":', { 'content-type': 'application/json' })).statusCode).toBe(400);
  });

  it('returns the stored lead for a repeated external id and merges a repeated email', async () => {
    const first = await post('/leads', { externalId: 'crm-77', email: 'bob@globex.com', channel: 'website' });
    expect(first.statusCode).toBe(201);
    const repeat = await post('/leads', { externalId: 'crm-77', email: 'bob@globex.com', channel: 'website' });
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json()).toMatchObject({ id: first.json().id, intake: { status: 'existing' } });
    const merged = await post('/leads', { email: ' BOB@globex.com ', phone: '+33 1 02 03', channel: 'chat' });
    expect(merged.statusCode).toBe(200);
    expect(merged.json()).toMatchObject({ id: first.json().id, phone: '+33 1 02 03', intake: { status: 'merged' } });
    expect(await countLeads('email_normalized = $2', ['bob@globex.com'])).toBe(1);
  });

  it('takes a batch with bad rows: one result per row in order, only valid rows written', async () => {
    const before = await countLeads();
    const res = await post('/leads/batch', {
      leads: [
        { email: 'one@batch.test', employees: 20, channel: 'website' },
        { email: 'broken', channel: 'website' },
        { email: 'two@batch.test', channel: 'referral' },
        'not even an object',
        { email: 'three@batch.test', channel: 'website', ownerId: '00000000-0000-4000-8000-000000000000' },
        { email: 'ONE@batch.test', title: 'CTO', channel: 'event' },
        { channel: 'website', employees: 'many' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const { counts, results } = res.json();
    expect(results.map((r: { index: number; status: string }) => [r.index, r.status])).toEqual([
      [0, 'created'],
      [1, 'invalid'],
      [2, 'created'],
      [3, 'invalid'],
      [4, 'invalid'],
      [5, 'merged'],
      [6, 'invalid'],
    ]);
    expect(counts).toEqual({ created: 2, invalid: 4, merged: 1 });
    expect(results[1].errors).toEqual([{ path: 'email', message: expect.any(String) }]);
    expect(results[4].errors[0].path).toBe('ownerId');
    expect(results[6].errors.map((e: Detail) => e.path)).toEqual(['employees']);
    expect(results[5].leadId).toBe(results[0].leadId);
    expect(results[2]).toMatchObject({ sourceType: 'seed', queue: 'triage' });
    expect(await countLeads()).toBe(before + 2);
    expect(await countLeads('email_normalized = any($2)', [['three@batch.test']])).toBe(0);
    const [{ title }] = await getDb().query<{ title: string }>('select title from leads where id = $1', [results[0].leadId]);
    expect(title).toBe('CTO');
  });

  it('fills only the blanks of a stored lead from several repeats, the first repeat winning', async () => {
    const stored = (await post('/leads', { email: 'fill@hooli.com', company: 'Hooli', channel: 'website' })).json();
    const res = await post('/leads/batch', {
      leads: [
        { email: 'fill@hooli.com', company: 'Not Hooli', title: 'CFO', channel: 'chat' },
        { email: 'FILL@hooli.com', title: 'CEO', employees: 120, channel: 'event' },
        { email: 'fill@hooli.com', expectedArr: '12000.50', phone: '+1 555', channel: 'call' },
      ],
    });
    expect(res.json().results.map((r: { status: string; leadId: string }) => [r.status, r.leadId])).toEqual(
      Array(3).fill(['merged', stored.id]),
    );
    const [lead] = await getDb().query('select company, title, employees, expected_arr, phone from leads where id = $1', [stored.id]);
    expect(lead).toEqual({ company: 'Hooli', title: 'CFO', employees: 120, expected_arr: '12000.50', phone: '+1 555' });
    const notes = await getDb().query<{ subject: string }>('select subject from activities where record_id = $1', [stored.id]);
    expect(notes.map((n) => n.subject).sort()).toEqual([
      'Submitted again via call',
      'Submitted again via chat',
      'Submitted again via event',
    ]);
  });

  it('refuses empty and oversized batches as a whole', async () => {
    expect((await post('/leads/batch', { leads: [] })).statusCode).toBe(400);
    const big = await post('/leads/batch', {
      leads: Array.from({ length: 10_001 }, (_, i) => ({ email: `b${i}@big.test`, channel: 'website' })),
    });
    expect(big.statusCode).toBe(400);
    expect(big.json().error.details[0].path).toBe('leads');
    expect(await countLeads('email like $2', ['%@big.test'])).toBe(0);
  });

  it('replays an Idempotency-Key with the same body and refuses it with another', async () => {
    const body = { email: 'idem@initech.com', company: 'Initech', channel: 'website' };
    const first = await post('/leads', body, { 'idempotency-key': 'order-42' });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const replay = await post('/leads', body, { 'idempotency-key': 'order-42' });
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    const other = await post('/leads', { ...body, company: 'Other' }, { 'idempotency-key': 'order-42' });
    expect(other.statusCode).toBe(409);
    expect(await countLeads('email_normalized = $2', ['idem@initech.com'])).toBe(1);
    const badKey = await post('/leads', body, { 'idempotency-key': 'x'.repeat(201) });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().error.details[0].path).toBe('Idempotency-Key');

    // Batches too; a failed request does not use up its key.
    const batch = {
      leads: [
        { email: 'b1@idem.test', channel: 'website' },
        { email: 'b2@idem.test', channel: 'website' },
      ],
    };
    const b1 = await post('/leads/batch', batch, { 'idempotency-key': 'batch-1' });
    const b2 = await post('/leads/batch', batch, { 'idempotency-key': 'batch-1' });
    expect(b2.headers['idempotent-replayed']).toBe('true');
    expect(b2.json()).toEqual(b1.json());
    expect(await countLeads('email like $2', ['%@idem.test'])).toBe(2);
    const invalid = await post('/leads', { email: 'nope', channel: 'website' }, { 'idempotency-key': 'retry-me' });
    expect(invalid.statusCode).toBe(400);
    expect((await post('/leads', { email: 'fixed@idem.test', channel: 'website' }, { 'idempotency-key': 'retry-me' })).statusCode).toBe(
      201,
    );
  });

  it('keeps a lead keyed in by a rep with that rep, and refuses readers', async () => {
    const rep = await loginAs(app, org.users.aeB.email);
    const res = await rep.call('POST', '/api/v1/leads', { email: 'own@deal.test', employees: 20, channel: 'call' });
    expect(res.json()).toMatchObject({ ownerId: org.users.aeB.id, intake: { ruleId: null } });
    const reader = (await createApiKey(getDb(), 'system', org.workspace.id, { name: 'read', permissions: ['crm:read'] })).key;
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/leads',
      payload: { email: 'r@r.test', channel: 'website' },
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(refused.statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/v1/leads/batch', payload: { leads: [] } })).statusCode).toBe(401);
  });
});
