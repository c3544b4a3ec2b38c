import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import { audit, diff } from '../../platform/audit.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError, conflict, type FieldIssue, notFound } from '../../platform/errors.js';
import { cursorValueSql, keyset, page, Where } from '../../platform/http/list.js';
import { accounts } from '../crm/crm.resources.js';
import { getFor } from '../crm/records.service.js';
import { dataScope } from '../org/org.core.js';
import * as events from './events.repo.js';
import { type MilestoneStatus, type ProgressItem, windowEnd } from './milestones.core.js';
import { openWindows, reevaluate } from './milestones.evaluate.js';
import * as repo from './milestones.repo.js';
import {
  type AccountMilestonesQuery,
  type MilestoneCreate,
  type MilestoneUpdate,
  milestoneCreate,
  milestoneUpdate,
} from './milestones.schema.js';
import { MILESTONE_TEMPLATES } from './milestones.templates.js';

export type Milestone = repo.MilestoneRow & { accounts: repo.StatusCounts };

/** Zod issues as the API's field-level details (the service checks input again: the CLI and jobs call it too). */
function parsed<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const details: FieldIssue[] = r.error.issues.map((i) => ({ path: i.path.join('.') || 'body', message: i.message }));
  throw new AppError('validation_failed', `${details[0].path}: ${details[0].message}`, details);
}

/** Accounts a caller may see: null for the whole workspace, else the owners whose accounts (owner or CSM) they see. */
const readableOwners = (p: Principal): string[] | null => {
  const s = dataScope(p, 'read');
  return s.all ? null : s.ownerIds;
};

export function templates() {
  return MILESTONE_TEMPLATES;
}

/** Every milestone with its accounts per status (those the caller may see). */
export async function listMilestones(db: Db, p: Principal): Promise<Milestone[]> {
  requirePermission(p, 'crm:read');
  const counts = await repo.statusCounts(db, p.workspaceId, readableOwners(p));
  return (await repo.listMilestones(db, p.workspaceId)).map((m) => ({
    ...m,
    accounts: counts.get(m.id) ?? { pending: 0, reached: 0, missed: 0 },
  }));
}

export async function getMilestone(db: Db, p: Principal, id: string): Promise<Milestone> {
  requirePermission(p, 'crm:read');
  const m = await repo.findMilestone(db, p.workspaceId, id);
  if (!m) throw notFound('milestone');
  const counts = await repo.statusCounts(db, p.workspaceId, readableOwners(p));
  return { ...m, accounts: counts.get(m.id) ?? { pending: 0, reached: 0, missed: 0 } };
}

/** One active milestone per plan (and one default): refused on `plan`, naming the one already there. */
async function checkPlanFree(tx: Db, workspaceId: string, m: { plan: string | null; active: boolean }, exceptId: string | null) {
  if (!m.active) return;
  const other = await repo.activeForPlan(tx, workspaceId, m.plan, exceptId);
  if (other)
    throw new AppError(
      'validation_failed',
      `plan: the active milestone "${other.name}" already applies to ${m.plan ? `plan ${m.plan}` : 'accounts without a plan of their own'}`,
      [
        {
          path: 'plan',
          message: `"${other.name}" is already the active milestone for ${m.plan ? `plan ${m.plan}` : 'accounts without a plan of their own'}`,
        },
      ],
    );
}

async function checkNameFree(tx: Db, workspaceId: string, name: string, exceptId: string | null) {
  const [same] = await tx.query(
    'select 1 from milestones where workspace_id = $1 and lower(name) = lower($2) and ($3::uuid is null or id <> $3)',
    [workspaceId, name, exceptId],
  );
  if (same)
    throw new AppError('validation_failed', `name: a milestone named "${name}" already exists`, [
      { path: 'name', message: 'already used by another milestone' },
    ]);
}

/** Opens windows in chunks (each evaluated from its stored events) until no customer account lacks one. */
async function openAll(tx: Db, workspaceId: string, now: Date) {
  const CHUNK = 500;
  let opened = 0;
  for (;;) {
    const r = await openWindows(tx, workspaceId, null, now, CHUNK);
    opened += r.opened;
    if (r.found < CHUNK) return opened;
  }
}

/** Creates a milestone (admins and sales ops); customers without one get their window opened against it. */
export async function createMilestone(db: Db, p: Principal, input: MilestoneCreate, now: Date): Promise<Milestone> {
  requirePermission(p, 'org:write');
  const m = parsed(milestoneCreate, input);
  return db.transaction(async (tx) => {
    await checkNameFree(tx, p.workspaceId, m.name, null);
    await checkPlanFree(tx, p.workspaceId, m, null);
    const row = await repo.insertMilestone(tx, p.workspaceId, m, now);
    await audit(tx, p, { workspaceId: p.workspaceId, action: 'milestone.create', recordType: 'milestone', recordId: row.id, after: row });
    if (row.active) await openAll(tx, p.workspaceId, now);
    return getMilestone(tx, p, row.id);
  });
}

