import type { Db } from '../../db/client.js';
import type { PlanDocument } from './plan.schema.js';

export type PlanRow = {
  id: string;
  key: string;
  version: number;
  name: string;
  status: 'draft' | 'published';
  effectiveFrom: string | null;
  effectiveTo: string | null;
  document: PlanDocument;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  publishedBy: string | null;
  publishedAt: Date | null;
};

const PLAN_COLS = `id, key, version, name, status, effective_from as "effectiveFrom", effective_to as "effectiveTo", document,
  created_by as "createdBy", created_at as "createdAt", updated_at as "updatedAt", published_by as "publishedBy", published_at as "publishedAt"`;

export async function listVersions(db: Db, workspaceId: string, key?: string): Promise<PlanRow[]> {
  return db.query<PlanRow>(
    `select ${PLAN_COLS} from comp_plans where workspace_id = $1 and ($2::text is null or key = $2) order by key, version`,
    [workspaceId, key ?? null],
  );
}

export async function findVersion(db: Db, workspaceId: string, key: string, version: number, lock = false): Promise<PlanRow | undefined> {
  const [row] = await db.query<PlanRow>(
    `select ${PLAN_COLS} from comp_plans where workspace_id = $1 and key = $2 and version = $3 ${lock ? 'for update' : ''}`,
    [workspaceId, key, version],
  );
  return row;
}

export async function insertDraft(tx: Db, workspaceId: string, doc: PlanDocument, createdBy: string | null): Promise<PlanRow> {
  const [row] = await tx.query<PlanRow>(
    `insert into comp_plans (workspace_id, key, version, name, document, created_by)
     values ($1, $2, (select coalesce(max(version), 0) + 1 from comp_plans where workspace_id = $1 and key = $2), $3, $4, $5)
     returning ${PLAN_COLS}`,
    [workspaceId, doc.key, doc.name, JSON.stringify(doc), createdBy],
  );
  return row;
}

export async function updateDraft(tx: Db, id: string, doc: PlanDocument): Promise<PlanRow> {
  const [row] = await tx.query<PlanRow>(
    `update comp_plans set name = $2, document = $3, updated_at = now() where id = $1 returning ${PLAN_COLS}`,
    [id, doc.name, JSON.stringify(doc)],
  );
  return row;
}

export async function deleteDraft(tx: Db, id: string) {
  await tx.query(`delete from comp_plans where id = $1 and status = 'draft'`, [id]);
}

export async function publish(tx: Db, id: string, from: string, by: string | null): Promise<PlanRow> {
  const [row] = await tx.query<PlanRow>(
    `update comp_plans set status = 'published', effective_from = $2, published_by = $3, published_at = now(), updated_at = now()
      where id = $1 returning ${PLAN_COLS}`,
    [id, from, by],
  );
  return row;
}

export async function endVersion(tx: Db, id: string, to: string) {
  await tx.query('update comp_plans set effective_to = $2, updated_at = now() where id = $1', [id, to]);
}

export type AssignmentRow = {
  id: string;
  userId: string;
  userName: string;
  planKey: string;
  level: number;
  from: string;
  to: string | null;
  createdBy: string | null;
  createdAt: Date;
};

const ASSIGNMENT_SELECT = `select a.id, a.user_id as "userId", u.name as "userName", a.plan_key as "planKey", a.level, a.starts_on as "from",
       a.ends_on as "to", a.created_by as "createdBy", a.created_at as "createdAt"
  from comp_assignments a join users u on u.id = a.user_id`;

export async function listAssignments(db: Db, workspaceId: string, userIds: string[] | null): Promise<AssignmentRow[]> {
  return db.query<AssignmentRow>(
    `${ASSIGNMENT_SELECT} where a.workspace_id = $1 and ($2::uuid[] is null or a.user_id = any($2::uuid[])) order by u.name, a.starts_on`,
    [workspaceId, userIds],
  );
}

export async function findAssignment(db: Db, workspaceId: string, id: string): Promise<AssignmentRow | undefined> {
  const [row] = await db.query<AssignmentRow>(`${ASSIGNMENT_SELECT} where a.workspace_id = $1 and a.id = $2`, [workspaceId, id]);
  return row;
}

export async function insertAssignment(
  tx: Db,
  a: { workspaceId: string; userId: string; planKey: string; level: number; from: string; to: string | null; createdBy: string | null },
): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    `insert into comp_assignments (workspace_id, user_id, plan_key, level, starts_on, ends_on, created_by)
     values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [a.workspaceId, a.userId, a.planKey, a.level, a.from, a.to, a.createdBy],
  );
  return row.id;
}

export async function setAssignmentEnd(tx: Db, id: string, to: string | null) {
  await tx.query('update comp_assignments set ends_on = $2 where id = $1', [id, to]);
}

export async function deleteAssignment(tx: Db, id: string) {
  await tx.query('delete from comp_assignments where id = $1', [id]);
}

export type SplitRow = { userId: string; userName: string; role: 'ae' | 'sdr'; percent: string };

export async function listSplits(db: Db, opportunityId: string): Promise<SplitRow[]> {
  return db.query<SplitRow>(
    `select s.user_id as "userId", u.name as "userName", s.role, s.percent from comp_credit_splits s join users u on u.id = s.user_id
      where s.opportunity_id = $1 order by s.role, s.percent desc, u.name`,
    [opportunityId],
  );
}

export async function replaceSplits(
  tx: Db,
  workspaceId: string,
  opportunityId: string,
  credits: { userId: string; role: string; percent: string }[],
) {
  await tx.query('delete from comp_credit_splits where opportunity_id = $1', [opportunityId]);
  for (const c of credits)
    await tx.query('insert into comp_credit_splits (workspace_id, opportunity_id, role, user_id, percent) values ($1, $2, $3, $4, $5)', [
      workspaceId,
      opportunityId,
      c.role,
      c.userId,
      c.percent,
    ]);
}
