import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { JobHandler } from '../../platform/jobs/worker.js';

// Scaffolding: replaced by the module's real jobs (they need the config for SMTP).
export const surveyJobs = (_config: Config): Record<string, JobHandler> => ({});
export const scheduleSurveyJobs = async (_db: Db, _now: Date) => {};
