-- Aha milestones (issue 5): what incremental evaluation keeps per account (see docs/usage-and-milestones.md).
-- On the account's milestone row itself, so ingestion writes one row per account touched, not two.
-- evaluation = { "last": { "at": epoch ms, "id": event id } | null, "tally": { "values": [n per condition, capped at
-- its target], "keys": [distinct keys seen per distinct condition still short of its target, else null] } };
-- null once reached (nothing later can change the outcome; an earlier late event triggers a rescan).
alter table account_milestones add column evaluation jsonb;

-- Per-milestone counts and re-evaluation after a rule change.
create index account_milestones_milestone on account_milestones (milestone_id, status);

-- Ingestion rewrites the rows of pending accounts batch after batch: room on each page lets those updates stay
-- HOT (no new index entries while the indexed status and window do not change).
alter table account_milestones set (fillfactor = 70);
