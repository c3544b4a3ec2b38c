import { Decimal } from 'decimal.js';
import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.js';
import type { GroupTotals } from '../analytics/funnel.core.js';
import { ensureFresh, loadWorkspace } from '../analytics/funnel.service.js';
import { parsePeriod } from '../analytics/periods.core.js';
import { readTotals } from '../analytics/rollup.read.js';
import { dataScope, type Role } from '../org/org.core.js';
import {
  attainment,
  DEFAULT_RAMP,
  grrPercent,
  isRateMetric,
  METRIC_ROLES,
  metricsForRoles,
  money2,
  parseQuotaPeriod,
  periodLabel,
  QUOTA_METRICS,
  type QuotaMetric,
  type QuotaPeriod,
  quotaInRange,
  validateRamp,
} from './quotas.core.js';
import * as repo from './quotas.repo.js';

export type QuotaInput = { userId: string; metric: QuotaMetric; period: string; amount: string; note?: string | null };
export type Quota = repo.QuotaRow & { period: string };

const withLabel = (q: repo.QuotaRow): Quota => ({ ...q, period: periodLabel(q.periodKind, q.periodStart) });

/** Admins, sales ops, API keys and the system set anyone's quota; a manager only those of the teams they manage. */
function maySet(p: Principal, userId: string): boolean {
  if (p.kind !== 'user') return true;
  if (p.roles.includes('admin') || p.roles.includes('sales_ops')) return true;
  return p.roles.includes('manager') && p.managedUserIds.includes(userId) && userId !== p.userId;
}

/** Whose quotas a caller may read: everyone (null), or themselves plus the members of teams they manage. */
function readableIds(p: Principal): string[] | null {
  const s = dataScope(p, 'read');
  return s.all ? null : s.ownerIds;
}

function checkAmount(raw: string): string {
  const s = String(raw).trim();
  if (!/^-?\d{1,12}(\.\d{1,2})?$/.test(s)) throw invalid('amount', 'a decimal amount with at most 12 digits and 2 decimals');
  if (new Decimal(s).lte(0)) throw invalid('amount', 'must be above zero');
  return new Decimal(s).toFixed(2);
}

function checkPeriod(raw: string): QuotaPeriod {
  const period = parseQuotaPeriod(String(raw ?? ''));
  if (!period) throw invalid('period', 'must be a year, quarter or month: 2026, 2026-Q3 or 2026-07');
  return period;
}

async function loadUser(db: Db, workspaceId: string, userId: string) {
  const [user] = await repo.findUsers(db, workspaceId, [userId]);
  // Another workspace's user is simply not found: no hint that the id exists elsewhere.
  if (!user) throw new AppError('not_found', 'no such user in this workspace', [{ path: 'userId', message: 'not found' }]);
  return user;
}

/**
 * Sets the quota of a user for a metric and period: creates it, or updates it when the same user, metric and
 * period already has one (idempotent). A period overlapping another of the same user and metric (a month
 * inside a quarter quota, a quarter inside a year) is refused: the two would count the same deals twice.
 */
