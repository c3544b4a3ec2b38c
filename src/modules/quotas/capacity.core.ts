import { Decimal, money } from '../../platform/money.js';

/**
 * Capacity planning (issue 6, DOMAIN.md sections 1, 2, 4, 5, 6): from a new-ARR target to headcount and hiring dates.
 * Month index 0 is startMonth; negative indexes are lead-time months before the plan (work that must already happen).
 * The model, month by month (docs/quotas-planning.md, "Calibration and capacity"):
 * - bookings: targetArr x segment share / months, spread evenly; deals = bookings / average deal size;
 * - opportunities = deals / opp->customer, created ceil(salesCycleDays / 30) months before the close; leads =
 *   opportunities / lead->opp in the same month as the opportunities;
 * - AEs required = bookings / (monthly quota x expected attainment), in fully ramped equivalents;
 *   SDRs required = opportunities created / SDR productivity; CSMs required = customers (or ARR) / coverage;
 * - staffing: current headcount is fully ramped; everyone leaves at `monthlyAttrition` per month (expected value);
 *   a shortfall in month m is hired ceil(gap / survival) people in month m - (ramp length - 1), so they are fully
 *   productive in m. AEs use `ramp`; SDRs and CSMs are hired the month before they are needed (ramp [0, 1]);
 * - hiring order (DOMAIN.md 1, qualifier and farmer before closers): when SDRs or CSMs and AEs would be hired in the
 *   same month, the SDR and CSM hires move one month earlier (once); within a month they are listed first.
 */

export type SegmentInput = {
  id: string;
  share: number;
  averageDealSize: string;
  leadToOpportunity: number;
  opportunityToCustomer: number;
  salesCycleDays: number;
  aeQuota: { amount: string; per: 'month' | 'year' };
  /** Sanity bound (DOMAIN.md 4): the best month any rep ever had, in deals and/or bookings. */
  bestRepMonth?: { deals?: number; bookings?: string };
};

export type CapacityAssumptions = {
  targetArr: string;
  startMonth: string;
  months?: number;
  segments: SegmentInput[];
  ramp: number[];
  expectedAttainment: number;
  monthlyAttrition: number;
  sdrProductivity: number;
  csmCoverage: { customersPerCsm: number } | { arrPerCsm: string };
  currentHeadcount: { sdr: number; csm: number; ae: Record<string, number> };
  currentBase?: { customers?: number; arr?: string };
  ote: { sdr: string; csm: string; ae: Record<string, string> };
};

export type FieldError = { path: string; message: string };
export type RoleMonth = { required: number; headcount: number; hires: number };
export type Hire = { role: 'sdr' | 'csm' | 'ae'; segment?: string; count: number };
export type SegmentMonth = { bookings: string; deals: number; opportunities: number; leads: number; aes: RoleMonth };
export type MonthRow = {
  month: string;
  inPlan: boolean;
  bookings: string;
  opportunities: number;
  leads: number;
  customers: number;
  segments: Record<string, SegmentMonth>;
  aes: RoleMonth;
  sdrs: RoleMonth;
  csms: RoleMonth;
  hires: Hire[];
  sdrToAe: number | null;
};
export type PlanFlag = { code: 'quota_ote_ratio' | 'above_best_rep_month' | 'hire_before_start'; path: string; message: string };
export type CapacityPlan = {
  months: MonthRow[];
  totals: {
    bookings: string;
    deals: number;
    opportunities: number;
    leads: number;
    hires: { sdr: number; csm: number; ae: Record<string, number> };
    endHeadcount: { sdr: number; csm: number; ae: Record<string, number> };
    /** Annual OTE of the end-of-plan headcount. */
    oteRunRate: string;
  };
  flags: PlanFlag[];
};

const EPS = 1e-9;
const r2 = (n: number) => Math.round(n * 100) / 100;
const isDec = (s: unknown) => typeof s === 'string' && /^-?\d+(\.\d+)?$/.test(s.trim());

