-- Compensation (issue 7, part 1): plan documents, assignments, credit splits, periods, runs and the ledger.
-- Rules and formats: docs/compensation.md. The engine is src/modules/comp/*.core.ts.

-- Plans are versioned documents. A draft is edited freely; a published version is immutable and in force from
-- effective_from to effective_to (inclusive local dates, null: open-ended). Publishing a later version ends the one
-- before it the day before; two published versions of a key never overlap (checked by the service under the
-- workspace's comp lock, since an exclusion constraint would need btree_gist, which PGlite does not load).
create table comp_plans (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  key text not null,
  version integer not null check (version > 0),
  name text not null,
  status text not null default 'draft' check (status in ('draft', 'published')),
  effective_from date,
  effective_to date,
  document jsonb not null,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_by uuid references users(id) on delete set null,
  published_at timestamptz,
  unique (workspace_id, key, version),
  check (status = 'draft' or effective_from is not null),
  check (effective_to is null or effective_to >= effective_from)
);

-- Who is paid on which plan, at which level, from when to when (inclusive local dates). One plan per person at a
-- time: overlapping assignments are refused by the service (same lock as above).
create table comp_assignments (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  plan_key text not null,
  level smallint not null check (level between 1 and 20),
  starts_on date not null,
  ends_on date,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  check (ends_on is null or ends_on >= starts_on)
);
create index comp_assignments_user on comp_assignments (workspace_id, user_id, starts_on);

-- Credit splits of a deal by percentage. Without rows the owner at close gets 100% AE credit and the sourcing SDR
-- 100% SDR credit; with rows for a role, they replace that default (and add up to 100).
create table comp_credit_splits (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  opportunity_id uuid not null references opportunities(id) on delete cascade,
  role text not null check (role in ('ae', 'sdr')),
  user_id uuid not null references users(id) on delete cascade,
  percent numeric(5,2) not null check (percent > 0 and percent <= 100),
  primary key (opportunity_id, role, user_id)
);
create index comp_credit_splits_ws on comp_credit_splits (workspace_id);

-- A run computes the ledger from the facts and writes, in one transaction, every open month up to the period asked.
-- Failed runs are recorded (a killed one leaves no row: its transaction never committed).
create table comp_runs (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  period text not null,
  first_month date,
  last_month date,
  status text not null check (status in ('done', 'failed')),
  forced boolean not null default false,
  fingerprint text,
  months_written integer not null default 0,
  months_unchanged integer not null default 0,
  lines_written integer not null default 0,
  error text,
  actor_type text not null check (actor_type in ('user', 'api_key', 'system')),
  actor_id uuid,
  started_at timestamptz not null,
  finished_at timestamptz not null default now()
);
create index comp_runs_time on comp_runs (workspace_id, started_at desc);

-- One row per month (its first day, a local date in the workspace timezone) the ledger has touched. run_id is the
-- run whose lines are the month's current ones; fingerprint hashes them, so a run that computes the same lines
-- writes nothing. Months up to the last closed one are closed (closing goes in order).
create table comp_periods (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  period date not null check (extract(day from period) = 1),
  status text not null default 'open' check (status in ('open', 'closed')),
  run_id uuid references comp_runs(id),
  fingerprint text,
  closed_at timestamptz,
  closed_by uuid references users(id) on delete set null,
  primary key (workspace_id, period),
  check ((status = 'closed') = (closed_at is not null))
);

-- The ledger: append-only. A month's current lines are those of its comp_periods.run_id plus manual adjustments
-- (run_id null); lines of earlier runs stay as the record of what was shown before. line_key names what a line is
-- about (e.g. hold:new-arr:opp:<id>) so a later run can tell a correction from a new fact.
create table comp_ledger (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces(id) on delete cascade,
  run_id uuid references comp_runs(id),
  period date not null,
  event_period date,
  user_id uuid not null references users(id),
  kind text not null
    check (kind in ('earning', 'hold', 'release', 'forfeit', 'clawback', 'adjustment', 'draw', 'draw_recovery')),
  line_key text not null,
  component text not null,
  rule text not null,
  plan_key text,
  plan_version integer,
  opportunity_id uuid,
  account_id uuid,
  lead_id uuid,
  amount numeric(14,2) not null,
  event_at timestamptz not null,
  inputs jsonb not null default '{}',
  arithmetic text not null,
  reason text,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  check (run_id is not null or (kind = 'adjustment' and reason is not null))
);
create index comp_ledger_period on comp_ledger (workspace_id, period, user_id);

create function comp_ledger_append_only() returns trigger language plpgsql as $$
begin
  -- Deleting a workspace takes its ledger along: the foreign key's cascade runs as a nested trigger.
  if tg_op = 'DELETE' and pg_trigger_depth() > 1 then
    return old;
  end if;
  raise exception 'comp_ledger is append-only: % refused (book an adjustment instead)', lower(tg_op);
end
$$;
create trigger comp_ledger_no_change before update or delete on comp_ledger
  for each row execute function comp_ledger_append_only();
create trigger comp_ledger_no_truncate before truncate on comp_ledger
  for each statement execute function comp_ledger_append_only();
