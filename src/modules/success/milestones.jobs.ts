import type { Db } from '../../db/client.js';
import type { JobHandler } from '../../platform/jobs/worker.js';
import { scheduleRecurring } from '../../platform/jobs/worker.js';
import { markMissed } from './milestones.evaluate.js';
import { linkAndOpen } from './milestones.service.js';

export const SWEEP_KIND = 'milestones.sweep';
const EVERY_SECONDS = 15 * 60;

/**
 * Every 15 minutes: events kept for unknown keys are linked to accounts created since (and those accounts
 * re-evaluated), customers whose first deal was won since get their window, and windows past their end and
 * grace without the milestone become missed.
 */
export async function sweepMilestones(db: Db, now: Date) {
  const workspaces = await db.query<{ id: string }>('select id from workspaces order by id');
  for (const w of workspaces) await linkAndOpen(db, w.id, now);
  await markMissed(db, now);
}

export const milestoneJobs: Record<string, JobHandler> = {
  [SWEEP_KIND]: async (_job, db) => {
    await sweepMilestones(db, new Date());
    await scheduleRecurring(db, SWEEP_KIND, EVERY_SECONDS, new Date());
  },
};

export const scheduleMilestoneJobs = (db: Db, now: Date) => scheduleRecurring(db, SWEEP_KIND, EVERY_SECONDS, now);
