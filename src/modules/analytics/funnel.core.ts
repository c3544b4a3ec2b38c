import { Decimal, type Money, money } from '../../platform/money.js';

/** The five stages of DOMAIN.md section 4, in order. */
export const FUNNEL_STAGES = ['visitors', 'conversations', 'leads', 'opportunities', 'customers'] as const;

/** Everything counted in the rollups (docs/metrics.md defines each). */
export const MEASURES = [
  'visitors',
  'conversations',
  'leads',
  'qualified',
  'opportunities',
  'sourced',
  'customers',
  'lost',
  'new_logos',
  'bookings_new',
  'bookings_expansion',
  'bookings_renewal',
] as const;
export type Measure = (typeof MEASURES)[number];

export const TRANSITIONS = ['speed_to_lead', 'lead_to_qualified', 'lead_to_opportunity', 'opportunity_to_customer'] as const;
export type Transition = (typeof TRANSITIONS)[number];

/** Sums for one group: measure -> count and amount; transition -> histogram (bucket -> count). */
export type GroupTotals = {
  counts: Partial<Record<Measure, { n: number; amount: string }>>;
  durations: Partial<Record<Transition, Map<number, number>>>;
};

export const emptyTotals = (): GroupTotals => ({ counts: {}, durations: {} });

export function addCount(t: GroupTotals, measure: Measure, n: number, amount: string) {
  const prev = t.counts[measure];
  t.counts[measure] = prev ? { n: prev.n + n, amount: new Decimal(prev.amount).plus(amount).toFixed(2) } : { n, amount };
}

export function addDuration(t: GroupTotals, transition: Transition, bucket: number, n: number) {
  let h = t.durations[transition];
  if (!h) {
    h = new Map();
    t.durations[transition] = h;
  }
  h.set(bucket, (h.get(bucket) ?? 0) + n);
}

/** The sums of several groups together. */
export function mergeTotals(groups: GroupTotals[]): GroupTotals {
  const out = emptyTotals();
  for (const g of groups) {
    for (const [m, c] of Object.entries(g.counts) as [Measure, { n: number; amount: string }][]) addCount(out, m, c.n, c.amount);
    for (const [t, h] of Object.entries(g.durations) as [Transition, Map<number, number>][])
      for (const [bucket, n] of h) addDuration(out, t, bucket, n);
  }
  return out;
}

/** A share with the counts behind it, so readers can judge the sample. */
export type Rate = { value: number; numerator: number; denominator: number };
export type Velocity = { n: number; medianDays: number; p75Days: number };

export type FunnelMetrics = {
  counts: Record<Measure, number>;
  conversion: {
    visitorToConversation: Rate | null;
    conversationToLead: Rate | null;
    visitorToLead: Rate | null;
    leadToQualified: Rate | null;
    leadToOpportunity: Rate | null;
    opportunityToCustomer: Rate | null;
    leadToCustomer: Rate | null;
  };
  winRate: Rate | null;
  velocity: Record<'speedToLead' | 'leadToQualified' | 'leadToOpportunity' | 'opportunityToCustomer', Velocity | null>;
  /** Median days from opportunity to won: the sales cycle. */
  salesCycleDays: number | null;
  pipelineCreated: Money;
  wonAmount: Money;
  averageDealSize: Money | null;
  arpa: Money | null;
  bookings: { new: Money; expansion: Money; renewal: Money; total: Money };
};

/**
 * A share of the earlier stage that reached the later one. Null without a denominator, and when the later stage
 * outnumbers the earlier one: that group does not own the earlier stage (a closer's deals come from SDRs' leads),
 * so no conversion is measured for it.
 */
export function rate(numerator: number, denominator: number): Rate | null {
  if (denominator <= 0 || numerator > denominator) return null;
  return { value: round(numerator / denominator, 4), numerator, denominator };
}

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

/** A bucket's duration in days: buckets 0-23 are whole hours, 24 and up whole days (24 = 1 day). */
export const bucketDays = (bucket: number) => (bucket < 24 ? bucket / 24 : bucket - 23);

