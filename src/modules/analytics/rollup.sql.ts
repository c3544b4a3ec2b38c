/**
 * The SQL that recomputes one set of local days of the funnel rollups from the base tables. These queries are
 * the definitions in docs/metrics.md: the rollup-equivalence test compares their result, kept incrementally,
 * with a from-scratch run. Parameters: $1 workspace, $2 the local days (date[]), $3 the workspace timezone,
 * $4/$5 the UTC instants bounding those days (so the time indexes are used).
 */

const local = (col: string) => `(${col} at time zone $3)::date`;
const inRange = (col: string) => `${col} >= $4 and ${col} < $5`;

/** A won deal is a new logo when no other deal of its account was won before it. */
const NEW_LOGO = `o.account_id is not null and not exists (
  select 1 from opportunities x where x.workspace_id = $1 and x.account_id = o.account_id and x.stage = 'won'
     and x.closed_at is not null and (x.closed_at, x.id) < (o.closed_at, o.id))`;

/** Speed to lead's end: the recorded first touch, else the first move out of `new` (history before intake). */
const FIRST_TOUCH = `coalesce(l.first_touch_at, (select min(s.changed_at) from status_changes s
   where s.workspace_id = $1 and s.record_type = 'lead' and s.record_id = l.id and s.field = 'status' and s.from_value = 'new'))`;

const FIRST_QUALIFIED = `(select min(s.changed_at) from status_changes s
   where s.workspace_id = $1 and s.record_type = 'lead' and s.record_id = l.id and s.field = 'status' and s.to_value = 'qualified')`;

/** Deals by the day their journey started: the lead's creation, or the deal's own for deals without a lead. */
const COHORT_DEALS = `cohort_deals as (
  select o.*, l.created_at as cohort_at, l.channel as lead_channel
    from leads l join opportunities o on o.workspace_id = $1 and o.lead_id = l.id
   where l.workspace_id = $1 and ${inRange('l.created_at')}
  union all
  select o.*, o.created_at, null from opportunities o
   where o.workspace_id = $1 and o.lead_id is null and ${inRange('o.created_at')})`;

const BOTH = `(values ('p'), ('c')) as v(view)`;

