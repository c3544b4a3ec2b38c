import type { Db } from '../../db/client.js';
import type { RetentionGroupBy, RetentionSums } from './retention.core.js';

/** A period to measure: ARR at `start` is the base; movements in [start, end) are what happened to it. */
export type MeasuredPeriod = { label: string; start: Date; end: Date };

/**
 * Whose customers are counted: everyone (ids null), or the accounts whose CSM, closing AE, or either of them is
 * one of `ids`.
 */
export type Customers = { ids: string[] | null; via: 'csm' | 'ae' | 'either' };

export type RetentionSumsRow = RetentionSums & { period: string; key: string | null };

// Fixed SQL fragments chosen by closed lists (never user text): the group key and the customer filter.
const GROUP_KEY: Record<RetentionGroupBy, string> = {
  none: `''`,
  cohort: 'cohort',
  segment: 'segment',
  csm: 'csm_id::text',
  ae: 'ae_id::text',
};
const CUSTOMER_FILTER: Record<Customers['via'], string> = {
  csm: 'csm_id = any($6::uuid[])',
  ae: 'ae_id = any($6::uuid[])',
  either: '(csm_id = any($6::uuid[]) or ae_id = any($6::uuid[]))',
};

/**
 * Retention sums per period and group, in one statement for all periods (a trend is twelve of them). The periods
 * must follow each other (each starts where the previous one ends), as a period or a run of months does.
 *
 * Per account and period: start ARR (new + expansion - contraction - churn before the start; renewals change
 * nothing), and in the period expansion (expansion, plus 'new' movements: a cross-sell to an account already in the
 * base), contraction and churn. Only accounts with start ARR above zero are kept (the base): the movements of the
 * others are new business. Losses are capped at the start ARR, churn first (a customer that expanded and then left
 * lost its start ARR to churn); whatever was lost beyond it had been gained in the period and comes off expansion.
 *
 * The work grows with the movements, not with accounts x periods: each movement is summed once into the period it
 * falls in (bucket 1..n) or into bucket 0 (before the first period). An account with movements in a period is
 * measured there one by one (its start ARR is the running sum of its earlier buckets). Between two of its buckets an
 * account has a constant ARR and no movement: it counts there only as a logo with start ARR = end ARR, so those
 * stretches are added per group as +ARR where they begin and -ARR where they end, then summed over the periods.
 *
 * The closing AE of an account is the owner of the opportunity of its first subscription (earliest start date), or
 * the account owner when that subscription has no deal or the deal no owner. Its cohort is the quarter, in the
 * workspace timezone, of its first 'new' movement.
 */
