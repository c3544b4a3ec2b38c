import type { Db } from '../../db/client.js';
import type { JobHandler } from './worker.js';
import { scheduleRecurring } from './worker.js';

export const CLEANUP_KIND = 'platform.cleanup';
const HOUR = 3600;

/** Housekeeping: expired sessions and finished job rows older than 30 days; then book the next run. */
export const platformJobs: Record<string, JobHandler> = {
  [CLEANUP_KIND]: async (_job, db: Db) => {
    await db.query('delete from sessions where expires_at < now()');
    await db.query(`delete from jobs where status in ('done', 'failed') and finished_at < now() - interval '30 days'`);
    await scheduleRecurring(db, CLEANUP_KIND, HOUR, new Date());
  },
};

export const schedulePlatformJobs = (db: Db, now: Date) => scheduleRecurring(db, CLEANUP_KIND, HOUR, now);
