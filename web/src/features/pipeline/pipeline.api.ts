import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import type { Items, Opportunity, Page, StageTotal } from '../../api/types';

/** Whose deals the board shows: the caller's own, or everything their scope allows (team or workspace). */
export type BoardOwner = 'mine' | 'scope';

export const COLUMN_PAGE_SIZE = 50;

export function useStageCards(stage: string, owner: BoardOwner) {
  return useInfiniteQuery({
    queryKey: ['opportunities', 'board', owner, stage],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      get<Page<Opportunity>>('/opportunities', {
        stage,
        ownerId: owner === 'mine' ? 'me' : undefined,
        sort: 'closeDate',
        order: 'asc',
        limit: COLUMN_PAGE_SIZE,
        cursor: pageParam ?? undefined,
      }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useStageTotals(owner: BoardOwner) {
  return useQuery({
    queryKey: ['opportunities', 'summary', owner],
    queryFn: () => get<Items<StageTotal>>('/opportunities/summary', { ownerId: owner === 'mine' ? 'me' : undefined }),
  });
}

export function useOpportunity(id: string) {
  return useQuery({ queryKey: ['opportunities', 'one', id], queryFn: () => get<Opportunity>(`/opportunities/${id}`) });
}
