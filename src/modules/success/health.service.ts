import { DateTime } from 'luxon';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { cursorValueSql, keyset, page, type SortSpec, Where } from '../../platform/http/list.js';
import { loadWorkspace } from '../analytics/funnel.service.js';
import { accounts } from '../crm/crm.resources.js';
import { getFor } from '../crm/records.service.js';
import { dataScope } from '../org/org.core.js';
import { addDays, daysBetween, type HealthInputs, type HealthSettings, healthOf, localDay, withDefaults } from './health.core.js';
import * as repo from './health.repo.js';
import { healthSettingsPut, type successAccountsQuery } from './health.schema.js';
import { tasksOfAccount } from './tasks.repo.js';

export async function loadSettings(db: Db, workspaceId: string): Promise<HealthSettings> {
  return withDefaults(await repo.readSettings(db, workspaceId));
}

/** Health settings are workspace configuration: admins and sales ops (org:write) read and change them. */
export async function getHealthSettings(db: Db, p: Principal) {
  requirePermission(p, 'org:write');
  const stored = await repo.readSettings(db, p.workspaceId);
  return { settings: withDefaults(stored), isDefault: stored == null };
}

/** Validated again here (the CLI and jobs do not pass through the HTTP schema): each problem names its field. */
export async function putHealthSettings(db: Db, p: Principal, input: unknown) {
  requirePermission(p, 'org:write');
  const parsed = healthSettingsPut.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'body', message: i.message }));
    throw new AppError('validation_failed', `Invalid settings: ${details[0].path}: ${details[0].message}`, details);
  }
  const settings = parsed.data;
  return db.transaction(async (tx) => {
    const before = await repo.readSettings(tx, p.workspaceId);
    await repo.writeSettings(tx, p.workspaceId, settings);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'health.settings',
      recordType: 'health_settings',
      recordId: p.workspaceId,
      before: withDefaults(before),
      after: settings,
    });
    return { settings, isDefault: false };
  });
}

/**
 * Scores every customer account (a live subscription as of asOf) as of asOf and stores the scores for asOf's
 * local day in the workspace time zone, replacing that day's earlier computation. Idempotent; the demo calls it
 * for past dates, the daily job for now.
 */
export async function refreshHealth(db: Db, workspaceId: string, asOf: Date): Promise<void> {
  const { timezone } = await loadWorkspace(db, workspaceId);
  const settings = await loadSettings(db, workspaceId);
  const day = localDay(asOf, timezone);
  const customers = await repo.customerAccounts(db, workspaceId, asOf, day);
  const ids = customers.map((a) => a.id);
  const usage = await repo.usageCounts(db, workspaceId, ids, asOf, settings.events, settings.signals.lookbackDays);
  const firsts = await repo.firstEvents(db, workspaceId, ids, asOf);
  const milestones = await repo.milestonesAsOf(db, workspaceId, ids, asOf);
  const ratings = await repo.latestRatings(db, workspaceId, ids, asOf);
  const ticketsKnown = await repo.hasTicketStream(db, workspaceId, settings.events.supportTicket, asOf);

  const scored: repo.ScoredAccount[] = [];
  for (const a of customers) {
    const u = usage.get(a.id);
    const inputs: HealthInputs = {
      usage: { last30: u?.last30 ?? 0, prev30: u?.prev30 ?? 0, hasHistory: firsts.has(a.id) },
      seats: { used: u?.users30 ?? 0, bought: a.seats },
      milestone: milestones.get(a.id) ?? null,
      supportTickets: ticketsKnown ? (u?.tickets30 ?? 0) : null,
      buyerRating: ratings.get(a.id) ?? null,
      daysToRenewal: a.nextRenewal ? daysBetween(day, a.nextRenewal) : null,
    };
    const health = healthOf(inputs, settings);
    if (health) scored.push({ accountId: a.id, ...health });
  }
  await db.transaction((tx) => repo.replaceDay(tx, workspaceId, day, scored));
}

const HOME_SORT_SPECS: Record<z.infer<typeof successAccountsQuery>['sort'], SortSpec> = {
  // Unscored accounts after the critical ones when worst-first: there is nothing to act on yet.
  health: { expr: 'coalesce(x.score, 101)', type: 'int' },
  renewal: { expr: `coalesce(x."nextRenewal", '9999-12-31'::date)`, type: 'date' },
  arr: { expr: 'x.arr', type: 'numeric' },
  name: { expr: 'x.name', type: 'text' },
};

