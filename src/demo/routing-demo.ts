import type { Db } from '../db/client.js';
import { intakeLeads } from '../modules/routing/intake.service.js';
import { getSettings } from '../modules/routing/settings.repo.js';
import { Rng } from './rng.js';
import { configureRouting, makeRoomForIntake } from './routing-demo-config.js';
import { loadReturnCandidates, type PlannedLead, planLeads, recentBusinessDays } from './routing-demo-leads.js';
import { loadTeam, type Team } from './routing-demo-team.js';
import { type Created, type Settle, type WorkTally, workTheWeek } from './routing-demo-work.js';

const HOUR = 3_600_000;
/** Intake batches: an integration syncing every six hours (a few large batches keep the demo fast). */
const BATCH_SPAN = 6 * HOUR;

export type RoutingDemoOptions = {
  workspaceId: string;
  /** The end of the demo's history: the week's leads arrive in the business days before it. */
  now: Date;
  /** The demo's seeded generator (a fork of it); a fixed seed when absent. */
  rng?: Rng;
};

export type RoutingDemoSummary = {
  /** How much sales ops raised SDR capacities to make room for the week (1: not at all). */
  capacityFactor: number;
  intake: {
    submitted: number;
    batches: number;
    created: number;
    merged: number;
    flagged: number;
    toAccountOwner: number;
    toPools: number;
    toQueue: number;
  };
  work: WorkTally;
  /** Leads of the week still untouched after their first-touch deadline (at `now`). */
  untouchedPastSla: number;
  /** Leads of the week touched after their deadline. */
  touchedLate: number;
};

/**
 * Makes the demo workspace's routing real, through the same services the API uses: sales ops configure the
 * rules, calendar, SLAs and scorecards; a few days of new leads go through intake (dedupe, classification,
 * routing); the SDRs qualify and hand off, the AEs accept or send back. Deterministic for a given generator.
 *
 * The services stamp what they write with the database clock (one instant: everything runs in one transaction);
 * `settle` moves those stamps to the moment each step happened in the demo's week, so histories stay in order.
 */
export async function seedRoutingDemo(db: Db, opts: RoutingDemoOptions): Promise<RoutingDemoSummary> {
  const rng = opts.rng ?? new Rng(1);
  const now = opts.now.getTime();
  const workspaceId = opts.workspaceId;
  return db.transaction(async (tx) => {
    const team = await loadTeam(tx, workspaceId);
    const [{ timezone }] = await tx.query<{ timezone: string }>('select timezone from workspaces where id = $1', [workspaceId]);
    const { intakeRules } = await configureRouting(tx, team, opts.now, timezone);
    const accountOwnerRule = intakeRules.find((r) => r.action.type === 'account_owner')?.id ?? null;
    const settings = await getSettings(tx, workspaceId);
    const cal = { ...settings.businessCalendar, timezone };

    const extra = await loadReturnCandidates(tx, workspaceId, opts.now, { returning: 2, customers: 6 });
    const plan = await planLeads(tx, workspaceId, rng.fork('leads'), {
      windows: recentBusinessDays(now, cal, 4),
      now,
      count: 170,
      repeats: 5,
      ...extra,
    });
    const capacityFactor = await makeRoomForIntake(tx, team, 60);

    const settle: Settle = async (at, ids) => {
      await tx.query(settleSql(ids), [
        workspaceId,
        new Date(at),
        ids.leads ?? [],
        ids.opportunities ?? [],
        ids.accounts ?? [],
        ids.contacts ?? [],
      ]);
    };
    const { created, intake } = await intakeTheWeek(tx, team, plan, accountOwnerRule, settle);
    const work = await workTheWeek(tx, rng.fork('work'), team, created, cal, now, settle);
    const [sla] = await tx.query<{ untouched: number; late: number }>(
      `select count(*) filter (where first_touch_at is null and first_touch_due_at < $3)::int as untouched,
              count(*) filter (where first_touch_at > first_touch_due_at)::int as late
         from leads where workspace_id = $1 and id = any($2::uuid[])`,
      [workspaceId, created.map((c) => c.leadId), opts.now],
    );
    return { capacityFactor, intake, work, untouchedPastSla: sla.untouched, touchedLate: sla.late };
  });
}

