import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.js';
import { cursorValueSql, keyset, page, type SortSpec, Where } from '../../platform/http/list.js';
import { accounts } from '../crm/crm.resources.js';
import { getFor } from '../crm/records.service.js';
import { dataScope } from '../org/org.core.js';
import type { tasksQuery } from './health.schema.js';
import * as repo from './tasks.repo.js';

const BY_DUE: SortSpec = { expr: 't.due_at', type: 'timestamptz' };

/**
 * Success tasks the caller may see: all for leaders and read-everything roles; otherwise those assigned to them
 * (or, for a manager, to their teams) and those on accounts they own or look after. Soonest due first.
 */
export async function listTasks(db: Db, p: Principal, q: z.infer<typeof tasksQuery>) {
  requirePermission(p, 'crm:read');
  const scope = dataScope(p, 'read');
  const where = new Where();
  where.add(`t.workspace_id = ${where.param(p.workspaceId)}`).add(`t.status = any(${where.param(q.status)}::text[])`);
  if (q.assigneeId) {
    const [u] = await db.query('select 1 from users where workspace_id = $1 and id = $2', [p.workspaceId, q.assigneeId]);
    if (!u) throw new AppError('not_found', 'assigneeId: no such user in this workspace', [{ path: 'assigneeId', message: 'not found' }]);
    if (!scope.all && !scope.ownerIds.includes(q.assigneeId))
      throw new AppError('forbidden', "assigneeId: you may not see this person's tasks", [
        { path: 'assigneeId', message: 'outside your scope' },
      ]);
    where.add(`t.assignee_id = ${where.param(q.assigneeId)}::uuid`);
  }
  if (q.accountId) {
    await getFor(db, p, accounts, q.accountId, 'read');
    where.add(`t.account_id = ${where.param(q.accountId)}::uuid`);
  }
  if (q.kind) where.add(`t.kind = any(${where.param(q.kind)}::text[])`);
  if (!scope.all) {
    const ids = where.param(scope.ownerIds);
    where.add(`(t.assignee_id = any(${ids}::uuid[]) or a.csm_id = any(${ids}::uuid[]) or a.owner_id = any(${ids}::uuid[]))`);
  }
  const order = keyset(where, BY_DUE, 'asc', q.cursor, 't.id');
  const rows = await db.query<repo.Task & { sortKey: string }>(
    `select ${repo.TASK_COLS}, ${cursorValueSql(BY_DUE)} as "sortKey"
       from success_tasks t join accounts a on a.id = t.account_id
     ${where.sql()} ${order} limit ${where.param(q.limit + 1)}`,
    where.params,
  );
  const { items, nextCursor } = page(rows, q.limit, (r) => r.sortKey);
  return { items: items.map(({ sortKey: _, ...task }) => task), nextCursor };
}

/**
 * Who may close a task: its assignee, the assignee's manager, admins and sales ops (and API keys, the system).
 * An unassigned task: whoever may edit the account.
 */
function mayClose(p: Principal, t: repo.TaskWithAccount): boolean {
  const scope = dataScope(p, 'write');
  if (scope.all) return true;
  if (t.assigneeId) return scope.ownerIds.includes(t.assigneeId);
  return [t.accountCsmId, t.accountOwnerId].some((id) => id != null && scope.ownerIds.includes(id));
}

/** Marks a task done or dismissed, audited. Repeating the same close is a no-op; changing a closed task is a 409. */
export async function closeTask(db: Db, p: Principal, id: string, status: 'done' | 'dismissed', now: Date) {
  requirePermission(p, 'crm:write');
  return db.transaction(async (tx) => {
    const task = await repo.findTask(tx, p.workspaceId, id, true);
    if (!task) throw notFound('Task');
    if (!mayClose(p, task)) throw forbidden('Only the assignee, their manager, admins and sales ops close this task');
    const { accountCsmId: _c, accountOwnerId: _o, ...shown } = task;
    if (task.status === status) return shown;
    if (task.status !== 'open') throw conflict(`This task is already ${task.status}`, { status: task.status });
    await repo.closeTask(tx, id, status, p.userId, now);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: `success_task.${status}`,
      recordType: 'success_task',
      recordId: id,
      before: { status: 'open' },
      after: { status },
    });
    return { ...shown, status, doneAt: now, doneBy: p.userId };
  });
}
