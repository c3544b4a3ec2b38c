import type { Db } from '../../db/client.js';
import { claim, enqueue, finish, type Job } from './queue.js';

export type JobHandler = (job: Job, db: Db) => Promise<void>;
export type Logger = { error: (obj: object, msg: string) => void };

/**
 * Polls for due jobs and runs them with the registered handlers. Several workers (in several processes)
 * can run against one database: each job runs once per attempt thanks to SKIP LOCKED.
 */
export function startWorker(
  db: Db,
  handlers: Record<string, JobHandler>,
  opts: { pollMs?: number; batch?: number; lockSeconds?: number; log?: Logger } = {},
) {
  const kinds = Object.keys(handlers);
  const pollMs = opts.pollMs ?? 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = async () => {
    const jobs = await claim(db, kinds, opts.batch ?? 10, opts.lockSeconds ?? 300);
    for (const job of jobs) {
      let error: unknown = null;
      try {
        await handlers[job.kind](job, db);
      } catch (e) {
        error = e ?? new Error('job failed');
        opts.log?.error({ err: e, jobId: job.id, kind: job.kind }, 'job failed');
      }
      await finish(db, job, error);
    }
    return jobs.length;
  };

  const loop = () => {
    if (stopped) return;
    running = tick()
      .catch((err) => opts.log?.error({ err }, 'job polling failed'))
      .then((n) => {
        // Busy: go again at once; idle: wait for the next poll.
        if (!stopped) timer = setTimeout(loop, n ? 0 : pollMs);
      });
  };
  loop();

  return {
    /** Runs one polling round now (tests and the CLI use it to drain due jobs). */
    runOnce: tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/** A job that re-enqueues itself: one row per period thanks to the dedupe key, whatever the number of instances. */
export async function scheduleRecurring(db: Db, kind: string, everySeconds: number, now: Date) {
  const slot = Math.floor(now.getTime() / 1000 / everySeconds);
  await enqueue(db, { kind, dedupeKey: `${kind}:${slot}`, runAt: new Date(slot * everySeconds * 1000) });
  await enqueue(db, { kind, dedupeKey: `${kind}:${slot + 1}`, runAt: new Date((slot + 1) * everySeconds * 1000) });
}
