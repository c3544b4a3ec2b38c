import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import type { Lead, Page } from '../../api/types';

export type LeadFilters = {
  status: string[];
  sourceType: string[];
  channel: string[];
  segment: string[];
  ownerId: string;
  q: string;
  sort: 'createdAt' | 'updatedAt' | 'company' | 'expectedArr';
  order: 'asc' | 'desc';
};

/** Big pages keep round trips few while scrolling far; the server allows up to 500. */
export const LEAD_PAGE_SIZE = 200;

export function useLeadList(f: LeadFilters) {
  return useInfiniteQuery({
    queryKey: ['leads', 'list', f],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      get<Page<Lead>>('/leads', {
        status: f.status,
        sourceType: f.sourceType,
        channel: f.channel,
        segment: f.segment,
        ownerId: f.ownerId === 'any' ? undefined : f.ownerId,
        q: f.q.trim() || undefined,
        sort: f.sort,
        order: f.order,
        limit: LEAD_PAGE_SIZE,
        cursor: pageParam ?? undefined,
      }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useLead(id: string) {
  return useQuery({ queryKey: ['leads', 'one', id], queryFn: () => get<Lead>(`/leads/${id}`) });
}
