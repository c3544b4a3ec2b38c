import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
// Type-only: the server's shapes (erased at build), so these screens never drift from the services.
import type { Band, Factor, FactorBreakdown, HealthSettings } from '../../../../../src/modules/success/health.core';
import type { Bucket, BucketTotal, RenewalWindow } from '../../../../../src/modules/success/renewals.core';
import type { TaskKind } from '../../../../../src/modules/success/signals.core';
import { get, patch, post, put } from '../../../api/client';
import { usePagedList } from '../../../components/paged';

export type { Band, Bucket, HealthSettings, RenewalWindow, TaskKind };

/** GET /success/accounts items (health.service.ts successAccounts). */
export type SuccessAccount = {
  id: string;
  name: string;
  csmId: string | null;
  ownerId: string | null;
  arr: string;
  nextRenewal: string | null;
  daysToRenewal: number | null;
  health: { score: number; band: Band; day: string; trend: number | null } | null;
  milestone: { name: string; status: 'pending' | 'reached' | 'missed'; windowEnd: string } | null;
  openTasks: number;
};

export type Task = {
  id: string;
  accountId: string;
  accountName: string;
  assigneeId: string | null;
  kind: TaskKind;
  title: string;
  detail: string | null;
  dueAt: string;
  status: 'open' | 'done' | 'dismissed';
  createdAt: string;
  doneAt: string | null;
  doneBy: string | null;
};

export type HealthDay = { day: string; score: number; band: Band; factors: FactorBreakdown[] };

/** GET /accounts/:id/success (health.service.ts accountSuccess). */
export type AccountSuccess = {
  account: { id: string; name: string; csmId: string | null; ownerId: string | null };
  usage: { day: string; events: number; users: number; tickets: number }[];
  milestones: {
    milestoneId: string;
    name: string;
    status: 'pending' | 'reached' | 'missed';
    windowStart: string;
    windowEnd: string;
    reachedAt: string | null;
    progress: { label: string; value: number; target: number }[];
  }[];
  health: { latest: HealthDay | null; history: HealthDay[]; bands: { healthy: number; atRisk: number } };
  tasks: Task[];
};

export type RenewalRow = {
  id: string;
  accountId: string;
  accountName: string;
  csmId: string | null;
  ownerId: string | null;
  plan: string | null;
  arr: string;
  seats: number | null;
  renewalDate: string;
  status: string;
  score: number | null;
  band: Band | null;
  daysUntil: number;
  bucket: Bucket;
  probability: string;
  expectedArr: string;
};

export type RenewalsPipeline = {
  window: RenewalWindow;
  today: string;
  buckets: BucketTotal[];
  total: Omit<BucketTotal, 'bucket'>;
  items: RenewalRow[];
};

export const BAND_LABEL: Record<Band, string> = { healthy: 'Healthy', at_risk: 'At risk', critical: 'Critical' };
export const BAND_COLOR: Record<Band, string> = { healthy: 'green', at_risk: 'yellow', critical: 'red' };

export const FACTOR_LABEL: Record<Factor, string> = {
  usageTrend: 'Usage trend',
  seatUtilization: 'Seats used',
  milestone: 'Milestone',
  supportTickets: 'Support tickets',
  buyerRating: 'Buyer rating',
  renewalProximity: 'Renewal proximity',
};

export const TASK_KIND_LABEL: Record<TaskKind, string> = {
  'churn_risk.health_drop': 'Churn risk · health drop',
  'churn_risk.usage_decline': 'Churn risk · usage decline',
  'churn_risk.milestone_missed': 'Churn risk · milestone missed',
  'expansion.seats': 'Expansion · seats',
  'expansion.new_team': 'Expansion · new team',
  'expansion.plan_limit': 'Expansion · plan limit',
};

export const BUCKET_LABEL: Record<Bucket, string> = {
  overdue: 'Overdue',
  '0-30': 'Due in 0-30 days',
  '31-60': 'Due in 31-60 days',
  '61-90': 'Due in 61-90 days',
  '91-120': 'Due in 91-120 days',
};

export type HomeFilters = { band: string[]; q: string; renewalWithinDays: string; sort: string };

export function useSuccessAccounts(f: HomeFilters) {
  return usePagedList<SuccessAccount>(['success', 'accounts'], '/success/accounts', {
    band: f.band,
    q: f.q.trim() || undefined,
    renewalWithinDays: f.renewalWithinDays || undefined,
    sort: f.sort,
    order: f.sort === 'arr' ? 'desc' : 'asc',
  });
}

export function useTasks(query: { accountId?: string } = {}) {
  return usePagedList<Task>(['success', 'tasks', query.accountId ?? 'mine'], '/success/tasks', { status: ['open'], ...query });
}

/** Done or dismissed; every success list refreshes (counts of open tasks, the account tab). */
export function useCloseTask() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; status: 'done' | 'dismissed' }) => patch<Task>(`/success/tasks/${v.id}`, { status: v.status }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['success'] }),
  });
}

export function useAccountSuccess(accountId: string) {
  return useQuery({
    queryKey: ['success', 'account', accountId],
    queryFn: () => get<AccountSuccess>(`/accounts/${accountId}/success`),
    retry: false,
  });
}

export function useRenewals(window: RenewalWindow) {
  return useQuery({ queryKey: ['success', 'renewals', window], queryFn: () => get<RenewalsPipeline>('/renewals', { window }) });
}

export type RenewalInput = { outcome: 'renewed'; arr?: string; renewalDate?: string } | { outcome: 'churned'; reason?: string };

export function useRecordRenewal() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { subscriptionId: string; input: RenewalInput }) =>
      post<{ movements: { kind: string; amount: string }[] }>(`/subscriptions/${v.subscriptionId}/renewal`, v.input),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['success'] });
      void qc.invalidateQueries({ queryKey: ['subscriptions'] });
    },
  });
}

/** GET/PUT /success/settings (health.service.ts): admins and sales ops only. */
export type HealthSettingsResponse = { settings: HealthSettings; isDefault: boolean };

/** What the form sends: a cleared number input is null, so the server names that field instead of saving a 0. */
export type HealthSettingsInput = {
  [S in keyof HealthSettings]: {
    [K in keyof HealthSettings[S]]: HealthSettings[S][K] extends number ? number | null : HealthSettings[S][K];
  };
};

export function useHealthSettings() {
  return useQuery({
    queryKey: ['success', 'settings'],
    queryFn: () => get<HealthSettingsResponse>('/success/settings'),
    retry: false,
  });
}

/** Weights, bands and probabilities feed every success screen, so they all refresh after a save. */
export function useSaveHealthSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (settings: HealthSettingsInput) => put<HealthSettingsResponse>('/success/settings', settings),
    onSuccess: (r) => {
      qc.setQueryData(['success', 'settings'], r);
      void qc.invalidateQueries({ queryKey: ['success'] });
    },
  });
}
