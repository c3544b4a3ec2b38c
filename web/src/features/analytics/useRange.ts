import { useDebouncedValue } from '@mantine/hooks';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useSession } from '../../app/session';
import { GROUP_BYS, type GroupBy, type Range, VIEWS, type View } from './analytics.api';
import { currentQuarter } from './analytics.format';

/**
 * The dashboard's controls live in the URL (?period=2026-Q3&view=cohort&groupBy=rep), so a view can be shared
 * and the rep page keeps the same period. Typing a period waits for a pause before asking the server.
 */
export function useRangeParams() {
  const { workspace } = useSession();
  const [params, setParams] = useSearchParams();
  const defaultPeriod = useMemo(() => currentQuarter(workspace.timezone), [workspace.timezone]);
  const period = params.get('period') ?? defaultPeriod;
  const viewParam = params.get('view');
  const view: View = VIEWS.includes(viewParam as View) ? (viewParam as View) : 'period';
  const groupParam = params.get('groupBy');
  const groupBy: GroupBy = GROUP_BYS.includes(groupParam as GroupBy) ? (groupParam as GroupBy) : 'rep';
  const [debouncedPeriod] = useDebouncedValue(period, 400);
  const range: Range = useMemo(() => ({ period: debouncedPeriod, view }), [debouncedPeriod, view]);
  const set = (key: 'period' | 'view' | 'groupBy', value: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set(key, value);
        return next;
      },
      { replace: true },
    );
  // Links to rep pages carry the period and view (not the grouping, which only the main page uses).
  const search = `?${new URLSearchParams({ period: debouncedPeriod, view }).toString()}`;
  return { period, view, groupBy, range, defaultPeriod, search, set };
}
