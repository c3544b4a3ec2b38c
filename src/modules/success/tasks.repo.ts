import type { Db } from '../../db/client.js';
import type { TaskKind } from './signals.core.js';

export type TaskStatus = 'open' | 'done' | 'dismissed';
export const TASK_STATUSES = ['open', 'done', 'dismissed'] as const;

export type Task = {
  id: string;
  accountId: string;
  accountName: string;
  assigneeId: string | null;
  kind: TaskKind;
  title: string;
  detail: string | null;
  dueAt: Date;
  status: TaskStatus;
  createdAt: Date;
  doneAt: Date | null;
  doneBy: string | null;
};

/** The account's CSM and owner travel with a task: who may close an unassigned one depends on them. */
export type TaskWithAccount = Task & { accountCsmId: string | null; accountOwnerId: string | null };

export const TASK_COLS = `t.id, t.account_id as "accountId", a.name as "accountName", t.assignee_id as "assigneeId", t.kind, t.title,
  t.detail, t.due_at as "dueAt", t.status, t.created_at as "createdAt", t.done_at as "doneAt", t.done_by as "doneBy"`;

export type NewTask = {
  accountId: string;
  assigneeId: string | null;
  kind: TaskKind;
  title: string;
  detail: string;
  dueAt: Date;
  dedupeKey: string;
};

/**
 * Inserts the tasks that are not already open (the partial unique index on the dedupe key decides, so two
 * detections running at once insert each task once) and not closed within the cooldown. Returns the new ones.
 */
export async function insertTasks(tx: Db, workspaceId: string, tasks: NewTask[], now: Date, cooldownDays: number) {
  if (!tasks.length) return [];
  return tx.query<{ id: string; accountId: string; assigneeId: string | null; kind: TaskKind; title: string; detail: string }>(
    `insert into success_tasks (workspace_id, account_id, assignee_id, kind, title, detail, due_at, dedupe_key, created_at)
     select $1, x.account_id, x.assignee_id, x.kind, x.title, x.detail, x.due_at, x.dedupe_key, $9
       from unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
            as x(account_id, assignee_id, kind, title, detail, due_at, dedupe_key)
      where not exists (
        select 1 from success_tasks c
         where c.workspace_id = $1 and c.dedupe_key = x.dedupe_key and c.status <> 'open'
           and c.done_at > $9::timestamptz - make_interval(days => $10))
     on conflict (workspace_id, dedupe_key) where status = 'open' do nothing
     returning id, account_id as "accountId", assignee_id as "assigneeId", kind, title, detail`,
    [
      workspaceId,
      tasks.map((t) => t.accountId),
      tasks.map((t) => t.assigneeId),
      tasks.map((t) => t.kind),
      tasks.map((t) => t.title),
      tasks.map((t) => t.detail),
      tasks.map((t) => t.dueAt),
      tasks.map((t) => t.dedupeKey),
      now,
      cooldownDays,
    ],
  );
}

export async function findTask(db: Db, workspaceId: string, id: string, lock = false): Promise<TaskWithAccount | undefined> {
  const [row] = await db.query<TaskWithAccount>(
    `select ${TASK_COLS}, a.csm_id as "accountCsmId", a.owner_id as "accountOwnerId"
       from success_tasks t join accounts a on a.id = t.account_id
      where t.workspace_id = $1 and t.id = $2 ${lock ? 'for update of t' : ''}`,
    [workspaceId, id],
  );
  return row;
}

export async function closeTask(tx: Db, id: string, status: 'done' | 'dismissed', by: string | null, at: Date) {
  await tx.query('update success_tasks set status = $2, done_at = $3, done_by = $4 where id = $1', [id, status, at, by]);
}

/** An account's tasks: open ones first (soonest due first), then the latest closed. */
export async function tasksOfAccount(db: Db, workspaceId: string, accountId: string, limit: number): Promise<Task[]> {
  return db.query<Task>(
    `select ${TASK_COLS} from success_tasks t join accounts a on a.id = t.account_id
      where t.workspace_id = $1 and t.account_id = $2
      order by t.status <> 'open', case when t.status = 'open' then t.due_at end, t.done_at desc, t.id
      limit $3`,
    [workspaceId, accountId, limit],
  );
}
