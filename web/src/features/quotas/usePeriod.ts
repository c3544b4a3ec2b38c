import { useDebouncedValue } from '@mantine/hooks';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useSession } from '../../app/session';
import { currentQuarter } from '../analytics/analytics.format';

/** Period (default: the current quarter in the workspace time zone) and team in the URL, so a view can be shared. */
export function usePeriodParams() {
  const { workspace } = useSession();
  const [params, setParams] = useSearchParams();
  const defaultPeriod = useMemo(() => currentQuarter(workspace.timezone), [workspace.timezone]);
  const period = params.get('period') ?? defaultPeriod;
  const teamId = params.get('teamId') ?? '';
  const [debounced] = useDebouncedValue(period, 400);
  const set = (key: 'period' | 'teamId', value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value == null || (value === '' && key !== 'period')) next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  return { period, debouncedPeriod: debounced, teamId, defaultPeriod, set };
}
