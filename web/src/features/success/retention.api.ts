import { useQuery } from '@tanstack/react-query';
// Type-only: the server's report shapes, so the screen never drifts from retention.service.ts (erased at build).
import type { RetentionMetrics } from '../../../../src/modules/success/retention.core';
import type { RetentionReport, RetentionRow, RetentionTrend } from '../../../../src/modules/success/retention.service';
import { get } from '../../api/client';

export type { RetentionMetrics, RetentionReport, RetentionRow, RetentionTrend };

/** The groupings /retention accepts (retention.core.ts RETENTION_GROUP_BYS), with the words people read. */
export const RETENTION_GROUPS = [
  { value: 'segment', label: 'Segment', column: 'Segment', noun: 'segment' },
  { value: 'cohort', label: 'Cohort (quarter of first sale)', column: 'Cohort', noun: 'cohort' },
  { value: 'csm', label: 'CSM', column: 'CSM', noun: 'CSM' },
  { value: 'ae', label: 'Closing AE', column: 'Closing AE', noun: 'closing AE' },
  { value: 'none', label: 'Nothing (total)', column: 'Group', noun: 'total' },
] as const;
export type RetentionGroupBy = (typeof RETENTION_GROUPS)[number]['value'];

/** Empty period: the server's default (the current quarter in the workspace timezone). */
export function useRetention(period: string, groupBy: RetentionGroupBy) {
  return useQuery({
    queryKey: ['retention', period, groupBy],
    queryFn: () => get<RetentionReport>('/retention', { period: period.trim() || undefined, groupBy }),
    retry: false,
  });
}

/** GRR and NRR month by month: twelve months ending with `until` (YYYY-MM), or the current month without one. */
export function useRetentionTrend(until: string | null) {
  return useQuery({
    queryKey: ['retention', 'trend', until],
    queryFn: () => get<RetentionTrend>('/retention/trend', { months: 12, until: until ?? undefined }),
    retry: false,
  });
}
