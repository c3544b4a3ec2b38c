import { describe, expect, it } from 'vitest';
import { addMonths, type CapacityAssumptions, capacityPlan } from './capacity.core.js';

/**
 * One SMB segment: 1,200,000 over 12 months = 100,000 per month; deal 10,000 -> 10 deals; opp->customer 0.25 -> 40 opps;
 * lead->opp 0.5 -> 80 leads; cycle 30 days -> opportunities created 1 month before the close.
 * AE: quota 25,000/month x attainment 0.8 = 20,000 per ramped AE -> 5 AEs required. SDR: 40 opps / 20 = 2 SDRs.
 */
const base = (): CapacityAssumptions => ({
  targetArr: '1200000',
  startMonth: '2026-01',
  segments: [
    {
      id: 'SMB',
      share: 1,
      averageDealSize: '10000',
      leadToOpportunity: 0.5,
      opportunityToCustomer: 0.25,
      salesCycleDays: 30,
      aeQuota: { amount: '25000', per: 'month' },
    },
  ],
  ramp: [0.5, 1],
  expectedAttainment: 0.8,
  monthlyAttrition: 0,
  sdrProductivity: 20,
  csmCoverage: { customersPerCsm: 50 },
  currentHeadcount: { sdr: 1, csm: 1, ae: { SMB: 3 } },
  ote: { sdr: '60000', csm: '80000', ae: { SMB: '60000' } }, // 300,000 / 60,000 = 5x
});

const plan = (a: CapacityAssumptions) => {
  const r = capacityPlan(a);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.plan;
};
const byMonth = (p: ReturnType<typeof plan>) => Object.fromEntries(p.months.map((r) => [r.month, r]));

