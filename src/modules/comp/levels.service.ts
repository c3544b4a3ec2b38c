import { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { retentionOfRepCustomers } from '../success/retention.service.js';
import { compScope, loadCompUser, loadVisibleUser, requireCompAdmin } from './access.js';
import { createAssignment, setAssignmentEnd } from './assignments.service.js';
import { addDays } from './dates.core.js';
import { HUBSPOT_LEVELS, type Level, type LevelProgress, ladderProblems, levelProgress, type Measures } from './levels.core.js';
import * as plansRepo from './plans.repo.js';
import { Decimal } from './rounding.js';

/**
 * The levels ladder: read by everyone (reps should know what the next level takes), set by sales ops; every closer's
 * progress evaluated from the CRM and retention data on demand (so it is always current); promotion is an audited
 * action that ends the rep's comp assignment and starts one at the next level from a date.
 */

export const CLOSER_ROLES = ['ae', 'realtime_ae', 'esb_ae'];

const LEVEL_COLS = `level, name, base, variable, rate, quota, window_months as "windowMonths", min_closed_arr as "minClosedArr",
  productivity_metric as "productivityMetric", productivity_target as "productivityTarget", max_churn_rate as "maxChurnRate"`;

async function ladderOf(db: Db, workspaceId: string): Promise<Level[]> {
  return db.query<Level>(`select ${LEVEL_COLS} from comp_levels where workspace_id = $1 order by level`, [workspaceId]);
}

export async function getLadder(db: Db, p: Principal) {
  compScope(p);
  return { items: await ladderOf(db, p.workspaceId) };
}

async function writeLadder(tx: Db, workspaceId: string, levels: Level[], by: string | null) {
  await tx.query('delete from comp_levels where workspace_id = $1', [workspaceId]);
  for (const l of levels)
    await tx.query(
      `insert into comp_levels (workspace_id, level, name, base, variable, rate, quota, window_months, min_closed_arr,
                                productivity_metric, productivity_target, max_churn_rate, updated_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        workspaceId,
        l.level,
        l.name,
        l.base,
        l.variable,
        l.rate,
        l.quota,
        l.windowMonths,
        l.level === 1 ? null : l.minClosedArr,
        l.level === 1 ? null : l.productivityMetric,
        l.level === 1 ? null : l.productivityTarget,
        l.level === 1 ? null : l.maxChurnRate,
        by,
      ],
    );
}

/** Replaces the ladder (sales ops): levels 1..n, milestones on every level above 1. */
export async function setLadder(db: Db, p: Principal, levels: Level[]) {
  requireCompAdmin(p);
  const sorted = [...levels].sort((a, b) => a.level - b.level);
  const problems = ladderProblems(sorted);
  if (problems.length) throw new AppError('validation_failed', `${problems[0].path}: ${problems[0].message}`, problems);
  return db.transaction(async (tx) => {
    const before = await ladderOf(tx, p.workspaceId);
    await writeLadder(tx, p.workspaceId, sorted, p.userId);
    const after = await ladderOf(tx, p.workspaceId);
    await audit(tx, p, { workspaceId: p.workspaceId, action: 'comp.levels.set', recordType: 'comp_levels', recordId: null, before, after });
    return { items: after };
  });
}

/** The HubSpot template as the workspace's ladder, unless it has one (the demo, and new workspaces on request). */
export async function seedDemoLevels(db: Db, workspaceId: string) {
  await db.transaction(async (tx) => {
    if ((await ladderOf(tx, workspaceId)).length) return;
    await writeLadder(tx, workspaceId, HUBSPOT_LEVELS, null);
  });
}

/** What a rep achieved over the trailing window ending now: ARR closed, productivity, churn of their customers. */
export async function repMeasures(db: Db, workspaceId: string, repId: string, windowMonths: number, now: Date): Promise<Measures> {
  const from = DateTime.fromJSDate(now).minus({ months: windowMonths }).toJSDate();
  const [deals] = await db.query<{ closedArr: string; won: number; lost: number; pipeline: string }>(
    `select coalesce(sum(amount) filter (where stage = 'won' and closed_at >= $3 and closed_at < $4), 0)::numeric(16,2)::text as "closedArr",
            count(*) filter (where stage = 'won' and closed_at >= $3 and closed_at < $4)::int as won,
            count(*) filter (where stage = 'lost' and closed_at >= $3 and closed_at < $4)::int as lost,
            coalesce(sum(amount) filter (where created_at >= $3 and created_at < $4), 0)::numeric(16,2)::text as pipeline
       from opportunities where workspace_id = $1 and owner_id = $2`,
    [workspaceId, repId, from, now],
  );
  const closedDeals = deals.won + deals.lost;
  const retention = await retentionOfRepCustomers(db, workspaceId, repId, from, now);
  return {
    closedArr: deals.closedArr,
    productivity: {
      win_rate: closedDeals ? new Decimal(deals.won).div(closedDeals).toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN).toFixed(4) : '0.0000',
      won_deals: String(deals.won),
      pipeline_created: deals.pipeline,
    },
    churnRate: retention.grr == null ? null : new Decimal(1).minus(retention.grr).toFixed(4),
  };
}

export type RepProgress = {
  user: { id: string; name: string; teamName: string | null };
  level: number;
  levelName: string | null;
  measures: Measures | null;
  progress: LevelProgress;
};

async function evaluate(
  db: Db,
  workspaceId: string,
  ladder: Level[],
  u: { id: string; name: string; teamName: string | null; level: number },
  now: Date,
) {
  const next = ladder.find((l) => l.level === u.level + 1);
  const measures = next ? await repMeasures(db, workspaceId, u.id, next.windowMonths, now) : null;
  const empty: Measures = { closedArr: '0', productivity: { win_rate: '0', won_deals: '0', pipeline_created: '0' }, churnRate: null };
  return {
    user: { id: u.id, name: u.name, teamName: u.teamName },
    level: u.level,
    levelName: ladder.find((l) => l.level === u.level)?.name ?? null,
    measures,
    progress: levelProgress(ladder, u.level, measures ?? empty),
  } satisfies RepProgress;
}

/** Progress of one rep, or of every closer in the caller's scope (a rep: themselves; a manager: their teams). */
export async function levelProgressOf(db: Db, p: Principal, q: { repId?: string }, now: Date): Promise<{ items: RepProgress[] }> {
  const scope = compScope(p);
  const ladder = await ladderOf(db, p.workspaceId);
  if (q.repId) {
    const u = await loadVisibleUser(db, p, q.repId);
    return { items: [await evaluate(db, p.workspaceId, ladder, u, now)] };
  }
  const people = await db.query<{ id: string; name: string; teamName: string | null; level: number }>(
    `select u.id, u.name, t.name as "teamName", u.level from users u left join teams t on t.id = u.team_id
      where u.workspace_id = $1 and u.roles && $2::text[] and u.active and ($3::uuid[] is null or u.id = any($3::uuid[])) order by u.name`,
    [p.workspaceId, CLOSER_ROLES, scope.all ? null : scope.userIds],
  );
  const items: RepProgress[] = [];
  for (const u of people) items.push(await evaluate(db, p.workspaceId, ladder, u, now));
  return { items };
}

/**
 * Promotes a rep one level from a date (sales ops): every milestone of the next level must be met now. In one
 * transaction: the assignment in force that day ends the day before, one on the same plan at the next level starts
 * (the assignments service checks closed months, overlaps and that the plan pays the level), the user's level
 * changes, and the promotion is recorded with its evidence and audited.
 */
export async function promote(db: Db, p: Principal, input: { userId: string; effectiveFrom: string; note?: string }, now: Date) {
  requireCompAdmin(p);
  const user = await loadCompUser(db, p.workspaceId, input.userId);
  const ladder = await ladderOf(db, p.workspaceId);
  const { progress, measures } = await evaluate(db, p.workspaceId, ladder, user, now);
  if (!progress.next)
    throw new AppError('conflict', `${user.name} is at level ${user.level}, the top of the ladder`, [
      { path: 'userId', message: 'no next level' },
    ]);
  if (!progress.eligible) {
    const missing = progress.components.filter((c) => !c.met);
    throw new AppError(
      'conflict',
      `${user.name} has not met every milestone of ${progress.next.name}: ${missing.map((c) => c.label).join('; ')}`,
      missing.map((c) => ({ path: c.component, message: `${c.actual ?? 'none'} against ${c.target}` })),
    );
  }
  const toLevel = progress.next.level;
  return db.transaction(async (tx) => {
    const current = (await plansRepo.listAssignments(tx, p.workspaceId, [user.id])).find(
      (a) => a.from <= input.effectiveFrom && (a.to == null || a.to >= input.effectiveFrom),
    );
    if (!current)
      throw new AppError('conflict', `${user.name} has no comp assignment on ${input.effectiveFrom} to move to the next level`, [
        { path: 'effectiveFrom', message: 'no assignment in force that day' },
      ]);
    if (current.from === input.effectiveFrom)
      throw new AppError('conflict', `the assignment in force starts on ${input.effectiveFrom}: promote from a later date`, [
        { path: 'effectiveFrom', message: `must be after ${current.from}` },
      ]);
    await setAssignmentEnd(tx, p, current.id, addDays(input.effectiveFrom, -1));
    const started = await createAssignment(tx, p, {
      userId: user.id,
      planKey: current.planKey,
      level: toLevel,
      from: input.effectiveFrom,
      to: current.to,
    });
    await tx.query('update users set level = $3 where workspace_id = $1 and id = $2', [p.workspaceId, user.id, toLevel]);
    const evidence = { measures, components: progress.components, evaluatedAt: now.toISOString() };
    const [row] = await tx.query<{ id: string }>(
      `insert into comp_promotions (workspace_id, user_id, from_level, to_level, effective_from, plan_key, ended_assignment_id,
                                    new_assignment_id, evidence, note, promoted_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
      [
        p.workspaceId,
        user.id,
        user.level,
        toLevel,
        input.effectiveFrom,
        current.planKey,
        current.id,
        started.id,
        JSON.stringify(evidence),
        input.note ?? null,
        p.userId,
      ],
    );
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'comp.level.promote',
      recordType: 'user',
      recordId: user.id,
      before: { level: user.level, assignment: current.id },
      after: { level: toLevel, assignment: started.id, effectiveFrom: input.effectiveFrom, promotion: row.id, evidence },
    });
    return { id: row.id, userId: user.id, fromLevel: user.level, toLevel, effectiveFrom: input.effectiveFrom, assignment: started };
  });
}

/** Promotions of the people in the caller's scope, newest first. */
export async function listPromotions(db: Db, p: Principal) {
  const scope = compScope(p);
  return {
    items: await db.query(
      `select pr.id, pr.user_id as "userId", u.name as "userName", pr.from_level as "fromLevel", pr.to_level as "toLevel",
              pr.effective_from as "effectiveFrom", pr.plan_key as "planKey", pr.note, pr.evidence, pr.created_at as "createdAt",
              b.name as "promotedBy"
         from comp_promotions pr join users u on u.id = pr.user_id left join users b on b.id = pr.promoted_by
        where pr.workspace_id = $1 and ($2::uuid[] is null or pr.user_id = any($2::uuid[])) order by pr.created_at desc`,
      [p.workspaceId, scope.all ? null : scope.userIds],
    ),
  };
}
