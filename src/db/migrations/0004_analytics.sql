-- Funnel analytics rollups (issue 4). See docs/metrics.md for every definition.
--
-- The base tables stay the truth. Statement-level triggers record which local days (workspace timezone) a write
-- may have changed in analytics_dirty_days; src/modules/analytics/rollup.repo.ts recomputes exactly those days
-- (daily grain) and the months that contain them (monthly grain) from the base tables. Reports read the rollups
-- and refresh any dirty days first, so they are never stale and never rescan history.

-- An append-only log, deliberately without a unique key: concurrent writers never wait on each other's marks
-- (an upsert would make two transactions marking the same days in different orders deadlock). The refresher
-- takes every row of a workspace and recomputes each distinct day once.
create table analytics_dirty_days (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  day date not null
);
create index analytics_dirty_days_workspace on analytics_dirty_days (workspace_id);

-- Counts and amounts per day (grain 'd') or month (grain 'm', day = first of the month), per view
-- ('p' period: dated by the event; 'c' cohort: dated by the day the journey's lead was created).
create table analytics_counts (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  view char(1) not null check (view in ('p', 'c')),
  grain char(1) not null check (grain in ('d', 'm')),
  day date not null,
  measure text not null,
  rep_id uuid,
  segment text,
  source_type text,
  channel text,
  n integer not null,
  amount numeric(16, 2) not null default 0
);
create index analytics_counts_day on analytics_counts (workspace_id, grain, view, day);

-- Durations between funnel stages as histograms: bucket 0-23 = whole hours under a day, 24+ = whole days + 23.
create table analytics_durations (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  view char(1) not null check (view in ('p', 'c')),
  grain char(1) not null check (grain in ('d', 'm')),
  day date not null,
  transition text not null,
  rep_id uuid,
  segment text,
  source_type text,
  channel text,
  bucket smallint not null,
  n integer not null
);
create index analytics_durations_day on analytics_durations (workspace_id, grain, view, day);

-- Lookups the recomputation needs.
create index opportunities_created on opportunities (workspace_id, created_at);
create index opportunities_closed on opportunities (workspace_id, closed_at) where closed_at is not null;
create index opportunities_lead on opportunities (workspace_id, lead_id) where lead_id is not null;
create index web_events_visitor on web_events (workspace_id, visitor_id);

-- Marks every local day a lead's or opportunity's journey touches: the lead's creation, its status changes,
-- its opportunities' creation and close, their stage changes, and the closes of other won deals of the same
-- account (whether a win is a new logo depends on them). Used when existing rows change (owner, dates,
-- corrections), where any of those days may hold a now-wrong fact.
create function analytics_mark_journeys(lead_ids uuid[], opp_ids uuid[]) returns void
language sql as $$
  with o as (
    select o.id, o.workspace_id, o.lead_id, o.account_id, o.created_at, o.closed_at from opportunities o
     where o.id = any(opp_ids)
    union
    select o.id, o.workspace_id, o.lead_id, o.account_id, o.created_at, o.closed_at from opportunities o
      join leads l on l.workspace_id = o.workspace_id and o.lead_id = l.id
     where l.id = any(lead_ids)
  ),
  l as (
    select l.id, l.workspace_id, l.created_at from leads l where l.id = any(lead_ids)
    union
    select l.id, l.workspace_id, l.created_at from leads l join o on l.id = o.lead_id
  ),
  times as (
    select workspace_id, created_at as t from l
    union all select workspace_id, created_at from o
    union all select workspace_id, closed_at from o where closed_at is not null
    union all select s.workspace_id, s.changed_at from status_changes s join l
        on s.workspace_id = l.workspace_id and s.record_type = 'lead' and s.record_id = l.id
    union all select s.workspace_id, s.changed_at from status_changes s join o
        on s.workspace_id = o.workspace_id and s.record_type = 'opportunity' and s.record_id = o.id
    union all select x.workspace_id, x.closed_at from opportunities x join o
        on x.workspace_id = o.workspace_id and x.account_id = o.account_id
     where x.stage = 'won' and x.closed_at is not null
  )
  insert into analytics_dirty_days (workspace_id, day)
  select distinct t.workspace_id, (t.t at time zone w.timezone)::date
    from times t join workspaces w on w.id = t.workspace_id
$$;

-- New leads: their creation day only (their status rows mark their own days).
create function analytics_leads_inserted() returns trigger language plpgsql as $$
begin
  insert into analytics_dirty_days (workspace_id, day)
  select distinct n.workspace_id, (n.created_at at time zone w.timezone)::date
    from new_rows n join workspaces w on w.id = n.workspace_id;
  return null;
end $$;

-- Changed or deleted leads: the whole journey, before and after, when a field the funnel reads changed.
create function analytics_leads_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    insert into analytics_dirty_days (workspace_id, day)
    select distinct o.workspace_id, (o.created_at at time zone w.timezone)::date
      from old_rows o join workspaces w on w.id = o.workspace_id;
    perform analytics_mark_journeys(array[]::uuid[], array(select o.opportunity_id from old_rows o where o.opportunity_id is not null));
    return null;
  end if;
  insert into analytics_dirty_days (workspace_id, day)
  select distinct o.workspace_id, (o.created_at at time zone w.timezone)::date
    from old_rows o join new_rows n on n.id = o.id join workspaces w on w.id = o.workspace_id
   where o.created_at is distinct from n.created_at;
  perform analytics_mark_journeys(
    array(select n.id from new_rows n join old_rows o on o.id = n.id
           where (n.owner_id, n.created_at, n.segment, n.source_type, n.channel, n.status, n.first_touch_at, n.opportunity_id)
                 is distinct from
                 (o.owner_id, o.created_at, o.segment, o.source_type, o.channel, o.status, o.first_touch_at, o.opportunity_id)),
    array[]::uuid[]);
  return null;
end $$;

create function analytics_opportunities_inserted() returns trigger language plpgsql as $$
begin
  perform analytics_mark_journeys(array[]::uuid[], array(select n.id from new_rows n));
  return null;
end $$;

create function analytics_opportunities_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    insert into analytics_dirty_days (workspace_id, day)
    select distinct x.workspace_id, (x.t at time zone w.timezone)::date
      from (select workspace_id, created_at as t from old_rows
            union all select workspace_id, closed_at from old_rows where closed_at is not null
            union all select o.workspace_id, l.created_at from old_rows o join leads l on l.id = o.lead_id) x
      join workspaces w on w.id = x.workspace_id;
    return null;
  end if;
  -- The old dates, which the journey of the new row no longer shows.
  insert into analytics_dirty_days (workspace_id, day)
  select distinct x.workspace_id, (x.t at time zone w.timezone)::date
    from (select o.workspace_id, o.created_at as t from old_rows o join new_rows n on n.id = o.id where o.created_at is distinct from n.created_at
          union all select o.workspace_id, o.closed_at from old_rows o join new_rows n on n.id = o.id
           where o.closed_at is not null and o.closed_at is distinct from n.closed_at
          union all select o.workspace_id, l.created_at from old_rows o join new_rows n on n.id = o.id join leads l on l.id = o.lead_id
           where o.lead_id is distinct from n.lead_id) x
    join workspaces w on w.id = x.workspace_id;
  perform analytics_mark_journeys(
    array[]::uuid[],
    array(select n.id from new_rows n join old_rows o on o.id = n.id
           where (n.owner_id, n.sdr_id, n.created_at, n.closed_at, n.stage, n.amount, n.segment, n.source_type, n.lead_id, n.account_id)
                 is distinct from
                 (o.owner_id, o.sdr_id, o.created_at, o.closed_at, o.stage, o.amount, o.segment, o.source_type, o.lead_id, o.account_id)));
  return null;
end $$;

-- A status row dates a fact on its own day and changes its record's cohort (the lead's creation day).
create function analytics_status_changes_written() returns trigger language plpgsql as $$
begin
  insert into analytics_dirty_days (workspace_id, day)
  select distinct x.workspace_id, (x.t at time zone w.timezone)::date
    from (select workspace_id, changed_at as t from new_rows
          union all select l.workspace_id, l.created_at from new_rows s
            join leads l on l.workspace_id = s.workspace_id and l.id = s.record_id where s.record_type = 'lead'
          union all select o.workspace_id, coalesce(l.created_at, o.created_at) from new_rows s
            join opportunities o on o.workspace_id = s.workspace_id and o.id = s.record_id
            left join leads l on l.id = o.lead_id
           where s.record_type = 'opportunity') x
    join workspaces w on w.id = x.workspace_id;
  return null;
