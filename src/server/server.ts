import type { Config } from '../config.js';
import { openDb } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { scheduleAnalyticsJobs } from '../modules/analytics/analytics.jobs.js';
import { listWorkspaces } from '../modules/org/org.repo.js';
import { scheduleHealthJobs } from '../modules/success/health.jobs.js';
import { scheduleMilestoneJobs } from '../modules/success/milestones.jobs.js';
import { scheduleSurveyJobs } from '../modules/success/surveys.jobs.js';
import { schedulePlatformJobs } from '../platform/jobs/platform.jobs.js';
import { startWorker } from '../platform/jobs/worker.js';
import { buildApp } from './app.js';
import { jobHandlers } from './jobs.js';

/** Opens the database, migrates, creates the demo workspace on an empty database, then listens. */
export async function startServer(config: Config, opts: { demoIfEmpty?: boolean; log?: (line: string) => void } = {}) {
  const log = opts.log ?? ((l: string) => console.log(l));
  const db = await openDb(config);
  await migrate(db);
  let logins: { role: string; email: string; password: string }[] = [];
  const workspaces = await listWorkspaces(db);
  if (opts.demoIfEmpty !== false && workspaces.length === 0) {
    log('Empty database: creating the demo workspace (takes a few seconds)...');
    const { createDemo } = await import('../demo/demo.js');
    logins = (await createDemo(db, { seed: 1, scale: 1 })).logins;
  } else if (workspaces.some((w) => w.isDemo)) {
    // Restarts print the demo logins again: they are fixed, and a new user needs them every time.
    const { demoLogins } = await import('../demo/org-setup.js');
    const { DEMO_PASSWORD } = await import('../demo/people.js');
    logins = demoLogins(DEMO_PASSWORD);
  }
  const app = await buildApp({ db, config, logger: config.logLevel === 'silent' ? false : { level: config.logLevel } });
  await app.listen({ port: config.port, host: config.host });
  await schedulePlatformJobs(db, new Date());
  await scheduleAnalyticsJobs(db, new Date());
  await scheduleMilestoneJobs(db, new Date());
  await scheduleHealthJobs(db, new Date());
  await scheduleSurveyJobs(db, new Date());
  const worker = startWorker(db, jobHandlers(config), { log: app.log });
  const url = config.publicUrl;
  log(`\nRevline is running at ${url} (database: ${db.kind === 'pglite' ? `embedded, ${config.dataDir}` : 'PostgreSQL'})`);
  if (logins.length) {
    log('Demo logins (one per role):');
    for (const l of logins) log(`  ${l.role.padEnd(22)} ${l.email.padEnd(34)} ${l.password}`);
  }
  log(`API docs: ${url}/api/docs`);
  const stop = async () => {
    await worker.stop();
    await app.close();
    await db.close();
  };
  return { app, db, stop };
}
