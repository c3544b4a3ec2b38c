import { keepPreviousData, useQuery } from '@tanstack/react-query';
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
  range: DateRange;
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

/** The funnel filters (analytics.schema.ts `filters`): empty means "all". Coaching and bounds ignore them. */
export type Filters = { segment: string; sourceType: string; channel: string };
export const NO_FILTERS: Filters = { segment: '', sourceType: '', channel: '' };

/** What every analytics request shares: the period (or none: the server's current quarter), the view and the filters. */
export type Range = { period: string; view: View; filters: Filters };

const rangeQuery = (r: Range) => ({ period: r.period.trim() || undefined, view: r.view });
// Empty values are dropped by withQuery, so an unset filter is simply absent from the request.
const filterQuery = (r: Range) => ({ segment: r.filters.segment, sourceType: r.filters.sourceType, channel: r.filters.channel });

export function useFunnel(r: Range, groupBy: GroupBy, repId?: string) {
  return useQuery({
    queryKey: ['analytics', 'funnel', r, groupBy, repId ?? null],
    queryFn: () => get<FunnelReport>('/analytics/funnel', { ...rangeQuery(r), ...filterQuery(r), groupBy, repId }),
    retry: false,
  });
}

/**
 * A metric month by month. `span` is the trailing twelve months ending at a chosen period's last day;
 * without one the server's default (trailing twelve months to today): a trend needs more than three points.
 */
export function useTrend(r: Range, metric: string, groupBy: GroupBy, span: DateRange | null) {
  return useQuery({
    queryKey: ['analytics', 'trend', r.view, r.filters, span, metric, groupBy],
    queryFn: () =>
      get<TrendReport>('/analytics/trend', {
        view: r.view,
        ...filterQuery(r),
        from: span?.from,
        to: span?.to,
        metric,
        groupBy,
        interval: 'month',
      }),
    retry: false,
  });
}

export function useVelocity(r: Range, transition: string) {
  return useQuery({
    queryKey: ['analytics', 'velocity', r, transition],
    queryFn: () => get<VelocityReport>('/analytics/velocity', { ...rangeQuery(r), ...filterQuery(r), transition }),
    retry: false,
  });
}

export function useCoaching(r: Range, repId: string, minN: number) {
  return useQuery({
    // Coaching compares whole funnels: the filters are not part of the request, so not of the key either.
    queryKey: ['analytics', 'coaching', r.period, r.view, repId, minN],
    queryFn: () => get<RepCoaching>('/analytics/coaching', { ...rangeQuery(r), repId, minN }),
    retry: false,
  });
}

export function useRecords(r: Range, measure: string | null, repId: string) {
  return useQuery({
    queryKey: ['analytics', 'records', r, measure, repId],
    queryFn: () =>
      get<{ items: DrillRecord[]; truncated: boolean }>('/analytics/records', {
        ...rangeQuery(r),
        ...filterQuery(r),
        measure: measure ?? '',
        repId,
      }),
    enabled: !!measure,
    retry: false,
  });
}

/** One row per rep in the caller's scope: their biggest strength and gap (coaching.service.ts teamCoaching). */
export type TeamCoaching = {
  view: View;
  range: DateRange;
  reps: { rep: { id: string; name: string; role: string | null }; strength: Insight | null; gap: Insight | null; insights: number }[];
};

export function useTeamCoaching(r: Range, minN: number) {
  return useQuery({
    queryKey: ['analytics', 'coaching', 'team', r.period, r.view, minN],
    queryFn: () => get<TeamCoaching>('/analytics/coaching/team', { ...rangeQuery(r), minN }),
    retry: false,
  });
}

export type OpenDeal = {
  id: string;
  name: string;
  stage: string;
  amount: string;
  repId: string | null;
  repName: string | null;
  enteredAt: string;
  daysInStage: number;
};
export type OpenDeals = {
  stages: { stage: string; open: number; medianDays: number; p75Days: number; maxDays: number }[];
  items: OpenDeal[];
};

/** Open deals now (live, not tied to the period), within the caller's scope (records.service.ts openDeals). */
export function useOpenDeals() {
  return useQuery({
    queryKey: ['analytics', 'open-deals'],
    queryFn: () => get<OpenDeals>('/analytics/open-deals'),
    retry: false,
  });
}

/** The metrics /analytics/bounds accepts (analytics.schema.ts BOUND_METRICS). */
export const BOUND_METRICS: { value: string; label: string; money: boolean }[] = [
  { value: 'customers', label: 'Customers (deals won)', money: false },
  { value: 'wonAmount', label: 'Won amount', money: true },
  { value: 'bookings', label: 'Bookings', money: true },
  { value: 'opportunities', label: 'Opportunities', money: false },
  { value: 'pipelineCreated', label: 'Pipeline created', money: true },
  { value: 'leads', label: 'Leads', money: false },
];

/** The same shape the server checks (boundsQuery.plan): a non-negative number with at most two decimals. */
export const PLAN_PATTERN = /^\d{1,12}(\.\d{1,2})?$/;

type BestMonth = { value: string; month: string } | null;
export type Bounds = {
  metric: string;
  range: DateRange;
  bestRepMonth: BestMonth;
  reps: { id: string; name: string; best: BestMonth }[];
  teams: { id: string; name: string; best: BestMonth }[];
  plan: { value: string; aboveBestRepMonth: boolean; message: string | null } | null;
};

export function useBounds(metric: string, plan: string) {
  const p = plan.trim();
  return useQuery({
    queryKey: ['analytics', 'bounds', metric, p],
    queryFn: () => get<Bounds>('/analytics/bounds', { metric, plan: p || undefined }),
    enabled: p === '' || PLAN_PATTERN.test(p),
    // Keep the last answer on screen while the plan is being typed.
    placeholderData: keepPreviousData,
    retry: false,
  });
}
