import { describe, expect, it } from 'vitest';
import { coachingInsights, median, type RepSample, TRIAL_CHECKLIST, wilson } from './coaching.core.js';
import { addCount, addDuration, emptyTotals, funnelMetrics, type Measure } from './funnel.core.js';

/** A rep from counts and, optionally, a sales-cycle histogram (bucket -> cases). */
function rep(repId: string, counts: Partial<Record<Measure, number>>, cycle?: [number, number][]): RepSample {
  const totals = emptyTotals();
  for (const [m, n] of Object.entries(counts)) addCount(totals, m as Measure, n, '0');
  for (const [bucket, n] of cycle ?? []) addDuration(totals, 'opportunity_to_customer', bucket, n);
  return { repId, name: repId, totals, metrics: funnelMetrics(totals) };
}

describe('wilson', () => {
  it('matches known 95% intervals', () => {
    const w = wilson(8, 10);
    expect(w.low).toBeCloseTo(0.4902, 4);
    expect(w.high).toBeCloseTo(0.9433, 4);
    const h = wilson(50, 100);
    expect(h.low).toBeCloseTo(0.4038, 4);
    expect(h.high).toBeCloseTo(0.5962, 4);
    expect(wilson(0, 10).low).toBe(0);
    expect(wilson(0, 10).high).toBeCloseTo(0.2775, 4);
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('median of an even list is the mean of the middle two', () => {
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('coachingInsights', () => {
  it('reports a clear strength in conversion, with the numbers behind it', () => {
    // 40 of 100 visitors became leads against peers at 10-15%: Wilson [0.309, 0.498] excludes the peer median 0.12.
    const me = rep('zachary', { visitors: 100, leads: 40 });
    const peers = [
      rep('p1', { visitors: 100, leads: 10 }),
      rep('p2', { visitors: 100, leads: 12 }),
      rep('p3', { visitors: 100, leads: 15 }),
    ];
    const { insights } = coachingInsights(me, peers);
    const s = insights.find((i) => i.metric === 'visitorToLead');
    expect(s).toMatchObject({ kind: 'strength', value: 0.4, peerMedian: 0.12, ratio: 3.3333, n: 100, peers: 3, measure: 'leads' });
    expect(s?.checklist).toBeUndefined();
    expect(s?.sentence).toBe('Converts visitors to leads at 3.3x the peer median (40.0% vs 12.0%, n=100)');
  });

  it('reports a weak opportunity-to-customer stage as a gap with the trial checklist', () => {
    // 5 of 50 trials won (Wilson [0.043, 0.214]) against peers at 36-44%.
    const me = rep('annie', { opportunities: 50, customers: 5 });
    const peers = [
      rep('p1', { opportunities: 50, customers: 20 }),
      rep('p2', { opportunities: 50, customers: 18 }),
      rep('p3', { opportunities: 50, customers: 22 }),
    ];
    const { insights } = coachingInsights(me, peers);
    const gap = insights.find((i) => i.metric === 'opportunityToCustomer');
    expect(gap).toMatchObject({ kind: 'gap', value: 0.1, peerMedian: 0.4, ratio: 0.25, n: 50 });
    expect(gap?.checklist).toEqual(TRIAL_CHECKLIST);
    expect(gap?.sentence).toBe('Opportunities to customers: 75% below the peer median (10.0% vs 40.0%, n=50)');
  });

  it('reports a faster sales cycle as a strength', () => {
    const me = rep('raymond', {}, [[28, 30]]); // 30 deals at 5 days
    const peers = [rep('p1', {}, [[43, 30]]), rep('p2', {}, [[43, 25]])]; // 20 days
    const { insights } = coachingInsights(me, peers);
    expect(insights).toHaveLength(1);
    expect(insights[0]).toMatchObject({ metric: 'salesCycleDays', kind: 'strength', value: 5, peerMedian: 20, ratio: 4 });
    expect(insights[0].sentence).toBe('75% faster than peers from opportunity to won (sales cycle) (median 5 days vs 20 days, n=30)');
  });

  it('reports noise as inconclusive, never as a gap', () => {
    const peers = [
      rep('p1', { opportunities: 50, customers: 20 }),
      rep('p2', { opportunities: 50, customers: 18 }),
      rep('p3', { opportunities: 50, customers: 22 }),
    ];
    // Small n: 1 of 10 looks terrible but is 10 cases.
    const small = coachingInsights(rep('new', { opportunities: 10, customers: 1 }), peers);
    expect(small.insights.filter((i) => i.metric === 'opportunityToCustomer')).toEqual([]);
    expect(small.inconclusive.find((i) => i.metric === 'opportunityToCustomer')).toMatchObject({ n: 10 });
    expect(small.inconclusive.find((i) => i.metric === 'opportunityToCustomer')?.reason).toMatch(/too few cases/);

    // Enough cases, lower than peers (36% vs 40%), but the peer median lies inside the interval [0.24, 0.50].
    const close = coachingInsights(rep('close', { opportunities: 50, customers: 18 }), peers);
    expect(close.insights.filter((i) => i.metric === 'opportunityToCustomer')).toEqual([]);
    expect(close.inconclusive.find((i) => i.metric === 'opportunityToCustomer')?.reason).toBe('within the range noise allows');

    // Peers without enough cases are no benchmark.
    const thin = coachingInsights(rep('x', { opportunities: 50, customers: 5 }), [rep('p', { opportunities: 5, customers: 4 }), peers[0]]);
    expect(thin.insights.filter((i) => i.kind === 'gap')).toEqual([]);
    expect(thin.inconclusive.find((i) => i.metric === 'opportunityToCustomer')?.reason).toMatch(/fewer than two comparable reps/);
  });

  it('honours minN and ranks insights by size', () => {
    const me = rep('me', { visitors: 100, leads: 40, opportunities: 50, customers: 5 });
    const peers = [
      rep('p1', { visitors: 100, leads: 10, opportunities: 50, customers: 20 }),
      rep('p2', { visitors: 100, leads: 12, opportunities: 50, customers: 18 }),
    ];
    const { insights } = coachingInsights(me, peers);
    // leadToOpportunity is null (50 > 40 leads): not measured. Gap ratio 0.2632 (|log| 1.335) vs strength 3.6364 (1.291).
    expect(insights.map((i) => [i.metric, i.kind])).toEqual([
      ['opportunityToCustomer', 'gap'],
      ['visitorToLead', 'strength'],
    ]);
    expect(coachingInsights(me, peers, { minN: 101 }).insights).toEqual([]);
  });
});
