import type { Db } from '../../db/client.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import {
  COACHING_METRICS,
  coachingInsights,
  DEFAULT_COACHING,
  gapTrend,
  type Insight,
  measureOf,
  median,
  type RepSample,
} from './coaching.core.js';
import { emptyTotals, funnelMetrics } from './funnel.core.js';
import { ensureFresh, loadWorkspace, resolveRange } from './funnel.service.js';
import { type DateRange, intervalsOf, trailingMonths } from './periods.core.js';
import { readTotals, type View } from './rollup.read.js';
import { analyticsScope } from './scope.js';

/** The role a rep is compared by: the most specific selling role they hold. */
const COMPARED_ROLES = ['realtime_ae', 'esb_ae', 'ae', 'sdr_inbound', 'sdr_outbound', 'csm', 'relationship_manager'] as const;

type Person = { id: string; name: string; roles: string[]; segments: string[]; active: boolean };
const primaryRole = (p: Person) => COMPARED_ROLES.find((r) => p.roles.includes(r)) ?? null;

/** Comparable reps: same selling role and, when the rep has segments, at least one segment in common. */
export function peersOf(target: Person, everyone: Person[]): Person[] {
  const role = primaryRole(target);
  if (!role) return [];
  return everyone.filter(
    (p) =>
      p.id !== target.id &&
      p.active &&
      primaryRole(p) === role &&
      (target.segments.length === 0 || p.segments.some((s) => target.segments.includes(s))),
  );
}

export type CoachingQuery = { repId?: string; view?: View; period?: string; from?: string; to?: string; minN?: number; months?: number };

export type TrendPoint = { period: string; value: number | null; peerMedian: number | null; ratio: number | null; n: number };
export type RepCoaching = {
  rep: { id: string; name: string; role: string | null };
  view: View;
  range: DateRange;
  peers: { id: string; name: string }[];
  insights: (Insight & { trend: { points: TrendPoint[]; direction: 'closing' | 'widening' | 'steady' | null } })[];
  inconclusive: { metric: string; reason: string; n: number }[];
  minN: number;
};

async function people(db: Db, workspaceId: string): Promise<Person[]> {
  return db.query<Person>('select id, name, roles, segments, active from users where workspace_id = $1', [workspaceId]);
}

async function samples(db: Db, workspaceId: string, view: View, range: DateRange, reps: Person[]): Promise<Map<string, RepSample>> {
  const totals = await readTotals(db, { workspaceId, view, range, groupBy: 'rep', repIds: reps.map((r) => r.id), filters: {} });
  return new Map(
    reps.map((r) => {
      const t = totals.get(r.id) ?? emptyTotals();
      return [r.id, { repId: r.id, name: r.name, metrics: funnelMetrics(t), totals: t }];
    }),
  );
}

/** One rep's coaching card: ranked strengths and gaps against comparable reps, each with its monthly trend. */
export async function repCoaching(db: Db, p: Principal, q: CoachingQuery, now: Date): Promise<RepCoaching> {
  const w = await loadWorkspace(db, p.workspaceId);
  const range = resolveRange(q, w, now);
  const scope = await analyticsScope(db, p);
  const repId = q.repId ?? p.userId;
  if (!repId) throw new AppError('validation_failed', 'repId: required for an API key', [{ path: 'repId', message: 'required' }]);
  const everyone = await people(db, p.workspaceId);
  const target = everyone.find((x) => x.id === repId);
  if (!target) throw new AppError('not_found', 'no such rep in this workspace', [{ path: 'repId', message: 'not found' }]);
  if (!scope.all && !scope.repIds.includes(repId))
    throw new AppError('forbidden', "you may not see this rep's coaching", [{ path: 'repId', message: 'outside your scope' }]);
  await ensureFresh(db, p.workspaceId);
  const view = q.view ?? 'cohort';
  const opts = { minN: q.minN ?? DEFAULT_COACHING.minN };
  const peers = peersOf(target, everyone);
  const group = [target, ...peers];
  const now_ = await samples(db, p.workspaceId, view, range, group);
  const { insights, inconclusive } = coachingInsights(
    now_.get(target.id)!,
    peers.map((x) => now_.get(x.id)!),
    opts,
  );

  // The trend: the same comparison month by month over the trailing months (is the gap closing?).
  const months = intervalsOf(trailingMonths(range.to, q.months ?? 6), 'month');
  const monthly = await Promise.all(months.map((m) => samples(db, p.workspaceId, view, m, group)));
  const withTrend = insights.map((insight) => {
    const metric = insightMetric(insight);
    const points: TrendPoint[] = months.map((m, i) => {
      const s = monthly[i];
      const mine = measureOf(metric, s.get(target.id)!);
      const peerValues = peers
        .map((x) => measureOf(metric, s.get(x.id)!))
        .filter((x) => !!x && x.n > 0)
        .map((x) => x!.value);
      const pm = median(peerValues);
      const ratio = mine && pm != null && pm > 0 && mine.value > 0 ? (metric.kind === 'rate' ? mine.value / pm : pm / mine.value) : null;
      return {
        period: m.label,
        value: mine ? round(mine.value) : null,
        peerMedian: pm == null ? null : round(pm),
        ratio: ratio == null ? null : round(ratio),
        n: mine?.n ?? 0,
      };
    });
    return { ...insight, trend: { points, direction: gapTrend(points) } };
  });
  return {
    rep: { id: target.id, name: target.name, role: primaryRole(target) },
    view,
    range,
    peers: peers.map((x) => ({ id: x.id, name: x.name })),
    insights: withTrend,
    inconclusive,
    minN: opts.minN,
  };
}

/** Every rep in scope with their biggest strength and gap: the manager's first layer of the onion. */
export async function teamCoaching(db: Db, p: Principal, q: CoachingQuery, now: Date) {
  const w = await loadWorkspace(db, p.workspaceId);
  const range = resolveRange(q, w, now);
  const scope = await analyticsScope(db, p);
  await ensureFresh(db, p.workspaceId);
  const view = q.view ?? 'cohort';
  const opts = { minN: q.minN ?? DEFAULT_COACHING.minN };
  const everyone = await people(db, p.workspaceId);
  const visible = everyone.filter((x) => primaryRole(x) && x.active && (scope.all || scope.repIds.includes(x.id)));
  const needed = new Map<string, Person>();
  for (const r of visible) for (const x of [r, ...peersOf(r, everyone)]) needed.set(x.id, x);
  const s = await samples(db, p.workspaceId, view, range, [...needed.values()]);
  return {
    view,
    range,
    reps: visible
      .map((r) => {
        const { insights } = coachingInsights(
          s.get(r.id)!,
          peersOf(r, everyone).map((x) => s.get(x.id)!),
          opts,
        );
        return {
          rep: { id: r.id, name: r.name, role: primaryRole(r) },
          strength: insights.find((i) => i.kind === 'strength') ?? null,
          gap: insights.find((i) => i.kind === 'gap') ?? null,
          insights: insights.length,
        };
      })
      .sort((a, b) => a.rep.name.localeCompare(b.rep.name)),
  };
}

const insightMetric = (i: Insight) => COACHING_METRICS.find((m) => m.id === i.metric)!;
const round = (x: number) => Math.round(x * 10_000) / 10_000;