/** Refuses a filter on a person outside the workspace (404) or outside the caller's scope (403), naming the field. */
async function checkPersonFilter(db: Db, p: Principal, field: string, userId: string) {
  const [u] = await db.query('select 1 from users where workspace_id = $1 and id = $2', [p.workspaceId, userId]);
  if (!u) throw new AppError('not_found', `${field}: no such user in this workspace`, [{ path: field, message: 'not found' }]);
  const scope = dataScope(p, 'read');
  if (!scope.all && !scope.ownerIds.includes(userId))
    throw new AppError('forbidden', `${field}: this person is outside your scope`, [{ path: field, message: 'outside your scope' }]);
}

/**
 * The CSM home: customer accounts with ARR, health (score, band, change over 7 days), milestone, next renewal
 * and open tasks. A CSM or rep sees the accounts they own or look after, a manager their teams', leaders all.
 */
export async function successAccounts(db: Db, p: Principal, q: z.infer<typeof successAccountsQuery>, now: Date) {
  requirePermission(p, 'crm:read');
  const { timezone } = await loadWorkspace(db, p.workspaceId);
  if (q.csmId) await checkPersonFilter(db, p, 'csmId', q.csmId);
  const scope = dataScope(p, 'read');
  const where = new Where();
  const ws = where.param(p.workspaceId);
  if (!scope.all) {
    const ids = where.param(scope.ownerIds);
    where.add(`(x."csmId" = any(${ids}::uuid[]) or x."ownerId" = any(${ids}::uuid[]))`);
  }
  if (q.band) {
    const bands = where.param(q.band);
    where.add(`(x.band = any(${bands}::text[]) or (x.band is null and 'unscored' = any(${bands}::text[])))`);
  }
  if (q.csmId) where.add(`x."csmId" = ${where.param(q.csmId)}::uuid`);
  if (q.q) where.add(`x.name ilike ${where.param(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
  const today = localDay(now, timezone);
  if (q.renewalWithinDays) where.add(`x."nextRenewal" <= ${where.param(addDays(today, q.renewalWithinDays))}::date`);
  const sort = HOME_SORT_SPECS[q.sort];
  const order = keyset(where, sort, q.order, q.cursor, 'x.id');
  const limit = where.param(q.limit + 1);
  const rows = await db.query<repo.HomeRow>(repo.homeListSql(ws, cursorValueSql(sort), where.sql(), order, limit), where.params);
  const { items, nextCursor } = page(rows, q.limit, (r) => r.sortKey);
  return {
    items: items.map((r) => ({
      id: r.id,
      name: r.name,
      csmId: r.csmId,
      ownerId: r.ownerId,
      arr: r.arr,
      nextRenewal: r.nextRenewal,
      daysToRenewal: r.nextRenewal ? daysBetween(today, r.nextRenewal) : null,
      health: r.score == null ? null : { score: r.score, band: r.band, day: r.healthDay, trend: r.trend },
      milestone: r.milestoneStatus ? { name: r.milestoneName, status: r.milestoneStatus, windowEnd: r.milestoneWindowEnd } : null,
      openTasks: r.openTasks,
    })),
    nextCursor,
  };
}

const USAGE_DAYS = 90;
const HISTORY_DAYS = 180;

/**
 * An account's success tab: usage per local day over 90 days (every day present, zeros included), its
 * milestones with progress per condition, 180 days of health history with the factor breakdown, its tasks.
 * Scoped like the account: another workspace's is 404, one outside the caller's scope 403.
 */
export async function accountSuccess(db: Db, p: Principal, accountId: string, now: Date) {
  const account = await getFor(db, p, accounts, accountId, 'read');
  const { timezone } = await loadWorkspace(db, p.workspaceId);
  const settings = await loadSettings(db, p.workspaceId);
  const today = localDay(now, timezone);
  const from = addDays(today, -(USAGE_DAYS - 1));
  const counted = await repo.usageByDay(db, {
    workspaceId: p.workspaceId,
    accountId,
    timezone,
    from: DateTime.fromISO(from, { zone: timezone }).toJSDate(),
    to: now,
    ticketEvent: settings.events.supportTicket,
  });
  const byDay = new Map(counted.map((d) => [d.day, d]));
  const usage = Array.from({ length: USAGE_DAYS }, (_, i) => {
    const day = addDays(from, i);
    return byDay.get(day) ?? { day, events: 0, users: 0, tickets: 0 };
  });
  const history = await repo.healthHistory(db, p.workspaceId, accountId, addDays(today, -(HISTORY_DAYS - 1)));
  return {
    account: { id: account.id, name: account.name, csmId: account.csmId, ownerId: account.ownerId },
    usage,
    milestones: await repo.accountMilestones(db, p.workspaceId, accountId),
    health: { latest: history.at(-1) ?? null, history, bands: settings.bands },
    tasks: await tasksOfAccount(db, p.workspaceId, accountId, 50),
  };
}
