import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../test/support/db.js';
import type { Db } from '../db/client.js';
import { listNotifications } from '../modules/notify/notify.service.js';
import type { Role } from '../modules/org/org.core.js';
import { loadPoolMembers, poolKeyOf } from '../modules/routing/pools.repo.js';
import type { PoolSpec } from '../modules/routing/routing.core.js';
import { getRoutingConfig } from '../modules/routing/routing.service.js';
import { handoffInbox, reviewList, sdrQueue, slaBreaches } from '../modules/routing/routing.views.js';
import { DEFAULT_CRITERIA } from '../modules/routing/scorecard.core.js';
import { getScorecard } from '../modules/routing/settings.repo.js';
import { principalFromSession } from '../platform/auth/authenticate.js';
import type { Principal } from '../platform/auth/principal.js';
import { login } from '../platform/auth/sessions.js';
import { createDemo, DEMO_PASSWORD, type DemoResult } from './demo.js';
import { FALLBACK_QUEUE, INTAKE_RULES } from './routing-demo-config.js';

// A Monday, 11:00 in New York: the week's leads arrived Wednesday to this morning.
const NOW = new Date('2025-06-30T15:00:00Z');
// Leads that came through intake have a first-touch deadline; the bulk-written history has none.
const WEEK = 'l.first_touch_due_at is not null';

const count = async (db: Db, sql: string, params: unknown[]) =>
  (await db.query<{ n: number }>(`select count(*)::int as n from (${sql}) x`, params))[0].n;

/** The routing week's content without ids: the same seed must give the same week in another workspace. */
async function fingerprint(db: Db, workspaceId: string) {
  const [row] = await db.query<Record<string, string | number>>(
    `select
       (select count(*)::int from leads l where l.workspace_id = $1 and ${WEEK}) as leads,
       (select md5(string_agg(concat_ws('|', l.email, l.status, l.created_at, u.email, l.queue, l.score, l.first_touch_at, l.needs_review), ','
                   order by l.created_at, l.email)) from leads l left join users u on u.id = l.owner_id where l.workspace_id = $1 and ${WEEK}) as leads_hash,
       (select md5(string_agg(concat_ws('|', h.status, h.handed_at, h.due_at, h.accepted_at, ae.email, sdr.email), ',' order by h.handed_at, ae.email))
          from handoffs h join users ae on ae.id = h.ae_id join users sdr on sdr.id = h.sdr_id where h.workspace_id = $1) as handoffs_hash,
       (select string_agg(concat_ws('|', c.pool_key, u.email, c.assigned), ',' order by c.pool_key, u.email)
          from routing_pool_counters c join users u on u.id = c.user_id where c.workspace_id = $1) as counters,
       (select string_agg(concat_ws('|', kind, n), ',' order by kind) from (select kind, count(*) as n from notifications
          where workspace_id = $1 group by kind) k) as notifications`,
    [workspaceId],
  );
  return row;
}

