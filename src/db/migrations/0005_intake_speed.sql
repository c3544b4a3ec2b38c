-- Intake throughput (docs/benchmarks.md, bench:intake): fewer and smaller rows per routed lead.

-- Routing explanations are stored once per workspace and content, and referenced by a hash of their jsonb text
-- (canonical: the same content gives the same text). Leads routed the same way carry the same explanation: a
-- 5,000-lead batch has a few dozen distinct ones, so storing it in every lead_assignments row wrote ~500 bytes
-- per lead for nothing. Rows are never changed or deleted (only with their workspace), so lead_assignments
-- refers to them by hash without a foreign key (a per-row check on the hottest insert for a reference that
-- cannot dangle).
create function routing_explanation_hash(e jsonb) returns uuid language sql immutable strict parallel safe
  as $$ select encode(substring(sha256(convert_to(e::text, 'UTF8')) from 1 for 16), 'hex')::uuid $$;

create table routing_explanations (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  hash uuid not null,
  explanation jsonb not null,
  primary key (workspace_id, hash)
);
insert into routing_explanations (workspace_id, hash, explanation)
select distinct on (workspace_id, routing_explanation_hash(explanation)) workspace_id, routing_explanation_hash(explanation), explanation
  from lead_assignments;
alter table lead_assignments add column explanation_hash uuid;
update lead_assignments set explanation_hash = routing_explanation_hash(explanation);
alter table lead_assignments alter column explanation_hash set not null;
alter table lead_assignments drop column explanation;

-- The workspace's foreign key repeated the lead's: a lead's assignments go with the lead (on delete cascade),
-- and the lead with its workspace. One check per row less.
alter table lead_assignments drop constraint lead_assignments_workspace_id_fkey;

-- Assignments are read per lead: lead ids are unique across workspaces, so the workspace in front only made
-- the key wider (and left the cascade from leads without an index to find a lead's rows).
drop index lead_assignments_lead;
create index lead_assignments_lead on lead_assignments (lead_id, assigned_at);

-- Every decision with its explanation, for people and reports reading the log.
create view lead_assignments_explained as
select a.id, a.workspace_id, a.lead_id, a.purpose, a.user_id, a.queue, a.rule_id, a.pool_key, a.assigned_at,
       coalesce(e.explanation, '[]'::jsonb) as explanation
  from lead_assignments a
  left join routing_explanations e on e.workspace_id = a.workspace_id and e.hash = a.explanation_hash;
