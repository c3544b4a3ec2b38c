import type { Db } from '../../db/client.js';
import type { Band, FactorBreakdown, HealthSettings } from './health.core.js';

/** SQL for health: settings, the inputs of the factors and signals (as of a moment), stored scores. */

export async function readSettings(db: Db, workspaceId: string): Promise<Partial<HealthSettings> | null> {
  const [row] = await db.query<{ settings: Partial<HealthSettings> }>('select settings from health_settings where workspace_id = $1', [
    workspaceId,
  ]);
  return row?.settings ?? null;
}

export async function writeSettings(tx: Db, workspaceId: string, settings: HealthSettings) {
  await tx.query(
    `insert into health_settings (workspace_id, settings) values ($1, $2)
     on conflict (workspace_id) do update set settings = excluded.settings, updated_at = now()`,
    [workspaceId, JSON.stringify(settings)],
  );
}

export type CustomerAccount = {
  id: string;
  name: string;
  csmId: string | null;
  ownerId: string | null;
  seats: number | null;
  nextRenewal: string | null;
};

/**
 * Accounts with a live (active or trialing) subscription as of asOf. A subscription's status then is the one
 * before its first status change after asOf (the status history), else its current status; it counts from its
 * start date (the local day). Seats and renewal dates are the current values: they have no history.
 */
export async function customerAccounts(db: Db, workspaceId: string, asOf: Date, day: string): Promise<CustomerAccount[]> {
  return db.query<CustomerAccount>(
    `with subs as (
       select s.account_id, s.seats, s.renewal_date, coalesce(nxt.from_value, nxt.to_value, s.status) as status_then
         from subscriptions s
         left join lateral (
           select sc.from_value, sc.to_value from status_changes sc
            where sc.workspace_id = s.workspace_id and sc.record_type = 'subscription' and sc.record_id = s.id
              and sc.field = 'status' and sc.changed_at > $2
            order by sc.changed_at, sc.id limit 1) nxt on true
        where s.workspace_id = $1 and s.start_date <= $3::date)
     select a.id, a.name, a.csm_id as "csmId", a.owner_id as "ownerId", sum(subs.seats)::int as seats,
            min(subs.renewal_date) as "nextRenewal"
       from accounts a join subs on subs.account_id = a.id
      where a.workspace_id = $1 and subs.status_then in ('active', 'trialing')
      group by a.id
      order by a.id`,
    [workspaceId, asOf, day],
  );
}

export type UsageCounts = { last30: number; prev30: number; users30: number; tickets30: number; limitHits: number };

/**
 * Per account, windows ending at asOf: usage events (tickets excluded) of the last 30 days and the 30 before,
 * distinct users of the last 30 days, tickets of the last 30 days, plan-limit events of the last lookbackDays.
 * Distinct users are counted apart: a DISTINCT subquery costs a third of count(distinct) in the main aggregate.
 */
export async function usageCounts(
  db: Db,
  workspaceId: string,
  ids: string[],
  asOf: Date,
  events: HealthSettings['events'],
  lookbackDays: number,
): Promise<Map<string, UsageCounts>> {
  // Window starts computed once here, not per row in SQL.
  const ago = (days: number) => new Date(asOf.getTime() - days * 86_400_000);
  const [d30, d60, look] = [ago(30), ago(60), ago(lookbackDays)];
  const rows = await db.query<Omit<UsageCounts, 'users30'> & { accountId: string }>(
    `select account_id as "accountId",
            count(*) filter (where name <> $4 and occurred_at > $6)::int as last30,
            count(*) filter (where name <> $4 and occurred_at <= $6 and occurred_at > $7)::int as prev30,
            count(*) filter (where name = $4 and occurred_at > $6)::int as tickets30,
            count(*) filter (where name = $5 and occurred_at > $8)::int as "limitHits"
       from usage_events
      where workspace_id = $1 and account_id = any($2::uuid[]) and occurred_at <= $3 and occurred_at > least($7, $8)
      group by account_id`,
    [workspaceId, ids, asOf, events.supportTicket, events.planLimit, d30, d60, look],
  );
  const users = await db.query<{ accountId: string; n: number }>(
    `select account_id as "accountId", count(*)::int as n
       from (select distinct account_id, user_key from usage_events
              where workspace_id = $1 and account_id = any($2::uuid[]) and occurred_at <= $3 and occurred_at > $5
                and name <> $4 and user_key is not null) u
      group by account_id`,
    [workspaceId, ids, asOf, events.supportTicket, d30],
  );
  const usersOf = new Map(users.map((u) => [u.accountId, u.n]));
  return new Map(rows.map(({ accountId, ...r }) => [accountId, { ...r, users30: usersOf.get(accountId) ?? 0 }]));
}

