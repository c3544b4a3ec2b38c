import { Decimal } from 'decimal.js';
import { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError, forbidden, invalid } from '../../platform/errors.js';
import { loadWorkspace } from '../analytics/funnel.service.js';
import {
  type AttainmentRecord,
  attainmentDistribution,
  BUCKETS,
  backtest,
  type FieldError,
  type Flag,
  raiseQuotaTrigger,
} from './calibration.core.js';
import { parseQuotaPeriod, periodLabel, QUOTA_METRICS, type QuotaMetric, type QuotaPeriod } from './quotas.core.js';
import { type AttainmentRow, quotaAttainment } from './quotas.service.js';

/**
 * "Everyone wins" calibration on live data: real quotas and live attainment (ramped, from quotaAttainment) fed to
 * the pure cores in calibration.core.ts. Scope: admins, sales ops, API keys and the system see every team; a manager
 * the teams they manage; anyone else is refused (calibration compares reps with each other).
 */

export type CalibrationQuery = { metric: string; period: string; periods?: number | string; teamId?: string };

export type DistributionItem = {
  teamId: string;
  teamName: string;
  period: string;
  reps: number;
  attained: number;
  share: number;
  flag: Flag;
  reason: string;
  buckets: { label: string; count: number }[];
};
export type RaiseItem = {
  teamId: string;
  teamName: string;
  fires: boolean;
  explanation: string;
  suggestion: null | { currentQuota: string; proposedQuota: string; wouldAttain: number; share: number; flag: Flag };
};
export type CalibrationReport = { metric: QuotaMetric; periods: string[]; distribution: DistributionItem[]; raise: RaiseItem[] };

const MAX_PERIODS = 12;

function checkMetric(raw: unknown): QuotaMetric {
  if (!QUOTA_METRICS.includes(raw as QuotaMetric)) throw invalid('metric', `must be one of ${QUOTA_METRICS.join(', ')}`);
  return raw as QuotaMetric;
}

function checkPeriod(raw: unknown, field: string): QuotaPeriod {
  const p = parseQuotaPeriod(String(raw ?? ''));
  if (!p) throw invalid(field, 'must be a year, quarter or month: 2026, 2026-Q3 or 2026-07');
  return p;
}

/** The `count` periods of the same kind as `last`, oldest first, ending with `last`. */
export function periodsEndingWith(last: QuotaPeriod, count: number): QuotaPeriod[] {
  const start = DateTime.fromISO(last.start, { zone: 'utc' });
  const step = last.kind === 'year' ? { years: 1 } : last.kind === 'quarter' ? { quarters: 1 } : { months: 1 };
  const out: QuotaPeriod[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const d = start.minus({ years: (step.years ?? 0) * i, quarters: (step.quarters ?? 0) * i, months: (step.months ?? 0) * i });
    out.push(parseQuotaPeriod(periodLabel(last.kind, d.toISODate()!))!);
  }
  return out;
}

type Team = { id: string; name: string };

/** The teams a caller may calibrate: all for admins, sales ops and machines; their own for a manager; else 403. */
async function visibleTeams(db: Db, p: Principal, teamId?: string): Promise<Team[]> {
  const all = await db.query<Team>('select id, name from teams where workspace_id = $1 order by name', [p.workspaceId]);
  let visible = all;
  if (p.kind === 'user' && !p.roles.includes('admin') && !p.roles.includes('sales_ops')) {
    if (!p.roles.includes('manager')) throw forbidden('only admins, sales ops and managers see quota calibration');
    const mine = await db.query<{ id: string }>('select id from teams where workspace_id = $1 and manager_id = $2', [
      p.workspaceId,
      p.userId,
    ]);
    const ids = new Set(mine.map((t) => t.id));
    visible = all.filter((t) => ids.has(t.id));
  }
  if (teamId) {
    if (!all.some((t) => t.id === teamId))
      throw new AppError('not_found', 'no such team in this workspace', [{ path: 'teamId', message: 'not found' }]);
    if (!visible.some((t) => t.id === teamId))
      throw new AppError('forbidden', "you may not see this team's calibration", [{ path: 'teamId', message: 'outside your scope' }]);
    return visible.filter((t) => t.id === teamId);
  }
  return visible;
}

/**
 * Live, ramped attainment rows of one metric per period, limited to the given teams. Reps with nothing due in a
 * period (not yet hired, already gone) are left out: they have no attainment to count.
 */
