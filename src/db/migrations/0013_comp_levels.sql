-- Compensation (issue 7, part 2): the levels ladder, promotions, and the discussion of draft plans.
-- Rules: docs/compensation-levels-whatif.md. The pure rules are src/modules/comp/levels.core.ts.

-- One row per level of a workspace's ladder: its pay (base, variable at 100%, commission rate, annual quota) and the
-- milestones a rep of the level below must meet to reach it (all three: sales, productivity, customer lifetime).
-- Level 1 has no milestones (everyone starts there). No tenure component, on purpose (DOMAIN.md 6).
create table comp_levels (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  level smallint not null check (level between 1 and 20),
  name text not null check (length(name) between 1 and 60),
  base numeric(14,2) not null check (base >= 0),
  variable numeric(14,2) not null check (variable >= 0),
  rate numeric(7,4) not null check (rate >= 0 and rate <= 100),
  quota numeric(14,2) not null check (quota > 0),
  -- Sales: ARR the rep closed (owner at close) over the trailing window is at least this.
  window_months smallint not null default 12 check (window_months between 1 and 36),
  min_closed_arr numeric(14,2) check (min_closed_arr > 0),
  -- Productivity: a metric over the same window at least its target (win_rate as a fraction, e.g. 0.2500).
  productivity_metric text check (productivity_metric in ('win_rate', 'won_deals', 'pipeline_created')),
  productivity_target numeric(14,4) check (productivity_target > 0),
  -- Customer lifetime: ARR churn + contraction of the rep's own customers over the window, as a fraction of their ARR at
  -- its start, below this.
  max_churn_rate numeric(5,4) check (max_churn_rate > 0 and max_churn_rate <= 1),
  updated_by uuid references users(id) on delete set null,
  updated_at timestamptz not null default now(),
  primary key (workspace_id, level),
  check (level = 1 or (min_closed_arr is not null and productivity_metric is not null and productivity_target is not null
                       and max_churn_rate is not null))
);

-- Every promotion, with what the rep had achieved when promoted and the assignments it ended and started.
create table comp_promotions (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  from_level smallint not null,
  to_level smallint not null check (to_level > from_level),
  effective_from date not null,
  plan_key text not null,
  ended_assignment_id uuid references comp_assignments(id) on delete set null,
  new_assignment_id uuid references comp_assignments(id) on delete set null,
  evidence jsonb not null,
  note text,
  promoted_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now()
);
create index comp_promotions_user on comp_promotions (workspace_id, user_id, effective_from);

-- The town hall on a draft plan version: reps comment, sales ops answer (a reply points at the comment it answers).
create table comp_plan_comments (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces(id) on delete cascade,
  plan_key text not null,
  plan_version integer not null,
  author_id uuid references users(id) on delete set null,
  body text not null check (length(body) between 1 and 4000),
  reply_to uuid references comp_plan_comments(id) on delete cascade,
  created_at timestamptz not null default now()
);
create index comp_plan_comments_plan on comp_plan_comments (workspace_id, plan_key, plan_version, created_at);
