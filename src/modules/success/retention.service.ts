import type { Db } from '../../db/client.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { loadWorkspace, resolveRange } from '../analytics/funnel.service.js';
import type { DateRange } from '../analytics/periods.core.js';
import { dataScope } from '../org/org.core.js';
import {
  EMPTY_SUMS,
  type RetentionGroupBy,
  type RetentionMetrics,
  rangeInstants,
  retentionMetrics,
  sumRetention,
  trendMonths,
} from './retention.core.js';
import { type Customers, type RetentionSumsRow, retentionSums, userExists, userNames } from './retention.repo.js';
import type { RetentionQuery, RetentionTrendQuery } from './retention.schema.js';

export type RetentionRow = { key: string | null; label: string; metrics: RetentionMetrics };
export type RetentionReport = {
  range: DateRange;
  timezone: string;
  currency: string;
  groupBy: RetentionGroupBy;
  total: RetentionMetrics;
  /** One row per group with a base (empty when groupBy is none); the rows add up to the total. */
  rows: RetentionRow[];
};
export type RetentionTrend = {
  groupBy: RetentionGroupBy;
  timezone: string;
  currency: string;
  months: DateRange[];
  /** The total of each month, in the order of `months`. */
  total: RetentionMetrics[];
  series: { key: string | null; label: string; points: RetentionMetrics[] }[];
};

/**
 * Whose customers the caller may measure. Admins, sales ops, the read-everything roles and API keys: all accounts.
 * Anyone else: the accounts whose CSM or closing AE is themselves or, for a manager, a member of a team they manage
 * (grouped by CSM or AE, only those people's rows, and the total is theirs). `repId` narrows to one person in scope:
 * another workspace's id is 404, someone outside the caller's scope 403.
 */
async function customersOf(db: Db, p: Principal, groupBy: RetentionGroupBy, repId: string | undefined): Promise<Customers> {
  requirePermission(p, 'crm:read');
  const via = groupBy === 'csm' || groupBy === 'ae' ? groupBy : 'either';
  const scope = dataScope(p, 'read');
  if (repId) {
    if (!(await userExists(db, p.workspaceId, repId)))
      throw new AppError('not_found', 'no such person in this workspace', [{ path: 'repId', message: 'not found' }]);
    if (!scope.all && !scope.ownerIds.includes(repId))
      throw new AppError('forbidden', "you may not see this person's customers", [{ path: 'repId', message: 'outside your scope' }]);
    return { ids: [repId], via };
  }
  return { ids: scope.all ? null : scope.ownerIds, via };
}

const NO_KEY_LABEL: Record<RetentionGroupBy, string> = {
  none: 'All',
  cohort: 'Unknown',
  segment: 'No segment',
  csm: 'No CSM',
  ae: 'Unassigned',
};

/** Display names for group keys: people by name, cohorts and segments as they are; groups without a key last. */
async function labelled(db: Db, workspaceId: string, groupBy: RetentionGroupBy, keys: (string | null)[]) {
  const people =
    groupBy === 'csm' || groupBy === 'ae'
      ? await userNames(
          db,
          workspaceId,
          keys.filter((k): k is string => !!k),
        )
      : null;
  const label = (key: string | null) => (key == null ? NO_KEY_LABEL[groupBy] : (people?.get(key) ?? key));
  const order = (a: string | null, b: string | null) =>
    a == null ? (b == null ? 0 : 1) : b == null ? -1 : groupBy === 'cohort' ? a.localeCompare(b) : label(a).localeCompare(label(b));
  return { label, order };
}

/** GRR, NRR and logo churn for a period, total and per group, within the caller's scope. */
export async function retentionReport(db: Db, p: Principal, q: RetentionQuery, now: Date): Promise<RetentionReport> {
  const w = await loadWorkspace(db, p.workspaceId);
  const range = resolveRange(q, w, now);
  const groupBy = q.groupBy ?? 'none';
  const customers = await customersOf(db, p, groupBy, q.repId);
  const sums = await retentionSums(db, {
    workspaceId: w.id,
    timezone: w.timezone,
    periods: [{ label: range.label, ...rangeInstants(range, w.timezone) }],
    groupBy,
    customers,
  });
  const { label, order } = await labelled(
    db,
    w.id,
    groupBy,
    sums.map((s) => s.key),
  );
  const rows = sums.sort((a, b) => order(a.key, b.key)).map((s) => ({ key: s.key, label: label(s.key), metrics: retentionMetrics(s) }));
  return {
    range,
    timezone: w.timezone,
    currency: w.currency,
    groupBy,
    total: retentionMetrics(sumRetention(sums)),
    rows: groupBy === 'none' ? [] : rows,
  };
}

/** GRR, NRR and logo churn month by month (each month its own base), total and per group. */
export async function retentionTrend(db: Db, p: Principal, q: RetentionTrendQuery, now: Date): Promise<RetentionTrend> {
  const w = await loadWorkspace(db, p.workspaceId);
  const groupBy = q.groupBy ?? 'none';
  const customers = await customersOf(db, p, groupBy, q.repId);
  const months = trendMonths(q.until, q.months ?? 12, w.timezone, now);
  const sums = await retentionSums(db, {
    workspaceId: w.id,
    timezone: w.timezone,
    periods: months.map((m) => ({ label: m.label, ...rangeInstants(m, w.timezone) })),
    groupBy,
    customers,
  });
  const byMonth = (rows: RetentionSumsRow[]) => months.map((m) => retentionMetrics(sumRetention(rows.filter((r) => r.period === m.label))));
  const keys = [...new Set(sums.map((s) => s.key))];
  const { label, order } = await labelled(db, w.id, groupBy, keys);
  const series =
    groupBy === 'none'
      ? []
      : keys.sort(order).map((key) => ({ key, label: label(key), points: byMonth(sums.filter((s) => s.key === key)) }));
  return { groupBy, timezone: w.timezone, currency: w.currency, months, total: byMonth(sums), series };
}

/**
 * Retention of the customers a rep closed (the closing AE of each account, as in the `ae` grouping) between two
 * instants, `from` inclusive and `to` exclusive: what compensation reads for "churn below X". No caller checks:
 * for internal use by services that have already checked theirs.
 */
export async function retentionOfRepCustomers(db: Db, workspaceId: string, repId: string, from: Date, to: Date): Promise<RetentionMetrics> {
  if (!(to > from)) throw new AppError('validation_failed', 'to: must be after from', [{ path: 'to', message: 'must be after from' }]);
  const w = await loadWorkspace(db, workspaceId);
  const sums = await retentionSums(db, {
    workspaceId,
    timezone: w.timezone,
    periods: [{ label: 'rep', start: from, end: to }],
    groupBy: 'none',
    customers: { ids: [repId], via: 'ae' },
  });
  return retentionMetrics(sums[0] ?? EMPTY_SUMS);
}
