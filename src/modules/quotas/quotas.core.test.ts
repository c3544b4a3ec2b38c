import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  attainment,
  DEFAULT_RAMP,
  grrPercent,
  metricsForRoles,
  monthFactor,
  parseQuotaPeriod,
  periodLabel,
  quotaInRange,
  validateRamp,
} from './quotas.core.js';

const q1 = parseQuotaPeriod('2026-Q1')!;
const ramped = (
  q: { amount: string; start: string; end: string },
  range: { start: string; end: string },
  e: { hireDate: string | null; leftAt: string | null },
  ramp = DEFAULT_RAMP,
) => quotaInRange(q, range, e, ramp).ramped.toFixed(2);

describe('quota periods', () => {
  it('parses years, quarters and months, and refuses weeks and nonsense', () => {
    expect(parseQuotaPeriod('2026')).toEqual({ kind: 'year', start: '2026-01-01', end: '2026-12-31', label: '2026' });
    expect(parseQuotaPeriod('2026-Q3')).toEqual({ kind: 'quarter', start: '2026-07-01', end: '2026-09-30', label: '2026-Q3' });
    expect(parseQuotaPeriod('2026-02')).toEqual({ kind: 'month', start: '2026-02-01', end: '2026-02-28', label: '2026-02' });
    for (const bad of ['2026-W10', '2026-13', '2026-Q5', 'Q3', '', '2026-07-01']) expect(parseQuotaPeriod(bad)).toBeNull();
    expect(periodLabel('quarter', '2026-07-01')).toBe('2026-Q3');
    expect(periodLabel('month', '2026-07-01')).toBe('2026-07');
    expect(periodLabel('year', '2026-01-01')).toBe('2026');
  });
});

describe('metrics by role', () => {
  it('gives closers ARR, qualifiers leads or pipeline, farmers expansion or retention, and others nothing', () => {
    expect(metricsForRoles(['ae'])).toEqual(['new_arr']);
    expect(metricsForRoles(['sdr_outbound'])).toEqual(['accepted_leads', 'pipeline_created']);
    expect(metricsForRoles(['relationship_manager'])).toEqual(['expansion_arr', 'grr']);
    expect(metricsForRoles(['manager', 'support'])).toEqual([]);
  });
});

describe('ramp validation', () => {
  it('accepts the default and a one-step ramp', () => {
    expect(validateRamp(DEFAULT_RAMP)).toBeNull();
    expect(validateRamp([100])).toBeNull();
  });
  it('names each problem', () => {
    expect(validateRamp([])).toMatch(/1 to 12/);
    expect(validateRamp(Array(13).fill(100))).toMatch(/1 to 12/);
    expect(validateRamp([25, 50, 75])).toMatch(/must reach 100/);
    expect(validateRamp([50, 25, 100])).toMatch(/never goes down/);
    expect(validateRamp([0, 100])).toMatch(/1 to 100/);
    expect(validateRamp([25.5, 100])).toMatch(/whole percent/);
    expect(validateRamp([50, 101])).toMatch(/1 to 100/);
  });
});