/** Facts as rows of (view, day, measure, rep_id, segment, source_type, channel, amount); one row is one count. */
const COUNT_FACTS = `with ${COHORT_DEALS}
select v.view, x.day, 'visitors' as measure, x.rep_id, null::text as segment, null::text as source_type, x.channel, 0::numeric as amount
  from ${BOTH}, (
    select distinct ${local('e.occurred_at')} as day, e.visitor_id, e.channel,
           (select c.rep_id from web_events c
             where c.workspace_id = $1 and c.visitor_id = e.visitor_id and c.kind = 'conversation' and c.rep_id is not null
               and ${local('c.occurred_at')} = ${local('e.occurred_at')}
             order by c.occurred_at, c.id limit 1) as rep_id
      from web_events e where e.workspace_id = $1 and e.kind = 'visit' and ${inRange('e.occurred_at')}) x
union all
select v.view, ${local('e.occurred_at')}, 'conversations', e.rep_id, null, null, e.channel, 0
  from ${BOTH}, web_events e where e.workspace_id = $1 and e.kind = 'conversation' and ${inRange('e.occurred_at')}
union all
select v.view, ${local('l.created_at')}, 'leads', l.owner_id, l.segment, l.source_type, l.channel, 0
  from ${BOTH}, leads l where l.workspace_id = $1 and ${inRange('l.created_at')}
union all
select v.view, ${local('m.occurred_at')}, 'bookings_' || m.kind, m.actor_id, a.segment, null, null, m.amount
  from ${BOTH}, arr_movements m left join accounts a on a.id = m.account_id
 where m.workspace_id = $1 and m.kind in ('new', 'expansion', 'renewal') and ${inRange('m.occurred_at')}
union all
select 'p', ${local('s.changed_at')}, 'qualified', l.owner_id, l.segment, l.source_type, l.channel, 0
  from status_changes s join leads l on l.workspace_id = $1 and l.id = s.record_id
 where s.workspace_id = $1 and s.record_type = 'lead' and s.field = 'status' and s.to_value = 'qualified' and ${inRange('s.changed_at')}
   and not exists (select 1 from status_changes e where e.workspace_id = $1 and e.record_type = 'lead' and e.record_id = s.record_id
                      and e.field = 'status' and e.to_value = 'qualified' and (e.changed_at, e.id) < (s.changed_at, s.id))
union all
select 'c', ${local('l.created_at')}, 'qualified', l.owner_id, l.segment, l.source_type, l.channel, 0
  from leads l where l.workspace_id = $1 and ${inRange('l.created_at')}
   and exists (select 1 from status_changes s where s.workspace_id = $1 and s.record_type = 'lead' and s.record_id = l.id
                  and s.field = 'status' and s.to_value = 'qualified')
union all
select 'p', ${local('o.created_at')}, m.measure, case m.measure when 'sourced' then o.sdr_id else o.owner_id end,
       o.segment, o.source_type, l.channel, o.amount
  from opportunities o left join leads l on l.id = o.lead_id, (values ('opportunities'), ('sourced')) as m(measure)
 where o.workspace_id = $1 and ${inRange('o.created_at')} and (m.measure = 'opportunities' or o.sdr_id is not null)
union all
select 'p', ${local('o.closed_at')}, m.measure, o.owner_id, o.segment, o.source_type, l.channel, o.amount
  from opportunities o left join leads l on l.id = o.lead_id, (values ('customers'), ('lost'), ('new_logos')) as m(measure)
 where o.workspace_id = $1 and o.closed_at is not null and ${inRange('o.closed_at')}
   and case m.measure when 'customers' then o.stage = 'won' when 'lost' then o.stage = 'lost' else o.stage = 'won' and ${NEW_LOGO} end
union all
select 'c', ${local('o.cohort_at')}, m.measure, case m.measure when 'sourced' then o.sdr_id else o.owner_id end,
       o.segment, o.source_type, o.lead_channel, o.amount
  from cohort_deals o, (values ('opportunities'), ('sourced'), ('customers'), ('lost'), ('new_logos')) as m(measure)
 where case m.measure when 'opportunities' then true when 'sourced' then o.sdr_id is not null
         when 'customers' then o.stage = 'won' when 'lost' then o.stage = 'lost' else o.stage = 'won' and ${NEW_LOGO} end`;

/** Bucket of a duration in seconds: whole hours under a day (0-23), whole days above (24 = 1 day). */
export const BUCKET_SQL = (secs: string) =>
  `(case when ${secs} < 86400 then floor(greatest(${secs}, 0) / 3600) else 23 + least(floor(${secs} / 86400), 3650) end)::smallint`;

const secs = (from: string, to: string) => `extract(epoch from (${to} - ${from}))`;

