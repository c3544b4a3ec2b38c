import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb, openTestDb } from '../../test/support/db.js';
import type { Db } from '../db/client.js';
import { normalizeDomain } from '../modules/crm/crm.core.js';
import { ROLES } from '../modules/org/org.core.js';
import { login } from '../platform/auth/sessions.js';
import { createDemo, DEMO_PASSWORD, DEMO_PROFILES } from './demo.js';

const NOW = new Date('2025-06-30T15:00:00Z');
const BIG_TABLES = ['leads', 'opportunities', 'status_changes', 'web_events', 'activities'];

/** The demo's content without its ids (which depend on the slug): what "the same data" means across workspaces. */
async function fingerprint(db: Db, workspaceId: string) {
  const [row] = await db.query<Record<string, string | number>>(
    `select
       (select count(*)::int from leads where workspace_id = $1) as leads,
       (select count(*)::int from opportunities where workspace_id = $1) as opportunities,
       (select count(*)::int from status_changes where workspace_id = $1) as changes,
       (select count(*)::int from web_events where workspace_id = $1) as web_events,
       (select count(*)::int from activities where workspace_id = $1) as activities,
       (select coalesce(sum(amount), 0)::text from opportunities where workspace_id = $1) as pipeline,
       (select coalesce(sum(arr), 0)::text from subscriptions where workspace_id = $1) as arr,
       (select md5(string_agg(l.email || l.status || l.created_at::text || u.email, ',' order by l.created_at, l.email, l.status))
          from leads l join users u on u.id = l.owner_id where l.workspace_id = $1) as leads_hash,
       (select md5(string_agg(o.stage || o.amount::text || o.updated_at::text || u.email, ',' order by o.created_at, o.name, o.amount))
          from opportunities o join users u on u.id = o.owner_id where o.workspace_id = $1) as deals_hash`,
    [workspaceId],
  );
  return row;
}

const count = async (db: Db, sql: string, params: unknown[]) =>
  (await db.query<{ n: number }>(`select count(*)::int as n from (${sql}) x`, params))[0].n;

