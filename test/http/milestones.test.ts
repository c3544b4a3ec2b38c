import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApiKey } from '../../src/modules/org/org.service.js';
import { fixedClock } from '../../src/platform/clock.js';
import { buildApp } from '../../src/server/app.js';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs } from '../support/http.js';

const NOW = '2026-04-10T12:00:00.000Z';
type Org = Awaited<ReturnType<typeof seedOrg>>;
type Detail = { path: string; message: string };

describeEachDb('HTTP aha milestones: templates, editor, accounts, scope', (getDb) => {
  let app: FastifyInstance;
  let org: Org;
  let mine: string;
  let theirs: string;

  beforeAll(async () => {
    const db = getDb();
    org = await seedOrg(db);
    app = await buildApp({ db, config: { ...loadConfig({}), loginRateLimit: 1000 }, clock: fixedClock(NOW) });
    await app.ready();
    const customer = async (name: string, ownerId: string, closedAt: string) => {
      const [a] = await db.query<{ id: string }>(
        'insert into accounts (workspace_id, name, external_id, owner_id) values ($1, $2, $2, $3) returning id',
        [org.workspace.id, name, ownerId],
      );
      await db.query(
        `insert into opportunities (workspace_id, name, account_id, stage, owner_id, closed_at) values ($1, $2, $3, 'won', $4, $5)`,
        [org.workspace.id, name, a.id, ownerId, closedAt],
      );
      return a.id;
    };
    mine = await customer('mine', org.users.aeA.id, '2026-04-01T10:00:00Z');
    theirs = await customer('theirs', org.users.aeB.id, '2026-01-05T10:00:00Z');
  });
  afterAll(() => app.close());

  it('serves the templates, and an admin creates a milestone from one: customers get their window at once', async () => {
    const ops = await loginAs(app, org.users.ops.email);
    const templates = (await ops.get('/api/v1/milestones/templates')).json().items as { key: string; rule: unknown; windowDays: number }[];
    expect(templates.map((t) => t.key)).toEqual(['dropbox', 'slack', 'hubspot', 'twitter']);
    const dropbox = templates[0];
    const res = await ops.call('POST', '/api/v1/milestones', {
      name: 'Activation',
      template: 'dropbox',
      rule: dropbox.rule,
      windowDays: dropbox.windowDays,
    });
    expect(res.statusCode).toBe(201);
    // theirs closed in January: its 60 days and the grace are over, with no events: missed.
    expect(res.json()).toMatchObject({
      name: 'Activation',
      template: 'dropbox',
      plan: null,
      active: true,
      accounts: { pending: 1, reached: 0, missed: 1 },
    });
    const [{ action }] = await getDb().query<{ action: string }>(`select action from audit_log where record_id = $1`, [res.json().id]);
    expect(action).toBe('milestone.create');
  });

  it('refuses bad rules with field-level errors and a second active milestone for the same plan', async () => {
    const admin = await loginAs(app, org.users.admin.email);
    const cond = { label: 'X', event: ['x'], measure: 'count', atLeast: 1 };
    const details = async (body: unknown) => {
      const r = await admin.call('POST', '/api/v1/milestones', body);
      expect(r.statusCode).toBe(400);
      return r.json().error.details as Detail[];
    };
    expect(await details({ name: 'Bad', rule: { all: [{ ...cond, measure: 'median' }] } })).toEqual([
      { path: 'rule.all.0.measure', message: 'must be one of count, distinct_users, distinct_values, distinct_events' },
    ]);
    expect(await details({ name: 'Bad', rule: { all: [cond, { ...cond, measure: 'distinct_values' }] } })).toEqual([
      { path: 'rule.all.1.property', message: 'required for distinct_values: the property whose distinct values count' },
    ]);
    expect(await details({ name: 'Bad', rule: { all: [{ ...cond, atLeast: 0 }] } })).toEqual([
      { path: 'rule.all.0.atLeast', message: 'must be at least 1' },
    ]);
    expect(await details({ name: 'Bad', rule: { all: [] } })).toEqual([{ path: 'rule.all', message: 'at least one condition' }]);
    expect(await details({ name: 'Second default', rule: { all: [cond] } })).toEqual([
      { path: 'plan', message: '"Activation" is already the active milestone for accounts without a plan of their own' },
    ]);
    const pro = await admin.call('POST', '/api/v1/milestones', { name: 'Pro', plan: 'pro', rule: { all: [cond] } });
    expect(pro.statusCode).toBe(201);
    expect((await admin.call('PATCH', `/api/v1/milestones/${pro.json().id}`, { windowDays: 0 })).json().error.details).toEqual([
      { path: 'windowDays', message: 'at least 1 day' },
    ]);
  });

  it('lets only admins and sales ops write; API keys need org:write', async () => {
    const cond = { label: 'X', event: [], measure: 'count', atLeast: 1 };
    const rep = await loginAs(app, org.users.aeA.email);
    expect((await rep.call('POST', '/api/v1/milestones', { name: 'Mine', plan: 'x', rule: { all: [cond] } })).statusCode).toBe(403);
    const [m] = (await rep.get('/api/v1/milestones')).json().items as { id: string }[];
    expect((await rep.call('PATCH', `/api/v1/milestones/${m.id}`, { active: false })).statusCode).toBe(403);
    expect((await rep.call('DELETE', `/api/v1/milestones/${m.id}`)).statusCode).toBe(403);
    const key = (await createApiKey(getDb(), 'system', org.workspace.id, { name: 'events', permissions: ['events:write', 'crm:read'] }))
      .key;
    const viaKey = await app.inject({
      method: 'POST',
      url: '/api/v1/milestones',
      headers: { authorization: `Bearer ${key}` },
      payload: { name: 'K', plan: 'k', rule: { all: [cond] } },
    });
    expect(viaKey.statusCode).toBe(403);
    // Another workspace's milestone does not exist here.
    const other = await seedOrg(getDb());
    const stranger = await loginAs(app, other.users.admin.email);
    expect((await stranger.call('PATCH', `/api/v1/milestones/${m.id}`, { active: false })).statusCode).toBe(404);
    expect((await stranger.get(`/api/v1/milestones/${m.id}`)).statusCode).toBe(404);
  });

  it('shows an account its milestone, progress and history, scoped like the account', async () => {
    const key = (await createApiKey(getDb(), 'system', org.workspace.id, { name: 'product', permissions: ['events:write'] })).key;
    const post = (events: unknown[]) =>
      app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${key}` }, payload: { events } });
    const base = { account: 'mine', user: 'ann', timestamp: '2026-04-02T10:00:00Z' };
    await post([
      { ...base, messageId: 'e1', event: 'file.uploaded' },
      { ...base, messageId: 'e2', event: 'device.linked', properties: { device_id: 'phone' }, timestamp: '2026-04-03T10:00:00Z' },
    ]);
    const rep = await loginAs(app, org.users.aeA.email);
    const res = await rep.get(`/api/v1/accounts/${mine}/milestones`);
    expect(res.statusCode).toBe(200);
    const [m] = res.json().items;
    expect(m).toMatchObject({
      milestoneName: 'Activation',
      status: 'reached',
      reachedAt: '2026-04-03T10:00:00.000Z',
      windowStart: '2026-04-01T10:00:00.000Z',
      crossingEvent: { messageId: 'e2', name: 'device.linked', user: 'ann', occurredAt: '2026-04-03T10:00:00.000Z' },
      progress: [
        { label: 'Devices linked', value: 1, target: 1 },
        { label: 'Files uploaded', value: 1, target: 1 },
        { label: 'Active users', value: 1, target: 1 },
      ],
    });
    expect(m.changes.map((c: { toStatus: string }) => c.toStatus)).toEqual(['pending', 'reached']);
    expect((await rep.get(`/api/v1/accounts/${theirs}/milestones`)).statusCode).toBe(403);
    const other = await seedOrg(getDb());
    expect((await (await loginAs(app, other.users.admin.email)).get(`/api/v1/accounts/${mine}/milestones`)).statusCode).toBe(404);
  });

  it('lists accounts by status and milestone, paged, each caller seeing their own accounts only', async () => {
    const admin = await loginAs(app, org.users.admin.email);
    const all = (await admin.get('/api/v1/milestones/accounts?limit=1')).json();
    expect(all.items).toHaveLength(1);
    // Soonest window end first: theirs (January) before mine (April).
    expect(all.items[0]).toMatchObject({ id: theirs, accountName: 'theirs', status: 'missed' });
    const next = (await admin.get(`/api/v1/milestones/accounts?limit=1&cursor=${all.nextCursor}`)).json();
    expect(next.items.map((i: { id: string }) => i.id)).toEqual([mine]);
    expect(next.nextCursor).toBeNull();
    expect((await admin.get('/api/v1/milestones/accounts?status=reached')).json().items.map((i: { id: string }) => i.id)).toEqual([mine]);
    expect((await admin.get('/api/v1/milestones/accounts?status=won')).statusCode).toBe(400);

    const managerB = await loginAs(app, org.users.managerB.email);
    expect((await managerB.get('/api/v1/milestones/accounts')).json().items.map((i: { id: string }) => i.id)).toEqual([theirs]);
    // Counts per milestone follow the same scope.
    const [activation] = (await managerB.get('/api/v1/milestones')).json().items;
    expect(activation.accounts).toEqual({ pending: 0, reached: 0, missed: 1 });
  });

  it('re-evaluates accounts when the rule changes, and keeps milestones that have accounts', async () => {
    const admin = await loginAs(app, org.users.admin.email);
    const [activation] = (await admin.get('/api/v1/milestones')).json().items as { id: string; name: string }[];
    const tougher = { all: [{ label: 'Files uploaded', event: ['file.uploaded'], measure: 'count', atLeast: 2 }] };
    const res = await admin.call('PATCH', `/api/v1/milestones/${activation.id}`, { rule: tougher });
    expect(res.statusCode).toBe(200);
    expect(res.json().accounts).toEqual({ pending: 1, reached: 0, missed: 1 });
    const [m] = (await admin.get(`/api/v1/accounts/${mine}/milestones`)).json().items;
    expect(m).toMatchObject({ status: 'pending', reachedAt: null, progress: [{ label: 'Files uploaded', value: 1, target: 2 }] });
    expect(m.changes.map((c: { fromStatus: string; toStatus: string }) => `${c.fromStatus}>${c.toStatus}`)).toEqual([
      'null>pending',
      'pending>reached',
      'reached>pending',
    ]);
    const del = await admin.call('DELETE', `/api/v1/milestones/${activation.id}`);
    expect(del.statusCode).toBe(409);
    expect(del.json().error.message).toContain('deactivate it instead');
    const unused = await admin.call('POST', '/api/v1/milestones', { name: 'Unused', plan: 'nobody', rule: tougher });
    expect((await admin.call('DELETE', `/api/v1/milestones/${unused.json().id}`)).statusCode).toBe(204);
  });
});
