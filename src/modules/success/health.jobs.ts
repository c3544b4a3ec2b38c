import type { Db } from '../../db/client.js';
import type { JobHandler } from '../../platform/jobs/worker.js';
import { scheduleRecurring } from '../../platform/jobs/worker.js';
import { listWorkspaces } from '../org/org.repo.js';
import { refreshHealth } from './health.service.js';
import { detectSignals } from './signals.service.js';

export const HEALTH_KIND = 'success.health';
const EVERY_SECONDS = 24 * 3600;

/**
 * Daily (00:00 UTC, and at start-up for a day not yet run): score every workspace's customer accounts for its
 * local today, then turn signals into tasks. Both steps are
 * idempotent (the day's scores are replaced, an open task is not raised twice), so a retry or a second instance
 * is harmless. One failing workspace does not stop the others; the job fails at the end and is retried.
 */
export async function runHealthDaily(db: Db, now: Date) {
  const failures: string[] = [];
  for (const w of await listWorkspaces(db)) {
    try {
      await refreshHealth(db, w.id, now);
      await detectSignals(db, w.id, now);
    } catch (err) {
      failures.push(`${w.id}: ${(err as Error).message}`);
    }
  }
  if (failures.length) throw new Error(`health refresh failed for ${failures.length} workspace(s): ${failures.join('; ')}`);
}

export const healthJobs: Record<string, JobHandler> = {
  [HEALTH_KIND]: async (_job, db) => {
    // Book the next run first, so a failing day does not end the chain.
    await scheduleRecurring(db, HEALTH_KIND, EVERY_SECONDS, new Date());
    await runHealthDaily(db, new Date());
  },
};

export const scheduleHealthJobs = (db: Db, now: Date) => scheduleRecurring(db, HEALTH_KIND, EVERY_SECONDS, now);
