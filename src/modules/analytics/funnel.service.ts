import type { Db } from '../../db/client.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { emptyTotals, type FunnelMetrics, funnelMetrics, mergeTotals } from './funnel.core.js';
import { type DateRange, parsePeriod } from './periods.core.js';
import { type Filters, type GroupBy, readTotals, type View } from './rollup.read.js';
import { hasDirtyDays, refreshRollups } from './rollup.repo.js';
import { type AnalyticsScope, analyticsScope, checkFilters } from './scope.js';

export type FunnelQuery = Filters & { view?: View; groupBy?: GroupBy; period?: string; from?: string; to?: string };

export type FunnelRow = { key: string | null; label: string; metrics: FunnelMetrics };
export type FunnelReport = {
  view: View;
  groupBy: GroupBy;
  range: DateRange;
  timezone: string;
  currency: string;
  rows: FunnelRow[];
  total: FunnelMetrics;
  /** For a rep: their team's totals beside their own numbers. */
  benchmark: { label: string; metrics: FunnelMetrics } | null;
};

export type Workspace = { id: string; timezone: string; currency: string };

export async function loadWorkspace(db: Db, workspaceId: string): Promise<Workspace> {
  const [w] = await db.query<Workspace>('select id, timezone, currency from workspaces where id = $1', [workspaceId]);
  if (!w) throw new AppError('not_found', 'workspace not found');
  return w;
}

/** Rollups are exact: a reader first recomputes the days written since the last refresh (usually none). */
export async function ensureFresh(db: Db, workspaceId: string) {
  if (await hasDirtyDays(db, workspaceId)) await refreshRollups(db, workspaceId);
}

export function resolveRange(q: { period?: string; from?: string; to?: string }, w: Workspace, now: Date): DateRange {
  const r = parsePeriod(q, w.timezone, now);
  if (!r.ok) throw new AppError('validation_failed', `${r.field}: ${r.message}`, [{ path: r.field, message: r.message }]);
  return r.range;
}

/** The funnel for a range, grouped, within the caller's scope. */
export async function funnelReport(db: Db, p: Principal, q: FunnelQuery, now: Date): Promise<FunnelReport> {
  const w = await loadWorkspace(db, p.workspaceId);
  const range = resolveRange(q, w, now);
  const scope = await analyticsScope(db, p);
  const filters: Filters = { repId: q.repId, teamId: q.teamId, segment: q.segment, sourceType: q.sourceType, channel: q.channel };
  const repIds = await checkFilters(db, p.workspaceId, scope, filters);
  await ensureFresh(db, p.workspaceId);
  const view = q.view ?? 'period';
  const groupBy = q.groupBy ?? 'none';
  const base = { workspaceId: p.workspaceId, view, range, filters };
  const [groups, benchmark] = await Promise.all([readTotals(db, { ...base, groupBy, repIds }), benchmarkFor(db, scope, base)]);
  const labels = await labelsFor(db, p.workspaceId, groupBy, [...groups.keys()]);
  const rows = [...groups.entries()]
    .map(([key, t]) => ({ key, label: labels.get(key) ?? key ?? 'Unassigned', metrics: funnelMetrics(t) }))
    .sort((a, b) => a.label.localeCompare(b.label));
  // Every rollup row falls in exactly one group, so the groups add up to the total: no second read.
  const total = funnelMetrics(mergeTotals([...groups.values()]));
  return {
    view,
    groupBy,
    range,
    timezone: w.timezone,
    currency: w.currency,
    rows: groupBy === 'none' ? [] : rows,
    total,
    benchmark,
  };
}

async function benchmarkFor(
  db: Db,
  scope: AnalyticsScope,
  base: { workspaceId: string; view: View; range: DateRange; filters: Filters },
): Promise<FunnelReport['benchmark']> {
  if (scope.all || !scope.teamId || scope.teamRepIds.length === 0) return null;
  const team = await readTotals(db, {
    ...base,
    filters: { ...base.filters, repId: undefined, teamId: undefined },
    groupBy: 'none',
    repIds: scope.teamRepIds,
  });
  return { label: scope.teamName ?? 'Team', metrics: funnelMetrics(team.get('') ?? emptyTotals()) };
}

/** Display names for group keys: people and teams by name, codes as they are. */
export async function labelsFor(db: Db, workspaceId: string, groupBy: GroupBy, keys: (string | null)[]) {
  const out = new Map<string | null, string>();
  out.set(null, groupBy === 'rep' ? 'Unassigned' : groupBy === 'team' ? 'No team' : 'Unknown');
  out.set('', 'All');
  const ids = keys.filter((k): k is string => !!k);
  if (groupBy === 'rep' && ids.length) {
    for (const r of await db.query<{ id: string; name: string }>(
      'select id, name from users where workspace_id = $1 and id = any($2::uuid[])',
      [workspaceId, ids],
    ))
      out.set(r.id, r.name);
  } else if (groupBy === 'team' && ids.length) {
    for (const r of await db.query<{ id: string; name: string }>(
      'select id, name from teams where workspace_id = $1 and id = any($2::uuid[])',
      [workspaceId, ids],
    ))
      out.set(r.id, r.name);
  }
  return out;
}