/** Durations as rows of (view, day, transition, rep_id, segment, source_type, channel, seconds). */
const DURATION_FACTS = `with ${COHORT_DEALS},
touched as (
  select l.*, ${FIRST_TOUCH} as touched_at, ${FIRST_QUALIFIED} as qualified_at
    from leads l where l.workspace_id = $1 and ${inRange('l.created_at')}
)
select v.view, ${local('l.created_at')} as day, 'speed_to_lead' as transition, l.owner_id as rep_id, l.segment, l.source_type, l.channel,
       ${secs('l.created_at', 'l.touched_at')} as secs
  from ${BOTH}, touched l where l.touched_at is not null
union all
select 'c', ${local('l.created_at')}, 'lead_to_qualified', l.owner_id, l.segment, l.source_type, l.channel, ${secs('l.created_at', 'l.qualified_at')}
  from touched l where l.qualified_at is not null
union all
select 'p', ${local('s.changed_at')}, 'lead_to_qualified', l.owner_id, l.segment, l.source_type, l.channel, ${secs('l.created_at', 's.changed_at')}
  from status_changes s join leads l on l.workspace_id = $1 and l.id = s.record_id
 where s.workspace_id = $1 and s.record_type = 'lead' and s.field = 'status' and s.to_value = 'qualified' and ${inRange('s.changed_at')}
   and not exists (select 1 from status_changes e where e.workspace_id = $1 and e.record_type = 'lead' and e.record_id = s.record_id
                      and e.field = 'status' and e.to_value = 'qualified' and (e.changed_at, e.id) < (s.changed_at, s.id))
union all
select 'c', ${local('o.cohort_at')}, 'lead_to_opportunity', l.owner_id, l.segment, l.source_type, l.channel, ${secs('l.created_at', 'o.created_at')}
  from cohort_deals o join leads l on l.id = o.lead_id
union all
select 'p', ${local('o.created_at')}, 'lead_to_opportunity', l.owner_id, l.segment, l.source_type, l.channel, ${secs('l.created_at', 'o.created_at')}
  from opportunities o join leads l on l.id = o.lead_id where o.workspace_id = $1 and ${inRange('o.created_at')}
union all
select 'c', ${local('o.cohort_at')}, 'opportunity_to_customer', o.owner_id, o.segment, o.source_type, o.lead_channel, ${secs('o.created_at', 'o.closed_at')}
  from cohort_deals o where o.stage = 'won' and o.closed_at is not null
union all
select 'p', ${local('o.closed_at')}, 'opportunity_to_customer', o.owner_id, o.segment, o.source_type, l.channel, ${secs('o.created_at', 'o.closed_at')}
  from opportunities o left join leads l on l.id = o.lead_id
 where o.workspace_id = $1 and o.stage = 'won' and o.closed_at is not null and ${inRange('o.closed_at')}`;

export const INSERT_DAILY_COUNTS = `insert into analytics_counts (workspace_id, view, grain, day, measure, rep_id, segment, source_type, channel, n, amount)
select $1, f.view, 'd', f.day, f.measure, f.rep_id, f.segment, f.source_type, f.channel, count(*), coalesce(sum(f.amount), 0)
  from (${COUNT_FACTS}) f
 where f.day = any($2::date[])
 group by f.view, f.day, f.measure, f.rep_id, f.segment, f.source_type, f.channel`;

export const INSERT_DAILY_DURATIONS = `insert into analytics_durations (workspace_id, view, grain, day, transition, rep_id, segment, source_type, channel, bucket, n)
select $1, f.view, 'd', f.day, f.transition, f.rep_id, f.segment, f.source_type, f.channel, ${BUCKET_SQL('f.secs')}, count(*)
  from (${DURATION_FACTS}) f
 where f.day = any($2::date[])
 group by 2, 4, 5, 6, 7, 8, 9, 10`;

/**
 * The monthly grain is the sum of the daily one: recomputed for each month that holds a recomputed day.
 * $2 the months (first days), $3/$4 the first and the day after the last day of those months.
 */
export const INSERT_MONTHLY_COUNTS = `insert into analytics_counts (workspace_id, view, grain, day, measure, rep_id, segment, source_type, channel, n, amount)
select workspace_id, view, 'm', date_trunc('month', day)::date, measure, rep_id, segment, source_type, channel, sum(n), sum(amount)
  from analytics_counts
 where workspace_id = $1 and grain = 'd' and view = any('{p,c}') and day >= $3 and day < $4
   and date_trunc('month', day)::date = any($2::date[])
 group by 1, 2, 4, 5, 6, 7, 8, 9`;

export const INSERT_MONTHLY_DURATIONS = `insert into analytics_durations (workspace_id, view, grain, day, transition, rep_id, segment, source_type, channel, bucket, n)
select workspace_id, view, 'm', date_trunc('month', day)::date, transition, rep_id, segment, source_type, channel, bucket, sum(n)
  from analytics_durations
 where workspace_id = $1 and grain = 'd' and view = any('{p,c}') and day >= $3 and day < $4
   and date_trunc('month', day)::date = any($2::date[])
 group by 1, 2, 4, 5, 6, 7, 8, 9, 10`;