end $$;

-- Corrections to history: the old rows' days and their records' journeys.
create function analytics_status_changes_corrected() returns trigger language plpgsql as $$
begin
  insert into analytics_dirty_days (workspace_id, day)
  select distinct o.workspace_id, (o.changed_at at time zone w.timezone)::date
    from old_rows o join workspaces w on w.id = o.workspace_id;
  perform analytics_mark_journeys(
    array(select record_id from old_rows where record_type = 'lead'),
    array(select record_id from old_rows where record_type = 'opportunity'));
  if tg_op = 'UPDATE' then
    insert into analytics_dirty_days (workspace_id, day)
    select distinct n.workspace_id, (n.changed_at at time zone w.timezone)::date
      from new_rows n join workspaces w on w.id = n.workspace_id;
    perform analytics_mark_journeys(
      array(select record_id from new_rows where record_type = 'lead'),
      array(select record_id from new_rows where record_type = 'opportunity'));
  end if;
  return null;
end $$;

-- Visits, conversations and ARR movements (all with occurred_at) are dated by themselves in both views.
create function analytics_dated_rows_written() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    insert into analytics_dirty_days (workspace_id, day)
    select distinct o.workspace_id, (o.occurred_at at time zone w.timezone)::date
      from old_rows o join workspaces w on w.id = o.workspace_id;
  end if;
  if tg_op in ('UPDATE', 'INSERT') then
    insert into analytics_dirty_days (workspace_id, day)
    select distinct n.workspace_id, (n.occurred_at at time zone w.timezone)::date
      from new_rows n join workspaces w on w.id = n.workspace_id;
  end if;
  return null;