describeEachDb('demo revenue organisation', (getDb, kind) => {
  let indexesBefore: string[] = [];
  let demo: Awaited<ReturnType<typeof createDemo>>;
  const ws = () => demo.workspaceId;

  beforeAll(async () => {
    const db = getDb();
    indexesBefore = (
      await db.query<{ indexname: string }>(`select indexname from pg_indexes where tablename = any($1) order by 1`, [BIG_TABLES])
    ).map((r) => r.indexname);
    demo = await createDemo(db, { seed: 42, scale: 0.1, now: NOW });
  });

  it('creates the demo workspace with one working login per role, all sharing the demo password', async () => {
    const db = getDb();
    expect(demo.slug).toBe('demo');
    const [w] = await db.query<{ is_demo: boolean; timezone: string; currency: string }>(
      'select is_demo, timezone, currency from workspaces where id = $1',
      [ws()],
    );
    expect(w).toEqual({ is_demo: true, timezone: 'America/New_York', currency: 'USD' });
    expect(demo.logins.map((l) => l.role).sort()).toEqual([...ROLES].sort());
    for (const l of demo.logins) {
      expect(l.password).toBe(DEMO_PASSWORD);
      const session = await login(db, { email: l.email, password: l.password, workspace: demo.slug }, 1, NOW);
      expect(session.workspaceId).toBe(ws());
    }
    const [{ people, teams, managed }] = await db.query<{ people: number; teams: number; managed: number }>(
      `select (select count(*)::int from users where workspace_id = $1) as people, (select count(*)::int from teams where workspace_id = $1) as teams,
              (select count(*)::int from teams where workspace_id = $1 and manager_id is not null) as managed`,
      [ws()],
    );
    expect(people).toBeGreaterThanOrEqual(38);
    expect(teams).toBe(managed);
  });

  it('keeps every index and every reference intact after the bulk load', async () => {
    const db = getDb();
    const after = (
      await db.query<{ indexname: string }>(`select indexname from pg_indexes where tablename = any($1) order by 1`, [BIG_TABLES])
    ).map((r) => r.indexname);
    expect(after).toEqual(indexesBefore);
    const dangling: [string, string, string][] = [
      ['leads', 'owner_id', 'users'],
      ['leads', 'account_id', 'accounts'],
      ['leads', 'contact_id', 'contacts'],
      ['leads', 'opportunity_id', 'opportunities'],
      ['opportunities', 'lead_id', 'leads'],
      ['opportunities', 'account_id', 'accounts'],
      ['opportunities', 'contact_id', 'contacts'],
      ['opportunities', 'owner_id', 'users'],
      ['opportunities', 'sdr_id', 'users'],
      ['contacts', 'account_id', 'accounts'],
      ['subscriptions', 'account_id', 'accounts'],
      ['subscriptions', 'opportunity_id', 'opportunities'],
      ['arr_movements', 'subscription_id', 'subscriptions'],
      ['web_events', 'lead_id', 'leads'],
      ['web_events', 'rep_id', 'users'],
      ['status_changes', 'actor_id', 'users'],
      ['activities', 'actor_id', 'users'],
      ['accounts', 'owner_id', 'users'],
      ['accounts', 'csm_id', 'users'],
    ];
    for (const [table, col, target] of dangling) {
      const n = await count(
        db,
        `select 1 from ${table} t where t.workspace_id = $1 and t.${col} is not null
                                  and not exists (select 1 from ${target} r where r.id = t.${col} and r.workspace_id = $1)`,
        [ws()],
      );
      expect(n, `${table}.${col} -> ${target}`).toBe(0);
    }
  });

  it("keeps every lead's and opportunity's current state equal to the last row of its history", async () => {
    const db = getDb();
    // Status and stage rows only: owner changes (claims, handoffs, edits) are status_changes rows too.
    const lastOf = (recordType: string) => `select distinct on (record_id) record_id, to_value, changed_at from status_changes
       where workspace_id = $1 and record_type = '${recordType}' and field in ('status', 'stage') order by record_id, changed_at desc, id desc`;
    expect(
      await count(
        db,
        // A lead without status rows is as intake created it (its `new` entry is the lead row: migration 0011).
        `select 1 from leads l left join (${lastOf('lead')}) h on h.record_id = l.id
                            where l.workspace_id = $1
                              and (coalesce(h.to_value, 'new') <> l.status or coalesce(h.changed_at, l.created_at) <> l.updated_at)`,
        [ws()],
      ),
    ).toBe(0);
    expect(
      await count(
        db,
        `select 1 from opportunities o left join (${lastOf('opportunity')}) h on h.record_id = o.id
                            where o.workspace_id = $1 and (h.to_value is distinct from o.stage
                              or (o.stage in ('won', 'lost')) <> (o.closed_at is not null) or (o.closed_at is not null and o.closed_at <> h.changed_at))`,
        [ws()],
      ),
    ).toBe(0);
    // Each history starts where the record starts (from nothing, at creation) and never runs past now. Leads taken
    // in since migration 0011 have no stored creation row (their `new` entry is the lead row): theirs start after it.
    expect(
      await count(
        db,
        `select 1 from leads l join lateral (select field, from_value, to_value, changed_at from status_changes s
                              where s.workspace_id = $1 and s.record_type = 'lead' and s.record_id = l.id order by changed_at, id limit 1) f on true
                            where l.workspace_id = $1 and (f.changed_at < l.created_at
                              or f.field = 'status' and f.from_value is null and (f.to_value <> 'new' or f.changed_at <> l.created_at)
                              or f.field = 'status' and f.from_value <> 'new')`,
        [ws()],
      ),
    ).toBe(0);
    // A deal starts when its lead converts, with its first stage change (a handed-off lead's deal starts at the
    // handoff, before the AE accepts: routing-demo.test.ts checks those).
    expect(
      await count(
        db,
        `select 1 from opportunities o join leads l on l.id = o.lead_id where o.workspace_id = $1
           and not exists (select 1 from handoffs h where h.opportunity_id = o.id) and (o.created_at <> (select min(changed_at)
           from status_changes s where s.workspace_id = $1 and s.record_type = 'opportunity' and s.record_id = o.id) or o.created_at <> l.updated_at)`,
        [ws()],
      ),
    ).toBe(0);
    expect(
      await count(
        db,
        `select 1 from status_changes s where s.workspace_id = $1 and (s.changed_at > $2 or s.actor_id is null and s.to_value <> 'new')`,
        [ws(), NOW],
      ),
    ).toBe(0);
    expect(
      await count(db, `select 1 from leads where workspace_id = $1 and (status = 'disqualified') <> (disqualify_reason is not null)`, [
        ws(),
      ]),
    ).toBe(0);
  });

  it('converts leads the way lead conversion does, and every won deal has its subscription', async () => {
    const db = getDb();
    expect(
      await count(
        db,
        `select 1 from leads l left join opportunities o on o.id = l.opportunity_id
                            where l.workspace_id = $1 and not exists (select 1 from handoffs h where h.lead_id = l.id and h.status = 'pending')
                              and (l.status = 'converted') <> (o.id is not null and o.lead_id = l.id and o.sdr_id = l.owner_id
                              and o.account_id = l.account_id and o.contact_id = l.contact_id)`,
        [ws()],
      ),
    ).toBe(0);
    expect(
      await count(
        db,
        `select 1 from opportunities o left join subscriptions s on s.opportunity_id = o.id
                            where o.workspace_id = $1 and (o.stage = 'won') <> (s.id is not null)`,
        [ws()],
      ),
    ).toBe(0);
    // Active subscriptions renew in the future: every anniversary up to now was renewed (or churned).
    expect(
      await count(db, `select 1 from subscriptions where workspace_id = $1 and status = 'active' and renewal_date < $2::date`, [ws(), NOW]),
    ).toBe(0);
    // An account or contact exists from the first conversion that used it.
    for (const [table, col] of [
      ['accounts', 'account_id'],
      ['contacts', 'contact_id'],
    ])
      expect(
        await count(
          db,
          `select 1 from opportunities o join ${table} r on r.id = o.${col} where o.workspace_id = $1 and r.created_at > o.created_at`,
          [ws()],
        ),
      ).toBe(0);
    const accounts = await db.query<{ domain: string | null; domain_normalized: string | null }>(
      'select domain, domain_normalized from accounts where workspace_id = $1',
      [ws()],
    );
    for (const a of accounts) if (a.domain) expect(a.domain_normalized).toBe(normalizeDomain(a.domain));
    // Subscriptions: ARR is what the movements say; churned ones have their churn movement and status change.
    expect(
      await count(
        db,
        `select 1 from subscriptions s where s.workspace_id = $1 and s.arr <> (
                              select sum(case kind when 'contraction' then -amount when 'new' then amount when 'expansion' then amount else 0 end)
                              from arr_movements m where m.subscription_id = s.id)`,
        [ws()],
      ),
    ).toBe(0);
    expect(
      await count(
        db,
        `select 1 from subscriptions s where s.workspace_id = $1 and (s.status = 'churned') <>
                              exists (select 1 from arr_movements m where m.subscription_id = s.id and m.kind = 'churn')`,
        [ws()],
      ),
    ).toBe(0);
  });

  it('has a funnel that narrows at every stage: visitors > conversations > leads > opportunities > customers', async () => {
    const db = getDb();
    const [f] = await db.query<Record<string, number>>(
      `select (select count(distinct visitor_id)::int from web_events where workspace_id = $1 and kind = 'visit') as visitors,
              (select count(*)::int from web_events where workspace_id = $1 and kind = 'conversation') as conversations,
              (select count(*)::int from leads where workspace_id = $1) as leads,
              (select count(*)::int from opportunities where workspace_id = $1) as opportunities,
              (select count(*)::int from opportunities where workspace_id = $1 and stage = 'won') as customers`,
      [ws()],
    );
    expect(f.leads).toBeGreaterThan(8_000);
    expect(f.visitors).toBeGreaterThan(f.conversations);
    expect(f.conversations).toBeGreaterThan(f.leads);
    expect(f.leads).toBeGreaterThan(f.opportunities);
    expect(f.opportunities).toBeGreaterThan(f.customers);
    expect(f.customers).toBeGreaterThan(0);
    // Seeds win more often and faster than spears.
    const bySource = await db.query<{ source_type: string; win_rate: number; days: number }>(
      `select source_type, avg((stage = 'won')::int)::float8 as win_rate,
              avg(extract(epoch from closed_at - created_at) / 86400) filter (where stage = 'won')::float8 as days
         from opportunities where workspace_id = $1 and stage in ('won', 'lost') group by source_type`,
      [ws()],
    );
    const src = Object.fromEntries(bySource.map((r) => [r.source_type, r]));
    expect(src.seed.win_rate).toBeGreaterThan(src.net.win_rate);
    expect(src.net.win_rate).toBeGreaterThan(src.spear.win_rate);
    expect(src.seed.days).toBeLessThan(src.spear.days);
  });

  it('shows the coaching profiles in the raw numbers (DEMO_PROFILES)', async () => {
    const db = getDb();
    const reps = await db.query<{
      email: string;
      role: string;
      conversations: number;
      leads: number;
      opps: number;
      won: number;
      lost: number;
      days: number | null;
    }>(
      `select u.email, u.roles[1] as role,
              (select count(*)::int from web_events e where e.rep_id = u.id and e.kind = 'conversation') as conversations,
              (select count(*)::int from leads l where l.owner_id = u.id) as leads,
              (select count(*)::int from opportunities o where o.owner_id = u.id) as opps,
              (select count(*)::int from opportunities o where o.owner_id = u.id and o.stage = 'won') as won,
              (select count(*)::int from opportunities o where o.owner_id = u.id and o.stage = 'lost') as lost,
              (select avg(extract(epoch from o.closed_at - o.created_at))::float8 from opportunities o where o.owner_id = u.id and o.stage = 'won') as days
         from users u where u.workspace_id = $1 and u.roles && array['realtime_ae', 'esb_ae']`,
      [ws()],
    );
    const realtime = reps.filter((r) => r.role === 'realtime_ae');
    const by = (email: string) => reps.find((r) => r.email === email)!;
    const best = <T>(list: T[], f: (x: T) => number) => list.reduce((a, b) => (f(b) > f(a) ? b : a));
    const zachary = by(DEMO_PROFILES.bestVisitorToLead.email);
    const raymond = by(DEMO_PROFILES.bestCloser.email);
    const annie = by(DEMO_PROFILES.weakTrialToCustomer.email);
    const winRate = (r: (typeof reps)[number]) => r.won / Math.max(1, r.won + r.lost);
    expect(best(reps, (r) => r.leads / r.conversations)).toBe(zachary);
    expect(best(realtime, (r) => -r.conversations)).toBe(zachary);
    expect(best(realtime, (r) => r.leads)).toBe(zachary);
    expect(best(realtime, winRate)).toBe(raymond);
    expect(best(realtime, (r) => r.won)).toBe(raymond);
    expect(best(realtime, (r) => -(r.days ?? Infinity))).toBe(raymond);
    expect(raymond.leads).toBeLessThan(zachary.leads);
    expect(best(realtime, (r) => r.opps)).toBe(annie);
    expect(best(realtime, (r) => -winRate(r))).toBe(annie);
    expect(best(realtime, (r) => r.conversations)).toBe(annie);

    // The out-of-office AE got no new deals while away.
    const [liam] = await db.query<{ away: Date; recent: number }>(
      `select u.out_of_office_until as away, (select count(*)::int from opportunities o where o.owner_id = u.id and o.created_at > $2::timestamptz - interval '5 days') as recent
         from users u where u.workspace_id = $1 and u.email = $3`,
      [ws(), NOW, DEMO_PROFILES.outOfOffice.email],
    );
    expect(liam.away.getTime()).toBeGreaterThan(NOW.getTime());
    expect(liam.recent).toBe(0);
  });

  describe('determinism', () => {
    it('writes the same content for the same seed, and different content for another seed', async () => {
      const db = getDb();
      const a = await createDemo(db, { seed: 7, scale: 0.02, now: NOW });
      const b = await createDemo(db, { seed: 7, scale: 0.02, now: NOW });
      const c = await createDemo(db, { seed: 8, scale: 0.02, now: NOW });
      expect([a.slug, b.slug, c.slug]).toEqual(['demo-7', 'demo-7-2', 'demo-8']);
      const fa = await fingerprint(db, a.workspaceId);
      expect(await fingerprint(db, b.workspaceId)).toEqual(fa);
      const fc = await fingerprint(db, c.workspaceId);
      expect(fc.leads_hash).not.toBe(fa.leads_hash);
    });

    it('gives the same ids for the same seed and slug, in another database', async () => {
      if (kind !== 'pglite') return; // one cross-database comparison is enough
      const other = await openTestDb('pglite');
      try {
        const x = await createDemo(getDb(), { seed: 9, scale: 0.01, now: NOW, slug: 'same-slug' });
        const y = await createDemo(other.db, { seed: 9, scale: 0.01, now: NOW, slug: 'same-slug' });
        const ids = (db: Db, w: string) =>
          db.query<{ id: string }>('select id from leads where workspace_id = $1 order by created_at, id limit 50', [w]);
        expect(await ids(other.db, y.workspaceId)).toEqual(await ids(getDb(), x.workspaceId));
      } finally {
        await other.drop();
      }
    });
  });

  it('refuses bad options with the field named', async () => {
    await expect(createDemo(getDb(), { seed: 1, scale: 0 })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(createDemo(getDb(), { seed: -1, scale: 1 })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(createDemo(getDb(), { seed: 1, scale: 0.01, slug: 'demo', now: NOW })).rejects.toMatchObject({ code: 'conflict' });
  });
});
