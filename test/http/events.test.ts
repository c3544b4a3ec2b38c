import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApiKey } from '../../src/modules/org/org.service.js';
import { createMilestone, syncMilestoneWindows } from '../../src/modules/success/milestones.service.js';
import { fixedClock } from '../../src/platform/clock.js';
import { buildApp } from '../../src/server/app.js';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs } from '../support/http.js';

const NOW = '2026-04-10T12:00:00.000Z';
type Org = Awaited<ReturnType<typeof seedOrg>>;

describeEachDb('HTTP usage events: API keys, per-event reasons, idempotency, unknown accounts', (getDb) => {
  let app: FastifyInstance;
  let org: Org;
  let other: Org;
  let key: string;
  let readKey: string;
  let accountId: string;
  let otherAccountId: string;

  beforeAll(async () => {
    const db = getDb();
    org = await seedOrg(db);
    other = await seedOrg(db);
    app = await buildApp({ db, config: { ...loadConfig({}), loginRateLimit: 1000 }, clock: fixedClock(NOW) });
    await app.ready();
    key = (await createApiKey(db, 'system', org.workspace.id, { name: 'product', permissions: ['events:write'] })).key;
    readKey = (await createApiKey(db, 'system', org.workspace.id, { name: 'reader', permissions: ['crm:read', 'crm:write'] })).key;
    [{ id: accountId }] = await db.query<{ id: string }>(
      `insert into accounts (workspace_id, name, external_id, owner_id) values ($1, 'Acme', 'acme-1', $2) returning id`,
      [org.workspace.id, org.users.aeA.id],
    );
    await db.query(
      `insert into opportunities (workspace_id, name, account_id, stage, closed_at) values ($1, 'Acme deal', $2, 'won', '2026-04-01T10:00:00Z')`,
      [org.workspace.id, accountId],
    );
    [{ id: otherAccountId }] = await db.query<{ id: string }>(
      `insert into accounts (workspace_id, name) values ($1, 'Elsewhere') returning id`,
      [other.workspace.id],
    );
    await createMilestone(
      db,
      org.system,
      { name: 'Two uploads', rule: { all: [{ label: 'Uploads', event: ['file.uploaded'], measure: 'count', atLeast: 2 }] } },
      new Date(NOW),
    );
    await syncMilestoneWindows(db, org.workspace.id, new Date(NOW));
  });
  afterAll(() => app.close());

  const post = (payload: unknown, auth: string | null = key) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/events',
      payload: payload as never,
      headers: auth ? { authorization: `Bearer ${auth}` } : {},
    });
  const ev = (messageId: string, extra: Record<string, unknown> = {}) => ({
    messageId,
    account: 'acme-1',
    user: 'ann',
    event: 'file.uploaded',
    properties: { size: 10 },
    timestamp: '2026-04-02T09:00:00+02:00',
    ...extra,
  });
  const stored = async (where = 'true') =>
    (
      await getDb().query<{ n: number }>(`select count(*)::int as n from usage_events where workspace_id = $1 and ${where}`, [
        org.workspace.id,
      ])
    )[0].n;

  it('refuses callers without a key, with an invalid key, or without events:write', async () => {
    expect((await post(ev('a'), null)).statusCode).toBe(401);
    expect((await post(ev('a'), 'rl_nope_nope')).statusCode).toBe(401);
    const res = await post(ev('a'), readKey);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('events:write');
    // A signed-in manager has no events:write either; an admin does.
    const manager = await loginAs(app, org.users.managerA.email);
    expect((await manager.call('POST', '/api/v1/events', ev('m'))).statusCode).toBe(403);
    const admin = await loginAs(app, org.users.admin.email);
    expect((await admin.call('POST', '/api/v1/events', ev('admin-1', { event: 'login' }))).statusCode).toBe(201);
    expect(await stored()).toBe(1);
  });

  it('takes one event (201, then 200 as a duplicate) and refuses a bad single event with field errors', async () => {
    const first = await post(ev('single-1', { event: 'page.viewed' }));
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      accepted: 1,
      duplicates: 0,
      rejected: 0,
      results: [{ index: 0, status: 'accepted' }],
      unknownAccounts: [],
    });
    const again = await post(ev('single-1', { event: 'page.viewed' }));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 1, results: [{ index: 0, status: 'duplicate' }] });
    const bad = await post({ messageId: 'x', account: 'acme-1', event: 'e', timestamp: '2026-04-10 12:00' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([
      {
        path: 'timestamp',
        message: 'must be an ISO 8601 date-time with an offset, e.g. 2026-03-01T10:15:00Z or 2026-03-01T10:15:00+01:00',
      },
    ]);
  });

  it('reports every bad event of a batch with its reasons, stores the valid ones, and counts', async () => {
    const before = await stored();
    const res = await post({
      events: [
        ev('b-1'),
        'not an object',
        { messageId: '', account: 'acme-1', event: 'x', timestamp: '2026-04-02T09:00:00Z', colour: 'red' },
        ev('b-2', { timestamp: '2026-04-12T12:00:01Z' }),
        ev('b-3', { timestamp: '2026-02-30T10:00:00Z' }),
        ev('b-4', { properties: [1, 2], user: 42 }),
        ev('b-1'),
        ev('b-5', { account: undefined, event: undefined }),
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ accepted: 1, duplicates: 1, rejected: 6 });
    expect(body.results).toEqual([
      { index: 0, status: 'accepted' },
      { index: 1, status: 'rejected', errors: [{ path: '', message: 'must be a JSON object' }] },
      {
        index: 2,
        status: 'rejected',
        errors: [
          { path: 'colour', message: 'unknown field' },
          { path: 'messageId', message: 'must be text of 1 to 200 characters' },
        ],
      },
      { index: 3, status: 'rejected', errors: [{ path: 'timestamp', message: 'is more than 1 day in the future' }] },
      { index: 4, status: 'rejected', errors: [{ path: 'timestamp', message: 'is not a real date and time' }] },
      {
        index: 5,
        status: 'rejected',
        errors: [
          { path: 'user', message: 'must be text of 1 to 200 characters, or null' },
          { path: 'properties', message: 'must be a JSON object' },
        ],
      },
      { index: 6, status: 'duplicate' },
      {
        index: 7,
        status: 'rejected',
        errors: [
          { path: 'account', message: 'required: the account id or external id' },
          { path: 'event', message: 'required: the event name' },
        ],
      },
    ]);
    expect(await stored()).toBe(before + 1);
  });

  it('is idempotent: replaying a batch stores nothing more and evaluates nothing twice', async () => {
    const batch = { events: [ev('r-1', { timestamp: '2026-04-03T10:00:00Z' }), ev('r-2', { timestamp: '2026-04-03T11:00:00Z' })] };
    expect((await post(batch)).json()).toMatchObject({ accepted: 2, duplicates: 0 });
    const [state] = await getDb().query<{ status: string; crossing_event_id: number }>(
      'select status, crossing_event_id from account_milestones where account_id = $1',
      [accountId],
    );
    expect(state.status).toBe('reached');
    const replay = await post(batch);
    expect(replay.json()).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(await stored(`message_id in ('r-1', 'r-2')`)).toBe(2);
    const changes = await getDb().query('select 1 from account_milestone_changes where account_id = $1', [accountId]);
    expect(changes).toHaveLength(2);
  });

  it("keeps events for unknown accounts (another workspace's account id included) and lists them as unmatched", async () => {
    const res = await post({
      events: [
        ev('u-1', { account: otherAccountId }),
        ev('u-2', { account: 'not-yet' }),
        ev('u-3', { account: 'not-yet' }),
        ev('u-4', { account: accountId }),
      ],
    });
    expect(res.json()).toMatchObject({
      accepted: 4,
      unknownAccounts: [
        { key: 'not-yet', events: 2 },
        { key: otherAccountId, events: 1 },
      ],
    });
    expect(await stored(`message_id = 'u-1' and account_id is null`)).toBe(1);
    expect(await stored(`message_id = 'u-4' and account_id = '${accountId}'`)).toBe(1);
    // The other workspace sees nothing of it.
    const otherKey = (await createApiKey(getDb(), 'system', other.workspace.id, { name: 'p', permissions: ['events:write', 'crm:read'] }))
      .key;
    const theirs = await app.inject({ method: 'GET', url: '/api/v1/events/unmatched', headers: { authorization: `Bearer ${otherKey}` } });
    expect(theirs.json()).toEqual({ keys: [], totalKeys: 0, totalEvents: 0 });

    const admin = await loginAs(app, org.users.admin.email);
    const list = await admin.get('/api/v1/events/unmatched');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({
      totalKeys: 2,
      totalEvents: 3,
      keys: [
        { key: 'not-yet', events: 2 },
        { key: otherAccountId, events: 1 },
      ],
    });
    // Unmatched events belong to no account: only whole-workspace roles read them.
    const rep = await loginAs(app, org.users.aeA.email);
    expect((await rep.get('/api/v1/events/unmatched')).statusCode).toBe(403);
  });

  it('refuses a batch over 10,000 events, an empty batch and a malformed body, storing nothing', async () => {
    const before = await stored();
    const big = await post({ events: Array.from({ length: 10_001 }, (_, i) => ev(`big-${i}`)) });
    expect(big.statusCode).toBe(400);
    expect(big.json().error.details).toEqual([{ path: 'events', message: 'at most 10,000 events per request, got 10,001' }]);
    expect((await post({ events: [] })).json().error.details).toEqual([{ path: 'events', message: 'send at least one event' }]);
    expect((await post({ events: 'x' })).json().error.details).toEqual([{ path: 'events', message: 'must be an array of events' }]);
    expect((await post({ events: [ev('z')], extra: 1 })).json().error.details).toEqual([{ path: 'extra', message: 'unknown field' }]);
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      payload: '{"events": [',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(await stored()).toBe(before);
  });

  it('never half-writes: when the milestone evaluation of a batch fails, none of its events is stored', async () => {
    const db = getDb();
    const [acct] = await db.query<{ id: string }>(
      `insert into accounts (workspace_id, name, external_id) values ($1, 'Fragile', 'fragile') returning id`,
      [org.workspace.id],
    );
    await db.query(
      `insert into opportunities (workspace_id, name, account_id, stage, closed_at) values ($1, 'F', $2, 'won', '2026-04-01T00:00:00Z')`,
      [org.workspace.id, acct.id],
    );
    await db.query(
      `create or replace function fail_reach() returns trigger language plpgsql as $$ begin raise exception 'injected'; end $$`,
    );
    await db.query(
      `create trigger fail_reach before insert on account_milestone_changes for each row when (new.to_status = 'reached') execute function fail_reach()`,
    );
    const before = await stored();
    try {
      const res = await post({
        events: [
          ev('h-1', { account: 'fragile', event: 'login' }),
          ev('h-2', { account: 'nobody' }),
          ev('h-3', { account: 'fragile' }),
          ev('h-4', { account: 'fragile' }),
        ],
      });
      expect(res.statusCode).toBe(500);
      expect(await stored()).toBe(before);
    } finally {
      await db.query('drop trigger fail_reach on account_milestone_changes');
    }
    expect(
      (
        await post({
          events: [ev('h-1', { account: 'fragile', event: 'login' }), ev('h-3', { account: 'fragile' }), ev('h-4', { account: 'fragile' })],
        })
      ).json(),
    ).toMatchObject({
      accepted: 3,
    });
  });
});
