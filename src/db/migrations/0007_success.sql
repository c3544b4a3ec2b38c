-- Customer success (issue 5): the tables other modules read (health, compensation, retention, the demo).
-- Module-internal tables live in later migrations: 0008 milestone progress, 0009 health and signals, 0010 surveys.

-- Seats bought, for "seats used vs bought" (health) and "seat use above 90%" (expansion signal). Null: not sold per seat.
alter table subscriptions add column seats integer check (seats is null or seats > 0);

-- Product usage events. message_id makes ingestion idempotent. account_key is what the sender gave (an account
-- id or external id); account_id stays null while that key matches no account: the event is kept and reported,
-- and linked when an account with that key appears.
create table usage_events (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces(id) on delete cascade,
  message_id text not null,
  account_id uuid references accounts(id) on delete set null,
  account_key text not null,
  user_key text,
  name text not null,
  properties jsonb not null default '{}',
  occurred_at timestamptz not null,
  received_at timestamptz not null default now(),
  unique (workspace_id, message_id)
);
create index usage_events_account on usage_events (workspace_id, account_id, occurred_at);
create index usage_events_unmatched on usage_events (workspace_id, account_key) where account_id is null;

-- Aha milestones as data. rule = { "all": [ { label, event: [names] (empty: any), measure: count | distinct_users |
-- distinct_values | distinct_events, property?, atLeast } ] } (validated by milestones.schema.ts). plan: the
-- subscription plan it applies to; null applies to accounts whose plan has no milestone of its own.
create table milestones (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  name text not null,
  plan text,
  template text,
  rule jsonb not null,
  window_days integer not null default 60 check (window_days between 1 and 730),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, name)
);
create unique index milestones_one_per_plan on milestones (workspace_id, coalesce(plan, '')) where active;

-- Each customer account's state for its milestone. The window opens when its first deal is won (closed_at of
-- opportunity_id; the subscription start for customers without a deal) and lasts window_days.
-- reached_at is the event time of the event that crossed the line (crossing_event_id); decided_at is when
-- Revline learned the outcome (compensation releases holds in the period that learned it).
create table account_milestones (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  account_id uuid not null references accounts(id) on delete cascade,
  milestone_id uuid not null references milestones(id) on delete cascade,
  opportunity_id uuid references opportunities(id) on delete set null,
  window_start timestamptz not null,
  window_end timestamptz not null,
  status text not null default 'pending' check (status in ('pending', 'reached', 'missed')),
  reached_at timestamptz,
  crossing_event_id bigint,
  -- per condition, in rule order: [{ "label": ..., "value": n, "target": n }]
  progress jsonb not null default '[]',
  decided_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (account_id, milestone_id)
);
create index account_milestones_status on account_milestones (workspace_id, status, window_end);

-- Every change of an account's milestone status (pending -> reached, pending -> missed, a late event turning
-- missed into reached, or a recomputation moving reached_at): compensation and the audit read this.
create table account_milestone_changes (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces(id) on delete cascade,
  account_id uuid not null references accounts(id) on delete cascade,
  milestone_id uuid not null references milestones(id) on delete cascade,
  from_status text,
  to_status text not null,
  reached_at timestamptz,
  crossing_event_id bigint,
  changed_at timestamptz not null default now()
);
create index account_milestone_changes_account on account_milestone_changes (workspace_id, account_id, changed_at);

-- Buyer surveys: one per won deal, sent send_at (close + 90 days by default). rep_id is the deal owner at close,
-- the rep the buyer rates. The rating lives here (on the deal) and rep scores are aggregates of it.
create table buyer_surveys (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  opportunity_id uuid not null references opportunities(id) on delete cascade,
  account_id uuid references accounts(id) on delete set null,
  rep_id uuid references users(id) on delete set null,
  contact_id uuid references contacts(id) on delete set null,
  buyer_email text,
  status text not null default 'scheduled'
    check (status in ('scheduled', 'sent', 'reminded', 'rated', 'unsubscribed', 'skipped')),
  send_at timestamptz not null,
  sent_at timestamptz,
  reminded_at timestamptz,
  rating smallint check (rating between 1 and 5),
  rated_at timestamptz,
  comment text,
  skip_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (opportunity_id),
  check ((rating is null) = (rated_at is null))
);
create index buyer_surveys_due on buyer_surveys (status, send_at);
create index buyer_surveys_rep on buyer_surveys (workspace_id, rep_id, rated_at);