/** Each account's first usage event at or before asOf (one index probe per account). */
export async function firstEvents(db: Db, workspaceId: string, ids: string[], asOf: Date): Promise<Map<string, Date>> {
  const rows = await db.query<{ accountId: string; firstAt: Date | null }>(
    `select x.id as "accountId",
            (select min(e.occurred_at) from usage_events e
              where e.workspace_id = $1 and e.account_id = x.id and e.occurred_at <= $3) as "firstAt"
       from unnest($2::uuid[]) as x(id)`,
    [workspaceId, ids, asOf],
  );
  return new Map(rows.filter((r) => r.firstAt).map((r) => [r.accountId, r.firstAt!]));
}

/** Whether the workspace sends ticket events at all: without any, "no tickets" means "no data", not "healthy". */
export async function hasTicketStream(db: Db, workspaceId: string, ticketEvent: string, asOf: Date): Promise<boolean> {
  const rows = await db.query('select 1 from usage_events where workspace_id = $1 and name = $2 and occurred_at <= $3 limit 1', [
    workspaceId,
    ticketEvent,
    asOf,
  ]);
  return rows.length > 0;
}

export type MilestoneThen = {
  accountId: string;
  name: string;
  status: 'pending' | 'reached' | 'missed';
  progress: { label: string; value: number; target: number }[];
};

/**
 * Each account's latest milestone whose window had opened by asOf, with its status then: reached if reached by
 * then, missed if the miss was known by then, else pending (with today's progress: progress has no history).
 */
export async function milestonesAsOf(db: Db, workspaceId: string, ids: string[], asOf: Date): Promise<Map<string, MilestoneThen>> {
  const rows = await db.query<MilestoneThen>(
    `select distinct on (am.account_id) am.account_id as "accountId", m.name, am.progress,
            case when am.status = 'reached' and am.reached_at <= $3 then 'reached'
                 when am.status = 'missed' and coalesce(am.decided_at, am.window_end) <= $3 then 'missed'
                 else 'pending' end as status
       from account_milestones am join milestones m on m.id = am.milestone_id
      where am.workspace_id = $1 and am.account_id = any($2::uuid[]) and am.window_start <= $3
      order by am.account_id, am.window_start desc, m.name`,
    [workspaceId, ids, asOf],
  );
  return new Map(rows.map((r) => [r.accountId, r]));
}

/** The latest buyer rating per account, rated at or before asOf. */
export async function latestRatings(db: Db, workspaceId: string, ids: string[], asOf: Date): Promise<Map<string, number>> {
  const rows = await db.query<{ accountId: string; rating: number }>(
    `select distinct on (account_id) account_id as "accountId", rating
       from buyer_surveys
      where workspace_id = $1 and account_id = any($2::uuid[]) and rating is not null and rated_at <= $3
      order by account_id, rated_at desc, id`,
    [workspaceId, ids, asOf],
  );
  return new Map(rows.map((r) => [r.accountId, Number(r.rating)]));
}

export type ScoredAccount = { accountId: string; score: number; band: Band; factors: FactorBreakdown[] };

/** Stores a day's scores: the day's rows become exactly these (an account no longer scored loses its row). */
export async function replaceDay(tx: Db, workspaceId: string, day: string, scored: ScoredAccount[]) {
  const ids = scored.map((s) => s.accountId);
  await tx.query('delete from account_health where workspace_id = $1 and day = $2 and account_id <> all($3::uuid[])', [
    workspaceId,
    day,
    ids,
  ]);
  if (!scored.length) return;
  await tx.query(
    `insert into account_health (workspace_id, account_id, day, score, band, factors)
     select $1, x.account_id, $2::date, x.score, x.band, x.factors::jsonb
       from unnest($3::uuid[], $4::int[], $5::text[], $6::text[]) as x(account_id, score, band, factors)
     on conflict (account_id, day) do update
       set score = excluded.score, band = excluded.band, factors = excluded.factors, computed_at = now()`,
    [workspaceId, day, ids, scored.map((s) => s.score), scored.map((s) => s.band), scored.map((s) => JSON.stringify(s.factors))],
  );
}

