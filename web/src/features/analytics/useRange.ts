import { useDebouncedValue } from '@mantine/hooks';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { CHANNELS, SEGMENTS, SOURCE_TYPES } from '../../api/domain';
import { useSession } from '../../app/session';
import { type Filters, GROUP_BYS, type GroupBy, type Range, VIEWS, type View } from './analytics.api';
import { currentQuarter } from './analytics.format';

export type RangeKey = 'period' | 'view' | 'groupBy' | keyof Filters;

/** A closed-list URL value, or '' (all) when absent or not one of the list: a hand-edited URL never reaches the API. */
const oneOf = (list: readonly string[], v: string | null) => (v && list.includes(v) ? v : '');

/**
 * The dashboard's controls live in the URL (?period=2026-Q3&view=cohort&groupBy=rep&segment=SMB), so a view can
 * be shared and the rep page keeps the same period and filters. Typing a period waits for a pause before asking
 * the server.
 */
export function useRangeParams() {
  const { workspace } = useSession();
  const [params, setParams] = useSearchParams();
  const defaultPeriod = useMemo(() => currentQuarter(workspace.timezone), [workspace.timezone]);
  const period = params.get('period') ?? defaultPeriod;
  // Only a period someone picked moves the trend's window; without one the trend keeps its trailing year to today.
  const periodChosen = params.has('period') && period.trim() !== '';
  const viewParam = params.get('view');
  const view: View = VIEWS.includes(viewParam as View) ? (viewParam as View) : 'period';
  const groupParam = params.get('groupBy');
  const groupBy: GroupBy = GROUP_BYS.includes(groupParam as GroupBy) ? (groupParam as GroupBy) : 'rep';
  const segment = oneOf(SEGMENTS, params.get('segment'));
  const sourceType = oneOf(SOURCE_TYPES, params.get('sourceType'));
  const channel = oneOf(CHANNELS, params.get('channel'));
  const filters: Filters = useMemo(() => ({ segment, sourceType, channel }), [segment, sourceType, channel]);
  const [debouncedPeriod] = useDebouncedValue(period, 400);
  const range: Range = useMemo(() => ({ period: debouncedPeriod, view, filters }), [debouncedPeriod, view, filters]);
  const set = (key: RangeKey, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        // An emptied filter leaves the URL; an emptied period stays (it means the server's current quarter while typing).
        if (value == null || (value === '' && key !== 'period')) next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  // Links to rep pages carry the period (when one was chosen), view and filters (not the grouping, main page only).
  const linkParams = new URLSearchParams(periodChosen ? { period: debouncedPeriod, view } : { view });
  for (const [k, v] of Object.entries(filters)) if (v) linkParams.set(k, v);
  const search = `?${linkParams.toString()}`;
  return { period, periodChosen, view, groupBy, filters, range, defaultPeriod, search, set };
}
