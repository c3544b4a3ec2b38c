import { Decimal } from '../../platform/money.js';

/**
 * "Everyone wins" calibration (DOMAIN.md section 5): pure functions over attainment records.
 * Attainment = actual / quota, exact decimals; a rep attains (or "beats") quota when actual >= quota.
 */

export type AttainmentRecord = { repId: string; teamId: string; period: string; quota: string; actual: string };
export type Bands = { low: number; high: number };
export type FieldError = { path: string; message: string };
export type Invalid = { ok: false; errors: FieldError[] };

export const DEFAULT_BANDS: Bands = { low: 0.6, high: 0.75 };

/** Lower bound inclusive, upper exclusive: 0.5 is in 50-80, 1.25 is in 125+. */
export const BUCKETS = ['<50', '50-80', '80-100', '100-125', '125+'] as const;
export type Bucket = (typeof BUCKETS)[number];
const BUCKET_FLOORS = [0.5, 0.8, 1, 1.25];

export type Flag = 'too_hard' | 'ok' | 'too_easy';

export type TeamPeriod = {
  teamId: string;
  period: string;
  reps: number;
  attained: number;
  /** attained / reps, rounded to 4 places for display; the flag is decided on the exact fraction. */
  share: number;
  buckets: Record<Bucket, number>;
  /** Mean attainment of every rep counted, 4 places (1.2500 = 125%). */
  averageAttainment: string;
  flag: Flag;
  reason: string;
};

export function bucketOf(attainment: Decimal): Bucket {
  const i = BUCKET_FLOORS.findIndex((floor) => attainment.lt(floor));
  return BUCKETS[i === -1 ? BUCKETS.length - 1 : i];
}

const pct = (d: Decimal.Value) => `${new Decimal(d).times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0)}%`;

function isDecimal(s: string): boolean {
  return typeof s === 'string' && /^-?\d+(\.\d+)?$/.test(s.trim());
}

/** Field errors for records: quota must be a positive decimal, actual a decimal, one record per rep and period. */
export function validateRecords(records: AttainmentRecord[], at = 'records'): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  records.forEach((r, i) => {
    if (!r.repId) errors.push({ path: `${at}[${i}].repId`, message: 'is required' });
    if (!r.teamId) errors.push({ path: `${at}[${i}].teamId`, message: 'is required' });
    if (!r.period) errors.push({ path: `${at}[${i}].period`, message: 'is required' });
    if (!isDecimal(r.quota) || new Decimal(r.quota).lte(0))
      errors.push({ path: `${at}[${i}].quota`, message: `must be a positive decimal, got "${r.quota}"` });
    if (!isDecimal(r.actual)) errors.push({ path: `${at}[${i}].actual`, message: `must be a decimal, got "${r.actual}"` });
    const key = `${r.repId}\u0000${r.period}`;
    if (seen.has(key)) errors.push({ path: `${at}[${i}]`, message: `rep ${r.repId} already has a record for ${r.period}` });
    seen.add(key);
  });
  return errors;
}

function flagFor(attained: number, reps: number, bands: Bands): Flag {
  const share = new Decimal(attained).div(reps);
  if (share.lt(bands.low)) return 'too_hard';
  if (share.gt(bands.high)) return 'too_easy';
  return 'ok';
}

function reasonFor(flag: Flag, attained: number, reps: number, period: string, bands: Bands): string {
  const band = `the ${pct(bands.low).slice(0, -1)}-${pct(bands.high)} band`;
  const share = pct(new Decimal(attained).div(reps));
  const who = `${attained} of ${reps} rep${reps === 1 ? '' : 's'} (${share}) reached quota in ${period}`;
  if (flag === 'too_hard') return `only ${who}: below ${band}; the quota looks too hard`;
  if (flag === 'too_easy') return `${who}: above ${band}; the quota looks too easy`;
  return `${who}: within ${band}`;
}

const groupKey = (teamId: string, period: string) => `${teamId}\u0000${period}`;