export type HealthPoint = { score: number; day: string };

/**
 * Per account: its latest score on or before `day` (if no older than dropDays), and the best score of the
 * dropDays days before that one (the baseline a drop is measured from).
 */
export async function latestWithBaseline(
  db: Db,
  workspaceId: string,
  ids: string[],
  day: string,
  dropDays: number,
): Promise<Map<string, { latest: HealthPoint; best: HealthPoint | null }>> {
  const rows = await db.query<{ accountId: string; day: string; score: number; bestDay: string | null; bestScore: number | null }>(
    `with latest as (
       select distinct on (account_id) account_id, day, score from account_health
        where workspace_id = $1 and account_id = any($2::uuid[]) and day <= $3::date and day > $3::date - $4::int
        order by account_id, day desc)
     select l.account_id as "accountId", l.day, l.score, b.day as "bestDay", b.score as "bestScore"
       from latest l
       left join lateral (
         select p.day, p.score from account_health p
          where p.account_id = l.account_id and p.day < l.day and p.day >= l.day - $4::int
          order by p.score desc, p.day desc limit 1) b on true`,
    [workspaceId, ids, day, dropDays],
  );
  return new Map(
    rows.map((r) => [
      r.accountId,
      { latest: { day: r.day, score: r.score }, best: r.bestDay ? { day: r.bestDay, score: r.bestScore! } : null },
    ]),
  );
}

/** Milestones missed within the lookback (the miss known by asOf), latest first. */
export async function recentMisses(
  db: Db,
  workspaceId: string,
  ids: string[],
  asOf: Date,
  lookbackDays: number,
  timezone: string,
): Promise<Map<string, { name: string; missedOn: string }[]>> {
  const rows = await db.query<{ accountId: string; name: string; missedOn: string }>(
    `select am.account_id as "accountId", m.name,
            to_char(coalesce(am.decided_at, am.window_end) at time zone $5, 'YYYY-MM-DD') as "missedOn"
       from account_milestones am join milestones m on m.id = am.milestone_id
      where am.workspace_id = $1 and am.account_id = any($2::uuid[]) and am.status = 'missed'
        and coalesce(am.decided_at, am.window_end) <= $3
        and coalesce(am.decided_at, am.window_end) > $3::timestamptz - make_interval(days => $4)
      order by coalesce(am.decided_at, am.window_end) desc`,
    [workspaceId, ids, asOf, lookbackDays, timezone],
  );
  const out = new Map<string, { name: string; missedOn: string }[]>();
  for (const r of rows) out.set(r.accountId, [...(out.get(r.accountId) ?? []), { name: r.name, missedOn: r.missedOn }]);
  return out;
}

/** Values of the team property first seen within the lookback, per account. */
export async function newTeams(
  db: Db,
  workspaceId: string,
  ids: string[],
  asOf: Date,
  teamProperty: string,
  lookbackDays: number,
): Promise<Map<string, string[]>> {
  const rows = await db.query<{ accountId: string; teams: string[] }>(
    `select account_id as "accountId", array_agg(team order by team) as teams
       from (select account_id, properties ->> $4 as team, min(occurred_at) as first_seen
               from usage_events
              where workspace_id = $1 and account_id = any($2::uuid[]) and occurred_at <= $3 and properties ? $4
              group by account_id, properties ->> $4) t
      where first_seen > $3::timestamptz - make_interval(days => $5) and coalesce(team, '') <> ''
      group by account_id`,
    [workspaceId, ids, asOf, teamProperty, lookbackDays],
  );
  return new Map(rows.map((r) => [r.accountId, r.teams]));
}

export async function webhookUrl(db: Db, workspaceId: string): Promise<string | null> {
  const [row] = await db.query<{ url: string | null }>('select webhook_url as url from routing_settings where workspace_id = $1', [
    workspaceId,
  ]);
  return row?.url ?? null;
}

// ---- Reads for the screens: the CSM home list and an account's success tab.

