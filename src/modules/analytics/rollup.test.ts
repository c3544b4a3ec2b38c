import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import type { Db } from '../../db/client.js';
import { createDemo } from '../../demo/demo.js';
import { markAllDirty, refreshRollups } from './rollup.repo.js';

const NOW = new Date('2026-01-15T12:00:00Z');

/** Every rollup row of the workspace, sorted, as plain text: the incremental result to compare. */
async function snapshot(db: Db, ws: string) {
  const counts = await db.query(
    `select view, grain, day::text as day, measure, rep_id::text as rep, segment, source_type, channel, n, amount::text as amount
       from analytics_counts where workspace_id = $1 order by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`,
    [ws],
  );
  const durations = await db.query(
    `select view, grain, day::text as day, transition, rep_id::text as rep, segment, source_type, channel, bucket, n
       from analytics_durations where workspace_id = $1 order by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`,
    [ws],
  );
  return { counts, durations };
}

/** Incremental rollups (triggers + refresh) must equal a recomputation of every day from scratch. */
async function expectEqualToScratch(db: Db, ws: string) {
  await refreshRollups(db, ws);
  const incremental = await snapshot(db, ws);
  await db.query('delete from analytics_counts where workspace_id = $1', [ws]);
  await db.query('delete from analytics_durations where workspace_id = $1', [ws]);
  await markAllDirty(db, ws);
  await refreshRollups(db, ws);
  const scratch = await snapshot(db, ws);
  expect(incremental.counts.length).toBeGreaterThan(0);
  expect(incremental.counts).toEqual(scratch.counts);
  expect(incremental.durations).toEqual(scratch.durations);
}

