import type { CapacityAssumptions } from './quotas.api';

/**
 * The planner's form holds strings (what inputs hold). Only the main assumptions are editable; the rest (ramp,
 * coverage, current headcount and base, best rep month) go back to the server as the defaults gave them.
 */
export type SegmentDraft = {
  id: string;
  share: string;
  averageDealSize: string;
  leadToOpportunity: string;
  opportunityToCustomer: string;
  salesCycleDays: string;
  quota: string;
  quotaPer: 'month' | 'year';
};
export type PlanDraft = {
  targetArr: string;
  startMonth: string;
  months: string;
  expectedAttainment: string;
  monthlyAttrition: string;
  sdrProductivity: string;
  segments: SegmentDraft[];
  oteSdr: string;
  oteCsm: string;
  oteAe: Record<string, string>;
};

export function toDraft(a: CapacityAssumptions): PlanDraft {
  return {
    targetArr: a.targetArr,
    startMonth: a.startMonth,
    months: String(a.months ?? 12),
    expectedAttainment: String(a.expectedAttainment),
    monthlyAttrition: String(a.monthlyAttrition),
    sdrProductivity: String(a.sdrProductivity),
    segments: a.segments.map((s) => ({
      id: s.id,
      share: String(s.share),
      averageDealSize: s.averageDealSize,
      leadToOpportunity: String(s.leadToOpportunity),
      opportunityToCustomer: String(s.opportunityToCustomer),
      salesCycleDays: String(s.salesCycleDays),
      quota: s.aeQuota.amount,
      quotaPer: s.aeQuota.per,
    })),
    oteSdr: a.ote.sdr,
    oteCsm: a.ote.csm,
    oteAe: { ...a.ote.ae },
  };
}

/** A number for the API; an empty or garbled input is sent as NaN -> null, which the server names as that field's error. */
const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s.trim()));

export function fromDraft(d: PlanDraft, base: CapacityAssumptions): CapacityAssumptions {
  return {
    ...base,
    targetArr: d.targetArr.trim(),
    startMonth: d.startMonth.trim(),
    months: num(d.months),
    expectedAttainment: num(d.expectedAttainment),
    monthlyAttrition: num(d.monthlyAttrition),
    sdrProductivity: num(d.sdrProductivity),
    segments: d.segments.map((s, i) => ({
      ...base.segments[i],
      id: s.id,
      share: num(s.share),
      averageDealSize: s.averageDealSize.trim(),
      leadToOpportunity: num(s.leadToOpportunity),
      opportunityToCustomer: num(s.opportunityToCustomer),
      salesCycleDays: num(s.salesCycleDays),
      aeQuota: { amount: s.quota.trim(), per: s.quotaPer },
    })),
    ote: { sdr: d.oteSdr.trim(), csm: d.oteCsm.trim(), ae: Object.fromEntries(Object.entries(d.oteAe).map(([k, v]) => [k, v.trim()])) },
  };
}

/**
 * The server's error paths (segments[0].share from the core, segments.0.share from the request schema) in one
 * spelling, so each message lands next to its input.
 */
export function normalizePaths(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    const key = k
      .replace(/^\/?body[./]?/, '')
      .replace(/[./](\d+)(?=[./]|$)/g, '[$1]')
      .replace(/\//g, '.');
    if (!(key in out)) out[key] = v;
  }
  return out;
}
