import {
  type FunnelMetrics,
  type GroupTotals,
  histogramSize,
  type Measure,
  medianInterval,
  percentileDays,
  type Rate,
  type Transition,
} from './funnel.core.js';

/** DOMAIN.md section 4: what to check when a rep's trials rarely become customers. */
export const TRIAL_CHECKLIST = [
  'Is the messenger installed on the trial account?',
  'Has the customer reached its first "aha" moment?',
  'Which features has the customer adopted?',
  'Was the trial end date communicated?',
  'Are there open objections?',
];

export type CoachingOptions = { minN: number };
export const DEFAULT_COACHING: CoachingOptions = { minN: 20 };

type RateMetric = {
  id: 'visitorToLead' | 'leadToQualified' | 'leadToOpportunity' | 'opportunityToCustomer' | 'winRate';
  kind: 'rate';
  phrase: string;
  /** The measure whose records sit behind the numerator, for the drill-down. */
  measure: Measure;
  pick: (m: FunnelMetrics) => Rate | null;
};
type SpeedMetric = {
  id: 'speedToLead' | 'leadToOpportunityDays' | 'salesCycleDays';
  kind: 'speed';
  phrase: string;
  measure: Measure;
  transition: Transition;
};
export type CoachingMetric = RateMetric | SpeedMetric;

export const COACHING_METRICS: CoachingMetric[] = [
  { id: 'visitorToLead', kind: 'rate', phrase: 'visitors to leads', measure: 'leads', pick: (m) => m.conversion.visitorToLead },
  { id: 'leadToQualified', kind: 'rate', phrase: 'leads to qualified', measure: 'qualified', pick: (m) => m.conversion.leadToQualified },
  {
    id: 'leadToOpportunity',
    kind: 'rate',
    phrase: 'leads to opportunities',
    measure: 'opportunities',
    pick: (m) => m.conversion.leadToOpportunity,
  },
  {
    id: 'opportunityToCustomer',
    kind: 'rate',
    phrase: 'opportunities to customers',
    measure: 'customers',
    pick: (m) => m.conversion.opportunityToCustomer,
  },
  { id: 'winRate', kind: 'rate', phrase: 'closed deals to wins (win rate)', measure: 'customers', pick: (m) => m.winRate },
  { id: 'speedToLead', kind: 'speed', phrase: 'from a new lead to the first touch', measure: 'leads', transition: 'speed_to_lead' },
  {
    id: 'leadToOpportunityDays',
    kind: 'speed',
    phrase: 'from lead to opportunity',
    measure: 'opportunities',
    transition: 'lead_to_opportunity',
  },
  {
    id: 'salesCycleDays',
    kind: 'speed',
    phrase: 'from opportunity to won (sales cycle)',
    measure: 'customers',
    transition: 'opportunity_to_customer',
  },
];

export type RepSample = { repId: string; name: string; metrics: FunnelMetrics; totals: GroupTotals };

export type Insight = {
  metric: CoachingMetric['id'];
  kind: 'strength' | 'gap';
  sentence: string;
  /** The rep's value: a share (0-1) for rates, median days for speeds. */
  value: number;
  peerMedian: number;
  /** value / peerMedian for rates; peerMedian / value for speeds (above 1 = better than peers). */
  ratio: number;
  n: number;
  peers: number;
  interval: { low: number; high: number };
  measure: Measure;
  checklist?: string[];
};

export type Inconclusive = { metric: CoachingMetric['id']; reason: string; n: number };