describe('ramped quotas (hand-computed)', () => {
  it('a hire on 2026-02-15 with a Q1 quota of 90,000: Jan 0, Feb 25%, Mar 50% -> 90,000 x 25% = 22,500', () => {
    const e = { hireDate: '2026-02-15', leftAt: null };
    expect(monthFactor('2026-01-01', e, DEFAULT_RAMP).toNumber()).toBe(0);
    expect(monthFactor('2026-02-01', e, DEFAULT_RAMP).toNumber()).toBe(0.25);
    expect(monthFactor('2026-03-01', e, DEFAULT_RAMP).toNumber()).toBe(0.5);
    expect(ramped({ amount: '90000.00', ...q1 }, q1, e)).toBe('22500.00');
  });

  it('the same hire ramps 75% in April, 100% from May: Q2 = 30,000 x (75 + 100 + 100)% = 82,500', () => {
    const q2 = parseQuotaPeriod('2026-Q2')!;
    expect(ramped({ amount: '90000.00', ...q2 }, q2, { hireDate: '2026-02-15', leftAt: null })).toBe('82500.00');
  });

  it('a rep hired years ago or with no hire date carries the full quota', () => {
    expect(ramped({ amount: '90000.00', ...q1 }, q1, { hireDate: '2020-03-01', leftAt: null })).toBe('90000.00');
    expect(ramped({ amount: '90000.00', ...q1 }, q1, { hireDate: null, leftAt: null })).toBe('90000.00');
  });

  it('a leaver on 2026-08-20 with a Q3 quota of 93,000: Jul 31,000 + Aug 31,000 x 20/31 + Sep 0 = 51,000', () => {
    const q3 = parseQuotaPeriod('2026-Q3')!;
    const e = { hireDate: '2024-01-10', leftAt: '2026-08-20' };
    expect(monthFactor('2026-08-01', e, DEFAULT_RAMP).times(31).toNumber()).toBe(20);
    expect(ramped({ amount: '93000.00', ...q3 }, q3, e)).toBe('51000.00');
  });

  it('a hire who leaves in the ramp: hired 2026-07-03, left 2026-08-15 -> Jul 25%, Aug 50% x 15/31, Sep 0', () => {
    const q3 = parseQuotaPeriod('2026-Q3')!;
    // 31,000 x 0.25 + 31,000 x 0.5 x 15 / 31 = 7,750 + 7,500 = 15,250
    expect(ramped({ amount: '93000.00', ...q3 }, q3, { hireDate: '2026-07-03', leftAt: '2026-08-15' })).toBe('15250.00');
  });

  it('a leaving day on the last of the month keeps the whole month', () => {
    expect(monthFactor('2026-08-01', { hireDate: null, leftAt: '2026-08-31' }, DEFAULT_RAMP).toNumber()).toBe(1);
    expect(monthFactor('2026-09-01', { hireDate: null, leftAt: '2026-08-31' }, DEFAULT_RAMP).toNumber()).toBe(0);
  });

  it('a year quota read for one quarter is a quarter of it, ramped month by month', () => {
    const year = parseQuotaPeriod('2026')!;
    const q1r = quotaInRange({ amount: '120000.00', ...year }, q1, { hireDate: '2026-02-15', leftAt: null }, DEFAULT_RAMP);
    expect(q1r.base.toFixed(2)).toBe('30000.00');
    // 10,000 x (0 + 0.25 + 0.5)
    expect(q1r.ramped.toFixed(2)).toBe('7500.00');
  });

  it('a custom ramp applies its own steps', () => {
    const e = { hireDate: '2026-01-31', leftAt: null };
    // Jan month 1 = 50%, Feb month 2 = 100%, Mar 100%: 30,000 x 2.5 = 75,000
    expect(ramped({ amount: '90000.00', ...q1 }, q1, e, [50, 100])).toBe('75000.00');
  });

  it('keeps cents exact where floats would drift', () => {
    const m = parseQuotaPeriod('2026-01')!;
    // 100,000.01 / 3 months is repeating; only the shown value is rounded
    const q = quotaInRange({ amount: '100000.01', ...q1 }, m, { hireDate: null, leftAt: null }, DEFAULT_RAMP);
    expect(q.ramped.toFixed(2)).toBe('33333.34');
    expect(q.ramped.times(3).toFixed(2)).toBe('100000.01');
  });
});

describe('attainment', () => {
  it('is actual over ramped quota with four decimals, null when nothing is due', () => {
    expect(attainment('23625.00', '22500.00')).toBe('1.0500');
    expect(attainment('0', '22500')).toBe('0.0000');
    expect(attainment('100', new Decimal(0))).toBeNull();
  });
});

describe('gross revenue retention', () => {
  it('is (start ARR - losses) / start ARR in percent, and none without ARR at the start', () => {
    expect(grrPercent('150000', '60000')).toBe('60.00');
    expect(grrPercent('3', '1')).toBe('66.67');
    expect(grrPercent('100', '0')).toBe('100.00');
    expect(grrPercent('0', '0')).toBeNull();
  });
});
