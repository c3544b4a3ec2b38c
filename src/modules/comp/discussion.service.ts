import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { compScope, requireCompAdmin } from './access.js';
import * as plansRepo from './plans.repo.js';

/**
 * The town hall on a draft plan version (issue 7.6): anyone in the workspace reads the thread and asks on a draft;
 * sales ops (admins) answer, as replies to a comment. A published version is settled: its thread stays readable but
 * takes no new comments.
 */

export type PlanComment = {
  id: string;
  authorId: string | null;
  authorName: string | null;
  authorRoles: string[];
  body: string;
  replyTo: string | null;
  createdAt: Date;
};

async function loadVersion(db: Db, p: Principal, key: string, version: number) {
  const row = await plansRepo.findVersion(db, p.workspaceId, key, version);
  if (!row) throw new AppError('not_found', `no plan ${key} version ${version}`, [{ path: 'version', message: 'not found' }]);
  return row;
}

export async function listComments(db: Db, p: Principal, key: string, version: number) {
  compScope(p);
  const plan = await loadVersion(db, p, key, version);
  const items = await db.query<PlanComment>(
    `select c.id, c.author_id as "authorId", u.name as "authorName", coalesce(u.roles, '{}') as "authorRoles", c.body,
            c.reply_to as "replyTo", c.created_at as "createdAt"
       from comp_plan_comments c left join users u on u.id = c.author_id
      where c.workspace_id = $1 and c.plan_key = $2 and c.plan_version = $3 order by c.created_at, c.id`,
    [p.workspaceId, key, version],
  );
  return { planKey: key, version, status: plan.status, items };
}

export async function addComment(db: Db, p: Principal, key: string, version: number, input: { body: string; replyTo?: string }) {
  compScope(p);
  if (!p.userId) throw new AppError('forbidden', 'comments are written by people, not API keys');
  const plan = await loadVersion(db, p, key, version);
  if (plan.status !== 'draft')
    throw new AppError('conflict', `plan ${key} version ${version} is published: the discussion is closed`, [
      { path: 'version', message: 'published versions take no comments' },
    ]);
  if (input.replyTo) {
    requireCompAdmin(p);
    const [parent] = await db.query(
      'select 1 from comp_plan_comments where workspace_id = $1 and plan_key = $2 and plan_version = $3 and id = $4',
      [p.workspaceId, key, version, input.replyTo],
    );
    if (!parent)
      throw new AppError('validation_failed', 'replyTo: no such comment on this draft', [
        { path: 'replyTo', message: 'not a comment on this draft' },
      ]);
  }
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>(
      `insert into comp_plan_comments (workspace_id, plan_key, plan_version, author_id, body, reply_to)
       values ($1, $2, $3, $4, $5, $6) returning id`,
      [p.workspaceId, key, version, p.userId, input.body, input.replyTo ?? null],
    );
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: input.replyTo ? 'comp.plan.answer' : 'comp.plan.comment',
      recordType: 'comp_plan',
      recordId: plan.id,
      after: { comment: row.id, replyTo: input.replyTo ?? null },
    });
    const items = (await listComments(tx, p, key, version)).items;
    return items.find((c) => c.id === row.id)!;
  });
}
