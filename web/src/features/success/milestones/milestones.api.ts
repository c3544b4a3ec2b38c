import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { UnmatchedKey } from '../../../../../src/modules/success/events.repo';
// Type-only: the server's shapes, so this screen never drifts from the services (erased at build).
import type { Condition, Measure, MilestoneStatus, Rule } from '../../../../../src/modules/success/milestones.core';
import type { MilestoneCreate, MilestoneUpdate } from '../../../../../src/modules/success/milestones.schema';
import type { AccountMilestoneItem, Milestone } from '../../../../../src/modules/success/milestones.service';
import type { MilestoneTemplate } from '../../../../../src/modules/success/milestones.templates';
import { get, patch, post } from '../../../api/client';

export type { AccountMilestoneItem, Condition, Measure, Milestone, MilestoneStatus, MilestoneTemplate, Rule };

/** milestones.core.ts MEASURES, with the words people read (kept here: the core pulls in luxon). */
export const MEASURES: { value: Measure; label: string }[] = [
  { value: 'count', label: 'Count of events' },
  { value: 'distinct_users', label: 'Distinct users' },
  { value: 'distinct_values', label: 'Distinct values of a property' },
  { value: 'distinct_events', label: 'Distinct event names' },
];

export const STATUS_COLOR: Record<MilestoneStatus, string> = { pending: 'blue', reached: 'teal', missed: 'red' };

const keys = { all: ['milestones'] as const };

export function useMilestones() {
  return useQuery({ queryKey: [...keys.all, 'list'], queryFn: () => get<{ items: Milestone[] }>('/milestones'), retry: false });
}

export function useTemplates() {
  return useQuery({
    queryKey: [...keys.all, 'templates'],
    queryFn: () => get<{ items: MilestoneTemplate[] }>('/milestones/templates'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Creates (no id) or edits a milestone; every milestone query refreshes after. */
export function useSaveMilestone() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (m: { id: string | null; body: MilestoneCreate & MilestoneUpdate }) =>
      m.id ? patch<Milestone>(`/milestones/${m.id}`, m.body) : post<Milestone>('/milestones', m.body),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useUnmatched(enabled: boolean) {
  return useQuery({
    queryKey: [...keys.all, 'unmatched'],
    queryFn: () => get<{ keys: UnmatchedKey[]; totalKeys: number; totalEvents: number }>('/events/unmatched', { limit: 50 }),
    enabled,
    retry: false,
  });
}

export function useAccountMilestones(filters: { status: string; milestoneId: string }) {
  return useInfiniteQuery({
    queryKey: [...keys.all, 'accounts', filters],
    queryFn: ({ pageParam }) =>
      get<{ items: AccountMilestoneItem[]; nextCursor: string | null }>('/milestones/accounts', {
        status: filters.status,
        milestoneId: filters.milestoneId,
        limit: 25,
        cursor: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    retry: false,
  });
}