export async function setQuota(db: Db, p: Principal, input: QuotaInput): Promise<{ quota: Quota; created: boolean }> {
  const user = await loadUser(db, p.workspaceId, input.userId);
  if (!maySet(p, user.id)) throw forbidden('only admins, sales ops and the manager of their team set a quota');
  if (!QUOTA_METRICS.includes(input.metric)) throw invalid('metric', `must be one of ${QUOTA_METRICS.join(', ')}`);
  const fits = metricsForRoles(user.roles as Role[]);
  if (!fits.includes(input.metric))
    throw invalid(
      'metric',
      fits.length
        ? `${input.metric} does not fit ${user.name}'s roles; use ${fits.join(' or ')}`
        : `${user.name} has no selling role with a quota (${METRIC_ROLES[input.metric].join(', ')} for ${input.metric})`,
    );
  const period = checkPeriod(input.period);
  const amount = checkAmount(input.amount);
  if (isRateMetric(input.metric) && new Decimal(amount).gt(100)) throw invalid('amount', 'a retention target is a percent: at most 100');
  const note = input.note?.trim() || null;
  return db.transaction(async (tx) => {
    const found = await repo.overlapping(tx, p.workspaceId, user.id, input.metric, period.start, period.end);
    const same = found.find((q) => q.periodKind === period.kind && q.periodStart === period.start);
    const clash = found.find((q) => q !== same);
    if (clash)
      throw invalid(
        'period',
        `overlapping periods: ${user.name} already has a ${input.metric} quota for ${periodLabel(clash.periodKind, clash.periodStart)}`,
      );
    if (same) {
      const row = await repo.updateQuota(tx, same.id, amount, note);
      await audit(tx, p, {
        workspaceId: p.workspaceId,
        action: 'quota.update',
        recordType: 'quota',
        recordId: row.id,
        before: { amount: same.amount, note: same.note },
        after: { amount: row.amount, note: row.note },
      });
      return { quota: withLabel(row), created: false };
    }
    const row = await repo.insertQuota(tx, {
      workspaceId: p.workspaceId,
      userId: user.id,
      metric: input.metric,
      periodKind: period.kind,
      periodStart: period.start,
      periodEnd: period.end,
      amount,
      note,
    });
    await audit(tx, p, { workspaceId: p.workspaceId, action: 'quota.create', recordType: 'quota', recordId: row.id, after: row });
    return { quota: withLabel(row), created: true };
  });
}

export async function deleteQuota(db: Db, p: Principal, id: string) {
  await db.transaction(async (tx) => {
    const q = await repo.findQuota(tx, p.workspaceId, id);
    if (!q) throw notFound('quota');
    if (!maySet(p, q.userId)) throw forbidden('only admins, sales ops and the manager of their team remove a quota');
    await repo.deleteQuota(tx, id);
    await audit(tx, p, { workspaceId: p.workspaceId, action: 'quota.delete', recordType: 'quota', recordId: id, before: q });
  });
}

/** Limits a user or team filter to what the caller may read: 404 outside the workspace, 403 outside their scope. */
async function scopedUserIds(db: Db, p: Principal, q: { userId?: string; teamId?: string }): Promise<string[] | null> {
  const readable = readableIds(p);
  if (q.teamId) {
    const [team] = await db.query('select 1 from teams where workspace_id = $1 and id = $2', [p.workspaceId, q.teamId]);
    if (!team) throw new AppError('not_found', 'no such team in this workspace', [{ path: 'teamId', message: 'not found' }]);
  }
  if (q.userId) {
    await loadUser(db, p.workspaceId, q.userId);
    if (readable && !readable.includes(q.userId))
      throw new AppError('forbidden', "you may not see this user's quotas", [{ path: 'userId', message: 'outside your scope' }]);
  }
  let ids = q.userId ? [q.userId] : readable;
  if (q.teamId) {
    const members = (await repo.findUsers(db, p.workspaceId, ids, q.teamId)).map((u) => u.id);
    if (readable && !q.userId && members.length === 0)
      throw new AppError('forbidden', "you may not see this team's quotas", [{ path: 'teamId', message: 'outside your scope' }]);
    ids = members;
  }
  return ids;
}

export async function listQuotas(db: Db, p: Principal, q: { period?: string; userId?: string; teamId?: string }): Promise<Quota[]> {
  const period = q.period ? checkPeriod(q.period) : null;
  const ids = await scopedUserIds(db, p, q);
  return (await repo.listQuotas(db, p.workspaceId, period, ids)).map(withLabel);
}

export async function getRamp(db: Db, p: Principal) {
  const ramp = await repo.readRamp(db, p.workspaceId);
  return { ramp: ramp ?? DEFAULT_RAMP, isDefault: ramp == null };
}

