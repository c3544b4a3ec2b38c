import type { Db } from '../../db/client.js';
import { afterAttempt } from './jobs.core.js';

/**
 * Jobs are rows. Claiming uses FOR UPDATE SKIP LOCKED so any number of server instances share the work,
 * and a job whose worker died is claimed again once its lock expires. Handlers must be idempotent.
 */
export type Job = {
  id: number;
  workspaceId: string | null;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
};

export async function enqueue(
  db: Db,
  job: {
    kind: string;
    payload?: Record<string, unknown>;
    workspaceId?: string | null;
    runAt?: Date;
    dedupeKey?: string;
    maxAttempts?: number;
  },
): Promise<number | null> {
  // A dedupe key makes enqueueing idempotent: the second identical enqueue is a no-op.
  const rows = await db.query<{ id: number }>(
    `insert into jobs (workspace_id, kind, payload, run_at, dedupe_key, max_attempts)
     values ($1, $2, $3, coalesce($4::timestamptz, now()), $5, $6)
     on conflict (dedupe_key) do nothing returning id`,
    [job.workspaceId ?? null, job.kind, JSON.stringify(job.payload ?? {}), job.runAt ?? null, job.dedupeKey ?? null, job.maxAttempts ?? 5],
  );
  return rows[0]?.id ?? null;
}

export async function claim(db: Db, kinds: string[], limit: number, lockSeconds: number): Promise<Job[]> {
  return db.query<Job>(
    `update jobs set status = 'running', attempts = attempts + 1, locked_until = now() + make_interval(secs => $3)
      where id in (
        select id from jobs
         where kind = any($1)
           and ((status = 'pending' and run_at <= now()) or (status = 'running' and locked_until < now()))
         order by run_at, id
         limit $2
         for update skip locked)
      returning id, workspace_id as "workspaceId", kind, payload, attempts, max_attempts as "maxAttempts", run_at as "runAt"`,
    [kinds, limit, lockSeconds],
  );
}

export async function finish(db: Db, job: Job, error: unknown | null) {
  const outcome = afterAttempt(job.attempts, job.maxAttempts, error === null);
  const message = error === null ? null : String((error as Error)?.stack ?? error).slice(0, 4000);
  if (outcome.status === 'retry')
    await db.query(
      `update jobs set status = 'pending', locked_until = null, last_error = $2, run_at = now() + make_interval(secs => $3) where id = $1`,
      [job.id, message, outcome.runInSeconds],
    );
  else
    await db.query(`update jobs set status = $2, locked_until = null, last_error = $3, finished_at = now() where id = $1`, [
      job.id,
      outcome.status,
      message,
    ]);
}
