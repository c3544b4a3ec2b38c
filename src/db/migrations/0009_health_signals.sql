-- Health score, churn and expansion signals, success tasks (issue 5, parts 3 and 4). docs/health-and-signals.md.

-- Per workspace: factor weights, band thresholds, signal thresholds, renewal probabilities by band, event names.
-- One jsonb document validated by health.schema.ts; no row means the defaults of health.core.ts.
create table health_settings (
  workspace_id uuid primary key references workspaces(id) on delete cascade,
  settings jsonb not null,
  updated_at timestamptz not null default now()
);

-- One score per customer account and local day (workspace time zone); recomputing a day replaces its row.
-- factors: [{ factor, score (null: no data), weight, share, points, detail }] in health.core.ts FACTORS order.
create table account_health (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  account_id uuid not null references accounts(id) on delete cascade,
  day date not null,
  score smallint not null check (score between 0 and 100),
  band text not null check (band in ('healthy', 'at_risk', 'critical')),
  factors jsonb not null,
  computed_at timestamptz not null default now(),
  primary key (account_id, day)
);
create index account_health_day on account_health (workspace_id, day);

-- Work for the account's CSM (or owner) raised by a signal. dedupe_key is kind:account: the partial unique index
-- keeps one open task per account and kind, so detection is idempotent and concurrent detections insert once.
create table success_tasks (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  account_id uuid not null references accounts(id) on delete cascade,
  assignee_id uuid references users(id) on delete set null,
  kind text not null check (kind in (
    'churn_risk.health_drop', 'churn_risk.usage_decline', 'churn_risk.milestone_missed',
    'expansion.seats', 'expansion.new_team', 'expansion.plan_limit')),
  title text not null,
  detail text,
  due_at timestamptz not null,
  status text not null default 'open' check (status in ('open', 'done', 'dismissed')),
  dedupe_key text not null,
  created_at timestamptz not null default now(),
  done_at timestamptz,
  done_by uuid references users(id) on delete set null,
  check ((status = 'open') = (done_at is null))
);
create unique index success_tasks_one_open on success_tasks (workspace_id, dedupe_key) where status = 'open';
create index success_tasks_assignee on success_tasks (workspace_id, assignee_id, status, due_at);
create index success_tasks_account on success_tasks (account_id, created_at);
create index success_tasks_closed on success_tasks (workspace_id, dedupe_key, done_at) where status <> 'open';