export async function setRamp(db: Db, p: Principal, input: { ramp: number[] }) {
  requirePermission(p, 'org:write');
  const problem = validateRamp(input.ramp ?? []);
  if (problem) throw invalid('ramp', problem);
  return db.transaction(async (tx) => {
    const before = await repo.readRamp(tx, p.workspaceId);
    await repo.writeRamp(tx, p.workspaceId, input.ramp);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'quota.settings',
      recordType: 'quota_settings',
      recordId: p.workspaceId,
      before: { ramp: before ?? DEFAULT_RAMP },
      after: { ramp: input.ramp },
    });
    return { ramp: input.ramp, isDefault: false };
  });
}

export type AttainmentRow = {
  userId: string;
  name: string;
  teamId: string | null;
  teamName: string | null;
  metric: QuotaMetric;
  hireDate: string | null;
  leftAt: string | null;
  /** The quota due in the period before ramp and leaving. */
  quota: string;
  rampedQuota: string;
  actual: string;
  /** actual / rampedQuota, four decimals; null when nothing was due. */
  attainment: string | null;
};
export type TeamAttainment = {
  teamId: string | null;
  teamName: string;
  metric: QuotaMetric;
  reps: number;
  /** Reps at or above 100% of their ramped quota. */
  attained: number;
  rampedQuota: string;
  actual: string;
  attainment: string | null;
};
export type AttainmentReport = {
  period: QuotaPeriod;
  timezone: string;
  currency: string;
  ramp: number[];
  rows: AttainmentRow[];
  teams: TeamAttainment[];
};

/**
 * The live actual of each rep and metric in a period (what a quota is measured against): won ARR, pipeline sourced
 * and expansion from the analytics rollups (period view, refreshed first), accepted leads from the handoffs.
 * Shared with calibration and the demo's quota seeding so "actual" has one definition.
 */
export async function periodActuals(
  db: Db,
  workspaceId: string,
  timezone: string,
  period: QuotaPeriod,
  repIds: string[],
): Promise<(userId: string, metric: QuotaMetric) => string | null> {
  const range = { from: period.start, to: period.end, label: period.label };
  let totals = new Map<string | null, GroupTotals>();
  if (repIds.length) {
    await ensureFresh(db, workspaceId);
    totals = await readTotals(db, { workspaceId, view: 'period', range, groupBy: 'rep', repIds, filters: {} });
  }
  const leads = repIds.length ? await repo.acceptedLeads(db, workspaceId, timezone, period.start, period.end, repIds) : new Map();
  const kept = repIds.length ? await repo.retention(db, workspaceId, timezone, period.start, period.end, repIds) : new Map();
  return (userId, metric) => {
    if (metric === 'accepted_leads') return money2(leads.get(userId) ?? 0);
    if (metric === 'grr') {
      const r = kept.get(userId);
      return r ? grrPercent(r.startArr, r.losses) : null;
    }
    const c = totals.get(userId)?.counts;
    const measure = metric === 'new_arr' ? 'customers' : metric === 'pipeline_created' ? 'sourced' : 'bookings_expansion';
    return money2(c?.[measure]?.amount ?? '0');
  };
}

/**
 * Attainment per rep and metric for a period, live: actuals come from the analytics rollups (period view,
 * refreshed first) and accepted leads straight from the handoffs. Quotas of other periods count for the part
 * of them inside this one (a year quota read for a quarter: that quarter's months).
 */
