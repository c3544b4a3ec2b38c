import type { Db } from '../../db/client.js';
import type { JobHandler } from '../../platform/jobs/worker.js';
import { scheduleRecurring } from '../../platform/jobs/worker.js';
import { refreshAllWorkspaces } from './rollup.repo.js';

export const REFRESH_KIND = 'analytics.refresh';
const EVERY_SECONDS = 60;

/** Keeps the rollups warm so a dashboard rarely pays for recomputation (readers refresh anything left). */
export const analyticsJobs: Record<string, JobHandler> = {
  [REFRESH_KIND]: async (_job, db: Db) => {
    await refreshAllWorkspaces(db);
    await scheduleRecurring(db, REFRESH_KIND, EVERY_SECONDS, new Date());
  },
};

export const scheduleAnalyticsJobs = (db: Db, now: Date) => scheduleRecurring(db, REFRESH_KIND, EVERY_SECONDS, now);