/** The week's leads through intake in batches, as an integration would send them. */
async function intakeTheWeek(tx: Db, team: Team, plan: PlannedLead[], accountOwnerRule: string | null, settle: Settle) {
  const intake = { submitted: plan.length, batches: 0, created: 0, merged: 0, flagged: 0, toAccountOwner: 0, toPools: 0, toQueue: 0 };
  const created: Created[] = [];
  const mergedInto = new Set<string>();
  const order = plan.map((p, index) => ({ p, index })).sort((a, b) => a.p.at - b.p.at || a.index - b.index);
  const batches = new Map<number, typeof order>();
  for (const x of order) {
    const key = Math.floor(x.p.at / BATCH_SPAN);
    batches.set(key, [...(batches.get(key) ?? []), x]);
  }
  for (const batch of batches.values()) {
    const at = batch[batch.length - 1].p.at;
    const outcomes = await intakeLeads(
      tx,
      team.ops.as,
      batch.map((x) => x.p.input),
      new Date(at),
    );
    intake.batches++;
    const touched: string[] = [];
    outcomes.forEach((o, i) => {
      const { p, index } = batch[i];
      if (o.status === 'invalid') throw new Error(`routing demo: lead ${index} refused: ${JSON.stringify(o.errors)}`);
      touched.push(o.leadId);
      if (o.status !== 'created') {
        intake.merged++;
        mergedInto.add(o.leadId);
        return;
      }
      intake.created++;
      if (o.needsReview) intake.flagged++;
      if (o.queue) intake.toQueue++;
      else if (o.ruleId && o.ruleId === accountOwnerRule) intake.toAccountOwner++;
      else intake.toPools++;
      const owner = o.ownerId ? (team.byId.get(o.ownerId) ?? null) : null;
      created.push({
        index,
        plan: p,
        leadId: o.leadId,
        owner,
        segment: o.segment,
        sourceType: o.sourceType,
        needsReview: o.needsReview,
        repeated: false,
      });
    });
    await settle(at, { leads: touched, notes: true });
  }
  for (const c of created) c.repeated = mergedInto.has(c.leadId);
  return { created, intake };
}

// Every row the services stamped with now() (the transaction's clock) for these records, moved to the step's time.
// Rows settled earlier no longer equal now(), so each call only moves what the last step wrote. The small
// routing tables (qualifications, assignments, notifications, handoffs) hold only the demo's rows: moved whole.
function settleSql(ids: { opportunities?: string[]; notes?: boolean }) {
  const movedBoth = (table: string, param: string) =>
    `update ${table} set created_at = case when created_at = now() then $2 else created_at end,
                         updated_at = case when updated_at = now() then $2 else updated_at end
      where workspace_id = $1 and id = any(${param}::uuid[]) and (created_at = now() or updated_at = now()) returning 1`;
  const parts = [
    'update leads set updated_at = $2 where workspace_id = $1 and id = any($3::uuid[]) and updated_at = now() returning 1',
    `update status_changes set changed_at = $2 where workspace_id = $1 and record_type in ('lead', 'opportunity')
        and record_id = any($3::uuid[] || $4::uuid[]) and changed_at = now() returning 1`,
    'update lead_qualifications set created_at = $2 where workspace_id = $1 and created_at = now() returning 1',
    'update lead_assignments set assigned_at = $2 where workspace_id = $1 and assigned_at = now() returning 1',
    'update notifications set created_at = $2 where workspace_id = $1 and created_at = now() returning 1',
    'update handoffs set created_at = $2 where workspace_id = $1 and created_at = now() returning 1',
  ];
  // Empty id lists cost a primary-key probe each; the statement keeps all six parameters either way.
  if (ids.opportunities?.length) parts.push(movedBoth('opportunities', '$4'));
  parts.push(movedBoth('accounts', '$5'), movedBoth('contacts', '$6'));
  // Intake's notes on merged leads ("Submitted again via ...").
  if (ids.notes)
    parts.push(
      `update activities set created_at = $2 where workspace_id = $1 and record_type = 'lead' and record_id = any($3::uuid[]) and created_at = now() returning 1`,
    );
  return `with ${parts.map((sql, i) => `p${i} as (${sql})`).join(',\n')} select 1`;
}