export async function quotaAttainment(db: Db, p: Principal, q: { period?: string; teamId?: string }, now: Date): Promise<AttainmentReport> {
  const w = await loadWorkspace(db, p.workspaceId);
  let period: QuotaPeriod;
  if (q.period) period = checkPeriod(q.period);
  else {
    const current = parsePeriod({}, w.timezone, now);
    period = parseQuotaPeriod(current.ok ? current.range.label : '')!;
  }
  const ids = await scopedUserIds(db, p, { teamId: q.teamId });
  const ramp = (await repo.readRamp(db, p.workspaceId)) ?? DEFAULT_RAMP;
  const quotas = await repo.listQuotas(db, p.workspaceId, period, ids);
  const users = new Map((await repo.findUsers(db, p.workspaceId, [...new Set(quotas.map((x) => x.userId))])).map((u) => [u.id, u]));

  const due = new Map<string, { userId: string; metric: QuotaMetric; base: Decimal; ramped: Decimal }>();
  for (const x of quotas) {
    const u = users.get(x.userId);
    if (!u) continue;
    // A rate target (GRR %) holds as it is for any part of its period: not spread, not ramped.
    const part = isRateMetric(x.metric)
      ? { base: new Decimal(x.amount), ramped: new Decimal(x.amount) }
      : quotaInRange({ amount: x.amount, start: x.periodStart, end: x.periodEnd }, period, u, ramp);
    const key = `${x.userId}|${x.metric}`;
    const d = due.get(key) ?? { userId: x.userId, metric: x.metric, base: new Decimal(0), ramped: new Decimal(0) };
    d.base = d.base.plus(part.base);
    d.ramped = d.ramped.plus(part.ramped);
    due.set(key, d);
  }

  const actualOf = await periodActuals(db, p.workspaceId, w.timezone, period, [...users.keys()]);

  const rows: AttainmentRow[] = [...due.values()].map((d) => {
    const u = users.get(d.userId)!;
    const rampedQuota = money2(d.ramped);
    // No ARR at the start of the period: retention cannot be measured, so no attainment (shown as 0.00 / none).
    const measured = actualOf(d.userId, d.metric);
    const actual = measured ?? '0.00';
    return {
      userId: u.id,
      name: u.name,
      teamId: u.teamId,
      teamName: u.teamName,
      metric: d.metric,
      hireDate: u.hireDate,
      leftAt: u.leftAt,
      quota: money2(d.base),
      rampedQuota,
      actual,
      attainment: measured == null ? null : attainment(actual, rampedQuota),
    };
  });
  rows.sort(
    (a, b) => (a.teamName ?? '').localeCompare(b.teamName ?? '') || a.name.localeCompare(b.name) || a.metric.localeCompare(b.metric),
  );

  // The team figure is the sum of the shown (rounded) rep figures, so the table adds up.
  const teams = new Map<string, TeamAttainment>();
  for (const r of rows) {
    const key = `${r.teamId}|${r.metric}`;
    const t = teams.get(key) ?? {
      teamId: r.teamId,
      teamName: r.teamName ?? 'No team',
      metric: r.metric,
      reps: 0,
      attained: 0,
      rampedQuota: '0.00',
      actual: '0.00',
      attainment: null,
    };
    t.reps += 1;
    if (r.attainment != null && new Decimal(r.attainment).gte(1)) t.attained += 1;
    t.rampedQuota = money2(new Decimal(t.rampedQuota).plus(r.rampedQuota));
    t.actual = money2(new Decimal(t.actual).plus(r.actual));
    t.attainment = attainment(t.actual, t.rampedQuota);
    teams.set(key, t);
  }
  // Rates do not add up: a team's GRR target and actual are the averages over its reps with a measured GRR.
  for (const t of teams.values()) {
    if (!isRateMetric(t.metric)) continue;
    const measured = rows.filter((r) => r.teamId === t.teamId && r.metric === t.metric && r.attainment != null);
    const mean = (f: (r: AttainmentRow) => string) =>
      measured.length ? money2(measured.reduce((sum, r) => sum.plus(f(r)), new Decimal(0)).div(measured.length)) : '0.00';
    t.rampedQuota = mean((r) => r.rampedQuota);
    t.actual = mean((r) => r.actual);
    t.attainment = measured.length ? attainment(t.actual, t.rampedQuota) : null;
  }
  return { period, timezone: w.timezone, currency: w.currency, ramp, rows, teams: [...teams.values()] };
}
