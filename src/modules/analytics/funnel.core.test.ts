import { describe, expect, it } from 'vitest';
import { addCount, addDuration, bucketDays, emptyTotals, funnelMetrics, medianInterval, percentileDays, rate } from './funnel.core.js';

/** Buckets: 0-23 whole hours, 24 + d - 1 for d whole days (24 = 1 day). */
const hist = (entries: [number, number][]) => new Map(entries);

describe('buckets and percentiles', () => {
  it('maps buckets to days', () => {
    expect(bucketDays(0)).toBe(0);
    expect(bucketDays(3)).toBe(0.125);
    expect(bucketDays(24)).toBe(1);
    expect(bucketDays(53)).toBe(30);
  });

  it('takes the nearest-rank percentile of a histogram', () => {
    // Sorted values: 3h, 3h, 1d, 3d.
    const h = hist([
      [26, 1],
      [3, 2],
      [24, 1],
    ]);
    expect(percentileDays(h, 0.5)).toBe(0.125); // rank ceil(2) = 2
    expect(percentileDays(h, 0.75)).toBe(1); // rank 3
    expect(percentileDays(h, 0.76)).toBe(3); // rank ceil(3.04) = 4
    expect(percentileDays(h, 1)).toBe(3);
    expect(percentileDays(h, 0)).toBe(0.125); // rank is at least 1
    expect(percentileDays(new Map(), 0.5)).toBeNull();
    expect(percentileDays(undefined, 0.5)).toBeNull();
  });

  it('odd sample: the median is the middle value, not an average', () => {
    const h = hist([
      [28, 2],
      [35, 1],
    ]); // 5d, 5d, 12d
    expect(percentileDays(h, 0.5)).toBe(5);
    expect(percentileDays(h, 0.75)).toBe(12);
  });

  it('gives an order-statistics interval for the median', () => {
    // 10 cases of 1..10 days: n/2 -+ 0.98 sqrt(10) = 5 -+ 3.099 -> ranks floor(1.9)=1 and ceil(9.1)=10.
    const h = hist(Array.from({ length: 10 }, (_, i) => [24 + i, 1] as [number, number]));
    expect(medianInterval(h)).toEqual({ low: 1, high: 10 });
    expect(medianInterval(new Map())).toBeNull();
  });
});

describe('rate', () => {
  it('is null without a denominator or when the later stage outnumbers the earlier', () => {
    expect(rate(1, 3)).toEqual({ value: 0.3333, numerator: 1, denominator: 3 });
    expect(rate(0, 0)).toBeNull();
    expect(rate(3, 2)).toBeNull();
  });
});

describe('funnelMetrics', () => {
  it('computes every metric of one group from its sums', () => {
    const t = emptyTotals();
    addCount(t, 'visitors', 200, '0');
    addCount(t, 'conversations', 50, '0');
    addCount(t, 'leads', 20, '0');
    addCount(t, 'qualified', 10, '0');
    addCount(t, 'opportunities', 8, '40000.00');
    addCount(t, 'customers', 2, '10000.00');
    addCount(t, 'customers', 1, '5000.01'); // sums across rows
    addCount(t, 'lost', 3, '9000');
    addCount(t, 'new_logos', 2, '12000.00');
    addCount(t, 'bookings_new', 2, '12000.00');
    addCount(t, 'bookings_expansion', 1, '500.50');
    addCount(t, 'bookings_renewal', 1, '999.99');
    addDuration(t, 'opportunity_to_customer', 33, 1); // 10 days
    addDuration(t, 'opportunity_to_customer', 43, 2); // 20 days
    addDuration(t, 'speed_to_lead', 2, 1); // 2 hours
    const m = funnelMetrics(t);
    expect(m.counts).toMatchObject({ visitors: 200, conversations: 50, leads: 20, customers: 3, lost: 3, sourced: 0 });
    expect(m.conversion).toEqual({
      visitorToConversation: { value: 0.25, numerator: 50, denominator: 200 },
      conversationToLead: { value: 0.4, numerator: 20, denominator: 50 },
      visitorToLead: { value: 0.1, numerator: 20, denominator: 200 },
      leadToQualified: { value: 0.5, numerator: 10, denominator: 20 },
      leadToOpportunity: { value: 0.4, numerator: 8, denominator: 20 },
      opportunityToCustomer: { value: 0.375, numerator: 3, denominator: 8 },
      leadToCustomer: { value: 0.15, numerator: 3, denominator: 20 },
    });
    expect(m.winRate).toEqual({ value: 0.5, numerator: 3, denominator: 6 });
    expect(m.velocity.opportunityToCustomer).toEqual({ n: 3, medianDays: 20, p75Days: 20 });
    expect(m.velocity.speedToLead).toEqual({ n: 1, medianDays: 0.08, p75Days: 0.08 });
    expect(m.velocity.leadToOpportunity).toBeNull();
    expect(m.salesCycleDays).toBe(20);
    expect(m.pipelineCreated).toBe('40000.00');
    expect(m.wonAmount).toBe('15000.01');
    expect(m.averageDealSize).toBe('5000.00'); // 15000.01 / 3 = 5000.0033 -> 5000.00
    expect(m.arpa).toBe('6000.00');
    expect(m.bookings).toEqual({ new: '12000.00', expansion: '500.50', renewal: '999.99', total: '13500.49' });
  });

  it('gives zeros and nulls for an empty group', () => {
    const m = funnelMetrics(emptyTotals());
    expect(Object.values(m.counts).every((n) => n === 0)).toBe(true);
    expect(m.winRate).toBeNull();
    expect(m.averageDealSize).toBeNull();
    expect(m.arpa).toBeNull();
    expect(m.salesCycleDays).toBeNull();
    expect(m.bookings.total).toBe('0.00');
  });
});
