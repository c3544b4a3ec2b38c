-- Intake throughput, second step (docs/benchmarks.md, bench:intake): fewer rows per lead, and reps' open
-- leads kept as counts instead of counted under the pool locks.

-- A lead's creation is its own row: when (created_at) and now also who (created_by, the user who took it in;
-- null for API keys, integrations and the system, like the actor of a history row). Intake no longer stores a
-- `new` status_changes row repeating them (a third of the rows and a quarter of the WAL each lead wrote): the
-- history endpoint shows "created as new" from these columns (records.repo.ts historyOf). Leads taken in
-- before this migration, and the demo's, keep their stored row; readers use it when it is there.
alter table leads add column created_by uuid references users(id) on delete set null;

-- Reps' open leads (new, working or qualified: what the capacity rule counts), kept as counts instead of
-- counted under the pool lock for every intake (which read each rep's open leads, one heap page each, in every
-- batch: 0.7 s per 100,000 leads in the bench). Statement triggers on leads append the change of each rep's
-- count (+1 for a lead entering open with them, -1 for one leaving). Writers only insert rows, so they never wait
-- on each other here, whatever order they touch reps in (a counter row updated in place would be held to commit
-- and could deadlock an intake against a status change or a merge). A rep's count is the sum of their rows;
-- foldOpenCounts (pools.repo.ts) replaces a workspace's rows by one per rep now and then, one fold at a time.
create table lead_open_counts (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  n integer not null
);
create index lead_open_counts_user on lead_open_counts (workspace_id, user_id);

insert into lead_open_counts (workspace_id, user_id, n)
select workspace_id, owner_id, count(*) from leads
 where owner_id is not null and status in ('new', 'working', 'qualified')
 group by workspace_id, owner_id;

-- The triggers' changes, from a statement's transition tables. Leads entering open count +1 for their owner, leads
-- leaving -1; an update passes each row as both (unchanged ones cancel out). A rep or workspace deleted by the
-- same statement's cascade (owner set null, leads deleted) is left out: its rows go with it.
create function lead_open_counts_inserted() returns trigger language plpgsql as $$
begin
  insert into lead_open_counts (workspace_id, user_id, n)
  select n.workspace_id, n.owner_id, count(*)
    from new_rows n
   where n.owner_id is not null and n.status in ('new', 'working', 'qualified')
   group by n.workspace_id, n.owner_id;
  return null;
end $$;

create function lead_open_counts_updated() returns trigger language plpgsql as $$
begin
  insert into lead_open_counts (workspace_id, user_id, n)
  select c.workspace_id, c.owner_id, sum(c.n)
    from (select n.workspace_id, n.owner_id, 1 as n from new_rows n
           where n.owner_id is not null and n.status in ('new', 'working', 'qualified')
          union all
          select o.workspace_id, o.owner_id, -1 from old_rows o
           where o.owner_id is not null and o.status in ('new', 'working', 'qualified')) c
   where exists (select 1 from users u where u.id = c.owner_id)
     and exists (select 1 from workspaces w where w.id = c.workspace_id)
   group by c.workspace_id, c.owner_id
  having sum(c.n) <> 0;
  return null;
end $$;

create function lead_open_counts_deleted() returns trigger language plpgsql as $$
begin
  insert into lead_open_counts (workspace_id, user_id, n)
  select o.workspace_id, o.owner_id, -count(*)
    from old_rows o
   where o.owner_id is not null and o.status in ('new', 'working', 'qualified')
     and exists (select 1 from users u where u.id = o.owner_id)
     and exists (select 1 from workspaces w where w.id = o.workspace_id)
   group by o.workspace_id, o.owner_id;
  return null;
end $$;

create function lead_open_counts_truncated() returns trigger language plpgsql as $$
begin
  delete from lead_open_counts;
  return null;
end $$;

create trigger lead_open_counts_ins after insert on leads referencing new table as new_rows
  for each statement execute function lead_open_counts_inserted();
create trigger lead_open_counts_upd after update on leads referencing old table as old_rows new table as new_rows
  for each statement execute function lead_open_counts_updated();
create trigger lead_open_counts_del after delete on leads referencing old table as old_rows
  for each statement execute function lead_open_counts_deleted();
create trigger lead_open_counts_trunc after truncate on leads
  for each statement execute function lead_open_counts_truncated();
-- Counts must follow every write, bulk loads included: the demo's bulk load runs with
-- session_replication_role = replica (foreign-key checks off), where ordinary triggers do not fire.
alter table leads enable always trigger lead_open_counts_ins;
alter table leads enable always trigger lead_open_counts_upd;
alter table leads enable always trigger lead_open_counts_del;
alter table leads enable always trigger lead_open_counts_trunc;
