import { beforeEach, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { seedOrg } from '../../../test/support/fixtures.js';
import type { Db } from '../../db/client.js';
import type { Principal } from '../../platform/auth/principal.js';
import { ingestEvents } from './events.service.js';
import { GRACE_MS } from './milestones.core.js';
import { sweepMilestones } from './milestones.jobs.js';
import {
  accountMilestones,
  createMilestone,
  deleteMilestone,
  listMilestones,
  recomputeMilestones,
  syncMilestoneWindows,
  updateMilestone,
} from './milestones.service.js';
import { MILESTONE_TEMPLATES } from './milestones.templates.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const CLOSE = new Date('2026-03-02T09:00:00Z');
const NOW = new Date('2026-03-20T12:00:00Z');
const template = (key: string) => MILESTONE_TEMPLATES.find((t) => t.key === key)!;
const at = (hours: number) => new Date(CLOSE.getTime() + hours * HOUR).toISOString();

type Org = Awaited<ReturnType<typeof seedOrg>>;

/** A customer: an account (owned by `ownerId`) with a deal won at `closedAt` and optionally a subscription plan. */
async function customer(db: Db, org: Org, o: { name: string; externalId?: string; ownerId?: string; closedAt?: Date; plan?: string }) {
  const ws = org.workspace.id;
  const [a] = await db.query<{ id: string }>(
    'insert into accounts (workspace_id, name, external_id, owner_id) values ($1, $2, $3, $4) returning id',
    [ws, o.name, o.externalId ?? null, o.ownerId ?? org.users.aeA.id],
  );
  const [opp] = await db.query<{ id: string }>(
    `insert into opportunities (workspace_id, name, account_id, stage, amount, owner_id, closed_at) values ($1, $2, $3, 'won', 1000, $4, $5) returning id`,
    [ws, `${o.name} deal`, a.id, o.ownerId ?? org.users.aeA.id, o.closedAt ?? CLOSE],
  );
  if (o.plan)
    await db.query(
      `insert into subscriptions (workspace_id, account_id, opportunity_id, plan, arr, start_date) values ($1, $2, $3, $4, 1000, '2026-03-02')`,
      [ws, a.id, opp.id, o.plan],
    );
  return a.id;
}

/** The public result of every account's milestone: what compensation and the screens read. */
async function snapshot(db: Db, ws: string) {
  return db.query(
    `select account_id, milestone_id, window_start, window_end, status, reached_at, crossing_event_id, progress
       from account_milestones where workspace_id = $1 order by account_id`,
    [ws],
  );
}
const changes = (db: Db, ws: string, accountId?: string) =>
  db.query<{ from_status: string | null; to_status: string; reached_at: Date | null; crossing_event_id: number | null; changed_at: Date }>(
    `select from_status, to_status, reached_at, crossing_event_id, changed_at from account_milestone_changes
      where workspace_id = $1 and ($2::uuid is null or account_id = $2) order by id`,
    [ws, accountId ?? null],
  );
const stateOf = async (db: Db, accountId: string) =>
  (
    await db.query<{
      status: string;
      reached_at: Date | null;
      crossing_event_id: number | null;
      decided_at: Date | null;
      progress: unknown;
    }>('select status, reached_at, crossing_event_id, decided_at, progress from account_milestones where account_id = $1', [accountId])
  )[0];
const eventId = async (db: Db, ws: string, messageId: string) =>
  (await db.query<{ id: number }>('select id from usage_events where workspace_id = $1 and message_id = $2', [ws, messageId]))[0]?.id;

/** Deterministic shuffle (mulberry32). */
function shuffled<T>(xs: T[], seed: number): T[] {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describeEachDb('aha milestones against the database', (getDb) => {
  let org: Org;
  let ws: string;
  let sys: Principal;
  beforeEach(async () => {
    org = await seedOrg(getDb());
    ws = org.workspace.id;
    sys = org.system;
  });
  const post = (events: unknown[], now = NOW) => ingestEvents(getDb(), sys, events, now);
  const msg = (id: string, account: string, hours: number, event = 'message.sent', extra: Record<string, unknown> = {}) => ({
    messageId: id,
    account,
    user: 'u1',
    event,
    timestamp: at(hours),
    ...extra,
  });

  it('incremental evaluation equals a recomputation for any arrival order, replays and late-known accounts', async () => {
    const db = getDb();
    const t = (k: string) => ({ rule: template(k).rule, windowDays: 30 });
    await createMilestone(db, org.principals.admin, { name: 'Default', ...t('dropbox') }, NOW);
    await createMilestone(
      db,
      org.principals.admin,
      { name: 'Team', plan: 'team', rule: { all: [{ label: 'Messages', event: ['message.sent'], measure: 'count', atLeast: 40 }] } },
      NOW,
    );
    await createMilestone(db, org.principals.admin, { name: 'Social', plan: 'social', ...t('twitter') }, NOW);
    await createMilestone(db, org.principals.admin, { name: 'Suite', plan: 'suite', ...t('hubspot') }, NOW);
    const accounts: string[] = [];
    const plans = [undefined, 'team', 'social', 'suite'];
    for (let i = 0; i < 12; i++) accounts.push(`acct-${i}`);
    for (let i = 0; i < 10; i++)
      await customer(db, org, {
        name: `C${i}`,
        externalId: accounts[i],
        plan: plans[i % 4],
        closedAt: new Date(CLOSE.getTime() + i * DAY),
      });
    await syncMilestoneWindows(db, ws, NOW);

    // Events over 37 days (the windows last 30), for 12 keys: acct-10 and acct-11 are unknown until later.
    const all: Record<string, unknown>[] = [];
    for (let i = 0; i < 900; i++) {
      const account = accounts[i % 12];
      const hours = ((i * 37) % (37 * 24)) - 24;
      const kind = i % 5;
      if (kind === 0) all.push(msg(`m${i}`, account, hours, 'device.linked', { properties: { device_id: `d${i % 3}` } }));
      else if (kind === 1) all.push(msg(`m${i}`, account, hours, 'file.uploaded', { user: `u${i % 4}` }));
      else if (kind === 2) all.push(msg(`m${i}`, account, hours, 'follow', { properties: { followed_id: `p${i % 45}` } }));
      else if (kind === 3) all.push(msg(`m${i}`, account, hours, 'feature.used', { properties: { feature: `f${i % 7}` } }));
      else all.push(msg(`m${i}`, account, hours, 'message.sent', { user: null }));
    }
    const order = shuffled(all, 7);
    const replays = shuffled(all, 8).slice(0, 60);
    const stream = [...order.slice(0, 500), ...replays, ...order.slice(500)];
    let accepted = 0;
    let duplicates = 0;
    // Ingested around day 36: the windows of the first deals (and their grace) have ended, the later ones have not.
    const start = new Date(CLOSE.getTime() + 36 * DAY);
    for (let i = 0; i < stream.length; i += 37) {
      if (i === 37 * 12) {
        // acct-10 becomes a customer midway: its earlier events are linked and evaluated on the next ingestion.
        await customer(db, org, { name: 'C10', externalId: 'acct-10', closedAt: new Date(CLOSE.getTime() + 2 * DAY) });
      }
      const r = await post(stream.slice(i, i + 37), new Date(start.getTime() + i * 1000));
      accepted += r.accepted;
      duplicates += r.duplicates;
    }
    expect(accepted).toBe(900);
    expect(duplicates).toBe(60);
    // The job marks missed the windows whose grace has passed (ingestion only decides the rows it touches).
    const later = new Date(start.getTime() + DAY);
    await sweepMilestones(db, later);
    const statuses = (await snapshot(db, ws)).map((r) => r.status);
    expect(new Set(statuses)).toEqual(new Set(['reached', 'pending', 'missed']));

    // Recomputing over a consistent state changes nothing, records nothing, and does not even rewrite a row.
    const incremental = await snapshot(db, ws);
    const recorded = (await changes(db, ws)).length;
    const written = () =>
      db.query('select account_id, updated_at from account_milestones where workspace_id = $1 order by account_id', [ws]);
    const writtenBefore = await written();
    await recomputeMilestones(db, ws, new Date(later.getTime() + 1000));
    expect(await snapshot(db, ws)).toEqual(incremental);
    expect((await changes(db, ws)).length).toBe(recorded);
    expect(await written()).toEqual(writtenBefore);

    // From nothing: the same result.
    await db.query('delete from account_milestones where workspace_id = $1', [ws]);
    await recomputeMilestones(db, ws, later);
    expect(await snapshot(db, ws)).toEqual(incremental);
    expect(incremental).toHaveLength(11);
  });

  it('records the crossing event; a late earlier event moves reached_at earlier and keeps decided_at', async () => {
    const db = getDb();
    await createMilestone(
      db,
      org.principals.admin,
      { name: 'Chatty', rule: { all: [{ label: 'Messages', event: ['message.sent'], measure: 'count', atLeast: 3 }] } },
      NOW,
    );
    const id = await customer(db, org, { name: 'Acme', externalId: 'acme' });
    await syncMilestoneWindows(db, ws, NOW);
    expect(await stateOf(db, id)).toMatchObject({ status: 'pending', progress: [{ label: 'Messages', value: 0, target: 3 }] });

    await post([msg('a', 'acme', 1), msg('b', 'acme', 5)]);
    expect(await stateOf(db, id)).toMatchObject({ status: 'pending', progress: [{ label: 'Messages', value: 2, target: 3 }] });
    const t1 = new Date(NOW.getTime() + HOUR);
    await post([msg('c', 'acme', 10), msg('d', 'acme', 11)], t1);
    expect(await stateOf(db, id)).toMatchObject({
      status: 'reached',
      reached_at: new Date(at(10)),
      crossing_event_id: await eventId(db, ws, 'c'),
      decided_at: t1,
      progress: [{ label: 'Messages', value: 3, target: 3 }],
    });

    // A message that happened at hour 3 arrives a day later: the third message is now b (hour 5).
    const t2 = new Date(NOW.getTime() + DAY);
    await post([msg('late', 'acme', 3)], t2);
    expect(await stateOf(db, id)).toMatchObject({
      status: 'reached',
      reached_at: new Date(at(5)),
      crossing_event_id: await eventId(db, ws, 'b'),
      decided_at: t1,
    });
    // Events after the crossing change nothing.
    await post([msg('after', 'acme', 20)], t2);
    expect(
      (await changes(db, ws, id)).map((c) => [c.from_status, c.to_status, c.reached_at?.toISOString() ?? null, c.changed_at.toISOString()]),
    ).toEqual([
      [null, 'pending', null, NOW.toISOString()],
      ['pending', 'reached', at(10), t1.toISOString()],
      ['reached', 'reached', at(5), t2.toISOString()],
    ]);
    const [view] = await accountMilestones(db, org.principals.aeA, id);
    expect(view).toMatchObject({ milestoneName: 'Chatty', status: 'reached', crossingEvent: { messageId: 'b', name: 'message.sent' } });
    expect(view.changes).toHaveLength(3);
  });

  it('marks missed only after window end plus grace; a late event inside the window turns missed into reached', async () => {
    const db = getDb();
    await createMilestone(
      db,
      org.principals.admin,
      { name: 'Quick', windowDays: 10, rule: { all: [{ label: 'Uploads', event: ['file.uploaded'], measure: 'count', atLeast: 2 }] } },
      NOW,
    );
    const id = await customer(db, org, { name: 'Slow', externalId: 'slow' });
    await syncMilestoneWindows(db, ws, CLOSE);
    await post([msg('u1', 'slow', 24, 'file.uploaded')], CLOSE);
    const end = CLOSE.getTime() + 10 * DAY;
    await sweepMilestones(db, new Date(end + GRACE_MS - 1000));
    expect((await stateOf(db, id)).status).toBe('pending');
    const missedAt = new Date(end + GRACE_MS);
    await sweepMilestones(db, missedAt);
    expect(await stateOf(db, id)).toMatchObject({
      status: 'missed',
      decided_at: missedAt,
      progress: [{ label: 'Uploads', value: 1, target: 2 }],
    });

    // After the window: counts nothing. Inside the window, even three weeks late: reached.
    await post([msg('u-after', 'slow', 10 * 24 + 1, 'file.uploaded')], new Date(end + 20 * DAY));
    expect((await stateOf(db, id)).status).toBe('missed');
    const lateAt = new Date(end + 21 * DAY);
    await post([msg('u-late', 'slow', 9 * 24, 'file.uploaded')], lateAt);
    expect(await stateOf(db, id)).toMatchObject({ status: 'reached', reached_at: new Date(at(9 * 24)), decided_at: lateAt });
    expect((await changes(db, ws, id)).map((c) => `${c.from_status}>${c.to_status}`)).toEqual([
      'null>pending',
      'pending>missed',
      'missed>reached',
    ]);
  });

  it('keeps and reports events of unknown accounts, and links them when the account appears (ingestion or the job)', async () => {
    const db = getDb();
    await createMilestone(
      db,
      org.principals.admin,
      { name: 'One upload', rule: { all: [{ label: 'Uploads', event: ['file.uploaded'], measure: 'count', atLeast: 1 }] } },
      NOW,
    );
    const r = await post([
      msg('x1', 'future-co', 2, 'file.uploaded'),
      msg('x2', 'future-co', 3, 'login'),
      msg('y1', 'other-co', 4, 'login'),
    ]);
    expect(r).toMatchObject({
      accepted: 3,
      unknownAccounts: [
        { key: 'future-co', events: 2 },
        { key: 'other-co', events: 1 },
      ],
    });
    const [{ n }] = await db.query<{ n: number }>(
      'select count(*)::int as n from usage_events where workspace_id = $1 and account_id is null',
      [ws],
    );
    expect(n).toBe(3);

    // The account appears; the next event for it links the earlier ones, and the earlier upload reaches the milestone.
    const id = await customer(db, org, { name: 'Future', externalId: 'future-co' });
    const r2 = await post([msg('x3', 'future-co', 30, 'login')]);
    expect(r2.unknownAccounts).toEqual([]);
    expect(await stateOf(db, id)).toMatchObject({ status: 'reached', crossing_event_id: await eventId(db, ws, 'x1') });

    // The other appears without new events: the job links it.
    const other = await customer(db, org, { name: 'Other', externalId: 'other-co' });
    await db.query(`update accounts set external_id = null where id = $1`, [other]);
    await db.query(`update accounts set external_id = 'other-co' where id = $1`, [other]);
    await sweepMilestones(db, NOW);
    const [{ linked }] = await db.query<{ linked: number }>('select count(*)::int as linked from usage_events where account_id = $1', [
      other,
    ]);
    expect(linked).toBe(1);
    expect((await stateOf(db, other)).status).toBe('pending');
  });

  it('opens the window at the first won deal, or at the subscription start in the workspace time zone; earlier events do not count', async () => {
    const db = getDb();
    await createMilestone(
      db,
      org.principals.admin,
      { name: 'One upload', rule: { all: [{ label: 'Uploads', event: ['file.uploaded'], measure: 'count', atLeast: 1 }] } },
      NOW,
    );
    const [a] = await db.query<{ id: string }>(
      `insert into accounts (workspace_id, name, external_id) values ($1, 'Subscriber', 'sub') returning id`,
      [ws],
    );
    await db.query(`insert into subscriptions (workspace_id, account_id, plan, arr, start_date) values ($1, $2, null, 500, '2026-03-10')`, [
      ws,
      a.id,
    ]);
    // Paris is UTC+1 in March: the window opens at 2026-03-09T23:00Z. An upload before it does not count.
    await post([msg('early', 'sub', 0, 'file.uploaded', { timestamp: '2026-03-09T22:59:59Z' })]);
    await syncMilestoneWindows(db, ws, NOW);
    const [row] = await db.query<{ window_start: Date; window_end: Date; status: string }>(
      'select window_start, window_end, status from account_milestones where account_id = $1',
      [a.id],
    );
    expect(row.window_start.toISOString()).toBe('2026-03-09T23:00:00.000Z');
    // 60 calendar days in Paris: across the change to summer time, midnight is 22:00Z.
    expect(row.window_end.toISOString()).toBe('2026-05-08T22:00:00.000Z');
    expect(row.status).toBe('pending');
    await post([msg('on-time', 'sub', 0, 'file.uploaded', { timestamp: '2026-03-10T00:00:00+01:00' })]);
    expect((await stateOf(db, a.id)).status).toBe('reached');
  });

  it('picks the milestone of the plan, else the default; a rule change re-evaluates its accounts (audited)', async () => {
    const db = getDb();
    const def = await createMilestone(
      db,
      org.principals.admin,
      { name: 'Default', rule: { all: [{ label: 'Logins', event: ['login'], measure: 'count', atLeast: 5 }] } },
      NOW,
    );
    const pro = await createMilestone(
      db,
      org.principals.ops,
      { name: 'Pro', plan: 'pro', rule: { all: [{ label: 'Users', event: [], measure: 'distinct_users', atLeast: 2 }] } },
      NOW,
    );
    const basic = await customer(db, org, { name: 'Basic', externalId: 'basic', plan: 'basic' });
    const proCo = await customer(db, org, { name: 'ProCo', externalId: 'pro', plan: 'pro' });
    await syncMilestoneWindows(db, ws, NOW);
    const milestoneOf = async (id: string) =>
      (await db.query<{ m: string }>('select milestone_id as m from account_milestones where account_id = $1', [id]))[0].m;
    expect(await milestoneOf(basic)).toBe(def.id);
    expect(await milestoneOf(proCo)).toBe(pro.id);

    await post([msg('l1', 'basic', 1, 'login'), msg('l2', 'basic', 2, 'login')]);
    expect((await stateOf(db, basic)).status).toBe('pending');
    const updated = await updateMilestone(
      db,
      org.principals.admin,
      def.id,
      { rule: { all: [{ label: 'Logins', event: ['login'], measure: 'count', atLeast: 2 }] } },
      NOW,
    );
    expect(updated.accounts).toEqual({ pending: 0, reached: 1, missed: 0 });
    expect(await stateOf(db, basic)).toMatchObject({ status: 'reached', crossing_event_id: await eventId(db, ws, 'l2') });
    const [log] = await db.query<{ before: unknown; after: unknown }>(
      `select before, after from audit_log where action = 'milestone.update' and record_id = $1`,
      [def.id],
    );
    expect(log.after).toEqual({ rule: { all: [{ label: 'Logins', event: ['login'], measure: 'count', atLeast: 2 }] } });

    // A shorter window: the end moves and the row is re-evaluated.
    await updateMilestone(db, org.principals.admin, def.id, { windowDays: 1 }, NOW);
    const [w] = await db.query<{ window_end: Date }>('select window_end from account_milestones where account_id = $1', [basic]);
    expect(w.window_end.toISOString()).toBe(new Date(CLOSE.getTime() + DAY).toISOString());

    const list = await listMilestones(db, org.principals.admin);
    expect(list.map((m) => [m.name, m.accounts.reached + m.accounts.pending])).toEqual([
      ['Default', 1],
      ['Pro', 1],
    ]);
    // Milestones with accounts are kept (compensation history): deactivating is the way out.
    await expect(deleteMilestone(db, org.principals.admin, def.id)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('refuses bad rules field by field, a second active milestone for a plan, and writers other than admins and sales ops', async () => {
    const db = getDb();
    const admin = org.principals.admin;
    const bad = async (input: unknown) => {
      try {
        await createMilestone(db, admin, input as never, NOW);
      } catch (e) {
        return (e as { code: string; details: unknown }).details;
      }
      throw new Error('accepted');
    };
    const cond = { label: 'X', event: ['x'], measure: 'count' as const, atLeast: 1 };
    expect(await bad({ name: 'A', rule: { all: [{ ...cond, measure: 'sum' }] } })).toEqual([
      { path: 'rule.all.0.measure', message: 'must be one of count, distinct_users, distinct_values, distinct_events' },
    ]);
    expect(await bad({ name: 'A', rule: { all: [{ ...cond, measure: 'distinct_values' }] } })).toEqual([
      { path: 'rule.all.0.property', message: 'required for distinct_values: the property whose distinct values count' },
    ]);
    expect(await bad({ name: 'A', rule: { all: [{ ...cond, atLeast: 0 }] } })).toEqual([
      { path: 'rule.all.0.atLeast', message: 'must be at least 1' },
    ]);
    expect(await bad({ name: 'A', rule: { all: [] } })).toEqual([{ path: 'rule.all', message: 'at least one condition' }]);
    expect(await bad({ name: 'A', windowDays: 0, rule: { all: [cond] } })).toEqual([{ path: 'windowDays', message: 'at least 1 day' }]);
    await createMilestone(db, admin, { name: 'Pro', plan: 'pro', rule: { all: [cond] } }, NOW);
    expect(await bad({ name: 'Pro 2', plan: 'pro', rule: { all: [cond] } })).toEqual([
      { path: 'plan', message: '"Pro" is already the active milestone for plan pro' },
    ]);
    expect(await bad({ name: 'pro', rule: { all: [cond] } })).toEqual([{ path: 'name', message: 'already used by another milestone' }]);
    // An inactive one may share the plan.
    await createMilestone(db, admin, { name: 'Pro draft', plan: 'pro', active: false, rule: { all: [cond] } }, NOW);

    for (const who of [org.principals.aeA, org.principals.managerA])
      await expect(createMilestone(db, who, { name: 'Mine', rule: { all: [cond] } }, NOW)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('scopes account milestones like the account, and refuses ingestion without events:write', async () => {
    const db = getDb();
    await createMilestone(
      db,
      org.principals.admin,
      { name: 'Any', rule: { all: [{ label: 'X', event: [], measure: 'count', atLeast: 1 }] } },
      NOW,
    );
    const id = await customer(db, org, { name: 'Mine', externalId: 'mine', ownerId: org.users.aeA.id });
    await syncMilestoneWindows(db, ws, NOW);
    expect(await accountMilestones(db, org.principals.managerA, id)).toHaveLength(1);
    await expect(accountMilestones(db, org.principals.aeB, id)).rejects.toMatchObject({ code: 'forbidden' });
    const other = await seedOrg(db);
    await expect(accountMilestones(db, other.principals.admin, id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(ingestEvents(db, org.principals.ops, [msg('a', 'mine', 1)], NOW)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(ingestEvents(db, org.principals.aeA, [msg('a', 'mine', 1)], NOW)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('never half-writes a batch: a failure while evaluating rolls back every event of it', async () => {
    const db = getDb();
    await createMilestone(
      db,
      org.principals.admin,
      { name: 'Any', rule: { all: [{ label: 'X', event: ['boom'], measure: 'count', atLeast: 1 }] } },
      NOW,
    );
    await customer(db, org, { name: 'Fragile', externalId: 'fragile' });
    await syncMilestoneWindows(db, ws, NOW);
    // A fault injected after the events are inserted: recording the status change fails.
    await db.query(
      `create or replace function fail_change() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`,
    );
    await db.query(
      `create trigger fail_change before insert on account_milestone_changes for each row when (new.to_status = 'reached') execute function fail_change()`,
    );
    try {
      await expect(
        post([msg('ok-1', 'fragile', 1, 'login'), msg('ok-2', 'unknown', 1, 'login'), msg('b', 'fragile', 2, 'boom')]),
      ).rejects.toThrow(/injected failure/);
      const [{ n }] = await db.query<{ n: number }>('select count(*)::int as n from usage_events where workspace_id = $1', [ws]);
      expect(n).toBe(0);
    } finally {
      await db.query('drop trigger fail_change on account_milestone_changes');
    }
    const r = await post([msg('ok-1', 'fragile', 1, 'login'), msg('b', 'fragile', 2, 'boom')]);
    expect(r).toMatchObject({ accepted: 2, duplicates: 0 });
  });
});