describe('capacityPlan, golden cases', () => {
  it('computes funnel needs, ramped AE hires, SDR lead time and CSM coverage without attrition', () => {
    const p = plan(base());
    const m = byMonth(p);
    // First row: SDR hire in 2025-11 (needed for the 2025-12 opportunities that close in 2026-01).
    expect(p.months[0].month).toBe('2025-11');
    expect(p.months.at(-1)!.month).toBe('2026-12');
    // AEs: 3 on hand, 5 required in 2026-01 -> gap 2, hired ramp length - 1 = 1 month earlier (2025-12).
    expect(m['2025-12'].hires).toEqual([{ role: 'ae', segment: 'SMB', count: 2 }]);
    // SDRs: 2025-12 needs 40/20 = 2, 1 on hand -> 1 hire the month before (ramp [0, 1]): 2025-11.
    expect(m['2025-11'].hires).toEqual([{ role: 'sdr', count: 1 }]);
    expect(m['2025-12']).toMatchObject({
      inPlan: false,
      bookings: '0.00',
      opportunities: 40,
      leads: 80,
      sdrs: { required: 2, headcount: 2 },
    });
    expect(m['2026-01']).toMatchObject({
      inPlan: true,
      bookings: '100000.00',
      customers: 10,
      aes: { required: 5, headcount: 5, hires: 0 },
      sdrToAe: 0.4, // 2 SDRs / 5 AEs
    });
    expect(m['2026-01'].segments.SMB).toMatchObject({ bookings: '100000.00', deals: 10, opportunities: 40, leads: 80 });
    // The December 2026 closes need November opportunities; nothing is created in December for this plan.
    expect(m['2026-12'].opportunities).toBe(0);
    // CSMs: customers 10(m+1), need 0.2(m+1): 2026-06 needs 1.2 > 1 -> hire in 2026-05; 2026-11 needs 2.2 -> hire 2026-10.
    expect(p.months.filter((r) => r.hires.some((h) => h.role === 'csm')).map((r) => r.month)).toEqual(['2026-05', '2026-10']);
    expect(m['2026-06'].csms).toEqual({ required: 1.2, headcount: 2, hires: 0 });
    expect(p.totals).toEqual({
      bookings: '1200000.00',
      deals: 120,
      opportunities: 480, // 12 closing months x 40
      leads: 960,
      hires: { sdr: 1, csm: 2, ae: { SMB: 2 } },
      endHeadcount: { sdr: 2, csm: 3, ae: { SMB: 5 } },
      oteRunRate: '660000.00', // 2 x 60,000 + 3 x 80,000 + 5 x 60,000
    });
    // 5x is inside 4-6x; hires before 2026-01 are late.
    expect(p.flags).toEqual([
      {
        code: 'hire_before_start',
        path: 'startMonth',
        message: '3 hires are dated before 2026-01 (first in 2025-11): with this ramp and sales cycle they are already late',
      },
    ]);
  });

  it('hires qualifiers before closers: an SDR hire in the same month as an AE hire moves a month earlier', () => {
    // Cycle 0 days: opportunities are created in the closing month; 2 SDRs needed from 2026-01, none on hand
    // -> 2 SDRs in 2025-12 (ramp [0, 1]), the month the 2 AEs are hired -> the SDRs move to 2025-11.
    const a = base();
    a.segments[0].salesCycleDays = 0;
    a.currentHeadcount.sdr = 0;
    const m = byMonth(plan(a));
    expect(m['2025-12'].hires).toEqual([{ role: 'ae', segment: 'SMB', count: 2 }]);
    expect(m['2025-11'].hires).toEqual([{ role: 'sdr', count: 2 }]);
    expect(m['2026-01'].sdrToAe).toBe(0.4);
  });

  it('replaces expected attrition: a hire whenever expected capacity drops below the need', () => {
    // Ramp [1] (hire in the month needed), 5 AEs on hand, 5 required, 10% monthly attrition (survival 0.9):
    // m1: 5 x 0.9 = 4.5 -> gap 0.5 -> 1 hire; m2: 5 x 0.81 + 1 x 0.9 = 4.95 -> 1 hire;
    // m3: 5 x 0.729 + 0.81 + 0.9 = 5.355 -> none; m4: 5 x 0.6561 + 0.729 + 0.81 = 4.8195 -> 1 hire.
    const a = base();
    a.ramp = [1];
    a.monthlyAttrition = 0.1;
    a.currentHeadcount.ae.SMB = 5;
    const m = byMonth(plan(a));
    expect(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05'].map((k) => m[k].segments.SMB.aes.hires)).toEqual([0, 1, 1, 0, 1]);
    expect(m['2026-04'].segments.SMB.aes.headcount).toBe(5.36); // 5.355 -> 2 places
  });

  it('splits the target by segment share with each segment its own cycle and quota per year', () => {
    // ESB 25%: 25,000/month, deal 2,500 -> 10 deals; cycle 0. MME 75%: 75,000/month, deal 75,000 -> 1 deal, opp->cust 0.5
    // -> 2 opps created 3 months earlier (cycle 61 days -> ceil(61/30) = 3). MME quota 900,000/year = 75,000/month.
    const a = base();
    a.segments = [
      { ...a.segments[0], id: 'ESB', share: 0.25, averageDealSize: '2500', salesCycleDays: 0 },
      {
        ...a.segments[0],
        id: 'MME',
        share: 0.75,
        averageDealSize: '75000',
        opportunityToCustomer: 0.5,
        salesCycleDays: 61,
        aeQuota: { amount: '900000', per: 'year' },
      },
    ];
    a.currentHeadcount.ae = { ESB: 0, MME: 0 };
    a.ote.ae = { ESB: '60000', MME: '180000' };
    const m = byMonth(plan(a));
    // 2025-10: MME opps for January (2). 2026-01: ESB opps 10 / 0.25 = 40 plus MME's for April (2) = 42.
    expect(m['2025-10'].opportunities).toBe(2);
    expect(m['2026-01'].opportunities).toBe(42);
    // ESB AEs: 25,000 / 20,000 = 1.25; MME: 75,000 / (75,000 x 0.8) = 1.25.
    expect(m['2026-01'].segments.ESB.aes.required).toBe(1.25);
    expect(m['2026-01'].segments.MME.aes.required).toBe(1.25);
    expect(m['2026-01'].aes.required).toBe(2.5);
  });
});

describe('capacityPlan flags', () => {
  it('flags the 8x HubSpot ladder and a quota above the best rep month', () => {
    const a = base();
    a.segments[0].aeQuota = { amount: '800000', per: 'year' };
    a.ote.ae.SMB = '100000';
    // 800,000 / 12 = 66,666.67 a month = 6.67 deals of 10,000, above a best month of 6 deals and 60,000.
    a.segments[0].bestRepMonth = { deals: 6, bookings: '60000' };
    const p = plan(a);
    expect(p.flags.filter((f) => f.code !== 'hire_before_start')).toEqual([
      {
        code: 'quota_ote_ratio',
        path: 'segments[0].aeQuota',
        message:
          'SMB: annual quota 800000.00 is 8.0x OTE 100000.00, outside the usual 4-6x (the HubSpot level-1 ladder, 800k quota on 100k OTE, is 8x)',
      },
      {
        code: 'above_best_rep_month',
        path: 'segments[0].aeQuota',
        message: 'SMB: the monthly quota needs 6.67 deals per rep, above the best rep month of 6',
      },
      {
        code: 'above_best_rep_month',
        path: 'segments[0].aeQuota',
        message: 'SMB: the monthly quota 66666.67 is above the best rep month of 60000.00',
      },
    ]);
  });
});

describe('capacityPlan validation', () => {
  it('returns field errors for impossible inputs and computes nothing', () => {
    const a = base();
    a.targetArr = '0';
    a.startMonth = '2026-13';
    a.segments[0].leadToOpportunity = 1.2;
    a.segments[0].opportunityToCustomer = 0;
    a.segments[0].averageDealSize = '-1';
    a.segments[0].share = 0.9;
    a.ramp = [0.5, 0.25, 0.9];
    a.sdrProductivity = 0;
    a.monthlyAttrition = 1;
    a.currentHeadcount.ae = { SMB: -1, XYZ: 1 };
    expect(capacityPlan(a)).toEqual({
      ok: false,
      errors: [
        { path: 'targetArr', message: 'must be a positive decimal, got "0"' },
        { path: 'startMonth', message: 'must be YYYY-MM, got "2026-13"' },
        { path: 'segments[0].averageDealSize', message: 'must be a positive decimal, got "-1"' },
        { path: 'segments[0].leadToOpportunity', message: 'must be in (0, 1], got 1.2' },
        { path: 'segments[0].opportunityToCustomer', message: 'must be in (0, 1], got 0' },
        { path: 'segments', message: 'shares must add up to 1, got 0.9' },
        { path: 'ramp[1]', message: 'must not decrease' },
        { path: 'ramp', message: 'must reach 1 (100%) in its last month' },
        { path: 'monthlyAttrition', message: 'must be in [0, 1), got 1' },
        { path: 'sdrProductivity', message: 'must be above 0, got 0' },
        { path: 'currentHeadcount.ae.SMB', message: 'must be a whole number, 0 or more, got -1' },
        { path: 'currentHeadcount.ae.XYZ', message: 'is not a segment of the plan' },
      ],
    });
  });

  it('requires an AE OTE per segment and a positive coverage', () => {
    const a = base();
    a.ote.ae = {};
    a.csmCoverage = { arrPerCsm: '0' };
    const r = capacityPlan(a);
    expect(!r.ok && r.errors).toEqual([
      { path: 'ote.ae.SMB', message: 'must be a positive decimal, got "undefined"' },
      { path: 'csmCoverage.arrPerCsm', message: 'must be a positive decimal, got "0"' },
    ]);
  });

  it('adds months across years', () => {
    expect([addMonths('2026-01', -2), addMonths('2025-12', 1), addMonths('2026-05', 11)]).toEqual(['2025-11', '2026-01', '2027-04']);
  });
});
