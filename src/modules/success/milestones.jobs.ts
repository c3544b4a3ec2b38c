import type { Db } from '../../db/client.js';
import type { JobHandler } from '../../platform/jobs/worker.js';

// Scaffolding: replaced by the module's real jobs.
export const milestoneJobs: Record<string, JobHandler> = {};
export const scheduleMilestoneJobs = async (_db: Db, _now: Date) => {};
