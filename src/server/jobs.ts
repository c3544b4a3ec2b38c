import type { Config } from '../config.js';
import { analyticsJobs } from '../modules/analytics/analytics.jobs.js';
import { deliverWebhook, WEBHOOK_KIND } from '../modules/notify/notify.service.js';
import { routingJobs } from '../modules/routing/routing.jobs.js';
import { healthJobs } from '../modules/success/health.jobs.js';
import { milestoneJobs } from '../modules/success/milestones.jobs.js';
import { surveyJobs } from '../modules/success/surveys.jobs.js';
import { platformJobs } from '../platform/jobs/platform.jobs.js';
import type { JobHandler } from '../platform/jobs/worker.js';

/** Every job kind the worker runs, by module (mail jobs need the SMTP settings). */
export const jobHandlers = (config: Config): Record<string, JobHandler> => ({
  ...platformJobs,
  ...routingJobs,
  ...analyticsJobs,
  ...milestoneJobs,
  ...healthJobs,
  ...surveyJobs(config),
  [WEBHOOK_KIND]: (job) => deliverWebhook(job.payload as { url: string; body: unknown }),
});