/** Nearest-rank percentile (the value at rank ceil(p * n)) of a histogram, in days. */
export function percentileDays(hist: Map<number, number> | undefined, p: number): number | null {
  const sorted = sortedBuckets(hist);
  const n = sorted.reduce((s, [, c]) => s + c, 0);
  if (n === 0) return null;
  return bucketDays(valueAtRank(sorted, Math.max(1, Math.ceil(p * n))));
}

export function histogramSize(hist: Map<number, number> | undefined): number {
  let n = 0;
  for (const c of hist?.values() ?? []) n += c;
  return n;
}

const sortedBuckets = (hist: Map<number, number> | undefined) => [...(hist ?? new Map<number, number>())].sort((a, b) => a[0] - b[0]);

function valueAtRank(sorted: [number, number][], rank: number): number {
  let seen = 0;
  for (const [bucket, count] of sorted) {
    seen += count;
    if (seen >= rank) return bucket;
  }
  return sorted[sorted.length - 1][0];
}

/**
 * A distribution-free 95% interval for the median (order statistics at n/2 -+ 0.98 sqrt(n)), in days: the
 * small-sample guard for speed comparisons.
 */
export function medianInterval(hist: Map<number, number> | undefined): { low: number; high: number } | null {
  const sorted = sortedBuckets(hist);
  const n = sorted.reduce((s, [, c]) => s + c, 0);
  if (n === 0) return null;
  const half = 0.98 * Math.sqrt(n);
  const lo = Math.max(1, Math.floor(n / 2 - half));
  const hi = Math.min(n, Math.ceil(n / 2 + 1 + half));
  return { low: bucketDays(valueAtRank(sorted, lo)), high: bucketDays(valueAtRank(sorted, hi)) };
}

/** n, median and p75 of a histogram, in days to two places: the funnel and the velocity chart both use it, so they agree. */
export function velocity(hist: Map<number, number> | undefined): Velocity | null {
  const n = histogramSize(hist);
  if (n === 0) return null;
  return { n, medianDays: round(percentileDays(hist, 0.5)!, 2), p75Days: round(percentileDays(hist, 0.75)!, 2) };
}

/** The metrics of one group, from its sums. Pure: golden tests check each against hand-computed numbers. */
export function funnelMetrics(t: GroupTotals): FunnelMetrics {
  const n = (m: Measure) => t.counts[m]?.n ?? 0;
  const amount = (m: Measure) => t.counts[m]?.amount ?? '0';
  const counts = Object.fromEntries(MEASURES.map((m) => [m, n(m)])) as Record<Measure, number>;
  const bookings = {
    new: money(amount('bookings_new')),
    expansion: money(amount('bookings_expansion')),
    renewal: money(amount('bookings_renewal')),
    total: money(new Decimal(amount('bookings_new')).plus(amount('bookings_expansion')).plus(amount('bookings_renewal'))),
  };
  const v = {
    speedToLead: velocity(t.durations.speed_to_lead),
    leadToQualified: velocity(t.durations.lead_to_qualified),
    leadToOpportunity: velocity(t.durations.lead_to_opportunity),
    opportunityToCustomer: velocity(t.durations.opportunity_to_customer),
  };
  return {
    counts,
    conversion: {
      visitorToConversation: rate(n('conversations'), n('visitors')),
      conversationToLead: rate(n('leads'), n('conversations')),
      visitorToLead: rate(n('leads'), n('visitors')),
      leadToQualified: rate(n('qualified'), n('leads')),
      leadToOpportunity: rate(n('opportunities'), n('leads')),
      opportunityToCustomer: rate(n('customers'), n('opportunities')),
      leadToCustomer: rate(n('customers'), n('leads')),
    },
    winRate: rate(n('customers'), n('customers') + n('lost')),
    velocity: v,
    salesCycleDays: v.opportunityToCustomer?.medianDays ?? null,
    pipelineCreated: money(amount('opportunities')),
    wonAmount: money(amount('customers')),
    averageDealSize: n('customers') > 0 ? money(new Decimal(amount('customers')).div(n('customers'))) : null,
    arpa: n('new_logos') > 0 ? money(new Decimal(amount('new_logos')).div(n('new_logos'))) : null,
    bookings,
  };
}