/**
 * Edits a milestone. A new rule or window re-evaluates every account measured against it from the stored events
 * (their windows keep their start; the end moves with the window length); the changes it causes are recorded
 * like any other. Accounts keep the milestone their window opened with: a plan or activation change only
 * decides which milestone windows opened from now on get.
 */
export async function updateMilestone(db: Db, p: Principal, id: string, input: MilestoneUpdate, now: Date): Promise<Milestone> {
  requirePermission(p, 'org:write');
  const patch = parsed(milestoneUpdate, input);
  return db.transaction(async (tx) => {
    const before = await repo.findMilestone(tx, p.workspaceId, id, true);
    if (!before) throw notFound('milestone');
    const next: repo.MilestoneInput = {
      name: patch.name ?? before.name,
      plan: patch.plan === undefined ? before.plan : patch.plan,
      template: before.template,
      rule: patch.rule ?? before.rule,
      windowDays: patch.windowDays ?? before.windowDays,
      active: patch.active ?? before.active,
    };
    if (next.name !== before.name) await checkNameFree(tx, p.workspaceId, next.name, id);
    await checkPlanFree(tx, p.workspaceId, next, id);
    const row = await repo.updateMilestone(tx, id, next, now);
    const d = diff(before as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>);
    if (d.changed)
      await audit(tx, p, {
        workspaceId: p.workspaceId,
        action: 'milestone.update',
        recordType: 'milestone',
        recordId: id,
        before: d.before,
        after: d.after,
      });
    const ruleChanged = JSON.stringify(before.rule) !== JSON.stringify(row.rule) || before.windowDays !== row.windowDays;
    if (ruleChanged) {
      const timezone = await repo.workspaceTimezone(tx, p.workspaceId);
      const rows = await repo.lockStates(tx, p.workspaceId, { milestoneId: id });
      const endOf = (r: repo.StateRow) => windowEnd(r.windowStart, row.windowDays, timezone);
      for (let i = 0; i < rows.length; i += 500) await reevaluate(tx, p.workspaceId, rows.slice(i, i + 500), now, endOf);
    }
    if (row.active) await openAll(tx, p.workspaceId, now);
    return getMilestone(tx, p, id);
  });
}

/** Only a milestone no account was measured against can go: the others carry compensation history (deactivate them). */
export async function deleteMilestone(db: Db, p: Principal, id: string) {
  requirePermission(p, 'org:write');
  await db.transaction(async (tx) => {
    const m = await repo.findMilestone(tx, p.workspaceId, id, true);
    if (!m) throw notFound('milestone');
    const n = await repo.accountRowCount(tx, id);
    if (n)
      throw conflict(`${n} account${n === 1 ? ' is' : 's are'} measured against this milestone: deactivate it instead`, { accounts: n });
    await repo.deleteMilestone(tx, id);
    await audit(tx, p, { workspaceId: p.workspaceId, action: 'milestone.delete', recordType: 'milestone', recordId: id, before: m });
  });
}

export type AccountMilestone = {
  milestoneId: string;
  milestoneName: string;
  opportunityId: string | null;
  windowStart: Date;
  windowEnd: Date;
  status: MilestoneStatus;
  reachedAt: Date | null;
  decidedAt: Date | null;
  progress: ProgressItem[];
  crossingEvent: { id: number; messageId: string; name: string; occurredAt: Date; user: string | null } | null;
  changes: {
    fromStatus: MilestoneStatus | null;
    toStatus: MilestoneStatus;
    reachedAt: Date | null;
    crossingEventId: number | null;
    changedAt: Date;
  }[];
};

