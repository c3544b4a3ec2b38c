-- External ids of imported rows that the intake pipeline merged into another lead (same email as an open
-- lead). The merged row has no lead of its own to carry its external id, so it is kept here: importing the
-- same file again finds it and writes nothing.
create table lead_external_aliases (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  external_id text not null,
  lead_id uuid not null references leads(id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (workspace_id, external_id)
);