describeEachDb('rollups stay equal to a recomputation', (getDb) => {
  let ws: string;
  let reps: string[];
  const one = async <T>(sql: string, params: unknown[] = []) => {
    const rows = await getDb().query<T>(sql, params);
    if (!rows[0]) throw new Error(`no row for: ${sql}`);
    return rows[0];
  };

  beforeAll(async () => {
    ws = (await createDemo(getDb(), { seed: 3, scale: 0.02, now: NOW, slug: 'rollup-x' })).workspaceId;
    reps = (
      await getDb().query<{ id: string }>('select id from users where workspace_id = $1 and team_id is not null order by id', [ws])
    ).map((r) => r.id);
  }, 120_000);

  it('starts equal after the demo load', async () => {
    await expectEqualToScratch(getDb(), ws);
  }, 60_000);

  it('after inserts: a new lead, its status rows, its deal, visits and ARR', async () => {
    const db = getDb();
    const lead = await one<{ id: string }>(
      `insert into leads (workspace_id, company, owner_id, segment, source_type, channel, created_at, first_touch_at, status)
       values ($1, 'New Co', $2, 'SMB', 'net', 'web', '2025-11-03T23:30:00+01:00', '2025-11-04T08:00:00+01:00', 'qualified') returning id`,
      [ws, reps[0]],
    );
    await db.query(
      `insert into status_changes (workspace_id, record_type, record_id, field, from_value, to_value, changed_at)
       values ($1, 'lead', $2, 'status', 'new', 'working', '2025-11-04T08:00:00+01:00'),
              ($1, 'lead', $2, 'status', 'working', 'qualified', '2025-11-06T08:00:00+01:00')`,
      [ws, lead.id],
    );
    await db.query(
      `insert into opportunities (workspace_id, name, owner_id, sdr_id, lead_id, amount, stage, created_at, segment, source_type)
       values ($1, 'New deal', $2, $3, $4, 1234.56, 'discovery', '2025-11-10T10:00:00+01:00', 'SMB', 'net')`,
      [ws, reps[1], reps[0], lead.id],
    );
    await db.query(
      `insert into web_events (workspace_id, kind, visitor_id, rep_id, channel, occurred_at)
       values ($1, 'visit', 'zz1', null, 'web', '2025-11-03T22:00:00+01:00'), ($1, 'conversation', 'zz1', $2, 'web', '2025-11-03T22:10:00+01:00')`,
      [ws, reps[0]],
    );
    const sub = await one<{ id: string; account_id: string }>(
      'select id, account_id from subscriptions where workspace_id = $1 order by id limit 1',
      [ws],
    );
    await db.query(
      `insert into arr_movements (workspace_id, subscription_id, account_id, kind, amount, occurred_at, actor_id)
       values ($1, $2, $3, 'expansion', 500, '2025-12-31T23:30:00+01:00', $4)`,
      [ws, sub.id, sub.account_id, reps[2]],
    );
    await expectEqualToScratch(db, ws);
  }, 60_000);

  it('after stage changes: open deals won and lost, with their status rows', async () => {
    const db = getDb();
    const open = await db.query<{ id: string; created_at: string }>(
      `select id from opportunities where workspace_id = $1 and stage not in ('won', 'lost') and lead_id is not null and account_id is not null
        order by id limit 2`,
      [ws],
    );
    expect(open.length).toBe(2);
    const [w, l] = open;
    await db.query(`update opportunities set stage = 'won', closed_at = $2 where id = $1`, [w.id, '2026-01-05T09:00:00+01:00']);
    await db.query(`update opportunities set stage = 'lost', closed_at = $2 where id = $1`, [l.id, '2026-01-06T09:00:00+01:00']);
    await db.query(
      `insert into status_changes (workspace_id, record_type, record_id, field, from_value, to_value, changed_at)
       values ($1, 'opportunity', $2, 'stage', 'trial', 'won', '2026-01-05T09:00:00+01:00'),
              ($1, 'opportunity', $3, 'stage', 'trial', 'lost', '2026-01-06T09:00:00+01:00')`,
      [ws, w.id, l.id],
    );
    await expectEqualToScratch(db, ws);
  }, 60_000);

  it('after reassignments of leads and deals', async () => {
    const db = getDb();
    const lead = await one<{ id: string; owner_id: string }>(
      'select id, owner_id from leads where workspace_id = $1 and opportunity_id is not null order by id limit 1',
      [ws],
    );
    const other = reps.find((r) => r !== lead.owner_id)!;
    await db.query('update leads set owner_id = $2 where id = $1', [lead.id, other]);
    const won = await one<{ id: string; owner_id: string }>(
      `select id, owner_id from opportunities where workspace_id = $1 and stage = 'won' order by id limit 1`,
      [ws],
    );
    await db.query('update opportunities set owner_id = $2 where id = $1', [won.id, reps.find((r) => r !== won.owner_id)!]);
    await expectEqualToScratch(db, ws);
  }, 60_000);

  it('after late corrections: a status moved to another month, a status row deleted, a close date and amount changed', async () => {
    const db = getDb();
    const q = await one<{ id: number }>(
      // The only journey event on its local day, so only the trigger's old-row mark can clear that day's fact.
      `select s.id from status_changes s join workspaces w on w.id = s.workspace_id join leads l on l.id = s.record_id
        where s.workspace_id = $1 and s.record_type = 'lead' and s.to_value = 'qualified'
          and (l.created_at at time zone w.timezone)::date <> (s.changed_at at time zone w.timezone)::date
          and not exists (select 1 from status_changes x where x.workspace_id = $1 and x.record_id = s.record_id and x.id <> s.id
                             and (x.changed_at at time zone w.timezone)::date = (s.changed_at at time zone w.timezone)::date)
          and not exists (select 1 from opportunities o where o.lead_id = l.id
                             and (o.created_at at time zone w.timezone)::date = (s.changed_at at time zone w.timezone)::date)
        order by s.changed_at desc, s.id limit 1`,
      [ws],
    );
    await db.query(`update status_changes set changed_at = changed_at - interval '45 days' where id = $1`, [q.id]);
    const touch = await one<{ id: number }>(
      `select s.id from status_changes s join leads l on l.id = s.record_id
        where s.workspace_id = $1 and s.record_type = 'lead' and s.from_value = 'new' and l.first_touch_at is null
        order by s.changed_at, s.id limit 1`,
      [ws],
    ).catch(() =>
      one<{ id: number }>(`select id from status_changes where workspace_id = $1 and record_type = 'lead' order by id limit 1`, [ws]),
    );
    await db.query('delete from status_changes where id = $1', [touch.id]);
    const won = await one<{ id: string }>(
      `select id from opportunities where workspace_id = $1 and stage = 'won' and account_id is not null order by closed_at, id limit 1`,
      [ws],
    );
    await db.query(`update opportunities set closed_at = closed_at + interval '70 days', amount = amount + 999.99 where id = $1`, [won.id]);
    await expectEqualToScratch(db, ws);
  }, 60_000);

  it('after a change of the workspace timezone', async () => {
    const db = getDb();
    await db.query(`update workspaces set timezone = 'America/Los_Angeles' where id = $1`, [ws]);
    await expectEqualToScratch(db, ws);
  }, 120_000);
});