async function rowsByPeriod(
  db: Db,
  p: Principal,
  q: { metric: QuotaMetric; teamId?: string },
  periods: QuotaPeriod[],
  teams: Team[],
  now: Date,
) {
  const ids = new Set(teams.map((t) => t.id));
  const out = new Map<string, AttainmentRow[]>();
  for (const period of periods) {
    const report = await quotaAttainment(db, p, { period: period.label, teamId: q.teamId }, now);
    out.set(
      period.label,
      report.rows.filter((r) => r.metric === q.metric && r.teamId && ids.has(r.teamId) && new Decimal(r.rampedQuota).gt(0)),
    );
  }
  return out;
}

function fail(errors: FieldError[]): never {
  throw new AppError('validation_failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
}

/** The calibration screen: the attainment distribution per team and period, and the raise-quota trigger. */
export async function calibration(db: Db, p: Principal, q: CalibrationQuery, now: Date): Promise<CalibrationReport> {
  const metric = checkMetric(q.metric);
  const last = checkPeriod(q.period, 'period');
  const n = q.periods === undefined || q.periods === '' ? 4 : Number(q.periods);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PERIODS) throw invalid('periods', `a whole number from 1 to ${MAX_PERIODS}`);
  const teams = await visibleTeams(db, p, q.teamId);
  const names = new Map(teams.map((t) => [t.id, t.name]));
  const periods = periodsEndingWith(last, n);
  const rows = await rowsByPeriod(db, p, { metric, teamId: q.teamId }, periods, teams, now);
  const records: AttainmentRecord[] = periods.flatMap((period) =>
    rows
      .get(period.label)!
      .map((r) => ({ repId: r.userId, teamId: r.teamId!, period: period.label, quota: r.rampedQuota, actual: r.actual })),
  );
  const dist = attainmentDistribution(records);
  if (!dist.ok) fail(dist.errors);

  const { timezone } = await loadWorkspace(db, p.workspaceId);
  const today = DateTime.fromJSDate(now, { zone: timezone }).toISODate()!;
  const running = new Map(periods.filter((x) => x.end >= today).map((x) => [x.label, x]));
  const distribution = dist.teams.map((t): DistributionItem => {
    const r = running.get(t.period);
    return {
      teamId: t.teamId,
      teamName: names.get(t.teamId) ?? '',
      period: t.period,
      reps: t.reps,
      attained: t.attained,
      share: t.share,
      flag: t.flag,
      // An unfinished period is judged on what is closed so far; say so rather than let it read as a verdict.
      reason: r ? `${t.reason} (in progress until ${r.end})` : t.reason,
      buckets: BUCKETS.map((label) => ({ label, count: t.buckets[label] })),
    };
  });

  // The trigger reads finished periods only: "two quarters in a row" cannot include one still running.
  const closed = periods.filter((x) => !running.has(x.label)).map((x) => x.label);
  const teamIds = [...new Set(records.map((r) => r.teamId))];
  let raise: RaiseItem[];
  if (closed.length === 0) {
    raise = teamIds.map((teamId) => ({
      teamId,
      teamName: names.get(teamId) ?? '',
      fires: false,
      explanation: 'no raise: none of the periods shown has ended yet',
      suggestion: null,
    }));
  } else {
    const trig = raiseQuotaTrigger(closed, records);
    if (!trig.ok) fail(trig.errors);
    raise = trig.teams.map((t) => ({
      teamId: t.teamId,
      teamName: names.get(t.teamId) ?? '',
      fires: t.fires,
      explanation: t.explanation,
      suggestion: t.suggestion && {
        currentQuota: t.suggestion.currentQuota,
        proposedQuota: t.suggestion.proposedQuota,
        wouldAttain: t.suggestion.projected.attained,
        share: t.suggestion.projected.share,
        flag: t.suggestion.projected.flag,
      },
    }));
  }
  const byName = (a: { teamName: string }, b: { teamName: string }) => a.teamName.localeCompare(b.teamName);
  distribution.sort((a, b) => byName(a, b) || (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  raise.sort(byName);
  return { metric, periods: periods.map((x) => x.label), distribution, raise };
}

export type BacktestInput = {
  metric: string;
  periods: string[];
  quota: { amount?: unknown; byTeam?: Record<string, unknown>; byRep?: Record<string, unknown> };
  teamId?: string;
};
export type BacktestReport = {
  periods: {
    period: string;
    teams: { teamId: string; teamName: string; reps: number; attained: number; share: number; flag: Flag }[];
    reps: { userId: string; name: string; teamId: string; actual: string; quota: string; attained: boolean }[];
  }[];
};

function checkAmount(raw: unknown, field: string): Decimal {
  const s = typeof raw === 'number' || typeof raw === 'string' ? String(raw).trim() : '';
  if (!/^-?\d{1,12}(\.\d{1,2})?$/.test(s)) throw invalid(field, 'a decimal amount with at most 12 digits and 2 decimals');
  const d = new Decimal(s);
  if (d.lte(0)) throw invalid(field, 'must be above zero');
  return d;
}

/**
 * "Had the quota been Q, who would have attained?" over past periods, on the live actuals of the reps who carried a
 * quota on the metric then. Q is a full quota: each rep's is scaled by the ramp they had in that period (the ratio
 * of their ramped to full real quota), so a new hire is judged as the real plan would have judged them.
 */
export async function quotaBacktest(db: Db, p: Principal, input: BacktestInput, now: Date): Promise<BacktestReport> {
  const metric = checkMetric(input.metric);
  if (!Array.isArray(input.periods) || input.periods.length < 1 || input.periods.length > 8)
    throw invalid('periods', 'a list of 1 to 8 periods');
  const periods = input.periods.map((x, i) => checkPeriod(x, `periods[${i}]`));
  if (new Set(periods.map((x) => x.label)).size !== periods.length) throw invalid('periods', 'lists a period twice');
  const q = input.quota ?? {};
  const forms = (['amount', 'byTeam', 'byRep'] as const).filter((k) => q[k] !== undefined);
  if (forms.length !== 1) throw invalid('quota', 'give exactly one of amount, byTeam or byRep');
  const teams = await visibleTeams(db, p, input.teamId);
  const names = new Map(teams.map((t) => [t.id, t.name]));

  let full: (r: AttainmentRow) => Decimal | undefined;
  if (q.amount !== undefined) {
    const amount = checkAmount(q.amount, 'quota.amount');
    full = () => amount;
  } else {
    const kind = forms[0] as 'byTeam' | 'byRep';
    const map = q[kind];
    if (!map || typeof map !== 'object' || Array.isArray(map) || Object.keys(map).length === 0)
      throw invalid(`quota.${kind}`, 'an object of id: amount, at least one');
    const amounts = new Map(Object.entries(map).map(([id, v]) => [id, checkAmount(v, `quota.${kind}.${id}`)]));
    if (kind === 'byTeam') {
      for (const id of amounts.keys()) if (!names.has(id)) throw invalid(`quota.byTeam.${id}`, 'not a team you may see');
      full = (r) => amounts.get(r.teamId!);
    } else full = (r) => amounts.get(r.userId);
  }

  const rows = await rowsByPeriod(db, p, { metric, teamId: input.teamId }, periods, teams, now);
  const out: BacktestReport['periods'] = [];
  for (const period of periods) {
    const perRep: Record<string, string> = {};
    const included = rows.get(period.label)!.filter((r) => {
      const f = full(r);
      if (!f) return false;
      // Same ramp as the real quota that period; cents, as a real quota would be stored.
      perRep[r.userId] = f.times(r.rampedQuota).div(r.quota).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
      return new Decimal(perRep[r.userId]).gt(0);
    });
    const result = backtest(
      included.map((r) => ({ repId: r.userId, teamId: r.teamId!, period: period.label, actual: r.actual })),
      { perRep },
    );
    if (!result.ok) fail(result.errors);
    const byId = new Map(included.map((r) => [r.userId, r]));
    out.push({
      period: period.label,
      teams: result.teams
        .map((t) => ({
          teamId: t.teamId,
          teamName: names.get(t.teamId) ?? '',
          reps: t.reps,
          attained: t.attained,
          share: t.share,
          flag: t.flag,
        }))
        .sort((a, b) => a.teamName.localeCompare(b.teamName)),
      reps: result.reps
        .map((r) => ({
          userId: r.repId,
          name: byId.get(r.repId)!.name,
          teamId: r.teamId,
          actual: r.actual,
          quota: r.quota,
          attained: r.attained,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    });
  }
  return { periods: out };
}