end $$;

create trigger analytics_leads_ins after insert on leads referencing new table as new_rows
  for each statement execute function analytics_leads_inserted();
create trigger analytics_leads_upd after update on leads referencing old table as old_rows new table as new_rows
  for each statement execute function analytics_leads_changed();
create trigger analytics_leads_del after delete on leads referencing old table as old_rows
  for each statement execute function analytics_leads_changed();

create trigger analytics_opps_ins after insert on opportunities referencing new table as new_rows
  for each statement execute function analytics_opportunities_inserted();
create trigger analytics_opps_upd after update on opportunities referencing old table as old_rows new table as new_rows
  for each statement execute function analytics_opportunities_changed();
create trigger analytics_opps_del after delete on opportunities referencing old table as old_rows
  for each statement execute function analytics_opportunities_changed();

create trigger analytics_status_ins after insert on status_changes referencing new table as new_rows
  for each statement execute function analytics_status_changes_written();
create trigger analytics_status_upd after update on status_changes referencing old table as old_rows new table as new_rows
  for each statement execute function analytics_status_changes_corrected();
create trigger analytics_status_del after delete on status_changes referencing old table as old_rows
  for each statement execute function analytics_status_changes_corrected();

create trigger analytics_web_ins after insert on web_events referencing new table as new_rows
  for each statement execute function analytics_dated_rows_written();
create trigger analytics_web_upd after update on web_events referencing old table as old_rows new table as new_rows
  for each statement execute function analytics_dated_rows_written();
create trigger analytics_web_del after delete on web_events referencing old table as old_rows
  for each statement execute function analytics_dated_rows_written();

create trigger analytics_arr_ins after insert on arr_movements referencing new table as new_rows
  for each statement execute function analytics_dated_rows_written();
create trigger analytics_arr_upd after update on arr_movements referencing old table as old_rows new table as new_rows
  for each statement execute function analytics_dated_rows_written();
create trigger analytics_arr_del after delete on arr_movements referencing old table as old_rows
  for each statement execute function analytics_dated_rows_written();

-- Bookings are grouped by the account's segment: a new segment re-dates nothing but regroups its ARR movements.
create function analytics_accounts_changed() returns trigger language plpgsql as $$
begin
  insert into analytics_dirty_days (workspace_id, day)
  select distinct m.workspace_id, (m.occurred_at at time zone w.timezone)::date
    from old_rows o join new_rows n on n.id = o.id
    join arr_movements m on m.workspace_id = n.workspace_id and m.account_id = n.id
    join workspaces w on w.id = n.workspace_id
   where o.segment is distinct from n.segment;
  return null;
end $$;
create trigger analytics_accounts_upd after update on accounts referencing old table as old_rows new table as new_rows
  for each statement execute function analytics_accounts_changed();
create index arr_movements_account on arr_movements (workspace_id, account_id);

-- Every day that holds any fact of a workspace: after a bulk load that skipped the triggers, or a new timezone.
create function analytics_mark_all(ws uuid) returns void
language sql as $$
  with bounds as (
    select min(t) as lo, max(t) as hi from (
      select min(created_at) as t from leads where workspace_id = ws
      union all select max(created_at) from leads where workspace_id = ws
      union all select min(created_at) from opportunities where workspace_id = ws
      union all select max(coalesce(closed_at, created_at)) from opportunities where workspace_id = ws
      union all select min(changed_at) from status_changes where workspace_id = ws
      union all select max(changed_at) from status_changes where workspace_id = ws
      union all select min(occurred_at) from web_events where workspace_id = ws
      union all select max(occurred_at) from web_events where workspace_id = ws
      union all select min(occurred_at) from arr_movements where workspace_id = ws
      union all select max(occurred_at) from arr_movements where workspace_id = ws) x
  )
  insert into analytics_dirty_days (workspace_id, day)
  select ws, d::date
    from bounds, workspaces w,
         generate_series((bounds.lo at time zone w.timezone)::date, (bounds.hi at time zone w.timezone)::date, interval '1 day') d
   where w.id = ws and bounds.lo is not null
$$;

create function analytics_timezone_changed() returns trigger language plpgsql as $$
begin
  delete from analytics_counts c using new_rows n join old_rows o on o.id = n.id
   where c.workspace_id = n.id and o.timezone is distinct from n.timezone;
  delete from analytics_durations c using new_rows n join old_rows o on o.id = n.id
   where c.workspace_id = n.id and o.timezone is distinct from n.timezone;
  delete from analytics_dirty_days c using new_rows n join old_rows o on o.id = n.id
   where c.workspace_id = n.id and o.timezone is distinct from n.timezone;
  perform analytics_mark_all(n.id) from new_rows n join old_rows o on o.id = n.id where o.timezone is distinct from n.timezone;
  return null;
end $$;
create trigger analytics_workspace_tz after update on workspaces referencing old table as old_rows new table as new_rows
  for each statement execute function analytics_timezone_changed();
