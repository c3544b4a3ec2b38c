import { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import { systemPrincipal } from '../../platform/auth/principal.js';
import type { Role } from '../org/org.core.js';
import { createAssignment } from './assignments.service.js';
import type { PlanDocument } from './plan.schema.js';
import { createDraft, publishVersion } from './plans.service.js';

/**
 * The demo's plans (DOMAIN.md 6): AEs on the HubSpot level rates with an accelerator past quota, half paid at signing
 * and half at the aha milestone, the buyer-rating accelerator and a 90-day churn clawback; SDRs per accepted lead (and
 * a little on the ARR they sourced); CSMs a quarterly bonus on retention; managers an override on their team.
 */
export const DEMO_PLANS: PlanDocument[] = [
  {
    key: 'ae-2026',
    name: 'Account executives 2026',
    description: 'HubSpot level rates (variable = rate x quota); 1.5x past quota; half at signing, half at the aha milestone.',
    roles: ['ae', 'realtime_ae', 'esb_ae'],
    components: [
      {
        type: 'commission',
        id: 'new-arr',
        label: 'Commission on credited new ARR',
        credit: 'ae',
        ratesByLevel: { 1: '6.25', 2: '7.33', 3: '8' },
        tiers: [
          { upToPercent: '100', multiplier: '1' },
          { upToPercent: null, multiplier: '1.5' },
        ],
        tranches: [
          { on: 'signing', percent: '50' },
          { on: 'aha_milestone', percent: '50', onMissed: 'extend', extendDays: 30, onChurn: 'forfeit' },
        ],
      },
      {
        type: 'rating_accelerator',
        id: 'five-star',
        label: 'Buyer-rating accelerator',
        appliesTo: 'new-arr',
        percent: '20',
        dealRating: 5,
        minOverallRating: '4.8',
        minRatings: 3,
        combine: 'instead',
      },
      {
        type: 'churn_clawback',
        id: 'churn-90',
        label: 'Clawback on churn within 90 days',
        appliesTo: ['new-arr'],
        withinDays: 90,
        percent: '100',
      },
    ],
  },
  {
    key: 'sdr-2026',
    name: 'SDRs 2026',
    roles: ['sdr_inbound', 'sdr_outbound'],
    components: [
      {
        type: 'per_unit',
        id: 'accepted-lead',
        label: 'Bonus per qualified lead accepted by an AE',
        unit: 'accepted_lead',
        amount: '150',
        clawbackIfDisqualifiedWithinDays: 30,
      },
      { type: 'commission', id: 'sourced-arr', label: 'Commission on sourced ARR', credit: 'sdr', rate: '1' },
    ],
  },
  {
    key: 'csm-2026',
    name: 'Customer success 2026',
    roles: ['csm', 'relationship_manager'],
    components: [{ type: 'retention_bonus', id: 'grr-bonus', label: 'Quarterly retention bonus', amount: '3000', targetGrrPercent: '90' }],
  },
  {
    key: 'manager-2026',
    name: 'Managers 2026',
    roles: ['manager'],
    components: [
      {
        type: 'manager_override',
        id: 'team-override',
        label: 'Override on team ARR',
        rate: '1',
        tiers: [
          { upToPercent: '100', multiplier: '1' },
          { upToPercent: null, multiplier: '1.5' },
        ],
      },
    ],
  },
];

/**
 * Publishes the demo plans and assigns everyone with a fitting role at their level, from the month of the first won deal
 * (or a given date), or from their hire date when later. Managers only when they manage a team. Idempotent: a workspace
 * that already has comp plans is left alone.
 */
export async function seedDemoCompPlans(
  db: Db,
  workspaceId: string,
  opts: { from?: string } = {},
): Promise<{ plans: number; assignments: number }> {
  const [existing] = await db.query('select 1 from comp_plans where workspace_id = $1 limit 1', [workspaceId]);
  if (existing) return { plans: 0, assignments: 0 };
  const p = systemPrincipal(workspaceId);
  const from = opts.from ?? (await firstDealMonth(db, workspaceId));
  for (const doc of DEMO_PLANS) {
    const draft = await createDraft(db, p, doc);
    await publishVersion(db, p, draft.key, draft.version, from);
  }
  const people = await db.query<{ id: string; roles: Role[]; level: number; hireDate: string | null; manages: boolean }>(
    `select u.id, u.roles, u.level, u.hire_date as "hireDate", exists (select 1 from teams t where t.manager_id = u.id) as manages
       from users u where u.workspace_id = $1 and u.active order by u.email`,
    [workspaceId],
  );
  let assignments = 0;
  for (const u of people) {
    const plan = DEMO_PLANS.find((d) => d.roles.some((r) => u.roles.includes(r)) && (!d.roles.includes('manager') || u.manages));
    if (!plan) continue;
    const start = u.hireDate && u.hireDate > from ? u.hireDate : from;
    await createAssignment(db, p, { userId: u.id, planKey: plan.key, level: Math.min(Math.max(u.level, 1), 3), from: start });
    assignments += 1;
  }
  return { plans: DEMO_PLANS.length, assignments };
}

async function firstDealMonth(db: Db, workspaceId: string): Promise<string> {
  const [row] = await db.query<{ first: Date | null; timezone: string }>(
    `select (select min(closed_at) from opportunities where workspace_id = w.id and stage = 'won') as first, w.timezone from workspaces w where w.id = $1`,
    [workspaceId],
  );
  const first = row?.first
    ? DateTime.fromJSDate(row.first, { zone: row.timezone })
    : DateTime.now()
        .setZone(row?.timezone ?? 'UTC')
        .startOf('year');
  return first.startOf('month').toISODate()!;
}
