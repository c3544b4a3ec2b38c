import { usePendingHandoffs, useReviewList } from './routing.api';

/** Counts shown beside navigation links (pending handoffs, duplicates to review), fetched only for links the role has. */
export function useNavCounts(paths: string[]): Record<string, number> {
  const handoffs = usePendingHandoffs(paths.includes('/handoffs'));
  const review = useReviewList(paths.includes('/duplicates'));
  return { '/handoffs': handoffs.data?.items.length ?? 0, '/duplicates': review.data?.items.length ?? 0 };
}