describeEachDb('routing demo: the present week through the real pipeline', (getDb) => {
  let a: DemoResult;
  let b: DemoResult;
  const ws = () => a.workspaceId;
  const users = async (role: Role) =>
    getDb().query<{ id: string; email: string; capacity: number }>(
      'select id, email, capacity from users where workspace_id = $1 and $2 = any(roles) order by email',
      [ws(), role],
    );
  /** The principal a real sign-in gives (session, roles, managed team). */
  const as = async (email: string): Promise<Principal> => {
    const s = await login(getDb(), { email, password: DEMO_PASSWORD, workspace: a.slug }, 1, new Date());
    return (await principalFromSession(getDb(), s.token))!;
  };

  beforeAll(async () => {
    a = await createDemo(getDb(), { seed: 3, scale: 0.02, now: NOW, slug: 'routing-a' });
    b = await createDemo(getDb(), { seed: 3, scale: 0.02, now: NOW, slug: 'routing-b' });
  });

  it('configures routing as sales ops would: rules, calendar, SLAs, scorecards', async () => {
    const db = getDb();
    const [ops] = await users('sales_ops');
    const config = await getRoutingConfig(db, await as(ops.email));
    expect(config.intakeRules.map((r) => r.name)).toEqual(Object.values(INTAKE_RULES));
    expect(config.intakeRules[0].action).toEqual({ type: 'account_owner' });
    expect(config.handoffRules.map((r) => [r.conditions.segments, r.action])).toEqual([
      [['MME'], { type: 'pool', pool: { roles: ['ae'], segment: 'MME' } }],
      [['SMB'], { type: 'pool', pool: { roles: ['ae'], segment: 'SMB' } }],
    ]);
    const s = config.settings;
    expect([s.fallbackQueue, s.firstTouchSlaMinutes, s.handoffSlaMinutes]).toEqual([FALLBACK_QUEUE, 60, 240]);
    expect(s.businessCalendar).toMatchObject({ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' });
    expect(s.businessCalendar.holidays).toEqual(expect.arrayContaining(['2025-07-04', '2025-11-27', '2025-12-25']));

    const mme = await getScorecard(db, ws(), 'MME');
    expect(mme.threshold).toBe(14);
    expect(mme.criteria.map((c) => c.key)).toEqual(expect.arrayContaining(['support_team', 'security']));
    const smb = await getScorecard(db, ws(), 'SMB');
    expect([smb.threshold, smb.criteria.map((c) => c.key), smb.updatedAt !== null]).toEqual([12, DEFAULT_CRITERIA.map((c) => c.key), true]);
    expect((await getScorecard(db, ws(), 'ESB')).updatedAt).toBeNull();
    // Through the services: every change is in the audit log, by the sales ops user.
    expect(
      await count(
        db,
        `select 1 from audit_log where workspace_id = $1 and actor_id = $2 and action in ('routing.settings', 'routing.rules.intake', 'routing.rules.handoff', 'scorecard.update')`,
        [ws(), ops.id],
      ),
    ).toBe(5);
  });

  it('routes the week: fair pools, account owners, the fallback queue, merges and review flags', async () => {
    const db = getDb();
    const { intakeRules } = await getRoutingConfig(db, await as((await users('sales_ops'))[0].email));
    const pools = intakeRules.flatMap((r) => (r.action.type === 'pool' ? [r.action.pool as PoolSpec] : []));
    expect(pools).toHaveLength(5);
    for (const pool of pools) {
      const members = await loadPoolMembers(db, ws(), poolKeyOf(pool), pool);
      expect(members.length, poolKeyOf(pool)).toBeGreaterThan(1);
      expect(
        members.every((m) => m.assigned > 0),
        poolKeyOf(pool),
      ).toBe(true);
      // Weighted round-robin: nobody is more than one lead ahead of their share; equal weights differ by at most one.
      for (const x of members)
        for (const y of members) {
          expect((x.assigned - 1) / x.capacity, `${poolKeyOf(pool)} ${x.id} vs ${y.id}`).toBeLessThanOrEqual(y.assigned / y.capacity);
          if (x.capacity === y.capacity) expect(Math.abs(x.assigned - y.assigned)).toBeLessThanOrEqual(1);
        }
    }
    const routed = await db.query<{ rule: string | null; owner: string | null; accountOwner: string | null; queue: string | null }>(
      `select r.name as rule, l.owner_id as owner, acc.owner_id as "accountOwner", l.queue
         from leads l join lead_assignments la on la.lead_id = l.id and la.purpose = 'intake'
         left join routing_rules r on r.id = la.rule_id left join accounts acc on acc.id = l.account_id
        where l.workspace_id = $1 and ${WEEK}`,
      [ws()],
    );
    expect(routed.length).toBeGreaterThanOrEqual(150);
    const toOwners = routed.filter((r) => r.rule === INTAKE_RULES.accountOwner);
    expect(toOwners.length).toBeGreaterThanOrEqual(6);
    expect(toOwners.every((r) => r.owner === r.accountOwner)).toBe(true);
    const fallback = routed.filter((r) => r.rule === null);
    expect(fallback.length).toBeGreaterThan(0);
    expect(fallback.every((r) => r.queue === FALLBACK_QUEUE && r.owner === null)).toBe(true);
    // The same person twice: one lead, with a note; a disqualified lead's email again: a new lead flagged for review.
    expect(
      await count(
        db,
        `select 1 from activities where workspace_id = $1 and record_type = 'lead' and subject like 'Submitted again via %'`,
        [ws()],
      ),
    ).toBe(5);
    const flagged = await db.query<{ oldStatus: string; same: boolean }>(
      `select d.status as "oldStatus", d.email_normalized = l.email_normalized as same from leads l join leads d on d.id = l.duplicate_of
        where l.workspace_id = $1 and l.needs_review`,
      [ws()],
    );
    expect(flagged).toEqual([
      { oldStatus: 'disqualified', same: true },
      { oldStatus: 'disqualified', same: true },
    ]);
  });

  it('works the week: qualified and not, handed off, accepted, sent back, pending, one overdue', async () => {
    const db = getDb();
    const statuses = Object.fromEntries(
      (
        await db.query<{ status: string; n: number }>(
          `select status, count(*)::int as n from leads l where l.workspace_id = $1 and ${WEEK} group by status`,
          [ws()],
        )
      ).map((r) => [r.status, r.n]),
    );
    const handoffs = await db.query<{
      status: string;
      overdue: boolean;
      opened: boolean;
      leadStatus: string;
      stage: string;
      lostReason: string | null;
      aeFits: boolean;
    }>(
      `select h.status, (h.status = 'pending' and h.due_at < $2) as overdue, o.created_at = h.handed_at as opened, l.status as "leadStatus",
              o.stage, o.lost_reason as "lostReason", (o.sdr_id = l.owner_id and 'ae' = any(ae.roles) and l.segment = any(ae.segments)) as "aeFits"
         from handoffs h join leads l on l.id = h.lead_id join opportunities o on o.id = h.opportunity_id join users ae on ae.id = h.ae_id
        where h.workspace_id = $1`,
      [ws(), NOW],
    );
    const by = (s: string) => handoffs.filter((h) => h.status === s);
    expect(by('accepted').length).toBeGreaterThan(0);
    expect(by('sent_back')).toHaveLength(1);
    expect(by('pending').length).toBeGreaterThanOrEqual(2);
    expect(by('pending').filter((h) => h.overdue).length).toBeGreaterThanOrEqual(1);
    expect(handoffs.every((h) => h.opened && h.aeFits)).toBe(true);
    expect(by('accepted').every((h) => h.leadStatus === 'converted')).toBe(true);
    expect(by('pending').every((h) => h.leadStatus === 'handed_off')).toBe(true);
    expect(by('sent_back')[0]).toMatchObject({
      leadStatus: 'qualified',
      stage: 'lost',
      lostReason: expect.stringMatching(/^Sent back to SDR: /),
    });
    expect([statuses.converted, statuses.handed_off]).toEqual([by('accepted').length, by('pending').length]);
    expect(statuses.qualified).toBeGreaterThan(0);
    expect(statuses.working).toBeGreaterThan(0);
    expect(statuses.new).toBeGreaterThan(0);
    // The out-of-office AE is skipped.
    expect(
      await count(db, `select 1 from handoffs h join users u on u.id = h.ae_id where h.workspace_id = $1 and u.out_of_office_until > $2`, [
        ws(),
        NOW,
      ]),
    ).toBe(0);
    // Speed to lead: some touched late, some not touched by their deadline.
    const [sla] = await db.query<{ late: number; untouched: number }>(
      `select count(*) filter (where first_touch_at > first_touch_due_at)::int as late,
              count(*) filter (where first_touch_at is null and first_touch_due_at < $2 and owner_id is not null)::int as untouched
         from leads l where l.workspace_id = $1 and ${WEEK}`,
      [ws(), NOW],
    );
    expect(sla.late).toBeGreaterThan(0);
    expect(sla.untouched).toBeGreaterThan(0);
    // The week's routing notifications (customer success adds its own: success-demo.test.ts checks those).
    const kinds = (
      await db.query<{ kind: string }>(
        `select distinct kind from notifications where workspace_id = $1 and kind not in ('success_task', 'low_rating_alert') order by kind`,
        [ws()],
      )
    ).map((r) => r.kind);
    expect(kinds).toEqual(['handoff_accepted', 'handoff_assigned', 'handoff_sent_back', 'lead_assigned']);
    // Every step happened by the demo's end, in order.
    expect(await count(db, 'select 1 from status_changes where workspace_id = $1 and changed_at > $2', [ws(), NOW])).toBe(0);
    expect(await count(db, 'select 1 from lead_qualifications where workspace_id = $1 and created_at > $2', [ws(), NOW])).toBe(0);
  });

  it("gives every role its part on screen: SDR queues, the AE inbox, ops' review and breaches", async () => {
    const db = getDb();
    for (const role of ['sdr_inbound', 'sdr_outbound'] as const)
      for (const sdr of await users(role)) {
        const queue = await sdrQueue(db, await as(sdr.email), {
          direction: role === 'sdr_inbound' ? 'inbound' : 'outbound',
          includeQueues: false,
          limit: 500,
        });
        expect(queue.length, sdr.email).toBeGreaterThan(0);
      }
    let pending = 0;
    for (const ae of await users('ae')) pending += (await handoffInbox(db, await as(ae.email), { status: ['pending'], limit: 100 })).length;
    expect(pending).toBeGreaterThanOrEqual(2);
    const ops = await as((await users('sales_ops'))[0].email);
    expect(await reviewList(db, ops, 100)).toHaveLength(2);
    const breaches = await slaBreaches(db, ops, {
      from: new Date(NOW.getTime() - 8 * 86_400_000).toISOString(),
      to: NOW.toISOString(),
      limit: 500,
    });
    expect(breaches.firstTouch.length).toBeGreaterThan(0);
    expect(breaches.handoffs.length).toBeGreaterThan(0);
    const inboundSdr = (await users('sdr_inbound'))[0];
    expect((await listNotifications(db, ws(), inboundSdr.id, { unreadOnly: true, limit: 50 })).length).toBeGreaterThan(0);
  });

  it('is deterministic: the same seed writes the same week in another workspace', async () => {
    const db = getDb();
    const fa = await fingerprint(db, a.workspaceId);
    expect(fa.leads).toBeGreaterThanOrEqual(150);
    expect(await fingerprint(db, b.workspaceId)).toEqual(fa);
  });
});
