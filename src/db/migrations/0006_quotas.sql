-- Quotas per rep, metric and period (issue 6). Periods are local dates in the workspace timezone:
-- period_start is the first day of the month, quarter or year and period_end its last day, stored so overlap
-- checks and range reads need no date arithmetic in SQL.
create table quotas (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  metric text not null check (metric in ('new_arr', 'accepted_leads', 'pipeline_created', 'expansion_arr', 'grr')),
  period_kind text not null check (period_kind in ('month', 'quarter', 'year')),
  period_start date not null,
  period_end date not null,
  amount numeric(14,2) not null check (amount > 0),
  note text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (period_end >= period_start),
  unique (workspace_id, user_id, metric, period_kind, period_start)
);
create index quotas_range on quotas (workspace_id, period_start, period_end);

-- The ramp of new hires: percent of quota in their 1st, 2nd... month (the last step is 100 and holds after).
-- No row means the default 25/50/75/100.
create table quota_settings (
  workspace_id uuid primary key references workspaces(id) on delete cascade,
  ramp smallint[] not null,
  updated_at timestamptz not null default now()
);

-- The day a leaver left, so their quota is prorated to the days employed (null: still employed, or unknown).
alter table users add column left_at date;
