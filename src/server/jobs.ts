import { analyticsJobs } from '../modules/analytics/analytics.jobs.js';
import { deliverWebhook, WEBHOOK_KIND } from '../modules/notify/notify.service.js';
import { routingJobs } from '../modules/routing/routing.jobs.js';
import { platformJobs } from '../platform/jobs/platform.jobs.js';
import type { JobHandler } from '../platform/jobs/worker.js';

/** Every job kind the worker runs, by module. */
export const jobHandlers: Record<string, JobHandler> = {
  ...platformJobs,
  ...routingJobs,
  ...analyticsJobs,
  [WEBHOOK_KIND]: (job) => deliverWebhook(job.payload as { url: string; body: unknown }),
};
