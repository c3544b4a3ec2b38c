import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { addDays, DEFAULT_HEALTH_SETTINGS, localDay } from '../../src/modules/success/health.core.js';
import { refreshHealth } from '../../src/modules/success/health.service.js';
import { addEvents, customer, daysBefore, type SuccessOrg, seedSuccessOrg, spread } from '../../src/modules/success/health.testkit.js';
import { detectSignals } from '../../src/modules/success/signals.service.js';
import { describeEachDb } from '../support/db.js';
import { loginAs, testApp } from '../support/http.js';

type Client = Awaited<ReturnType<typeof loginAs>>;
type Res = { statusCode: number; json: () => { error: { details?: { path: string; message: string }[] } } };
const paths = (res: Res) => (res.json().error.details ?? []).map((d) => d.path);

/** Customer success over HTTP: scope (a CSM sees their accounts), refusals (403, 404), field-level 400s. */
describeEachDb('HTTP customer success', (getDb) => {
  let app: FastifyInstance;
  let db: Db;
  let org: SuccessOrg;
  let other: SuccessOrg;
  let as: Record<'admin' | 'ops' | 'managerA' | 'aeA' | 'csmA' | 'csmB', Client>;
  let otherAdmin: Client;
  let acc: { mine: string; theirs: string; mineSub: string };

  beforeAll(async () => {
    db = getDb();
    org = await seedSuccessOrg(db);
    other = await seedSuccessOrg(db);
    app = await testApp(db);
    as = {} as typeof as;
    for (const k of ['admin', 'ops', 'managerA', 'aeA'] as const) as[k] = await loginAs(app, org.users[k].email);
    as.csmA = await loginAs(app, org.csms.csmA.email);
    as.csmB = await loginAs(app, org.csms.csmB.email);
    otherAdmin = await loginAs(app, other.users.admin.email);
    const today = localDay(new Date(), 'Europe/Paris');
    const mine = await customer(db, org, { name: 'Mine Inc', csmId: org.csms.csmA.id, seats: 2, renewalDate: addDays(today, 40) });
    const theirs = await customer(db, org, { name: 'Theirs Ltd', csmId: org.csms.csmB.id, renewalDate: addDays(today, 70) });
    await addEvents(db, org.workspace.id, mine.account.id, spread(5, daysBefore(new Date(), 1), 2));
    await refreshHealth(db, org.workspace.id, new Date());
    await detectSignals(db, org.workspace.id, new Date()); // 2 of 2 seats used: an expansion task for csmA
    acc = { mine: mine.account.id, theirs: theirs.account.id, mineSub: mine.subscription.id };
  });
  afterAll(() => app.close());

  it('shows a CSM their own accounts, tasks and renewals; leaders see all', async () => {
    const home = await as.csmA.get('/api/v1/success/accounts');
    expect(home.statusCode).toBe(200);
    expect(home.json().items.map((i: { name: string }) => i.name)).toEqual(['Mine Inc']);
    expect(home.json().items[0]).toMatchObject({ openTasks: 1, health: { band: expect.any(String) } });
    const all = await as.ops.get('/api/v1/success/accounts?sort=name');
    expect(all.json().items.map((i: { name: string }) => i.name)).toEqual(['Mine Inc', 'Theirs Ltd']);
    expect((await as.csmB.get('/api/v1/success/tasks')).json().items).toEqual([]);
    const tasks = (await as.csmA.get('/api/v1/success/tasks')).json().items;
    expect(tasks.map((t: { kind: string }) => t.kind)).toEqual(['expansion.seats']);
    const renewals = await as.csmA.get('/api/v1/renewals?window=60');
    expect(renewals.statusCode).toBe(200);
    expect(renewals.json().items.map((i: { accountName: string }) => i.accountName)).toEqual(['Mine Inc']);
    expect((await as.admin.get('/api/v1/renewals')).json().items).toHaveLength(2);
  });

  it("opens an account's success tab in scope; 403 out of scope, 404 from another workspace", async () => {
    const tab = await as.csmA.get(`/api/v1/accounts/${acc.mine}/success`);
    expect(tab.statusCode).toBe(200);
    expect(tab.json().usage).toHaveLength(90);
    expect(tab.json().tasks).toHaveLength(1);
    expect((await as.csmA.get(`/api/v1/accounts/${acc.theirs}/success`)).statusCode).toBe(403);
    expect((await as.managerA.get(`/api/v1/accounts/${acc.mine}/success`)).statusCode).toBe(200);
    expect((await otherAdmin.get(`/api/v1/accounts/${acc.mine}/success`)).statusCode).toBe(404);
    expect((await as.csmA.get('/api/v1/accounts/not-a-uuid/success')).statusCode).toBe(400);
  });

  it('lets the assignee close a task; refuses another CSM (403) and another workspace (404)', async () => {
    const [task] = (await as.csmA.get('/api/v1/success/tasks')).json().items;
    expect((await as.csmB.call('PATCH', `/api/v1/success/tasks/${task.id}`, { status: 'done' })).statusCode).toBe(403);
    expect((await otherAdmin.call('PATCH', `/api/v1/success/tasks/${task.id}`, { status: 'done' })).statusCode).toBe(404);
    const bad = await as.csmA.call('PATCH', `/api/v1/success/tasks/${task.id}`, { status: 'open' });
    expect(bad.statusCode).toBe(400);
    expect(paths(bad)).toEqual(['status']);
    const noCsrf = await as.csmA.call('PATCH', `/api/v1/success/tasks/${task.id}`, { status: 'done' }, { csrf: null });
    expect(noCsrf.statusCode).toBe(403);
    const done = await as.csmA.call('PATCH', `/api/v1/success/tasks/${task.id}`, { status: 'done' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', doneBy: org.csms.csmA.id });
    expect((await as.csmA.call('PATCH', `/api/v1/success/tasks/${task.id}`, { status: 'dismissed' })).statusCode).toBe(409);
  });

  it('refuses the settings to anyone but admins and sales ops, and bad settings with field names', async () => {
    for (const c of [as.csmA, as.aeA, as.managerA]) {
      expect((await c.get('/api/v1/success/settings')).statusCode).toBe(403);
      expect((await c.call('PUT', '/api/v1/success/settings', DEFAULT_HEALTH_SETTINGS)).statusCode).toBe(403);
    }
    const got = await as.admin.get('/api/v1/success/settings');
    expect(got.json()).toEqual({ settings: DEFAULT_HEALTH_SETTINGS, isDefault: true });

    const put = (patch: Record<string, unknown>) =>
      as.admin.call('PUT', '/api/v1/success/settings', { ...DEFAULT_HEALTH_SETTINGS, ...patch });
    const d = DEFAULT_HEALTH_SETTINGS;
    const cases: [Record<string, unknown>, string][] = [
      [{ weights: { ...d.weights, usageTrend: -1 } }, 'weights.usageTrend'],
      [{ weights: Object.fromEntries(Object.keys(d.weights).map((k) => [k, 0])) }, 'weights'],
      [{ bands: { healthy: 50, atRisk: 60 } }, 'bands.atRisk'],
      [{ bands: { healthy: 70.5, atRisk: 40 } }, 'bands.healthy'],
      [{ renewalProbability: { ...d.renewalProbability, unscored: 1.2 } }, 'renewalProbability.unscored'],
      [{ renewalProbability: { ...d.renewalProbability, critical: 0.9 } }, 'renewalProbability.critical'],
      [{ signals: { ...d.signals, seatUsePercent: 0 } }, 'signals.seatUsePercent'],
      [{ events: { ...d.events, supportTicket: '  ' } }, 'events.supportTicket'],
      [{ taskDueDays: { churnRisk: 3 } }, 'taskDueDays.expansion'],
      [{ colour: 'blue' }, 'colour'],
    ];
    for (const [patch, path] of cases) {
      const res = await put(patch);
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
      expect(paths(res), JSON.stringify(patch)).toContain(path);
    }
    expect((await as.admin.get('/api/v1/success/settings')).json().isDefault).toBe(true);
    const ok = await put({ bands: { healthy: 75, atRisk: 45 } });
    expect(ok.statusCode).toBe(200);
    expect((await as.ops.get('/api/v1/success/settings')).json().settings.bands).toEqual({ healthy: 75, atRisk: 45 });
  });

  it('refuses bad list filters and renewal input on their fields', async () => {
    for (const [url, path] of [
      ['/api/v1/success/accounts?band=green', 'band'],
      ['/api/v1/success/accounts?sort=mood', 'sort'],
      ['/api/v1/success/accounts?csmId=nope', 'csmId'],
      ['/api/v1/success/accounts?cursor=garbage', 'cursor'],
      ['/api/v1/success/tasks?status=later', 'status'],
      ['/api/v1/renewals?window=45', 'window'],
    ] as const) {
      const res = await as.admin.get(url);
      expect(res.statusCode, url).toBe(400);
      // A list in the query names its item: band.0
      expect(
        paths(res).some((p) => p === path || p.startsWith(`${path}.`)),
        `${url}: ${paths(res)}`,
      ).toBe(true);
    }
    // A filter on a CSM of another team is out of scope for a CSM; another workspace's user is not found.
    const scoped = await as.csmA.get(`/api/v1/success/accounts?csmId=${org.csms.csmB.id}`);
    expect(scoped.statusCode).toBe(403);
    expect(paths(scoped)).toEqual(['csmId']);
    expect((await as.admin.get(`/api/v1/success/accounts?csmId=${other.csms.csmA.id}`)).statusCode).toBe(404);

    const renew = (body: unknown, c = as.csmA, id = acc.mineSub) => c.call('POST', `/api/v1/subscriptions/${id}/renewal`, body);
    for (const [body, path] of [
      [{}, 'outcome'],
      [{ outcome: 'maybe' }, 'outcome'],
      [{ outcome: 'renewed', arr: '-5' }, 'arr'],
      [{ outcome: 'renewed', arr: 'lots' }, 'arr'],
      [{ outcome: 'renewed', renewalDate: '2026-13-45' }, 'renewalDate'],
      [{ outcome: 'renewed', renewalDate: '2020-01-01' }, 'renewalDate'],
      [{ outcome: 'churned', arr: '5' }, 'arr'],
    ] as const) {
      const res = await renew(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(paths(res), JSON.stringify(body)).toContain(path);
    }
    expect((await renew({ outcome: 'churned' }, as.csmB)).statusCode).toBe(403);
    expect((await renew({ outcome: 'churned' }, otherAdmin)).statusCode).toBe(404);
    const ok = await as.csmA.call('POST', `/api/v1/subscriptions/${acc.mineSub}/renewal`, { outcome: 'renewed', arr: '15000' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().movements.map((m: { kind: string }) => m.kind)).toEqual(['renewal', 'expansion']);
  });
});
