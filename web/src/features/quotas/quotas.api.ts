import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
// Type-only: the server's shapes, so these screens never drift from the services (erased at build).
import type { CapacityAssumptions, CapacityPlan, MonthRow, PlanFlag } from '../../../../src/modules/quotas/capacity.core';
import type { AttainmentReport, AttainmentRow, Quota, TeamAttainment } from '../../../../src/modules/quotas/quotas.service';
import { get, post, put } from '../../api/client';

export type { AttainmentReport, AttainmentRow, CapacityAssumptions, CapacityPlan, MonthRow, PlanFlag, Quota, TeamAttainment };

/** quotas.core.ts QUOTA_METRICS and METRIC_ROLES, with the words people read (kept here: the core pulls in luxon). */
export const METRICS = [
  { value: 'new_arr', label: 'New ARR', roles: ['ae', 'realtime_ae', 'esb_ae'], count: false },
  { value: 'accepted_leads', label: 'Accepted leads', roles: ['sdr_inbound', 'sdr_outbound'], count: true },
  { value: 'pipeline_created', label: 'Pipeline created', roles: ['sdr_inbound', 'sdr_outbound'], count: false },
  { value: 'expansion_arr', label: 'Expansion ARR', roles: ['csm', 'relationship_manager'], count: false },
  { value: 'grr', label: 'Retention (GRR %)', roles: ['csm', 'relationship_manager'], count: false },
] as const;
export type Metric = (typeof METRICS)[number]['value'];

export const metricLabel = (m: string) => METRICS.find((x) => x.value === m)?.label ?? m;
export const isCountMetric = (m: string) => m === 'accepted_leads';
/** GRR targets and actuals are percents, not money. */
export const isRateMetric = (m: string) => m === 'grr';
/** The metrics that fit someone's roles: the server refuses any other on `metric`. */
export const metricsFor = (roles: readonly string[]) => METRICS.filter((m) => m.roles.some((r) => roles.includes(r)));

export type QuotaInput = { userId: string; metric: string; period: string; amount: string; note?: string | null };

export function useAttainment(period: string, teamId: string) {
  return useQuery({
    queryKey: ['quotas', 'attainment', period, teamId],
    queryFn: () => get<AttainmentReport>('/quotas/attainment', { period: period.trim() || undefined, teamId }),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useSetQuota() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: QuotaInput) => put<Quota>('/quotas', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['quotas'] }),
  });
}

export type RampSetting = { ramp: number[]; isDefault: boolean };

export function useRamp(enabled: boolean) {
  return useQuery({ queryKey: ['quotas', 'settings'], queryFn: () => get<RampSetting>('/quotas/settings'), enabled, retry: false });
}

export function useSetRamp() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (ramp: number[]) => put<RampSetting>('/quotas/settings', { ramp }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['quotas'] }),
  });
}

// Calibration (issue 6, "everyone wins"): the contract of GET /quotas/calibration and POST /quotas/backtest.
export type Flag = 'too_hard' | 'ok' | 'too_easy';
export type TeamPeriodDistribution = {
  teamId: string;
  teamName: string;
  period: string;
  reps: number;
  attained: number;
  share: number;
  flag: Flag;
  reason: string;
  buckets: { label: string; count: number }[];
};
export type RaiseSuggestion = {
  teamId: string;
  teamName: string;
  fires: boolean;
  explanation: string;
  suggestion: null | { currentQuota: string; proposedQuota: string; wouldAttain: number; share: number; flag: Flag };
};
export type Calibration = { metric: string; periods: string[]; distribution: TeamPeriodDistribution[]; raise: RaiseSuggestion[] };

export function useCalibration(metric: string, period: string, periods: number) {
  return useQuery({
    queryKey: ['quotas', 'calibration', metric, period, periods],
    queryFn: () => get<Calibration>('/quotas/calibration', { metric, period: period.trim() || undefined, periods }),
    retry: false,
  });
}

export type BacktestInput = { metric: string; periods: string[]; quota: { amount: string } };
export type Backtest = {
  periods: {
    period: string;
    teams: { teamId: string; teamName: string; reps: number; attained: number; share: number; flag: Flag }[];
    reps: { userId: string; name: string; teamId: string; actual: string; quota: string; attained: boolean }[];
  }[];
};

export function useBacktest() {
  return useMutation({ mutationFn: (input: BacktestInput) => post<Backtest>('/quotas/backtest', input) });
}

export type CapacityDefaults = { assumptions: CapacityAssumptions; notes: string[] };

export function useCapacityDefaults() {
  return useQuery({
    queryKey: ['plans', 'capacity', 'defaults'],
    queryFn: () => get<CapacityDefaults>('/plans/capacity/defaults'),
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export function usePlanCapacity() {
  return useMutation({ mutationFn: (a: CapacityAssumptions) => post<CapacityPlan>('/plans/capacity', a) });
}

export const FLAG_COLOR: Record<Flag, string> = { too_hard: 'red', ok: 'teal', too_easy: 'yellow' };
export const FLAG_LABEL: Record<Flag, string> = { too_hard: 'Too hard', ok: 'OK', too_easy: 'Too easy' };

/** A ratio (1.05) or share (0.6) as a percent people read; a dash for none. */
export const ratioPct = (v: string | number | null | undefined, digits = 1) =>
  v == null || v === '' ? '—' : `${(Number(v) * 100).toFixed(digits)}%`;
