import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { get, type Query } from '../api/client';
import type { Page } from '../api/types';

/** A cursor-paged API list: the loaded rows, and a way to load the next page. */
export function usePagedList<T>(key: unknown[], path: string, query: Query, pageSize = 50) {
  const q = useInfiniteQuery({
    queryKey: [...key, query],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => get<Page<T>>(path, { ...query, limit: pageSize, cursor: pageParam ?? undefined }),
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = useMemo(() => q.data?.pages.flatMap((p) => p.items) ?? [], [q.data]);
  return { rows, query: q, loadMore: () => void q.fetchNextPage(), hasMore: !!q.hasNextPage, loadingMore: q.isFetchingNextPage };
}
