import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
// Type-only: the server's shapes, so these screens never drift from the services (erased at build).
import type { PlanComment } from '../../../../src/modules/comp/discussion.service';
import type { LedgerLine } from '../../../../src/modules/comp/ledger.repo';
import type { Level, LevelProgress } from '../../../../src/modules/comp/levels.core';
import type { RepProgress } from '../../../../src/modules/comp/levels.service';
import type { AssignmentRow, PlanRow } from '../../../../src/modules/comp/plans.repo';
import type { HoldView, Statement } from '../../../../src/modules/comp/statements.service';
import type { WhatIf, WhatIfRow } from '../../../../src/modules/comp/whatif.service';
import { del, get, post, put } from '../../api/client';

export type { AssignmentRow, HoldView, LedgerLine, Level, LevelProgress, PlanComment, PlanRow, RepProgress, Statement, WhatIf, WhatIfRow };

type Items<T> = { items: T[] };
/** Dates arrive as ISO strings over JSON. */
export type Line = Omit<LedgerLine, 'eventAt' | 'createdAt'> & { eventAt: string; createdAt: string };
export type Summary = {
  period: { label: string };
  items: { userId: string; name: string; email: string; lines: number; byKind: Record<string, string>; payable: string }[];
};

export const statementUrl = (period: string, repId?: string) =>
  `/api/v1/comp/statements/print?${new URLSearchParams({ period, ...(repId ? { repId } : {}) })}`;
export const csvUrl = (period: string, q: { repId?: string; teamId?: string }) =>
  `/api/v1/comp/statements.csv?${new URLSearchParams({ period, ...(q.repId ? { repId: q.repId } : {}), ...(q.teamId ? { teamId: q.teamId } : {}) })}`;

export function useStatement(period: string, repId?: string) {
  return useQuery({
    queryKey: ['comp', 'statement', period, repId ?? 'me'],
    queryFn: () => get<Statement>('/comp/statements', { period, repId }),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useSummary(period: string, teamId?: string) {
  return useQuery({
    queryKey: ['comp', 'summary', period, teamId ?? ''],
    queryFn: () => get<Summary>('/comp/statements/summary', { period, teamId }),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function usePlans() {
  return useQuery({ queryKey: ['comp', 'plans'], queryFn: () => get<Items<PlanRow>>('/comp/plans') });
}

export function useAssignments(enabled = true) {
  return useQuery({ queryKey: ['comp', 'assignments'], queryFn: () => get<Items<AssignmentRow>>('/comp/assignments'), enabled });
}

function useCompMutation<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: ['comp'] }) });
}

export const useSaveDraft = () =>
  useCompMutation(({ key, version, document }: { key: string; version: number; document: unknown }) =>
    put<PlanRow>(`/comp/plans/${encodeURIComponent(key)}/versions/${version}`, document),
  );
export const useNewDraft = () => useCompMutation((document: unknown) => post<PlanRow>('/comp/plans', document));
export const usePublish = () =>
  useCompMutation(({ key, version, effectiveFrom }: { key: string; version: number; effectiveFrom: string }) =>
    post<PlanRow>(`/comp/plans/${encodeURIComponent(key)}/versions/${version}/publish`, { effectiveFrom }),
  );
export const useCreateAssignment = () =>
  useCompMutation((input: { userId: string; planKey: string; level?: number; from: string }) =>
    post<AssignmentRow>('/comp/assignments', input),
  );
export const useDeleteAssignment = () => useCompMutation((id: string) => del<void>(`/comp/assignments/${id}`));

export function useLadder() {
  return useQuery({ queryKey: ['comp', 'levels'], queryFn: () => get<Items<Level>>('/comp/levels') });
}
export const useSetLadder = () => useCompMutation((levels: Level[]) => put<Items<Level>>('/comp/levels', { levels }));

export function useLevelProgress(repId?: string) {
  return useQuery({
    queryKey: ['comp', 'levels', 'progress', repId ?? 'all'],
    queryFn: () => get<Items<RepProgress>>('/comp/levels/progress', { repId }),
    retry: false,
  });
}
export const usePromote = () =>
  useCompMutation((input: { userId: string; effectiveFrom: string; note?: string }) => post('/comp/levels/promotions', input));

export function useWhatIf(planKey: string | null, version: number | null) {
  return useQuery({
    queryKey: ['comp', 'whatif', planKey, version],
    queryFn: () => get<WhatIf>('/comp/whatif', { planKey, version }),
    enabled: !!planKey && !!version,
    retry: false,
  });
}

export function useComments(key: string, version: number) {
  return useQuery({
    queryKey: ['comp', 'comments', key, version],
    queryFn: () =>
      get<{ status: string; items: (Omit<PlanComment, 'createdAt'> & { createdAt: string })[] }>(
        `/comp/plans/${encodeURIComponent(key)}/versions/${version}/comments`,
      ),
  });
}
export const useAddComment = (key: string, version: number) =>
  useCompMutation((input: { body: string; replyTo?: string }) =>
    post<PlanComment>(`/comp/plans/${encodeURIComponent(key)}/versions/${version}/comments`, input),
  );

/** Words for the ledger's kinds. */
export const KIND_LABELS: Record<string, string> = {
  earning: 'Earning',
  hold: 'Held',
  release: 'Released',
  forfeit: 'Forfeited',
  clawback: 'Clawback',
  adjustment: 'Adjustment',
  draw: 'Draw',
  draw_recovery: 'Draw recovery',
};