/** Groups valid records by team and period; the caller validated them. */
function group(records: AttainmentRecord[]): Map<string, AttainmentRecord[]> {
  const out = new Map<string, AttainmentRecord[]>();
  for (const r of records) {
    const k = groupKey(r.teamId, r.period);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

export function attainmentOf(r: { quota: string; actual: string }): Decimal {
  return new Decimal(r.actual).div(r.quota);
}

function summarize(rows: AttainmentRecord[], bands: Bands): TeamPeriod {
  const buckets = Object.fromEntries(BUCKETS.map((b) => [b, 0])) as Record<Bucket, number>;
  let attained = 0;
  let sum = new Decimal(0);
  for (const r of rows) {
    const a = attainmentOf(r);
    buckets[bucketOf(a)] += 1;
    if (a.gte(1)) attained += 1;
    sum = sum.plus(a);
  }
  const reps = rows.length;
  const { teamId, period } = rows[0];
  const flag = flagFor(attained, reps, bands);
  return {
    teamId,
    period,
    reps,
    attained,
    share: new Decimal(attained).div(reps).toDecimalPlaces(4).toNumber(),
    buckets,
    averageAttainment: sum.div(reps).toFixed(4),
    flag,
    reason: reasonFor(flag, attained, reps, period, bands),
  };
}

function validateBands(bands: Bands): FieldError[] {
  const ok = bands.low >= 0 && bands.high <= 1 && bands.low <= bands.high;
  return ok ? [] : [{ path: 'bands', message: 'needs 0 <= low <= high <= 1' }];
}

/** Per team and period (sorted by team, then period): counts, buckets, share attaining and the band flag. */
export function attainmentDistribution(
  records: AttainmentRecord[],
  bands: Bands = DEFAULT_BANDS,
): { ok: true; teams: TeamPeriod[] } | Invalid {
  const errors = [...validateBands(bands), ...validateRecords(records)];
  if (errors.length) return { ok: false, errors };
  const teams = [...group(records).values()].map((rows) => summarize(rows, bands));
  teams.sort((a, b) => (a.teamId === b.teamId ? cmp(a.period, b.period) : cmp(a.teamId, b.teamId)));
  return { ok: true, teams };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export { cmp as compareStrings, group as groupByTeamPeriod, isDecimal, pct as percentText, summarize as summarizeTeamPeriod };

// ---------------------------------------------------------------------------------------------
// Raise-quota trigger (DOMAIN.md 5: "two quarters in a row 80% of SDRs beat quota, by 25% on average").

export type RaiseConfig = { shareBeating: number; averageExcess: number; consecutive: number; bands: Bands };
export const DEFAULT_RAISE: RaiseConfig = { shareBeating: 0.8, averageExcess: 0.25, consecutive: 2, bands: DEFAULT_BANDS };

export type PeriodCheck = {
  period: string;
  reps: number;
  beating: number;
  shareBeating: number;
  /** Mean attainment of the reps who beat quota (4 places), null when nobody did. */
  beatersAverage: string | null;
  /** Mean attainment of every rep counted (4 places), null when the team has no record that period. */
  teamAverage: string | null;
  qualifies: boolean;
};

export type RaiseSuggestion = {
  /** The most frequent quota of the team in the last period (ties: the highest), i.e. the full, unramped quota. */
  currentQuota: string;
  /** The team's average attainment in the last period, never below 1. */
  factor: string;
  /** currentQuota x factor rounded half-up to `unit` (three significant figures, at least 1). */
  proposedQuota: string;
  unit: string;
  /** Had every rep's quota been scaled by proposed/current in the last period: who would have attained. */
  projected: { attained: number; reps: number; share: number; flag: Flag };
};

export type RaiseResult = {
  teamId: string;
  fires: boolean;
  periods: PeriodCheck[];
  suggestion: RaiseSuggestion | null;
  explanation: string;
};

/** Rounds half-up to three significant figures of the integer part, never to less than 1 unit. */
export function sensibleRound(value: Decimal): { value: Decimal; unit: Decimal } {
  const digits = value.abs().lt(1) ? 1 : value.abs().trunc().toFixed(0).length;
  const unit = Decimal.max(1, new Decimal(10).pow(digits - 3));
  return { value: value.div(unit).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(unit), unit };
}

function checkPeriod(period: string, rows: AttainmentRecord[], cfg: RaiseConfig): PeriodCheck {
  if (rows.length === 0) return { period, reps: 0, beating: 0, shareBeating: 0, beatersAverage: null, teamAverage: null, qualifies: false };
  const att = rows.map(attainmentOf);
  const beaters = att.filter((a) => a.gte(1));
  const share = new Decimal(beaters.length).div(rows.length);
  const beatersAvg = beaters.length ? Decimal.sum(...beaters).div(beaters.length) : null;
  // The "by 25% on average" qualifies the reps who beat quota: their mean attainment must reach 1 + averageExcess.
  const qualifies = share.gte(cfg.shareBeating) && beatersAvg?.gte(1 + cfg.averageExcess) === true;
  return {
    period,
    reps: rows.length,
    beating: beaters.length,
    shareBeating: share.toDecimalPlaces(4).toNumber(),
    beatersAverage: beatersAvg ? beatersAvg.toFixed(4) : null,
    teamAverage: Decimal.sum(...att)
      .div(rows.length)
      .toFixed(4),
    qualifies,
  };
}

function modalQuota(rows: AttainmentRecord[]): Decimal {
  const counts = new Map<string, { q: Decimal; n: number }>();
  for (const r of rows) {
    const q = new Decimal(r.quota);
    const k = q.toFixed();
    counts.set(k, { q, n: (counts.get(k)?.n ?? 0) + 1 });
  }
  let best: { q: Decimal; n: number } | null = null;
  for (const c of counts.values()) if (!best || c.n > best.n || (c.n === best.n && c.q.gt(best.q))) best = c;
  return best!.q;
}

function suggest(rows: AttainmentRecord[], check: PeriodCheck, bands: Bands): RaiseSuggestion {
  const current = modalQuota(rows);
  const factor = Decimal.max(1, new Decimal(check.teamAverage!));
  const { value: proposed, unit } = sensibleRound(current.times(factor));
  // A rep would attain when actual >= quota x proposed / current (ramped quotas scale by the same ratio).
  const attained = rows.filter((r) => new Decimal(r.actual).times(current).gte(new Decimal(r.quota).times(proposed))).length;
  return {
    currentQuota: current.toFixed(),
    factor: factor.toFixed(4),
    proposedQuota: proposed.toFixed(),
    unit: unit.toFixed(),
    projected: {
      attained,
      reps: rows.length,
      share: new Decimal(attained).div(rows.length).toDecimalPlaces(4).toNumber(),
      flag: flagFor(attained, rows.length, bands),
    },
  };
}

function validateRaise(periods: string[], cfg: RaiseConfig): FieldError[] {
  const errors: FieldError[] = [];
  if (periods.length === 0) errors.push({ path: 'periodsInOrder', message: 'needs at least one period' });
  if (new Set(periods).size !== periods.length) errors.push({ path: 'periodsInOrder', message: 'lists a period twice' });
  if (!(cfg.shareBeating > 0 && cfg.shareBeating <= 1)) errors.push({ path: 'config.shareBeating', message: 'must be in (0, 1]' });
  if (!(cfg.averageExcess >= 0)) errors.push({ path: 'config.averageExcess', message: 'must be 0 or more' });
  if (!(Number.isInteger(cfg.consecutive) && cfg.consecutive >= 1))
    errors.push({ path: 'config.consecutive', message: 'must be a whole number, 1 or more' });
  return [...errors, ...validateBands(cfg.bands)];
}

/**
 * For each team: fires when each of the last `consecutive` periods of `periodsInOrder` qualifies (share of reps with
 * actual >= quota is at least shareBeating, and those reps' mean attainment is at least 1 + averageExcess).
 * Records of periods not listed are ignored; a listed period where the team has no record does not qualify.
 */
export function raiseQuotaTrigger(
  periodsInOrder: string[],
  records: AttainmentRecord[],
  config: Partial<RaiseConfig> = {},
): { ok: true; teams: RaiseResult[] } | Invalid {
  const cfg = { ...DEFAULT_RAISE, ...config };
  const errors = [...validateRaise(periodsInOrder, cfg), ...validateRecords(records)];
  if (errors.length) return { ok: false, errors };
  const listed = new Set(periodsInOrder);
  const byGroup = group(records.filter((r) => listed.has(r.period)));
  const teamIds = [...new Set(records.map((r) => r.teamId))].sort(cmp);
  const window = periodsInOrder.slice(-cfg.consecutive);
  const last = periodsInOrder[periodsInOrder.length - 1];
  const teams = teamIds.map((teamId): RaiseResult => {
    const periods = periodsInOrder.map((p) => checkPeriod(p, byGroup.get(groupKey(teamId, p)) ?? [], cfg));
    const recent = periods.slice(-cfg.consecutive);
    const fires = window.length === cfg.consecutive && recent.every((c) => c.qualifies);
    const rule = `at least ${pct(cfg.shareBeating)} of reps beating quota by ${pct(cfg.averageExcess)} or more on average`;
    if (!fires) {
      const failing = recent.filter((c) => !c.qualifies).map((c) => whyNot(c, cfg));
      const short = window.length < cfg.consecutive ? [`only ${window.length} of ${cfg.consecutive} periods listed`] : [];
      return {
        teamId,
        fires,
        periods,
        suggestion: null,
        explanation: `no raise: needs ${rule} in ${cfg.consecutive} periods in a row; ${[...short, ...failing].join('; ')}`,
      };
    }
    const lastCheck = recent[recent.length - 1];
    const suggestion = suggest(byGroup.get(groupKey(teamId, last))!, lastCheck, cfg.bands);
    const evidence = recent.map(
      (c) => `${c.period}: ${c.beating} of ${c.reps} (${pct(c.shareBeating)}) beat quota, averaging ${pct(c.beatersAverage!)}`,
    );
    const p = suggestion.projected;
    const explanation =
      `raise: ${rule} in ${cfg.consecutive} periods in a row (${evidence.join('; ')}). ` +
      `Proposed quota ${suggestion.proposedQuota} = ${suggestion.currentQuota} x ${pct(suggestion.factor)} (the team's average attainment in ${last}, rounded to ${suggestion.unit}); ` +
      `at that quota ${p.attained} of ${p.reps} reps (${pct(p.share)}) would have attained in ${last}.`;
    return { teamId, fires, periods, suggestion, explanation };
  });
  return { ok: true, teams };
}

function whyNot(c: PeriodCheck, cfg: RaiseConfig): string {
  if (c.reps === 0) return `${c.period}: no records`;
  const parts = [`${c.beating} of ${c.reps} (${pct(c.shareBeating)}) beat quota`];
  if (c.beatersAverage) parts.push(`averaging ${pct(c.beatersAverage)}`);
  const needs = new Decimal(c.shareBeating).lt(cfg.shareBeating) ? `needs ${pct(cfg.shareBeating)}` : `needs ${pct(1 + cfg.averageExcess)}`;
  return `${c.period}: ${parts.join(', ')} (${needs})`;
}

// ---------------------------------------------------------------------------------------------
// Backtest: "had the quota been Q, who would have attained?"

export type ActualRecord = { repId: string; teamId: string; period: string; actual: string };
export type HypotheticalQuota = { perRep?: Record<string, string>; perTeam?: Record<string, string> };
export type BacktestRep = ActualRecord & { quota: string; attainment: string; attained: boolean };

/** Applies a hypothetical quota (per rep, else per team) to past actuals; returns each rep's outcome and the distribution. */
export function backtest(
  actuals: ActualRecord[],
  quota: HypotheticalQuota,
  bands: Bands = DEFAULT_BANDS,
): { ok: true; reps: BacktestRep[]; teams: TeamPeriod[] } | Invalid {
  const errors: FieldError[] = [];
  for (const [kind, map] of [
    ['perRep', quota.perRep],
    ['perTeam', quota.perTeam],
  ] as const)
    for (const [id, q] of Object.entries(map ?? {}))
      if (!isDecimal(q) || new Decimal(q).lte(0))
        errors.push({ path: `quota.${kind}.${id}`, message: `must be a positive decimal, got "${q}"` });
  if (errors.length) return { ok: false, errors };
  const records: AttainmentRecord[] = [];
  actuals.forEach((a, i) => {
    const q = quota.perRep?.[a.repId] ?? quota.perTeam?.[a.teamId];
    if (q === undefined) errors.push({ path: `actuals[${i}]`, message: `no hypothetical quota for rep ${a.repId} or team ${a.teamId}` });
    else records.push({ ...a, quota: q });
  });
  if (errors.length) return { ok: false, errors };
  const dist = attainmentDistribution(records, bands);
  if (!dist.ok) return { ok: false, errors: dist.errors.map((e) => ({ ...e, path: e.path.replace(/^records/, 'actuals') })) };
  const reps = records.map((r) => {
    const a = attainmentOf(r);
    return { ...r, attainment: a.toFixed(4), attained: a.gte(1) };
  });
  return { ok: true, reps, teams: dist.teams };
}
