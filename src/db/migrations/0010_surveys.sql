-- Buyer surveys (issue 5, part 6): settings, signing key, unsubscribes, low-rating alerts.
-- buyer_surveys itself is the shared contract in 0007_success.sql.

-- One row per workspace, created with the defaults the first time it is needed.
-- alert_stages null: the default, the open stages from 'proposal' on (follows the workspace's stage list).
-- signing_key signs the links in survey emails (HMAC-SHA256); it never leaves the server.
create table survey_settings (
  workspace_id uuid primary key references workspaces(id) on delete cascade,
  delay_days integer not null default 90 check (delay_days between 1 and 730),
  reminder_days integer not null default 7 check (reminder_days between 1 and 90),
  token_days integer not null default 30 check (token_days between 1 and 365),
  threshold numeric(3,2) not null default 4.00 check (threshold between 1 and 5),
  min_ratings integer not null default 3 check (min_ratings between 1 and 1000),
  alert_stages text[],
  alert_user_ids uuid[] not null default '{}',
  signing_key text not null,
  updated_at timestamptz not null default now()
);

-- A buyer who unsubscribed gets no survey email from this workspace again.
create table survey_suppressions (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  email_normalized text not null,
  survey_id uuid references buyer_surveys(id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, email_normalized)
);

-- One low-rating alert per opportunity and stage, whatever the number of moves or workers.
create table survey_alerts (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  opportunity_id uuid not null references opportunities(id) on delete cascade,
  stage text not null,
  rep_id uuid references users(id) on delete set null,
  rating_sum integer not null,
  rating_count integer not null,
  created_at timestamptz not null default now(),
  primary key (opportunity_id, stage)
);

-- A send in progress holds the survey until claimed_until (the email goes out outside any transaction);
-- last_error keeps the last SMTP failure for the results screen.
alter table buyer_surveys add column claimed_until timestamptz;
alter table buyer_surveys add column last_error text;
create index buyer_surveys_list on buyer_surveys (workspace_id, send_at desc, id desc);
-- buyer_email is stored normalized (trimmed, lower case), as suppressions are.
create index buyer_surveys_email on buyer_surveys (workspace_id, buyer_email) where rating is null;