export async function retentionSums(
  db: Db,
  q: { workspaceId: string; timezone: string; periods: MeasuredPeriod[]; groupBy: RetentionGroupBy; customers: Customers },
): Promise<RetentionSumsRow[]> {
  q.periods.forEach((p, i) => {
    if (!(p.end > p.start) || (i > 0 && p.start.getTime() !== q.periods[i - 1].end.getTime()))
      throw new Error('retention periods must be non-empty and consecutive');
  });
  const filter = `$6::uuid[] is null or ${CUSTOMER_FILTER[q.customers.via]}`;
  return db.query<RetentionSumsRow>(
    `with periods as (
       select p.label, p.t0, p.t1, p.idx::int as idx
         from unnest($2::text[], $3::timestamptz[], $4::timestamptz[]) with ordinality as p(label, t0, t1, idx)
     ),
     first_subscription as (
       select distinct on (account_id) account_id, opportunity_id
         from subscriptions where workspace_id = $1
        order by account_id, start_date, created_at, id
     ),
     first_new as (
       select account_id, min(occurred_at) as at from arr_movements
        where workspace_id = $1 and kind = 'new' group by account_id
     ),
     customers as (
       select a.id, a.segment, a.csm_id, coalesce(o.owner_id, a.owner_id) as ae_id,
              to_char(fn.at at time zone $5, 'YYYY-"Q"Q') as cohort
         from accounts a
         left join first_subscription fs on fs.account_id = a.id
         left join opportunities o on o.id = fs.opportunity_id and o.workspace_id = a.workspace_id
         left join first_new fn on fn.account_id = a.id
        where a.workspace_id = $1
     ),
     visible as (select id, ${GROUP_KEY[q.groupBy]} as group_key from customers where ${filter}),
     buckets as (
       select m.account_id, v.group_key, coalesce(p.idx, 0) as idx,
              sum(case when m.kind in ('new', 'expansion') then m.amount
                       when m.kind in ('contraction', 'churn') then -m.amount else 0 end) as net,
              sum(case when m.kind in ('new', 'expansion') then m.amount else 0 end) as x,
              sum(case when m.kind = 'contraction' then m.amount else 0 end) as c,
              sum(case when m.kind = 'churn' then m.amount else 0 end) as h
         from arr_movements m
         join visible v on v.id = m.account_id
         left join periods p on m.occurred_at >= p.t0 and m.occurred_at < p.t1
        where m.workspace_id = $1 and m.occurred_at < (select max(t1) from periods)
        group by m.account_id, v.group_key, coalesce(p.idx, 0)
     ),
     states as (
       select *, sum(net) over w as arr_after, lead(idx, 1, $7::int + 1) over w as next_idx
         from buckets
       window w as (partition by account_id order by idx)
     ),
     moved as (
       select *, least(h, s) as lost_churn
         from (select group_key, idx, arr_after - net as s, x, c, h, arr_after from states where idx > 0) t
        where s > 0
     ),
     quiet_steps as (
       select group_key, idx + 1 as idx, arr_after as arr, 1 as n from states where arr_after > 0 and idx + 1 < next_idx
       union all
       select group_key, next_idx, -arr_after, -1 from states where arr_after > 0 and idx + 1 < next_idx and next_idx <= $7::int
     ),
     quiet as (
       select g.group_key, p.idx,
              sum(coalesce(q.arr, 0)) over w as arr, sum(coalesce(q.n, 0)) over w as n
         from (select distinct group_key from quiet_steps) g
        cross join periods p
         left join (select group_key, idx, sum(arr) as arr, sum(n) as n from quiet_steps group by group_key, idx) q
           on q.group_key is not distinct from g.group_key and q.idx = p.idx
       window w as (partition by g.group_key order by p.idx)
     ),
     measured as (
       select group_key, idx, 1 as logos, case when arr_after <= 0 then 1 else 0 end as churned, s,
              x - (c + h - lost_churn - least(c, s - lost_churn)) as expansion,
              least(c, s - lost_churn) as contraction, lost_churn as churn, arr_after as arr_end
         from moved
       union all
       select group_key, idx, n, 0, arr, 0, 0, 0, arr from quiet where n > 0
     )
     select p.label as period, m.group_key as key,
            sum(m.logos)::int as logos,
            sum(m.churned)::int as "churnedLogos",
            sum(m.s)::numeric(18, 2) as "startArr",
            sum(m.expansion)::numeric(18, 2) as expansion,
            sum(m.contraction)::numeric(18, 2) as contraction,
            sum(m.churn)::numeric(18, 2) as churn,
            sum(m.arr_end)::numeric(18, 2) as "endArr"
       from measured m join periods p on p.idx = m.idx
      group by p.label, m.group_key`,
    [
      q.workspaceId,
      q.periods.map((p) => p.label),
      q.periods.map((p) => p.start.toISOString()),
      q.periods.map((p) => p.end.toISOString()),
      q.timezone,
      q.customers.ids,
      q.periods.length,
    ],
  );
}

/** Display names of users (CSMs, AEs) of the workspace, by id. */
export async function userNames(db: Db, workspaceId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: string; name: string }>('select id, name from users where workspace_id = $1 and id = any($2::uuid[])', [
    workspaceId,
    ids,
  ]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function userExists(db: Db, workspaceId: string, id: string): Promise<boolean> {
  return (await db.query('select 1 from users where workspace_id = $1 and id = $2', [workspaceId, id])).length > 0;
}
