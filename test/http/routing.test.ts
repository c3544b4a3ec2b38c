import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

type Client = Awaited<ReturnType<typeof loginAs>>;
type Res = { statusCode: number; json: () => { error: { code: string; details?: { path: string; message: string }[] } } };

const GOOD = { need: 'clear', need_size: 'large', authority: 'decision_maker', budget: 'allocated', timing: 'this_quarter', fit: 'strong' };
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** A 400 whose details name the field. */
function refusedOn(res: Res, path: string) {
  expect(res.statusCode, JSON.stringify(res.json())).toBe(400);
  expect(res.json().error.code).toBe('validation_failed');
  expect(res.json().error.details?.map((d) => d.path)).toContain(path);
}

describeEachDb('HTTP routing rules, preview, scorecards and qualification', (getDb) => {
  let app: FastifyInstance;
  let org: Awaited<ReturnType<typeof seedOrg>>;
  let ops: Client;
  let admin: Client;
  let sdr: Client;
  let ae: Client;

  beforeAll(async () => {
    org = await seedOrg(getDb());
    app = await testApp(getDb());
    [ops, admin, sdr, ae] = await Promise.all(
      [org.users.ops, org.users.admin, org.users.sdrA, org.users.aeA].map((u) => loginAs(app, u.email)),
    );
    await getDb().query(`update users set segments = '{SMB}' where id = $1`, [org.users.sdrA.id]);
  });
  afterAll(() => app.close());

  const putRules = (client: Client, rules: unknown[]) => client.call('PUT', '/api/v1/routing/rules', { rules });
  const poolRule = (pool: Record<string, unknown>, conditions: Record<string, unknown> = {}) => ({
    name: 'pool',
    conditions,
    action: { type: 'pool', pool },
  });

  it('refuses rule sets that could route a lead into nothing, naming the rule and field', async () => {
    refusedOn(await putRules(ops, [{ name: 'Ghost', action: { type: 'user', userId: UNKNOWN_ID } }]), 'rules.0.action.userId');
    refusedOn(await putRules(ops, [poolRule({ roles: ['sdr_inbound'] }), poolRule({ roles: ['esb_ae'] })]), 'rules.1.action.pool');
    refusedOn(await putRules(ops, [poolRule({ roles: ['sdr_inbound'], teamId: UNKNOWN_ID })]), 'rules.0.action.pool.teamId');
    refusedOn(
      await putRules(ops, [poolRule({ roles: ['sdr_inbound'] }, { employeesMin: 500, employeesMax: 10 })]),
      'rules.0.conditions.employeesMax',
    );
    // Shape errors come from the schema, with the same { path, message } details.
    refusedOn(await putRules(ops, [poolRule({ roles: [] })]), 'rules.0.action.pool.roles');
    refusedOn(await putRules(ops, [{ name: 'x', action: { type: 'teleport' } }]), 'rules.0.action.type');
    refusedOn(await putRules(ops, [poolRule({ roles: ['sdr_inbound'] }, { countries: ['France'] })]), 'rules.0.conditions.countries.0');
    // A deactivated user is as good as unknown.
    await getDb().query('update users set active = false where id = $1', [org.users.aeB.id]);
    refusedOn(await putRules(ops, [{ name: 'Gone', action: { type: 'user', userId: org.users.aeB.id } }]), 'rules.0.action.userId');
    await getDb().query('update users set active = true where id = $1', [org.users.aeB.id]);
    // Nothing was saved by any refused attempt.
    expect((await ops.get('/api/v1/routing/config')).json().intakeRules).toEqual([]);
  });

  it('lets only admins and sales ops edit rules and settings', async () => {
    for (const rep of [sdr, ae]) {
      const res = await putRules(rep, []);
      expect(res.statusCode).toBe(403);
      expect((await rep.call('PATCH', '/api/v1/routing/settings', { fallbackQueue: 'mine' })).statusCode).toBe(403);
      expect((await rep.call('POST', '/api/v1/routing/form-key/rotate')).statusCode).toBe(403);
    }
    refusedOn(await admin.call('PATCH', '/api/v1/routing/settings', { fallbackQueue: '  ' }), 'fallbackQueue');
    refusedOn(await admin.call('PATCH', '/api/v1/routing/settings', { handoffSlaMinutes: 0 }), 'handoffSlaMinutes');
    refusedOn(
      await admin.call('PATCH', '/api/v1/routing/settings', { businessCalendar: { days: [1], start: '18:00', end: '09:00' } }),
      'businessCalendar.end',
    );
    refusedOn(
      await admin.call('PATCH', '/api/v1/routing/settings', {
        channelRules: [{ channel: 'website', sourceType: 'net', direction: 'inbound' }],
      }),
      'channelRules',
    );
  });

  it('saves an ordered rule list and previews a lead against it without writing', async () => {
    const saved = await putRules(ops, [
      { name: 'Existing accounts', action: { type: 'account_owner' } },
      { name: 'Spears', conditions: { sourceTypes: ['spear'] }, action: { type: 'queue', queue: 'outbound-review' } },
      {
        name: 'SMB team A',
        conditions: { segments: ['SMB'], countries: ['FR', 'DE'] },
        action: { type: 'pool', pool: { roles: ['sdr_inbound'], segment: 'SMB', teamId: org.teams.teamA.id } },
      },
    ]);
    expect(saved.statusCode).toBe(200);
    const rules = saved.json().items as { id: string; name: string }[];
    expect(rules.map((r) => r.name)).toEqual(['Existing accounts', 'Spears', 'SMB team A']);
    expect((await ops.get('/api/v1/routing/config')).json().intakeRules).toEqual(rules);

    const leadsBefore = await getDb().query('select count(*)::int as n from leads where workspace_id = $1', [org.workspace.id]);
    const pool = await ops.call('POST', '/api/v1/routing/preview', { channel: 'website', employees: 50, country: 'fr' });
    expect(pool.statusCode).toBe(200);
    expect(pool.json()).toMatchObject({
      classification: { segment: 'SMB', sourceType: 'net', direction: 'inbound', existingAccount: null },
      decision: { kind: 'pool', ruleId: rules[2].id },
      pick: { ok: true, userId: org.users.sdrA.id },
    });
    // The explanation says why each earlier rule did not take the lead.
    const explanation = pool.json().decision.explanation as { name: string; matched: boolean; reasons: string[] }[];
    expect(explanation.map((e) => [e.name, e.matched])).toEqual([
      ['Existing accounts', false],
      ['Spears', false],
      ['SMB team A', true],
    ]);
    expect(explanation[1].reasons).toEqual(['source type net is not in spear']);

    const spear = (await sdr.call('POST', '/api/v1/routing/preview', { channel: 'linkedin', employees: 50 })).json();
    expect(spear.decision).toMatchObject({ kind: 'queue', queue: 'outbound-review', ruleId: rules[1].id });
    const fallback = (await ops.call('POST', '/api/v1/routing/preview', { channel: 'website', employees: 50, country: 'US' })).json();
    expect(fallback.decision).toMatchObject({ kind: 'queue', queue: 'triage', ruleId: null });

    await getDb().query(
      "insert into accounts (workspace_id, name, domain_normalized, owner_id) values ($1, 'Umbrella', 'umbrella.com', $2)",
      [org.workspace.id, org.users.aeB.id],
    );
    const owned = (await ops.call('POST', '/api/v1/routing/preview', { channel: 'website', email: 'ceo@umbrella.com' })).json();
    expect(owned.decision).toMatchObject({ kind: 'user', userId: org.users.aeB.id, ruleId: rules[0].id });
    expect(owned.classification.existingAccount).toMatchObject({ ownerId: org.users.aeB.id });

    refusedOn(await ops.call('POST', '/api/v1/routing/preview', { channel: 'fax' }), 'channel');
    refusedOn(await ops.call('POST', '/api/v1/routing/preview', { employees: 5 }), 'channel');
    expect(await getDb().query('select count(*)::int as n from leads where workspace_id = $1', [org.workspace.id])).toEqual(leadsBefore);
  });

  it('validates scorecards and keeps only valid ones', async () => {
    const criterion = (key: string, points: number[], required = false) => ({
      key,
      label: key,
      question: `${key}?`,
      required,
      options: points.map((p, i) => ({ value: `o${i}`, label: `Option ${i}`, points: p })),
    });
    const put = (body: unknown, client = ops) => client.call('PUT', '/api/v1/scorecards/MME', body);
    refusedOn(await put({ threshold: 7, criteria: [criterion('need', [3, 0])] }), 'threshold');
    refusedOn(await put({ threshold: 1, criteria: [criterion('need', [3, 0]), criterion('need', [1, 0])] }), 'criteria.1.key');
    refusedOn(await put({ threshold: 1, criteria: [criterion('Need It', [3, 0])] }), 'criteria.0.key');
    refusedOn(await put({ threshold: 1, criteria: [criterion('need', [3])] }), 'criteria.0.options');
    refusedOn(await put({ threshold: 1, criteria: [criterion('need', [3, 101])] }), 'criteria.0.options.1.points');
    refusedOn(await put({ threshold: 1, criteria: [] }), 'criteria');
    refusedOn(await ops.call('PUT', '/api/v1/scorecards/XXL', { threshold: 1, criteria: [criterion('need', [3, 0])] }), 'segment');
    expect((await put({ threshold: 1, criteria: [criterion('need', [3, 0])] }, sdr)).statusCode).toBe(403);
    expect((await ops.get('/api/v1/scorecards/MME')).json()).toMatchObject({ threshold: 12, updatedAt: null });

    const good = await put({ threshold: 4, criteria: [criterion('need', [3, 0], true), criterion('timing', [2, 1])] });
    expect(good.statusCode).toBe(200);
    const stored = (await sdr.get('/api/v1/scorecards/MME')).json();
    expect(stored).toMatchObject({ segment: 'MME', threshold: 4, criteria: [{ key: 'need', required: true }, { key: 'timing' }] });
    expect(stored.updatedAt).toBeTruthy();
  });

  it('qualifies a lead through the scorecard, keeping every fill-in and its reasons', async () => {
    const lead = (
      await sdr.call('POST', '/api/v1/leads', { email: 'cfo@hooli.com', company: 'Hooli', employees: 80, channel: 'website' })
    ).json();
    expect(lead).toMatchObject({ ownerId: org.users.sdrA.id, segment: 'SMB', status: 'new' });
    const qualify = (answers: Record<string, string>, client = sdr, id = lead.id) =>
      client.call('POST', `/api/v1/leads/${id}/qualification`, { answers });

    refusedOn(await qualify({ mood: 'great' }), 'answers.mood');
    expect((await qualify(GOOD, ae)).statusCode).toBe(403);
    const weak = await qualify({ need: 'vague', authority: 'none', fit: 'poor' });
    expect(weak.statusCode).toBe(200);
    expect(weak.json()).toMatchObject({ qualified: false, score: 1, threshold: 12 });
    expect(weak.json().reasons).toContain('Authority: "No influence" fails a required criterion');
    // What is stored on the lead is what the queue and the handoff go by.
    const scoreOf = async () =>
      (
        await getDb().query<{ status: string; score: number; qualified: boolean; first_touch_at: Date | null }>(
          'select status, score, qualified, first_touch_at from leads where id = $1',
          [lead.id],
        )
      )[0];
    expect(await scoreOf()).toMatchObject({ status: 'working', score: 1, qualified: false });

    const strong = await qualify(GOOD);
    expect(strong.json()).toMatchObject({ qualified: true, score: 18, maxScore: 18 });
    expect((await sdr.get(`/api/v1/leads/${lead.id}`)).json().status).toBe('qualified');
    const after = await scoreOf();
    expect(after).toMatchObject({ status: 'qualified', score: 18, qualified: true });
    expect(after.first_touch_at).toBeTruthy();

    const history = (await sdr.get(`/api/v1/leads/${lead.id}/qualification`)).json().items as {
      score: number;
      qualified: boolean;
      actorId: string;
    }[];
    expect(history.map((h) => [h.score, h.qualified, h.actorId])).toEqual([
      [18, true, org.users.sdrA.id],
      [1, false, org.users.sdrA.id],
    ]);
    expect((await ae.get(`/api/v1/leads/${lead.id}/qualification`)).statusCode).toBe(403);

    // A lead with no size cannot be scored: the segment decides which scorecard applies.
    const unsized = (await sdr.call('POST', '/api/v1/leads', { email: 'x@nosize.com', channel: 'website' })).json();
    refusedOn(await qualify(GOOD, sdr, unsized.id), 'segment');
  });
});
