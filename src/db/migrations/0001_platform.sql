-- Revline platform: organisation, auth, CRM core, history, audit, jobs.
-- Every tenant table carries workspace_id (also the future sharding key).

create table workspaces (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  slug text not null unique,
  timezone text not null default 'UTC',
  currency char(3) not null default 'USD',
  -- opportunity stages in order; the last two are always the closed ones
  opportunity_stages text[] not null default array['discovery','trial','proposal','negotiation','won','lost'],
  is_demo boolean not null default false,
  created_at timestamptz not null default now()
);

create table segments (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  code text not null check (code in ('ESB','SMB','MME')),
  name text not null,
  -- a lead falls in the segment when employees <= max_employees (or expected ARR <= max_arr); null = no upper bound
  max_employees integer,
  max_arr numeric(14,2),
  position smallint not null,
  primary key (workspace_id, code)
);

create table teams (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  name text not null,
  manager_id uuid,
  created_at timestamptz not null default now(),
  unique (workspace_id, name)
);

create table users (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  email text not null,
  name text not null,
  password_hash text,
  roles text[] not null,
  team_id uuid references teams(id) on delete set null,
  segments text[] not null default '{}',
  hire_date date,
  level smallint not null default 1,
  capacity integer not null default 100,
  out_of_office_until timestamptz,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, email)
);
create index users_team on users (workspace_id, team_id);
alter table teams add constraint teams_manager_fk foreign key (manager_id) references users(id) on delete set null;

create table sessions (
  id text primary key, -- sha256 of the cookie token; the token itself is never stored
  workspace_id uuid not null references workspaces(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  csrf_token text not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index sessions_user on sessions (user_id);

create table api_keys (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  name text not null,
  prefix text not null unique,
  key_hash text not null,
  permissions text[] not null,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

create table accounts (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  external_id text,
  name text not null,
  domain text,
  domain_normalized text,
  employees integer,
  industry text,
  country text,
  segment text,
  owner_id uuid references users(id) on delete set null,
  csm_id uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, external_id)
);
create unique index accounts_domain on accounts (workspace_id, domain_normalized) where domain_normalized is not null;
create index accounts_owner on accounts (workspace_id, owner_id);
create index accounts_csm on accounts (workspace_id, csm_id);

create table contacts (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  external_id text,
  account_id uuid references accounts(id) on delete set null,
  first_name text,
  last_name text,
  email text,
  email_normalized text,
  title text,
  phone text,
  owner_id uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, external_id)
);
create index contacts_account on contacts (workspace_id, account_id);
create index contacts_email on contacts (workspace_id, email_normalized);
create index contacts_owner on contacts (workspace_id, owner_id);

create table leads (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  external_id text,
  email text,
  email_normalized text,
  first_name text,
  last_name text,
  company text,
  domain text,
  title text,
  phone text,
  employees integer,
  expected_arr numeric(14,2),
  country text,
  source_type text not null check (source_type in ('seed','net','spear')),
  channel text not null,
  status text not null default 'new' check (status in ('new','working','qualified','handed_off','converted','disqualified')),
  disqualify_reason text,
  segment text,
  owner_id uuid references users(id) on delete set null,
  account_id uuid references accounts(id) on delete set null,
  contact_id uuid references contacts(id) on delete set null,
  opportunity_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, external_id)
);
create index leads_created on leads (workspace_id, created_at desc, id desc);
create index leads_owner on leads (workspace_id, owner_id, created_at desc, id desc);
create index leads_status on leads (workspace_id, status, created_at desc, id desc);
create index leads_email on leads (workspace_id, email_normalized);

create table opportunities (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  external_id text,
  name text not null,
  account_id uuid references accounts(id) on delete set null,
  contact_id uuid references contacts(id) on delete set null,
  lead_id uuid references leads(id) on delete set null,
  stage text not null,
  lost_reason text,
  amount numeric(14,2) not null default 0,
  close_date date,
  owner_id uuid references users(id) on delete set null,
  sdr_id uuid references users(id) on delete set null,
  segment text,
  source_type text check (source_type in ('seed','net','spear')),
  closed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, external_id)
);
alter table leads add constraint leads_opportunity_fk foreign key (opportunity_id) references opportunities(id) on delete set null;
create index opportunities_owner on opportunities (workspace_id, owner_id, stage);
create index opportunities_stage on opportunities (workspace_id, stage, created_at desc, id desc);
create index opportunities_account on opportunities (workspace_id, account_id);

