import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../test/support/db.js';
import type { Db } from '../db/client.js';
import { createDemo, DEMO_PROFILES } from './demo.js';

const NOW = new Date('2026-11-23T15:00:00Z');

const one = async <T>(db: Db, sql: string, params: unknown[]) => (await db.query<T>(sql, params))[0];
const count = async (db: Db, sql: string, params: unknown[]) =>
  (await one<{ n: number }>(db, `select count(*)::int as n from (${sql}) x`, params)).n;

/** The customer-success content of a demo without its ids (they depend on the slug). */
async function successFingerprint(db: Db, workspaceId: string) {
  return one<Record<string, unknown>>(
    db,
    `select (select count(*)::int from usage_events where workspace_id = $1) as events,
            (select md5(string_agg(message_id || name || coalesce(user_key, '') || occurred_at::text || properties::text, ',' order by message_id))
               from usage_events where workspace_id = $1) as events_hash,
            (select md5(string_agg(b.status || coalesce(b.rating::text, '-') || b.send_at::text || u.email, ',' order by b.send_at, u.email, b.status))
               from buyer_surveys b join users u on u.id = b.rep_id where b.workspace_id = $1) as surveys_hash,
            (select string_agg(status || ':' || n, ',' order by status)
               from (select status, count(*) as n from account_milestones where workspace_id = $1 group by status) s) as milestones,
            (select coalesce(sum(seats), 0)::int from subscriptions where workspace_id = $1) as seats`,
    [workspaceId],
  );
}

