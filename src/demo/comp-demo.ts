import { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { seedDemoCompPlans } from '../modules/comp/demo-plans.js';
import { seedDemoLevels } from '../modules/comp/levels.service.js';
import { closePeriod } from '../modules/comp/periods.service.js';
import { runComp } from '../modules/comp/runs.service.js';
import { systemPrincipal } from '../platform/auth/principal.js';

/**
 * Compensation for the demo: the demo plans (AE with the HubSpot level rates and the aha tranche, SDR, CSM, manager)
 * and the level ladder, a comp run through the current month, and every month before the last two closed, so
 * statements show closed months, holds released later as lines of the open months, and the current month in progress.
 */
export async function seedDemoComp(db: Db, workspaceId: string, now: Date) {
  await seedDemoCompPlans(db, workspaceId);
  await seedDemoLevels(db, workspaceId);
  const [ws] = await db.query<{ timezone: string }>('select timezone from workspaces where id = $1', [workspaceId]);
  const month = DateTime.fromJSDate(now, { zone: ws.timezone }).startOf('month');
  const p = systemPrincipal(workspaceId);
  await runComp(db, p, { period: month.toFormat('yyyy-MM') }, now);
  const [first] = await db.query<{ month: string | null }>(
    `select to_char(min(period), 'YYYY-MM') as month from comp_periods where workspace_id = $1`,
    [workspaceId],
  );
  // Months close in order, one at a time, from the ledger's first month.
  const lastClosed = month.minus({ months: 2 }).toFormat('yyyy-MM');
  if (!first?.month) return;
  for (let m = DateTime.fromFormat(first.month, 'yyyy-MM'); m.toFormat('yyyy-MM') <= lastClosed; m = m.plus({ months: 1 }))
    await closePeriod(db, p, m.toFormat('yyyy-MM'), now);
}
