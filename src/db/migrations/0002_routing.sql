-- Lead intake, qualification, routing and the SDR-to-AE handoff.

create table routing_settings (
  workspace_id uuid primary key references workspaces(id) on delete cascade,
  fallback_queue text not null default 'triage',
  channel_rules jsonb not null,
  business_calendar jsonb not null,
  first_touch_sla_minutes integer not null default 60,
  handoff_sla_minutes integer not null default 240,
  -- a warning goes out when this share of the SLA has elapsed
  sla_warning_percent integer not null default 75 check (sla_warning_percent between 1 and 99),
  web_form_key text not null unique,
  webhook_url text,
  updated_at timestamptz not null default now()
);

create table routing_rules (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  stage text not null default 'intake' check (stage in ('intake', 'handoff')),
  position integer not null,
  name text not null,
  enabled boolean not null default true,
  conditions jsonb not null default '{}',
  action jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index routing_rules_order on routing_rules (workspace_id, stage, position);

-- Round-robin counters per pool and rep; updated under a per-pool transaction lock.
create table routing_pool_counters (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  pool_key text not null,
  user_id uuid not null references users(id) on delete cascade,
  assigned integer not null default 0,
  primary key (workspace_id, pool_key, user_id)
);

-- Every routing decision, with the rule that matched and the explanation.
create table lead_assignments (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces(id) on delete cascade,
  lead_id uuid not null references leads(id) on delete cascade,
  purpose text not null check (purpose in ('intake', 'handoff', 'escalation', 'manual')),
  user_id uuid references users(id) on delete set null,
  queue text,
  rule_id uuid,
  pool_key text,
  explanation jsonb not null default '[]',
  assigned_at timestamptz not null default now()
);
create index lead_assignments_lead on lead_assignments (workspace_id, lead_id, assigned_at);

alter table leads add column direction text check (direction in ('inbound', 'outbound'));
alter table leads add column queue text;
alter table leads add column score integer;
alter table leads add column qualified boolean;
alter table leads add column first_touch_at timestamptz;
alter table leads add column first_touch_due_at timestamptz;
alter table leads add column duplicate_of uuid references leads(id) on delete set null;
alter table leads add column needs_review boolean not null default false;
create index leads_queue on leads (workspace_id, queue) where queue is not null;
create index leads_review on leads (workspace_id) where needs_review;

create table scorecards (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  segment text not null check (segment in ('ESB', 'SMB', 'MME')),
  threshold integer not null,
  criteria jsonb not null,
  updated_by uuid references users(id) on delete set null,
  updated_at timestamptz not null default now(),
  primary key (workspace_id, segment)
);

-- Every scorecard fill-in is kept; the latest one is the lead's current qualification.
create table lead_qualifications (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces(id) on delete cascade,
  lead_id uuid not null references leads(id) on delete cascade,
  segment text not null,
  answers jsonb not null,
  score integer not null,
  max_score integer not null,
  threshold integer not null,
  qualified boolean not null,
  reasons jsonb not null,
  actor_id uuid references users(id) on delete set null,
  created_at timestamptz not null default now()
);
create index lead_qualifications_lead on lead_qualifications (workspace_id, lead_id, id desc);

create table handoffs (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  lead_id uuid not null references leads(id) on delete cascade,
  opportunity_id uuid references opportunities(id) on delete set null,
  sdr_id uuid references users(id) on delete set null,
  ae_id uuid references users(id) on delete set null,
  status text not null default 'pending' check (status in ('pending', 'accepted', 'sent_back', 'escalated')),
  handed_at timestamptz not null,
  warn_at timestamptz not null,
  due_at timestamptz not null,
  warned_at timestamptz,
  accepted_at timestamptz,
  closed_at timestamptz,
  sent_back_reason text,
  escalated_from uuid references handoffs(id) on delete set null,
  created_at timestamptz not null default now()
);
create index handoffs_ae on handoffs (workspace_id, ae_id, status);
create index handoffs_lead on handoffs (workspace_id, lead_id);
create unique index handoffs_one_pending on handoffs (lead_id) where status = 'pending';

create table notifications (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  kind text not null,
  title text not null,
  body text,
  record_type text,
  record_id uuid,
  read_at timestamptz,
  created_at timestamptz not null default now()
);
create index notifications_user on notifications (workspace_id, user_id, id desc);

-- Idempotency-Key replays: the same key returns the first response instead of writing again.
create table idempotency_keys (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  key text not null,
  request_hash text not null,
  status_code integer not null,
  response jsonb not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, key)
);