/** An account's milestone state, progress and history (scoped like the account: 404 elsewhere, 403 outside scope). */
export async function accountMilestones(db: Db, p: Principal, accountId: string): Promise<AccountMilestone[]> {
  await getFor(db, p, accounts, accountId);
  const rows = await db.query<Omit<AccountMilestone, 'changes'>>(
    `select am.milestone_id as "milestoneId", m.name as "milestoneName", am.opportunity_id as "opportunityId",
            am.window_start as "windowStart", am.window_end as "windowEnd", am.status, am.reached_at as "reachedAt",
            am.decided_at as "decidedAt", am.progress,
            case when e.id is null then null else json_build_object('id', e.id, 'messageId', e.message_id, 'name', e.name,
                 'occurredAt', e.occurred_at, 'user', e.user_key) end as "crossingEvent"
       from account_milestones am join milestones m on m.id = am.milestone_id
       left join usage_events e on e.id = am.crossing_event_id
      where am.workspace_id = $1 and am.account_id = $2 order by am.window_start`,
    [p.workspaceId, accountId],
  );
  const changes = await db.query<AccountMilestone['changes'][number] & { milestoneId: string }>(
    `select milestone_id as "milestoneId", from_status as "fromStatus", to_status as "toStatus", reached_at as "reachedAt",
            crossing_event_id as "crossingEventId", changed_at as "changedAt"
       from account_milestone_changes where workspace_id = $1 and account_id = $2 order by changed_at, id`,
    [p.workspaceId, accountId],
  );
  return rows.map((r) => ({
    ...r,
    crossingEvent: r.crossingEvent ? { ...r.crossingEvent, occurredAt: new Date(r.crossingEvent.occurredAt) } : null,
    changes: changes.filter((c) => c.milestoneId === r.milestoneId).map(({ milestoneId: _, ...c }) => c),
  }));
}

export type AccountMilestoneItem = {
  id: string;
  accountName: string;
  ownerId: string | null;
  csmId: string | null;
  milestoneId: string;
  milestoneName: string;
  status: MilestoneStatus;
  windowStart: Date;
  windowEnd: Date;
  reachedAt: Date | null;
  decidedAt: Date | null;
  progress: ProgressItem[];
};

/** Accounts and their milestone state, paged by window end (soonest first by default), scoped like accounts. */
export async function listAccountMilestones(db: Db, p: Principal, q: AccountMilestonesQuery) {
  requirePermission(p, 'crm:read');
  const w = new Where();
  w.add(`am.workspace_id = ${w.param(p.workspaceId)}`);
  if (q.status) w.add(`am.status = ${w.param(q.status)}`);
  if (q.milestoneId) w.add(`am.milestone_id = ${w.param(q.milestoneId)}`);
  const owners = readableOwners(p);
  if (owners) {
    const ids = w.param(owners);
    w.add(`(a.owner_id = any(${ids}::uuid[]) or a.csm_id = any(${ids}::uuid[]))`);
  }
  const sort = { expr: 'am.window_end', type: 'timestamptz' } as const;
  const order = keyset(w, sort, q.order, q.cursor, 'am.account_id');
  const rows = await db.query<AccountMilestoneItem & { sortValue: string }>(
    `select am.account_id as id, a.name as "accountName", a.owner_id as "ownerId", a.csm_id as "csmId",
            am.milestone_id as "milestoneId", m.name as "milestoneName", am.status, am.window_start as "windowStart",
            am.window_end as "windowEnd", am.reached_at as "reachedAt", am.decided_at as "decidedAt", am.progress,
            ${cursorValueSql(sort)} as "sortValue"
       from account_milestones am join accounts a on a.id = am.account_id join milestones m on m.id = am.milestone_id
       ${w.sql()} ${order} limit ${q.limit + 1}`,
    w.params,
  );
  const { items, nextCursor } = page(rows, q.limit, (r) => r.sortValue);
  return { items: items.map(({ sortValue: _, ...r }) => r), nextCursor };
}

/** Opens a window for every customer account lacking one, each evaluated from its stored events; returns how many. */
export async function syncMilestoneWindows(db: Db, workspaceId: string, now: Date): Promise<number> {
  return db.transaction((tx) => openAll(tx, workspaceId, now));
}

/**
 * Links events kept for keys that now name an account (re-evaluating those accounts from their stored events),
 * then opens the windows of customers lacking one. What the recurring job does for each workspace.
 */
export async function linkAndOpen(db: Db, workspaceId: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const linked = await events.linkAllKeys(tx, workspaceId);
    await openAll(tx, workspaceId, now);
    if (linked.size) await reevaluate(tx, workspaceId, await repo.lockStates(tx, workspaceId, { accountIds: [...linked].sort() }), now);
  });
}

/**
 * Evaluates every account's milestone from the stored events, as if nothing had been evaluated before: links
 * events kept for keys that now name an account, opens missing windows, then settles every row (missed where the
 * window and its grace ended before `now`). Rows whose result did not change are not written and record no change.
 */
export async function recomputeMilestones(db: Db, workspaceId: string, now: Date): Promise<void> {
  await linkAndOpen(db, workspaceId, now);
  let after: string | null = null;
  for (;;) {
    const last: string | null = await db.transaction(async (tx) => {
      const rows = await repo.lockStates(tx, workspaceId, { afterAccountId: after, limit: 300 });
      if (rows.length) await reevaluate(tx, workspaceId, rows, now);
      return rows.at(-1)?.accountId ?? null;
    });
    if (!last) return;
    after = last;
  }
}