create table subscriptions (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  external_id text,
  account_id uuid not null references accounts(id) on delete cascade,
  opportunity_id uuid references opportunities(id) on delete set null,
  plan text,
  arr numeric(14,2) not null,
  start_date date not null,
  renewal_date date,
  status text not null default 'active' check (status in ('trialing','active','churned','cancelled')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, external_id)
);
create index subscriptions_account on subscriptions (workspace_id, account_id);
create index subscriptions_renewal on subscriptions (workspace_id, renewal_date);

-- ARR movements: new, expansion, contraction, churn, renewal (retention and comp read these)
create table arr_movements (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces(id) on delete cascade,
  subscription_id uuid not null references subscriptions(id) on delete cascade,
  account_id uuid not null references accounts(id) on delete cascade,
  kind text not null check (kind in ('new','expansion','contraction','churn','renewal')),
  amount numeric(14,2) not null,
  occurred_at timestamptz not null,
  actor_id uuid references users(id) on delete set null
);
create index arr_movements_time on arr_movements (workspace_id, occurred_at);

create table activities (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  kind text not null check (kind in ('email','call','meeting','chat','note','task')),
  subject text not null,
  body text,
  record_type text not null check (record_type in ('lead','contact','account','opportunity','subscription')),
  record_id uuid not null,
  actor_id uuid references users(id) on delete set null,
  occurred_at timestamptz not null default now(),
  due_at timestamptz,
  done boolean not null default false,
  created_at timestamptz not null default now()
);
create index activities_record on activities (workspace_id, record_type, record_id, occurred_at desc);

-- Every status, stage and owner change, with time and actor: the funnel and comp read this.
create table status_changes (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces(id) on delete cascade,
  record_type text not null check (record_type in ('lead','opportunity','subscription')),
  record_id uuid not null,
  field text not null check (field in ('status','stage','owner')),
  from_value text,
  to_value text,
  reason text,
  actor_id uuid references users(id) on delete set null,
  changed_at timestamptz not null default now()
);
create index status_changes_record on status_changes (workspace_id, record_type, record_id, changed_at);
create index status_changes_time on status_changes (workspace_id, record_type, field, to_value, changed_at);

-- Website visits and chat conversations: the first two funnel stages.
create table web_events (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces(id) on delete cascade,
  kind text not null check (kind in ('visit','conversation')),
  visitor_id text not null,
  rep_id uuid references users(id) on delete set null,
  lead_id uuid references leads(id) on delete set null,
  channel text,
  page text,
  occurred_at timestamptz not null
);
create index web_events_time on web_events (workspace_id, kind, occurred_at);

create table audit_log (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces(id) on delete cascade,
  actor_type text not null check (actor_type in ('user','api_key','system')),
  actor_id uuid,
  action text not null,
  record_type text not null,
  record_id text,
  before jsonb,
  after jsonb,
  at timestamptz not null default now()
);
create index audit_log_record on audit_log (workspace_id, record_type, record_id, at desc);
create index audit_log_time on audit_log (workspace_id, at desc);

-- Jobs are rows, claimed with FOR UPDATE SKIP LOCKED; dedupe_key makes enqueueing idempotent.
create table jobs (
  id bigint generated always as identity primary key,
  workspace_id uuid references workspaces(id) on delete cascade,
  kind text not null,
  payload jsonb not null default '{}',
  dedupe_key text unique,
  run_at timestamptz not null default now(),
  status text not null default 'pending' check (status in ('pending','running','done','failed')),
  attempts integer not null default 0,
  max_attempts integer not null default 5,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index jobs_due on jobs (status, run_at);