export type HomeRow = {
  id: string;
  name: string;
  csmId: string | null;
  ownerId: string | null;
  arr: string;
  nextRenewal: string | null;
  score: number | null;
  band: Band | null;
  healthDay: string | null;
  trend: number | null;
  milestoneName: string | null;
  milestoneStatus: 'pending' | 'reached' | 'missed' | null;
  milestoneWindowEnd: Date | null;
  openTasks: number;
  sortKey: unknown;
};

/**
 * Customer accounts (a live subscription now) with their live ARR, next renewal, latest health and its change
 * over the 7 days before it, current milestone and open tasks. `where` filters (and pages) on the columns of `x`.
 */
export function homeListSql(workspaceParam: string, sortSql: string, where: string, order: string, limitParam: string) {
  return `select *, ${sortSql} as "sortKey" from (
    select a.id, a.name, a.csm_id as "csmId", a.owner_id as "ownerId", live.arr, live.next_renewal as "nextRenewal",
           h.score, h.band, h.day as "healthDay", h.score - prev.score as trend,
           ms.name as "milestoneName", ms.status as "milestoneStatus", ms.window_end as "milestoneWindowEnd",
           (select count(*) from success_tasks t where t.account_id = a.id and t.status = 'open')::int as "openTasks"
      from accounts a
      join lateral (
        select sum(s.arr)::numeric(16,2) as arr, min(s.renewal_date) as next_renewal from subscriptions s
         where s.workspace_id = a.workspace_id and s.account_id = a.id and s.status in ('active', 'trialing')
        having count(*) > 0) live on true
      left join lateral (
        select x.day, x.score, x.band from account_health x where x.account_id = a.id order by x.day desc limit 1) h on true
      left join lateral (
        select x.score from account_health x where x.account_id = a.id and x.day <= h.day - 7 order by x.day desc limit 1) prev on true
      left join lateral (
        select am.status, m.name, am.window_end from account_milestones am join milestones m on m.id = am.milestone_id
         where am.account_id = a.id order by am.window_start desc, m.name limit 1) ms on true
     where a.workspace_id = ${workspaceParam}) x
  ${where}
  ${order}
  limit ${limitParam}`;
}

export type UsageDay = { day: string; events: number; users: number; tickets: number };

/** Usage per local day from `from` to `to` (days without events are absent; the service fills them). */
export async function usageByDay(
  db: Db,
  q: { workspaceId: string; accountId: string; timezone: string; from: Date; to: Date; ticketEvent: string },
): Promise<UsageDay[]> {
  return db.query<UsageDay>(
    `select to_char((occurred_at at time zone $3)::date, 'YYYY-MM-DD') as day,
            count(*) filter (where name <> $6)::int as events,
            count(distinct user_key) filter (where name <> $6)::int as users,
            count(*) filter (where name = $6)::int as tickets
       from usage_events
      where workspace_id = $1 and account_id = $2 and occurred_at >= $4 and occurred_at <= $5
      group by 1 order by 1`,
    [q.workspaceId, q.accountId, q.timezone, q.from, q.to, q.ticketEvent],
  );
}

export type AccountMilestone = {
  milestoneId: string;
  name: string;
  status: 'pending' | 'reached' | 'missed';
  windowStart: Date;
  windowEnd: Date;
  reachedAt: Date | null;
  progress: { label: string; value: number; target: number }[];
};

export async function accountMilestones(db: Db, workspaceId: string, accountId: string): Promise<AccountMilestone[]> {
  return db.query<AccountMilestone>(
    `select am.milestone_id as "milestoneId", m.name, am.status, am.window_start as "windowStart", am.window_end as "windowEnd",
            am.reached_at as "reachedAt", am.progress
       from account_milestones am join milestones m on m.id = am.milestone_id
      where am.workspace_id = $1 and am.account_id = $2
      order by am.window_start desc, m.name`,
    [workspaceId, accountId],
  );
}

export type HealthDay = { day: string; score: number; band: Band; factors: FactorBreakdown[] };

export async function healthHistory(db: Db, workspaceId: string, accountId: string, fromDay: string): Promise<HealthDay[]> {
  return db.query<HealthDay>(
    `select day, score, band, factors from account_health
      where workspace_id = $1 and account_id = $2 and day >= $3::date order by day`,
    [workspaceId, accountId, fromDay],
  );
}