describeEachDb('demo customer success: usage, aha milestones, surveys', (getDb) => {
  let ws: string;
  beforeAll(async () => {
    ws = (await createDemo(getDb(), { seed: 11, scale: 0.1, now: NOW, slug: 'success-story' })).workspaceId;
  }, 300_000);

  it('gives every customer account seats and usage events, all in the past and linked to the account', async () => {
    const db = getDb();
    const customers = await count(db, 'select distinct account_id from subscriptions where workspace_id = $1', [ws]);
    expect(customers).toBeGreaterThan(150);
    expect(
      await count(
        db,
        `select 1 from subscriptions s where s.workspace_id = $1
           and not exists (select 1 from usage_events e where e.workspace_id = $1 and e.account_id = s.account_id)`,
        [ws],
      ),
    ).toBe(0);
    expect(await count(db, 'select 1 from subscriptions where workspace_id = $1 and (seats is null or seats < 1)', [ws])).toBe(0);
    expect(
      await count(
        db,
        `select 1 from usage_events e where e.workspace_id = $1
           and (e.account_id is null or e.account_key <> e.account_id::text or e.occurred_at > $2 or e.received_at < e.occurred_at
                or not exists (select 1 from accounts a where a.id = e.account_id and a.workspace_id = $1))`,
        [ws, NOW],
      ),
    ).toBe(0);
    const names = (await db.query<{ name: string }>('select distinct name from usage_events where workspace_id = $1 order by 1', [ws])).map(
      (r) => r.name,
    );
    expect(names).toEqual(['feature.used', 'message.sent', 'messenger.installed', 'plan.limit_reached', 'support.ticket_opened']);
    // Modest volume: a few to a few dozen events per customer and month, teams on SMB and MME accounts only.
    const perMonth = await one<{ recent: number; teamsOnEsb: number }>(
      db,
      `select (select count(*)::float8 from usage_events where workspace_id = $1 and occurred_at > $2::timestamptz - interval '30 days')
                / (select count(distinct account_id) from subscriptions where workspace_id = $1 and status = 'active') as recent,
              (select count(*)::int from usage_events e join accounts a on a.id = e.account_id
                where e.workspace_id = $1 and a.segment = 'ESB' and e.properties ? 'team') as "teamsOnEsb"`,
      [ws, NOW],
    );
    expect(perMonth.recent).toBeGreaterThan(5);
    expect(perMonth.recent).toBeLessThan(60);
    expect(perMonth.teamsOnEsb).toBe(0);
  });

  it('has customers that reached their aha milestone and customers that missed it; those who missed churn clearly more', async () => {
    const db = getDb();
    // Every customer account was measured against its plan's milestone (recomputeMilestones ran).
    expect(
      await count(
        db,
        `select 1 from subscriptions s join milestones m on m.workspace_id = s.workspace_id and m.plan = s.plan
          where s.workspace_id = $1 and not exists (select 1 from account_milestones am where am.account_id = s.account_id)`,
        [ws],
      ),
    ).toBe(0);
    const rows = await db.query<{ status: string; accounts: number; churned: number }>(
      `select am.status, count(*)::int as accounts,
              count(*) filter (where not exists (select 1 from subscriptions s where s.account_id = am.account_id and s.status = 'active'))::int as churned
         from account_milestones am where am.workspace_id = $1 group by am.status`,
      [ws],
    );
    const by = Object.fromEntries(rows.map((r) => [r.status, r]));
    expect(by.reached.accounts).toBeGreaterThan(60);
    expect(by.missed.accounts).toBeGreaterThan(25);
    expect(by.pending.accounts).toBeGreaterThan(0);
    const rate = (s: string) => by[s].churned / by[s].accounts;
    expect(rate('missed')).toBeGreaterThan(2 * rate('reached'));
    expect(rate('missed') - rate('reached')).toBeGreaterThan(0.08);
    // Each plan's milestone has both outcomes.
    const outcomes = await db.query<{ plan: string; reached: number; missed: number }>(
      `select m.plan, count(*) filter (where am.status = 'reached')::int as reached, count(*) filter (where am.status = 'missed')::int as missed
         from account_milestones am join milestones m on m.id = am.milestone_id where am.workspace_id = $1 group by m.plan order by m.plan`,
      [ws],
    );
    expect(outcomes.map((o) => o.plan)).toEqual(['Premium', 'Pro', 'Starter']);
    for (const o of outcomes) expect(Math.min(o.reached, o.missed), o.plan).toBeGreaterThan(0);
    // Outcomes are stamped when they were learned (the events arrived as they happened), never in the future.
    expect(
      await count(
        db,
        `select 1 from account_milestones where workspace_id = $1 and status <> 'pending'
           and (decided_at > $2 or (status = 'reached' and decided_at <> reached_at) or (status = 'missed' and decided_at <= window_end))`,
        [ws, NOW],
      ),
    ).toBe(0);
  });

  it('lets usage fade before a churn', async () => {
    const db = getDb();
    // Churned customers that were live long enough: events in their last 30 days against the 30 days two months before.
    const r = await one<{ accounts: number; before: number; last: number }>(
      db,
      `select count(*)::int as accounts, sum(before)::int as before, sum(last)::int as last from (
         select (select count(*) from usage_events e where e.account_id = s.account_id and e.name <> 'support.ticket_opened'
                   and e.occurred_at > m.occurred_at - interval '90 days' and e.occurred_at <= m.occurred_at - interval '60 days') as before,
                (select count(*) from usage_events e where e.account_id = s.account_id and e.name <> 'support.ticket_opened'
                   and e.occurred_at > m.occurred_at - interval '30 days' and e.occurred_at <= m.occurred_at) as last
           from subscriptions s join arr_movements m on m.subscription_id = s.id and m.kind = 'churn'
          where s.workspace_id = $1 and m.occurred_at > $2::timestamptz - interval '150 days'
            and s.start_date < (m.occurred_at - interval '150 days')::date) x`,
      [ws, NOW],
    );
    expect(r.accounts).toBeGreaterThan(3);
    expect(r.last).toBeLessThan(r.before * 0.7);
  });

  it('rates reps differently: the churn-and-burn closer below 4.0, the trusted advisor at 4.8 or more', async () => {
    const db = getDb();
    const reps = await db.query<{ email: string; n: number; avg: number; fives: number }>(
      `select u.email, count(*)::int as n, avg(b.rating)::float8 as avg, count(*) filter (where b.rating = 5)::int as fives
         from buyer_surveys b join users u on u.id = b.rep_id where b.workspace_id = $1 and b.rating is not null group by u.email`,
      [ws],
    );
    const by = (email: string) => reps.find((r) => r.email === email)!;
    const low = by(DEMO_PROFILES.lowBuyerRating.email);
    const top = by(DEMO_PROFILES.topBuyerRating.email);
    expect(low.n).toBeGreaterThanOrEqual(5);
    expect(low.avg).toBeLessThan(3.6);
    expect(top.n).toBeGreaterThanOrEqual(5);
    expect(top.avg).toBeGreaterThanOrEqual(4.8);
    expect(top.fives).toBeGreaterThan(0);
    // Everyone else with a few ratings sits in between.
    for (const r of reps.filter((x) => x !== low && x !== top && x.n >= 5)) {
      expect(r.avg, r.email).toBeGreaterThanOrEqual(3.9);
      expect(r.avg, r.email).toBeLessThan(4.8);
    }
    // The low-rated closer has deals in a late stage: his next move alerts customer success.
    expect(
      await count(
        db,
        `select 1 from opportunities o join users u on u.id = o.owner_id
          where o.workspace_id = $1 and u.email = $2 and o.stage in ('proposal', 'negotiation')`,
        [ws, DEMO_PROFILES.lowBuyerRating.email],
      ),
    ).toBeGreaterThan(0);
  });

  it('asked the buyers of deals closed over 90 days ago and scheduled the younger ones at close + 90 days', async () => {
    const db = getDb();
    // One survey per won deal, from its owner, to its contact.
    expect(
      await count(
        db,
        `select 1 from opportunities o left join buyer_surveys b on b.opportunity_id = o.id
          where o.workspace_id = $1 and o.stage = 'won'
            and (b.id is null or b.rep_id <> o.owner_id or b.contact_id is distinct from o.contact_id or b.send_at <> o.closed_at + interval '90 days')`,
        [ws],
      ),
    ).toBe(0);
    const statuses = await db.query<{ recent: boolean; status: string; n: number }>(
      `select b.send_at > $2 as recent, b.status, count(*)::int as n from buyer_surveys b where b.workspace_id = $1 group by 1, 2`,
      [ws, NOW],
    );
    expect(statuses.filter((s) => s.recent).map((s) => s.status)).toEqual(['scheduled']);
    const asked = statuses.filter((s) => !s.recent);
    const total = asked.reduce((a, s) => a + s.n, 0);
    const of = (status: string) => asked.find((s) => s.status === status)?.n ?? 0;
    expect(of('scheduled')).toBe(0);
    expect(of('rated') / total).toBeGreaterThan(0.6);
    expect(of('sent') + of('reminded')).toBeGreaterThan(0);
    // Rated a few days after the email (or after the reminder), before now; comments on some.
    expect(
      await count(
        db,
        `select 1 from buyer_surveys where workspace_id = $1 and status <> 'scheduled'
           and (sent_at is null or sent_at < send_at or rated_at <= sent_at or rated_at > $2
                or reminded_at < sent_at + interval '7 days' or (status = 'reminded') <> (reminded_at is not null and rating is null))`,
        [ws, NOW],
      ),
    ).toBe(0);
    expect(
      await count(db, `select 1 from buyer_surveys where workspace_id = $1 and comment is not null and rating is not null`, [ws]),
    ).toBeGreaterThan(0);
    expect(
      await count(
        db,
        `select 1 from buyer_surveys b where b.workspace_id = $1 and b.status = 'unsubscribed'
           and not exists (select 1 from survey_suppressions s where s.workspace_id = $1 and s.email_normalized = b.buyer_email)`,
        [ws],
      ),
    ).toBe(0);
  });

  it('derives a health history, churn-risk and expansion tasks, and low-rating alerts', async () => {
    const db = getDb();
    const days = await db.query<{ day: string }>('select distinct day from account_health where workspace_id = $1 order by day', [ws]);
    expect(days).toHaveLength(5);
    expect(days.at(-1)!.day).toBe('2026-11-23');
    const kinds = (await db.query<{ kind: string }>('select distinct kind from success_tasks where workspace_id = $1', [ws])).map(
      (r) => r.kind,
    );
    expect(kinds.some((k) => k.startsWith('churn_risk.'))).toBe(true);
    expect(kinds.some((k) => k.startsWith('expansion.'))).toBe(true);
    // Seat pressure and new teams come before expansions: a few accounts, not most.
    const [{ tasks, customers }] = await db.query<{ tasks: number; customers: number }>(
      `select (select count(*)::int from success_tasks where workspace_id = $1) as tasks,
              (select count(distinct account_id)::int from subscriptions where workspace_id = $1 and status = 'active') as customers`,
      [ws],
    );
    expect(tasks).toBeLessThan(customers * 0.3);
    expect(await count(db, `select 1 from notifications where workspace_id = $1 and kind = 'low_rating_alert'`, [ws])).toBeGreaterThan(0);
  });

  it('writes the same customer-success data for the same seed', async () => {
    const db = getDb();
    const a = await createDemo(db, { seed: 5, scale: 0.02, now: NOW, slug: 'success-a' });
    const b = await createDemo(db, { seed: 5, scale: 0.02, now: NOW, slug: 'success-b' });
    const fa = await successFingerprint(db, a.workspaceId);
    expect(fa.events).toBeGreaterThan(1000);
    expect(await successFingerprint(db, b.workspaceId)).toEqual(fa);
  }, 300_000);
});