/** Wilson score interval (95%) for a share: the small-sample guard for conversion gaps. */
export function wilson(successes: number, n: number, z = 1.96): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denom = 1 + z2 / n;
  return { low: Math.max(0, (centre - margin) / denom), high: Math.min(1, (centre + margin) / denom) };
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** One metric of one sample: value, sample size and 95% interval, or null when there is no data. */
export function measureOf(
  metric: CoachingMetric,
  s: RepSample,
): { value: number; n: number; interval: { low: number; high: number } } | null {
  if (metric.kind === 'rate') {
    const r = metric.pick(s.metrics);
    if (!r) return null;
    return { value: r.numerator / r.denominator, n: r.denominator, interval: wilson(r.numerator, r.denominator) };
  }
  const hist = s.totals.durations[metric.transition];
  const n = histogramSize(hist);
  if (n === 0) return null;
  return { value: percentileDays(hist, 0.5)!, n, interval: medianInterval(hist)! };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
const days = (x: number) => (x < 1 ? plural(Math.round(x * 24), 'hour') : plural(Number(x.toFixed(1)), 'day'));
const times = (x: number) => `${x.toFixed(1)}x`;
const count = (n: number) => n.toLocaleString('en-US');

/**
 * A rep's strengths and gaps against the median of comparable reps, ranked by size. A difference counts only
 * when the rep has at least `minN` cases, at least two peers do too, and the peer median lies outside the rep's
 * 95% interval (Wilson for shares, order statistics for medians): noise is reported as inconclusive instead.
 */
export function coachingInsights(
  target: RepSample,
  peers: RepSample[],
  opts: CoachingOptions = DEFAULT_COACHING,
): { insights: Insight[]; inconclusive: Inconclusive[] } {
  const insights: Insight[] = [];
  const inconclusive: Inconclusive[] = [];
  for (const metric of COACHING_METRICS) {
    const mine = measureOf(metric, target);
    if (!mine) continue;
    const peerValues = peers
      .map((p) => measureOf(metric, p))
      .filter((x): x is NonNullable<typeof x> => !!x && x.n >= opts.minN)
      .map((x) => x.value);
    if (mine.n < opts.minN) {
      inconclusive.push({ metric: metric.id, reason: `too few cases (n=${mine.n}, at least ${opts.minN} needed)`, n: mine.n });
      continue;
    }
    if (peerValues.length < 2) {
      inconclusive.push({ metric: metric.id, reason: 'fewer than two comparable reps with enough cases', n: mine.n });
      continue;
    }
    const peerMedian = median(peerValues)!;
    const inside = peerMedian >= mine.interval.low && peerMedian <= mine.interval.high;
    if (inside || peerMedian === mine.value) {
      inconclusive.push({ metric: metric.id, reason: 'within the range noise allows', n: mine.n });
      continue;
    }
    if (metric.kind === 'rate' && peerMedian === 0) continue;
    if (metric.kind === 'speed' && mine.value === 0) continue;
    const ratio = metric.kind === 'rate' ? mine.value / peerMedian : peerMedian / mine.value;
    const kind = ratio > 1 ? 'strength' : 'gap';
    insights.push({
      metric: metric.id,
      kind,
      sentence: sentenceFor(metric, kind, mine.value, peerMedian, mine.n),
      value: round(mine.value),
      peerMedian: round(peerMedian),
      ratio: round(ratio),
      n: mine.n,
      peers: peerValues.length,
      interval: { low: round(mine.interval.low), high: round(mine.interval.high) },
      measure: metric.measure,
      ...(kind === 'gap' && (metric.id === 'opportunityToCustomer' || metric.id === 'winRate') ? { checklist: TRIAL_CHECKLIST } : {}),
    });
  }
  insights.sort((a, b) => Math.abs(Math.log(b.ratio)) - Math.abs(Math.log(a.ratio)));
  return { insights, inconclusive };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

function sentenceFor(metric: CoachingMetric, kind: 'strength' | 'gap', value: number, peer: number, n: number): string {
  if (metric.kind === 'rate') {
    const ratio = value / peer;
    const head =
      ratio >= 1.5
        ? `Converts ${metric.phrase} at ${times(ratio)} the peer median`
        : ratio > 1
          ? `Converts ${metric.phrase} ${Math.round((ratio - 1) * 100)}% above the peer median`
          : `${capitalise(metric.phrase)}: ${Math.round((1 - ratio) * 100)}% below the peer median`;
    return `${head} (${pct(value)} vs ${pct(peer)}, n=${count(n)})`;
  }
  const head =
    kind === 'strength'
      ? `${Math.round((1 - value / peer) * 100)}% faster than peers ${metric.phrase}`
      : value / peer >= 1.5
        ? `Takes ${times(value / peer)} as long as peers ${metric.phrase}`
        : `${Math.round((value / peer - 1) * 100)}% slower than peers ${metric.phrase}`;
  return `${capitalise(head)} (median ${days(value)} vs ${days(peer)}, n=${count(n)})`;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Is the gap between a rep and peers closing? Compares the first and last periods with data. */
export function gapTrend(points: { ratio: number | null }[]): 'closing' | 'widening' | 'steady' | null {
  const valid = points.map((p) => p.ratio).filter((r): r is number => r != null && r > 0);
  if (valid.length < 2) return null;
  const first = Math.abs(Math.log(valid[0]));
  const last = Math.abs(Math.log(valid[valid.length - 1]));
  if (last < first * 0.8) return 'closing';
  if (last > first * 1.25) return 'widening';
  return 'steady';
}
