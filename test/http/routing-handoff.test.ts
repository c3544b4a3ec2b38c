import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../../src/modules/org/org.service.js';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

type Client = Awaited<ReturnType<typeof loginAs>>;
const GOOD = { need: 'clear', need_size: 'large', authority: 'decision_maker', budget: 'allocated', timing: 'this_quarter', fit: 'strong' };

describeEachDb('HTTP handoff, inbox, notifications, queues and reviews', (getDb) => {
  let app: FastifyInstance;
  let org: Awaited<ReturnType<typeof seedOrg>>;
  let as: Record<'ops' | 'sdrA' | 'aeA' | 'aeB' | 'managerA', Client>;

  beforeAll(async () => {
    org = await seedOrg(getDb());
    app = await testApp(getDb());
    as = {} as typeof as;
    for (const k of ['ops', 'sdrA', 'aeA', 'aeB', 'managerA'] as const) as[k] = await loginAs(app, org.users[k].email);
  });
  afterAll(() => app.close());

  /** A lead the SDR owns and has qualified. */
  async function qualifiedLead(company: string) {
    const lead = (
      await as.sdrA.call('POST', '/api/v1/leads', { email: `cto@${company.toLowerCase()}.com`, company, employees: 60, channel: 'website' })
    ).json();
    expect((await as.sdrA.call('POST', `/api/v1/leads/${lead.id}/qualification`, { answers: GOOD })).json().qualified).toBe(true);
    return lead.id as string;
  }
  const handOff = (leadId: string, body: unknown = { aeId: org.users.aeA.id }) =>
    as.sdrA.call('POST', `/api/v1/leads/${leadId}/handoff`, body);

  it('hands off to the AE, who alone accepts it, once', async () => {
    const leadId = await qualifiedLead('Initech');
    const res = await handOff(leadId);
    expect(res.statusCode).toBe(201);
    const { handoff, opportunity } = res.json();
    expect(handoff).toMatchObject({ status: 'pending', aeId: org.users.aeA.id, sdrId: org.users.sdrA.id, leadId });
    expect(opportunity).toMatchObject({ ownerId: org.users.aeA.id, sdrId: org.users.sdrA.id });
    expect((await as.sdrA.get(`/api/v1/leads/${leadId}`)).json().status).toBe('handed_off');

    const inbox = (await as.aeA.get('/api/v1/handoffs')).json().items as { id: string; company: string; sdrName: string }[];
    expect(inbox.find((h) => h.id === handoff.id)).toMatchObject({ company: 'Initech', sdrName: 'sdrA' });
    expect((await as.aeB.get('/api/v1/handoffs')).json().items.map((h: { id: string }) => h.id)).not.toContain(handoff.id);

    const other = await as.aeB.call('POST', `/api/v1/handoffs/${handoff.id}/accept`);
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('forbidden');
    expect((await as.aeA.call('POST', `/api/v1/handoffs/${handoff.id}/accept`)).statusCode).toBe(200);
    const again = await as.aeA.call('POST', `/api/v1/handoffs/${handoff.id}/accept`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('already accepted');
    expect((await as.aeA.call('POST', `/api/v1/handoffs/${handoff.id}/send-back`, { reason: 'changed my mind' })).statusCode).toBe(409);
    expect((await as.sdrA.get(`/api/v1/leads/${leadId}`)).json().status).toBe('converted');
    expect((await as.aeA.get('/api/v1/handoffs?status=accepted')).json().items.map((h: { id: string }) => h.id)).toContain(handoff.id);
  });

  it('refuses handoffs of unqualified leads, to non-AEs, and send-backs without a reason', async () => {
    const raw = (await as.sdrA.call('POST', '/api/v1/leads', { email: 'new@globex.com', employees: 60, channel: 'website' })).json();
    const unqualified = await handOff(raw.id);
    expect(unqualified.statusCode).toBe(409);
    expect(unqualified.json().error.message).toContain('qualified');

    const leadId = await qualifiedLead('Globex');
    const toSdr = await handOff(leadId, { aeId: org.users.sdrA.id });
    expect(toSdr.statusCode).toBe(400);
    expect(toSdr.json().error.details[0]).toMatchObject({ path: 'aeId', message: 'this user is not an AE' });
    expect((await handOff(leadId, { aeId: 'not-a-uuid' })).json().error.details[0].path).toBe('aeId');
    expect((await as.aeB.call('POST', `/api/v1/leads/${leadId}/handoff`, {})).statusCode).toBe(403);

    const { handoff } = (await handOff(leadId)).json();
    const short = await as.aeA.call('POST', `/api/v1/handoffs/${handoff.id}/send-back`, { reason: 'no' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details[0].path).toBe('reason');
    expect((await as.aeB.call('POST', `/api/v1/handoffs/${handoff.id}/send-back`, { reason: 'not mine either' })).statusCode).toBe(403);
    const back = await as.aeA.call('POST', `/api/v1/handoffs/${handoff.id}/send-back`, { reason: 'no budget this year' });
    expect(back.statusCode).toBe(200);
    expect((await as.sdrA.get(`/api/v1/leads/${leadId}`)).json().status).toBe('qualified');
    expect((await as.aeA.call('POST', `/api/v1/handoffs/${handoff.id}/accept`)).statusCode).toBe(409);
    // The SDR can hand the lead off again: the earlier handoff is closed.
    expect((await handOff(leadId, { aeId: org.users.aeB.id })).statusCode).toBe(201);
  });

  it("keeps one workspace's handoffs out of another's reach", async () => {
    const leadId = await qualifiedLead('Soylent');
    const { handoff } = (await handOff(leadId)).json();
    const orgB = await seedOrg(getDb());
    for (const key of ['aeA', 'admin'] as const) {
      const outsider = await loginAs(app, orgB.users[key].email);
      const inbox = await outsider.get('/api/v1/handoffs?status=pending,accepted,sent_back,escalated');
      expect(inbox.statusCode).toBe(200);
      expect(inbox.json().items).toEqual([]);
      expect((await outsider.call('POST', `/api/v1/handoffs/${handoff.id}/accept`)).statusCode).toBe(404);
      expect((await outsider.call('POST', `/api/v1/handoffs/${handoff.id}/send-back`, { reason: 'not ours at all' })).statusCode).toBe(404);
      expect((await outsider.call('POST', `/api/v1/leads/${leadId}/handoff`, {})).statusCode).toBe(404);
    }
    expect((await as.aeA.get('/api/v1/handoffs')).json().items.map((h: { id: string }) => h.id)).toContain(handoff.id);
  });

  it('lists notifications and marks them read, one or all', async () => {
    const leadId = await qualifiedLead('Vehement');
    await handOff(leadId);
    const unread = (await as.aeA.get('/api/v1/notifications?unread=true')).json().items as {
      id: number;
      kind: string;
      title: string;
      recordId: string;
    }[];
    const mine = unread.find((n) => n.recordId === leadId)!;
    expect(mine).toMatchObject({ kind: 'handoff_assigned', title: 'New handoff: Vehement' });
    expect((await as.aeA.call('POST', '/api/v1/notifications/read', { ids: [mine.id] })).statusCode).toBe(200);
    const after = (await as.aeA.get('/api/v1/notifications?unread=true')).json().items as { id: number }[];
    expect(after.map((n) => n.id)).not.toContain(mine.id);
    expect((await as.aeA.get('/api/v1/notifications')).json().items.find((n: { id: number }) => n.id === mine.id).readAt).toBeTruthy();
    // Another user's notification ids are not theirs to mark.
    const sdrUnread = (await as.sdrA.get('/api/v1/notifications?unread=true')).json().items.length;
    await as.aeA.call('POST', '/api/v1/notifications/read', { ids: 'all' });
    expect((await as.aeA.get('/api/v1/notifications?unread=true')).json().items).toEqual([]);
    expect((await as.sdrA.get('/api/v1/notifications?unread=true')).json().items).toHaveLength(sdrUnread);
    expect((await as.aeA.call('POST', '/api/v1/notifications/read', { ids: [-1] })).statusCode).toBe(400);
    expect((await as.aeA.get('/api/v1/notifications?limit=0')).statusCode).toBe(400);
    const key = (await createApiKey(getDb(), 'system', org.workspace.id, { name: 'n', permissions: ['crm:read'] })).key;
    const viaKey = await app.inject({ method: 'GET', url: '/api/v1/notifications', headers: { authorization: `Bearer ${key}` } });
    expect(viaKey.statusCode).toBe(400);
  });

  it('orders the SDR queue: breached first, then nearest deadline, then score, then age', async () => {
    const db = getDb();
    const mk = async (name: string) =>
      (await as.sdrA.call('POST', '/api/v1/leads', { email: `${name}@queue.test`, company: name, channel: 'website' })).json().id as string;
    const ids = {
      late: await mk('late'),
      soon: await mk('soon'),
      later: await mk('later'),
      hot: await mk('hot'),
      cold: await mk('cold'),
      old: await mk('old'),
    };
    const set = (id: string, sql: string) => db.query(`update leads set ${sql} where id = $1`, [id]);
    await set(ids.late, "first_touch_due_at = now() - interval '1 hour'");
    await set(ids.soon, "first_touch_due_at = now() + interval '1 hour'");
    await set(ids.later, "first_touch_due_at = now() + interval '2 hours'");
    await set(ids.hot, 'first_touch_at = now(), score = 15, created_at = now()');
    await set(ids.cold, "first_touch_at = now(), score = 3, created_at = now() - interval '1 day'");
    await set(ids.old, "first_touch_at = now(), score = 3, created_at = now() - interval '2 days'");
    const queue = (await as.sdrA.get('/api/v1/sdr/queue')).json().items as { id: string; slaBreached: boolean }[];
    const order = queue.filter((l) => Object.values(ids).includes(l.id)).map((l) => l.id);
    expect(order).toEqual([ids.late, ids.soon, ids.later, ids.hot, ids.old, ids.cold]);
    expect(queue.find((l) => l.id === ids.late)!.slaBreached).toBe(true);

    // Unassigned leads waiting in a queue show up too, unless asked not to; other reps' leads never do.
    const queued = (await as.ops.call('POST', '/api/v1/leads', { email: 'q@triage.test', channel: 'website' })).json();
    expect(queued).toMatchObject({ ownerId: null, intake: { queue: 'triage' } });
    expect((await as.sdrA.get('/api/v1/sdr/queue')).json().items.map((l: { id: string }) => l.id)).toContain(queued.id);
    expect((await as.sdrA.get('/api/v1/sdr/queue?includeQueues=false')).json().items.map((l: { id: string }) => l.id)).not.toContain(
      queued.id,
    );
    expect((await as.aeB.get('/api/v1/sdr/queue')).json().items.map((l: { id: string }) => l.id)).not.toContain(ids.late);
    expect((await as.sdrA.get('/api/v1/sdr/queue?direction=sideways')).statusCode).toBe(400);
  });

  it('lists first-touch and handoff SLA breaches in a period, within scope', async () => {
    const db = getDb();
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const slow = (await as.sdrA.call('POST', '/api/v1/leads', { email: 'slow@breach.test', company: 'Slow', channel: 'website' })).json()
      .id;
    await db.query("update leads set first_touch_due_at = now() - interval '5 minutes' where id = $1", [slow]);
    const leadId = await qualifiedLead('Lapsed');
    const { handoff } = (await handOff(leadId)).json();
    await db.query("update handoffs set due_at = now() - interval '1 minute' where id = $1", [handoff.id]);

    const res = await as.ops.get(`/api/v1/routing/breaches?from=${from}&to=${to}`);
    expect(res.statusCode).toBe(200);
    const { firstTouch, handoffs } = res.json();
    expect(firstTouch.find((b: { leadId: string }) => b.leadId === slow)).toMatchObject({
      company: 'Slow',
      ownerId: org.users.sdrA.id,
      firstTouchAt: null,
    });
    expect(handoffs.find((h: { id: string }) => h.id === handoff.id)).toMatchObject({
      aeId: org.users.aeA.id,
      status: 'pending',
      aeName: 'aeA',
    });
    expect(
      (await as.managerA.get(`/api/v1/routing/breaches?from=${from}&to=${to}`)).json().handoffs.map((h: { id: string }) => h.id),
    ).toContain(handoff.id);
    const outside = (await as.aeB.get(`/api/v1/routing/breaches?from=${from}&to=${to}`)).json();
    expect(outside.handoffs.map((h: { id: string }) => h.id)).not.toContain(handoff.id);
    expect(outside.firstTouch.map((b: { leadId: string }) => b.leadId)).not.toContain(slow);
    const missing = await as.ops.get(`/api/v1/routing/breaches?to=${to}`);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.map((d: { path: string }) => d.path)).toContain('from');
  });

  it('lists leads flagged as duplicates and applies keep or merge once', async () => {
    const flagged = async (email: string) => {
      const first = (await as.ops.call('POST', '/api/v1/leads', { email, company: 'Returning', channel: 'website' })).json();
      expect(
        (await as.ops.call('POST', `/api/v1/leads/${first.id}/status`, { status: 'disqualified', reason: 'no budget' })).statusCode,
      ).toBe(200);
      const second = (await as.ops.call('POST', '/api/v1/leads', { email, company: 'Returning', channel: 'chat' })).json();
      expect(second.intake).toMatchObject({ status: 'created', needsReview: true });
      return { first: first.id as string, second: second.id as string };
    };
    const keep = await flagged('back@returning.test');
    const merge = await flagged('again@returning.test');
    const list = (await as.ops.get('/api/v1/leads/review')).json().items as {
      id: string;
      duplicateOfId: string;
      duplicateOfReason: string;
    }[];
    expect(list.find((l) => l.id === keep.second)).toMatchObject({ duplicateOfId: keep.first, duplicateOfReason: 'no budget' });
    expect(list.map((l) => l.id)).toContain(merge.second);

    expect((await as.ops.call('POST', `/api/v1/leads/${keep.second}/review`, { decision: 'keep' })).json()).toMatchObject({
      decision: 'keep',
      duplicateOf: keep.first,
    });
    expect((await as.ops.call('POST', `/api/v1/leads/${merge.second}/review`, { decision: 'merge' })).statusCode).toBe(200);
    expect((await as.ops.get(`/api/v1/leads/${keep.second}`)).json().status).toBe('new');
    expect((await as.ops.get(`/api/v1/leads/${merge.second}`)).json()).toMatchObject({
      status: 'disqualified',
      disqualifyReason: `Duplicate of lead ${merge.first}`,
    });
    const notes = (await as.ops.get(`/api/v1/activities?recordType=lead&recordId=${merge.first}`)).json().items as { subject: string }[];
    expect(notes.map((n) => n.subject)).toContain('Duplicate merged');
    const remaining = (await as.ops.get('/api/v1/leads/review')).json().items.map((l: { id: string }) => l.id);
    expect(remaining).not.toContain(keep.second);
    expect(remaining).not.toContain(merge.second);
    const twice = await as.ops.call('POST', `/api/v1/leads/${keep.second}/review`, { decision: 'merge' });
    expect(twice.statusCode).toBe(409);
    expect((await as.ops.call('POST', `/api/v1/leads/${keep.first}/review`, { decision: 'maybe' })).statusCode).toBe(400);
    expect((await as.aeB.call('POST', `/api/v1/leads/${merge.second}/review`, { decision: 'keep' })).statusCode).toBe(403);
  });
});