export function addMonths(ym: string, n: number): string {
  const [y, m] = ym.split('-').map(Number);
  const t = y * 12 + (m - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

/** Field errors for impossible or missing inputs; an empty list means the plan can be computed. */
export function validateAssumptions(a: CapacityAssumptions): FieldError[] {
  const e: FieldError[] = [];
  const err = (path: string, message: string) => e.push({ path, message });
  const positive = (path: string, v: unknown) => {
    if (!isDec(v) || new Decimal(v as string).lte(0)) err(path, `must be a positive decimal, got "${v}"`);
  };
  const positiveNum = (path: string, v: number) => {
    if (!(Number.isFinite(v) && v > 0)) err(path, `must be above 0, got ${v}`);
  };
  const rate = (path: string, v: number) => {
    if (!(Number.isFinite(v) && v > 0 && v <= 1)) err(path, `must be in (0, 1], got ${v}`);
  };
  const count = (path: string, v: number) => {
    if (!(Number.isInteger(v) && v >= 0)) err(path, `must be a whole number, 0 or more, got ${v}`);
  };
  positive('targetArr', a.targetArr);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(a.startMonth ?? '')) err('startMonth', `must be YYYY-MM, got "${a.startMonth}"`);
  const months = a.months ?? 12;
  if (!(Number.isInteger(months) && months >= 1 && months <= 60)) err('months', 'must be a whole number from 1 to 60');
  if (!a.segments?.length) err('segments', 'needs at least one segment');
  const ids = new Set<string>();
  let shares = new Decimal(0);
  (a.segments ?? []).forEach((s, i) => {
    const p = `segments[${i}]`;
    if (!s.id) err(`${p}.id`, 'is required');
    else if (ids.has(s.id)) err(`${p}.id`, `duplicates segment ${s.id}`);
    ids.add(s.id);
    rate(`${p}.share`, s.share);
    if (Number.isFinite(s.share)) shares = shares.plus(String(s.share));
    positive(`${p}.averageDealSize`, s.averageDealSize);
    rate(`${p}.leadToOpportunity`, s.leadToOpportunity);
    rate(`${p}.opportunityToCustomer`, s.opportunityToCustomer);
    if (!(Number.isFinite(s.salesCycleDays) && s.salesCycleDays >= 0))
      err(`${p}.salesCycleDays`, `must be 0 or more, got ${s.salesCycleDays}`);
    positive(`${p}.aeQuota.amount`, s.aeQuota?.amount);
    if (s.aeQuota?.per !== 'month' && s.aeQuota?.per !== 'year') err(`${p}.aeQuota.per`, 'must be "month" or "year"');
    if (s.bestRepMonth?.deals !== undefined) positiveNum(`${p}.bestRepMonth.deals`, s.bestRepMonth.deals);
    if (s.bestRepMonth?.bookings !== undefined) positive(`${p}.bestRepMonth.bookings`, s.bestRepMonth.bookings);
    positive(`ote.ae.${s.id}`, a.ote?.ae?.[s.id]);
  });
  if (a.segments?.length && !shares.eq(1)) err('segments', `shares must add up to 1, got ${shares.toFixed()}`);
  if (!a.ramp?.length) err('ramp', 'needs at least one month');
  (a.ramp ?? []).forEach((v, i) => {
    if (!(Number.isFinite(v) && v >= 0 && v <= 1)) err(`ramp[${i}]`, `must be in [0, 1], got ${v}`);
    else if (i > 0 && v < a.ramp[i - 1]) err(`ramp[${i}]`, 'must not decrease');
  });
  if (a.ramp?.length && a.ramp[a.ramp.length - 1] !== 1) err('ramp', 'must reach 1 (100%) in its last month');
  if (!(Number.isFinite(a.expectedAttainment) && a.expectedAttainment > 0 && a.expectedAttainment <= 2))
    err('expectedAttainment', `must be in (0, 2], got ${a.expectedAttainment}`);
  if (!(Number.isFinite(a.monthlyAttrition) && a.monthlyAttrition >= 0 && a.monthlyAttrition < 1))
    err('monthlyAttrition', `must be in [0, 1), got ${a.monthlyAttrition}`);
  positiveNum('sdrProductivity', a.sdrProductivity);
  if (a.csmCoverage && 'customersPerCsm' in a.csmCoverage) positiveNum('csmCoverage.customersPerCsm', a.csmCoverage.customersPerCsm);
  else if (a.csmCoverage && 'arrPerCsm' in a.csmCoverage) positive('csmCoverage.arrPerCsm', a.csmCoverage.arrPerCsm);
  else err('csmCoverage', 'needs customersPerCsm or arrPerCsm');
  count('currentHeadcount.sdr', a.currentHeadcount?.sdr);
  count('currentHeadcount.csm', a.currentHeadcount?.csm);
  for (const [seg, n] of Object.entries(a.currentHeadcount?.ae ?? {})) {
    if (!ids.has(seg)) err(`currentHeadcount.ae.${seg}`, 'is not a segment of the plan');
    count(`currentHeadcount.ae.${seg}`, n);
  }
  if (a.currentBase?.customers !== undefined) count('currentBase.customers', a.currentBase.customers);
  if (a.currentBase?.arr !== undefined && (!isDec(a.currentBase.arr) || new Decimal(a.currentBase.arr).lt(0)))
    err('currentBase.arr', 'must be a decimal, 0 or more');
  positive('ote.sdr', a.ote?.sdr);
  positive('ote.csm', a.ote?.csm);
  return e;
}

/** Index helpers over the range [lo, hi] of month indexes. */
type Series = { lo: number; values: number[] };
const series = (lo: number, hi: number): Series => ({ lo, values: new Array(hi - lo + 1).fill(0) });
const at = (s: Series, m: number) => s.values[m - s.lo] ?? 0;
const add = (s: Series, m: number, v: number) => {
  s.values[m - s.lo] += v;
};

const rampAt = (ramp: number[], k: number) => (k < ramp.length ? ramp[k] : 1);

/** Productive capacity (ramped) or, with ramp [1], plain expected headcount in month m. */
function capacity(m: number, initial: number, hires: Series, ramp: number[], survive: number): number {
  let c = initial * survive ** Math.max(0, m);
  for (let h = hires.lo; h <= m; h++) {
    const n = at(hires, h);
    if (n) c += n * survive ** (m - h) * rampAt(ramp, m - h);
  }
  return c;
}

/** Hires covering each month's shortfall, dated ramp length - 1 months earlier (see the file header). */
function staff(need: Series, initial: number, ramp: number[], survive: number): Series {
  const hires = series(need.lo, need.lo + need.values.length - 1);
  const lead = ramp.length - 1;
  for (let m = need.lo + lead; m < need.lo + need.values.length; m++) {
    const gap = at(need, m) - capacity(m, initial, hires, ramp, survive);
    if (gap > EPS) add(hires, m - lead, Math.ceil(gap / survive ** lead - EPS));
  }
  return hires;
}

/** Moves SDR and CSM hires one month earlier where AEs are hired the same month (hiring order, DOMAIN.md 1). */
function hireSupportFirst(support: Series[], aeHires: Series[]) {
  for (const s of support)
    for (let i = 1; i < s.values.length; i++) {
      const m = s.lo + i;
      if (s.values[i] > 0 && aeHires.some((h) => at(h, m) > 0)) {
        s.values[i - 1] += s.values[i];
        s.values[i] = 0;
      }
    }
}

function flagsFor(a: CapacityAssumptions, monthlyQuota: Decimal[]): PlanFlag[] {
  const flags: PlanFlag[] = [];
  a.segments.forEach((s, i) => {
    const ratio = monthlyQuota[i].times(12).div(a.ote.ae[s.id]);
    if (ratio.lt(4) || ratio.gt(6))
      flags.push({
        code: 'quota_ote_ratio',
        path: `segments[${i}].aeQuota`,
        message: `${s.id}: annual quota ${money(monthlyQuota[i].times(12))} is ${ratio.toFixed(1)}x OTE ${money(a.ote.ae[s.id])}, outside the usual 4-6x (the HubSpot level-1 ladder, 800k quota on 100k OTE, is 8x)`,
      });
    // The plan asks each ramped rep for the quota; compare it with the best month any rep ever had.
    const deals = monthlyQuota[i].div(s.averageDealSize);
    const best = s.bestRepMonth;
    if (best?.deals !== undefined && deals.gt(best.deals))
      flags.push({
        code: 'above_best_rep_month',
        path: `segments[${i}].aeQuota`,
        message: `${s.id}: the monthly quota needs ${deals.toDecimalPlaces(2).toFixed()} deals per rep, above the best rep month of ${best.deals}`,
      });
    if (best?.bookings !== undefined && monthlyQuota[i].gt(best.bookings))
      flags.push({
        code: 'above_best_rep_month',
        path: `segments[${i}].aeQuota`,
        message: `${s.id}: the monthly quota ${money(monthlyQuota[i])} is above the best rep month of ${money(best.bookings)}`,
      });
  });
  return flags;
}

/** The headcount plan, or field errors for impossible inputs. */
export function capacityPlan(a: CapacityAssumptions): { ok: true; plan: CapacityPlan } | { ok: false; errors: FieldError[] } {
  const errors = validateAssumptions(a);
  if (errors.length) return { ok: false, errors };
  const N = a.months ?? 12;
  const survive = 1 - a.monthlyAttrition;
  const supportRamp = [0, 1];
  const cycles = a.segments.map((s) => Math.ceil(s.salesCycleDays / 30 - EPS));
  const lo = -(Math.max(...cycles) + Math.max(a.ramp.length, supportRamp.length) + 2);
  const hi = N - 1;
  const monthlyQuota = a.segments.map((s) =>
    s.aeQuota.per === 'year' ? new Decimal(s.aeQuota.amount).div(12) : new Decimal(s.aeQuota.amount),
  );

  const perSeg = a.segments.map((s, i) => {
    const bookings = new Decimal(a.targetArr).times(String(s.share)).div(N);
    const deals = bookings.div(s.averageDealSize).toNumber();
    const opps = series(lo, hi);
    const aeNeed = series(lo, hi);
    for (let m = 0; m < N; m++) {
      add(opps, m - cycles[i], deals / s.opportunityToCustomer);
      add(aeNeed, m, bookings.div(monthlyQuota[i].times(a.expectedAttainment)).toNumber());
    }
    return { s, bookings, deals, opps, aeNeed, aeHires: staff(aeNeed, a.currentHeadcount.ae[s.id] ?? 0, a.ramp, survive) };
  });

  const sdrNeed = series(lo, hi);
  const csmNeed = series(lo, hi);
  const customers = series(lo, hi);
  for (let m = lo; m <= hi; m++) {
    add(sdrNeed, m, perSeg.reduce((t, p) => t + at(p.opps, m), 0) / a.sdrProductivity);
    if (m < 0) continue;
    const won = perSeg.reduce((t, p) => t + p.deals, 0);
    add(customers, m, (a.currentBase?.customers ?? 0) + won * (m + 1));
    const arr = new Decimal(a.currentBase?.arr ?? 0).plus(new Decimal(a.targetArr).div(N).times(m + 1));
    add(
      csmNeed,
      m,
      'customersPerCsm' in a.csmCoverage ? at(customers, m) / a.csmCoverage.customersPerCsm : arr.div(a.csmCoverage.arrPerCsm).toNumber(),
    );
  }
  const sdrHires = staff(sdrNeed, a.currentHeadcount.sdr, supportRamp, survive);
  const csmHires = staff(csmNeed, a.currentHeadcount.csm, supportRamp, survive);
  hireSupportFirst(
    [sdrHires, csmHires],
    perSeg.map((p) => p.aeHires),
  );

  const role = (need: Series, hires: Series, initial: number, m: number): RoleMonth => ({
    required: r2(at(need, m)),
    headcount: r2(capacity(m, initial, hires, [1], survive)),
    hires: at(hires, m),
  });
  const rows: MonthRow[] = [];
  for (let m = lo; m <= hi; m++) {
    const segments: Record<string, SegmentMonth> = {};
    let aeRequired = 0;
    let aeHeadcount = 0;
    let aeHired = 0;
    const hires: Hire[] = [];
    if (at(sdrHires, m)) hires.push({ role: 'sdr', count: at(sdrHires, m) });
    if (at(csmHires, m)) hires.push({ role: 'csm', count: at(csmHires, m) });
    for (const p of perSeg) {
      const aes = role(p.aeNeed, p.aeHires, a.currentHeadcount.ae[p.s.id] ?? 0, m);
      const opps = at(p.opps, m);
      segments[p.s.id] = {
        bookings: money(m >= 0 ? p.bookings : 0),
        deals: m >= 0 ? r2(p.deals) : 0,
        opportunities: r2(opps),
        leads: r2(opps / p.s.leadToOpportunity),
        aes,
      };
      aeRequired += at(p.aeNeed, m);
      aeHeadcount += capacity(m, a.currentHeadcount.ae[p.s.id] ?? 0, p.aeHires, [1], survive);
      aeHired += aes.hires;
      if (aes.hires) hires.push({ role: 'ae', segment: p.s.id, count: aes.hires });
    }
    const sdrs = role(sdrNeed, sdrHires, a.currentHeadcount.sdr, m);
    const sdrHeadcount = capacity(m, a.currentHeadcount.sdr, sdrHires, [1], survive);
    rows.push({
      month: addMonths(a.startMonth, m),
      inPlan: m >= 0,
      bookings: money(m >= 0 ? perSeg.reduce((t, p) => t.plus(p.bookings), new Decimal(0)) : 0),
      opportunities: r2(perSeg.reduce((t, p) => t + at(p.opps, m), 0)),
      leads: r2(perSeg.reduce((t, p) => t + at(p.opps, m) / p.s.leadToOpportunity, 0)),
      customers: r2(at(customers, m)),
      segments,
      aes: { required: r2(aeRequired), headcount: r2(aeHeadcount), hires: aeHired },
      sdrs,
      csms: role(csmNeed, csmHires, a.currentHeadcount.csm, m),
      hires,
      sdrToAe: aeHeadcount > EPS ? r2(sdrHeadcount / aeHeadcount) : null,
    });
  }
  // Drop the leading lead-time months where nothing is needed or hired.
  const first = rows.findIndex((r) => r.inPlan || r.hires.length > 0 || r.opportunities > 0 || r.sdrs.required > 0);
  const months = rows.slice(first);

  const sum = (s: Series) => s.values.reduce((t, v) => t + v, 0);
  const end = (initial: number, hires: Series) => r2(capacity(hi, initial, hires, [1], survive));
  const aeEnd = Object.fromEntries(perSeg.map((p) => [p.s.id, end(a.currentHeadcount.ae[p.s.id] ?? 0, p.aeHires)]));
  const endHeadcount = { sdr: end(a.currentHeadcount.sdr, sdrHires), csm: end(a.currentHeadcount.csm, csmHires), ae: aeEnd };
  const oteRunRate = perSeg
    .reduce((t, p) => t.plus(new Decimal(a.ote.ae[p.s.id]).times(aeEnd[p.s.id])), new Decimal(0))
    .plus(new Decimal(a.ote.sdr).times(endHeadcount.sdr))
    .plus(new Decimal(a.ote.csm).times(endHeadcount.csm));

  const flags = flagsFor(a, monthlyQuota);
  const early = months.filter((r) => !r.inPlan && r.hires.length > 0);
  if (early.length)
    flags.push({
      code: 'hire_before_start',
      path: 'startMonth',
      message: `${early.reduce((t, r) => t + r.hires.reduce((u, h) => u + h.count, 0), 0)} hires are dated before ${a.startMonth} (first in ${early[0].month}): with this ramp and sales cycle they are already late`,
    });

  return {
    ok: true,
    plan: {
      months,
      totals: {
        bookings: money(perSeg.reduce((t, p) => t.plus(p.bookings.times(N)), new Decimal(0))),
        deals: r2(perSeg.reduce((t, p) => t + p.deals * N, 0)),
        opportunities: r2(perSeg.reduce((t, p) => t + sum(p.opps), 0)),
        leads: r2(perSeg.reduce((t, p) => t + sum(p.opps) / p.s.leadToOpportunity, 0)),
        hires: { sdr: sum(sdrHires), csm: sum(csmHires), ae: Object.fromEntries(perSeg.map((p) => [p.s.id, sum(p.aeHires)])) },
        endHeadcount,
        oteRunRate: money(oteRunRate),
      },
      flags,
    },
  };
}
