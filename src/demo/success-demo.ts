import type { Db } from '../db/client.js';
import { findWorkspace } from '../modules/org/org.repo.js';
import { refreshHealth } from '../modules/success/health.service.js';
import { GRACE_MS } from '../modules/success/milestones.core.js';
import { createMilestone, syncMilestoneWindows } from '../modules/success/milestones.service.js';
import { detectSignals } from '../modules/success/signals.service.js';
import { alertIfLowRated } from '../modules/success/surveys.alerts.js';
import { effectiveAlertStages } from '../modules/success/surveys.core.js';
import { readSettings } from '../modules/success/surveys.repo.js';
import { systemPrincipal } from '../platform/auth/principal.js';
import { DAY } from './calendar.js';
import { AHA } from './shape.js';
import { DEMO_MILESTONES } from './usage.js';

/**
 * Health scores for the history (days before `now`): today and a week ago (the health-drop signal compares the
 * two), then every four weeks back to twelve weeks. Each day scores every customer, so the days are few.
 */
const HEALTH_DAYS_AGO = [84, 56, 28, 7, 0];
/** Low-rated reps' deals that entered a late stage this recently get their alert (as the stage move would have sent it). */
const ALERT_DAYS = 14;

/** The aha milestones, one per plan, through the milestone service (which validates them), defined before the history. */
export async function seedMilestones(tx: Db, workspaceId: string, definedAt: Date) {
  const p = systemPrincipal(workspaceId);
  for (const m of Object.values(DEMO_MILESTONES))
    await createMilestone(tx, p, { name: m.name, plan: m.plan, template: m.template, rule: m.rule, windowDays: AHA.windowDays }, definedAt);
}

/**
 * What the success services derive from the loaded usage, surveys and subscriptions: milestone states, the
 * health history, churn and expansion tasks, low-rating alerts. Run once the demo's rows are committed.
 */
export async function deriveSuccess(db: Db, workspaceId: string, now: Date) {
  // Every customer's window, evaluated from its stored events: on a workspace with no milestone state yet this is
  // what recomputeMilestones computes, without its second pass over the same events.
  await syncMilestoneWindows(db, workspaceId, now);
  await settleMilestoneTimes(db, workspaceId);
  for (const days of HEALTH_DAYS_AGO) await refreshHealth(db, workspaceId, new Date(now.getTime() - days * DAY));
  await detectSignals(db, workspaceId, now);
  await alertLateStages(db, workspaceId, now);
}

/**
 * The demo's events arrived as they happened (received_at = occurred_at), so the live milestone job would have
 * learned each outcome then: a reached milestone at its crossing event, a missed one when the window's grace ran
 * out. The evaluation just now stamped them all with the present; this moves those stamps (and the change rows') to
 * those moments, so the health history and "missed recently" see what was known at the time.
 */
async function settleMilestoneTimes(db: Db, workspaceId: string) {
  const grace = `${GRACE_MS / 1000} seconds`;
  await db.transaction(async (tx) => {
    await tx.query(
      `update account_milestones set decided_at = case status when 'reached' then reached_at else window_end + $2::interval end
        where workspace_id = $1 and status in ('reached', 'missed')`,
      [workspaceId, grace],
    );
    await tx.query(
      `update account_milestone_changes c
          set changed_at = case c.to_status when 'pending' then am.window_start else am.decided_at end
         from account_milestones am
        where c.workspace_id = $1 and am.account_id = c.account_id and am.milestone_id = c.milestone_id`,
      [workspaceId],
    );
  });
}

/** Alerts for the open deals that reached an alert stage lately (the alert service decides whose owner is low-rated). */
async function alertLateStages(db: Db, workspaceId: string, now: Date) {
  const ws = (await findWorkspace(db, workspaceId))!;
  const stages = effectiveAlertStages(await readSettings(db, workspaceId), ws.opportunityStages);
  const entries = await db.query<{ opportunityId: string; stage: string; at: Date }>(
    `select distinct on (o.id) o.id as "opportunityId", o.stage, ch.changed_at as at
       from opportunities o join status_changes ch on ch.record_id = o.id and ch.record_type = 'opportunity' and ch.field = 'stage'
                                                   and ch.to_value = o.stage
      where o.workspace_id = $1 and o.stage = any($4::text[]) and ch.changed_at > $2::timestamptz - make_interval(days => $3)
        and ch.changed_at <= $2
      order by o.id, ch.changed_at desc`,
    [workspaceId, now, ALERT_DAYS, stages],
  );
  for (const e of entries) await db.transaction((tx) => alertIfLowRated(tx, { workspaceId, ...e }));
}
