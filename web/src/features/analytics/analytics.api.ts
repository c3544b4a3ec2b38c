import { useQuery } from '@tanstack/react-query';
// Type-only: the server's metric shape, so the dashboard never drifts from funnel.core.ts (erased at build).
import type { FunnelMetrics, Rate } from '../../../../src/modules/analytics/funnel.core';
import { get } from '../../api/client';

export type { FunnelMetrics, Rate };

export const VIEWS = ['cohort', 'period'] as const;
export type View = (typeof VIEWS)[number];
export const GROUP_BYS = ['none', 'rep', 'team', 'segment', 'source_type', 'channel'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
export const FUNNEL_STAGES = ['visitors', 'conversations', 'leads', 'opportunities', 'customers'] as const;

/** The metrics the trend endpoint accepts (analytics.schema.ts TREND_METRICS), with the words people read. */
export const TREND_METRICS: { value: string; label: string; kind: 'count' | 'rate' | 'days' | 'money' }[] = [
  { value: 'leads', label: 'Leads', kind: 'count' },
  { value: 'opportunities', label: 'Opportunities', kind: 'count' },
  { value: 'customers', label: 'Customers', kind: 'count' },
  { value: 'visitors', label: 'Visitors', kind: 'count' },
  { value: 'conversations', label: 'Conversations', kind: 'count' },
  { value: 'winRate', label: 'Win rate', kind: 'rate' },
  { value: 'leadToOpportunity', label: 'Lead → opportunity', kind: 'rate' },
  { value: 'opportunityToCustomer', label: 'Opportunity → customer', kind: 'rate' },
  { value: 'visitorToLead', label: 'Visitor → lead', kind: 'rate' },
  { value: 'salesCycleDays', label: 'Sales cycle (days)', kind: 'days' },
  { value: 'speedToLeadDays', label: 'Speed to lead (days)', kind: 'days' },
  { value: 'pipelineCreated', label: 'Pipeline created', kind: 'money' },
  { value: 'wonAmount', label: 'Won amount', kind: 'money' },
  { value: 'bookings', label: 'Bookings', kind: 'money' },
];

export const TRANSITIONS = [
  { value: 'opportunity_to_customer', label: 'Opportunity → customer' },
  { value: 'lead_to_opportunity', label: 'Lead → opportunity' },
  { value: 'lead_to_qualified', label: 'Lead → qualified' },
  { value: 'speed_to_lead', label: 'Speed to lead' },
];

export type DateRange = { from: string; to: string; label?: string };

export type FunnelRow = { key: string | null; label: string; metrics: FunnelMetrics };
export type FunnelReport = {
  view: View;
  groupBy: GroupBy;
  range: DateRange;
  timezone: string;
  currency: string;
  rows: FunnelRow[];
  total: FunnelMetrics;
  benchmark: { label: string; metrics: FunnelMetrics } | null;
};

export type TrendReport = {
  metric: string;
  intervals: string[];
  series: { key: string | null; label: string; points: { period: string; value: number | string | null }[] }[];
};

export type VelocityReport = {
  transition: string;
  bins: string[];
  groups: { key: string | null; label: string; n: number; medianDays: number | null; p75Days: number | null; counts: number[] }[];
};

export type Insight = {
  metric: string;
  kind: 'strength' | 'gap';
  sentence: string;
  value: number;
  peerMedian: number;
  ratio: number;
  n: number;
  peers: number;
  measure: string;
  checklist?: string[];
  trend: { points: { period: string; ratio: number | null }[]; direction: 'closing' | 'widening' | 'steady' | null };
};

export type RepCoaching = {
  rep: { id: string; name: string; role: string | null };
  peers: { id: string; name: string }[];
  insights: Insight[];
  inconclusive: { metric: string; reason: string; n: number }[];
  minN: number;
};

export type DrillRecord = {
  type: 'lead' | 'opportunity';
  id: string;
  name: string;
  repId: string | null;
  repName: string | null;
  segment: string | null;
  sourceType: string | null;
  channel: string | null;
  amount: string | null;
  state: string;
  at: string;
};

/** What every analytics request shares: the period (or none: the server's current quarter) and the view. */
export type Range = { period: string; view: View };

const rangeQuery = (r: Range) => ({ period: r.period.trim() || undefined, view: r.view });

export function useFunnel(r: Range, groupBy: GroupBy, repId?: string) {
  return useQuery({
    queryKey: ['analytics', 'funnel', r, groupBy, repId ?? null],
    queryFn: () => get<FunnelReport>('/analytics/funnel', { ...rangeQuery(r), groupBy, repId }),
    retry: false,
  });
}

export function useTrend(r: Range, metric: string, groupBy: GroupBy) {
  return useQuery({
    queryKey: ['analytics', 'trend', r.view, metric, groupBy],
    // Trailing twelve months (the server's default) rather than one quarter: a trend needs more than three points.
    queryFn: () => get<TrendReport>('/analytics/trend', { view: r.view, metric, groupBy, interval: 'month' }),
    retry: false,
  });
}

export function useVelocity(r: Range, transition: string) {
  return useQuery({
    queryKey: ['analytics', 'velocity', r, transition],
    queryFn: () => get<VelocityReport>('/analytics/velocity', { ...rangeQuery(r), transition }),
    retry: false,
  });
}

export function useCoaching(r: Range, repId: string, minN: number) {
  return useQuery({
    queryKey: ['analytics', 'coaching', r, repId, minN],
    queryFn: () => get<RepCoaching>('/analytics/coaching', { ...rangeQuery(r), repId, minN }),
    retry: false,
  });
}

export function useRecords(r: Range, measure: string | null, repId: string) {
  return useQuery({
    queryKey: ['analytics', 'records', r, measure, repId],
    queryFn: () =>
      get<{ items: DrillRecord[]; truncated: boolean }>('/analytics/records', { ...rangeQuery(r), measure: measure ?? '', repId }),
    enabled: !!measure,
    retry: false,
  });
}
