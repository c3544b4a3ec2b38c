import '@mantine/charts/styles.css';
import { Autocomplete, Group, Select, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useSession } from '../../app/session';
import { ErrorState, PageLoader } from '../../components/ErrorState';
import { PageHeader } from '../../components/PageHeader';
import { currentQuarter, recentQuarters } from '../analytics/analytics.format';
import { AeChurnTable, RetentionGroupTable, RetentionKpis } from './RetentionTables';
import { RetentionTrendChart } from './RetentionTrendChart';
import { RETENTION_GROUPS, type RetentionGroupBy, useRetention } from './retention.api';

const GROUP_VALUES: readonly string[] = RETENTION_GROUPS.map((g) => g.value);

/**
 * Gross and net revenue retention and logo churn for a period, within what the caller may see (the server decides:
 * everything, a manager's teams, or a rep's own customers). Period and grouping live in the URL so a view can be shared.
 */
export default function RetentionPage() {
  const { workspace } = useSession();
  const [params, setParams] = useSearchParams();
  const defaultPeriod = useMemo(() => currentQuarter(workspace.timezone), [workspace.timezone]);
  const period = params.get('period') ?? defaultPeriod;
  const [debouncedPeriod] = useDebouncedValue(period, 400);
  const groupParam = params.get('groupBy') ?? '';
  const groupBy = (GROUP_VALUES.includes(groupParam) ? groupParam : 'segment') as RetentionGroupBy;
  const set = (key: 'period' | 'groupBy', value: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set(key, value);
        return next;
      },
      { replace: true },
    );

  const report = useRetention(debouncedPeriod, groupBy);
  // The AE table always groups by closing AE (the same request when the main table does too).
  const byAe = useRetention(debouncedPeriod, 'ae');
  const data = report.data;
  // The trend's twelve months end with the chosen period's last month; without a choice, the current month.
  const until = params.has('period') && data ? data.range.to.slice(0, 7) : null;
  return (
    <>
      <PageHeader
        title="Retention"
        subtitle={data ? `${data.range.from} – ${data.range.to} · customers with ARR on ${data.range.from}` : undefined}
      />
      <Group gap="sm" align="flex-end" mb="md" wrap="wrap">
        <Autocomplete
          size="xs"
          label="Period"
          data={recentQuarters(defaultPeriod)}
          value={period}
          onChange={(v) => set('period', v)}
          w={140}
          description="e.g. 2026-Q3, 2026-09, 2026"
        />
        <Select
          size="xs"
          label="Group by"
          data={RETENTION_GROUPS.map(({ value, label }) => ({ value, label }))}
          value={groupBy}
          onChange={(v) => v && set('groupBy', v)}
          allowDeselect={false}
          w={240}
        />
      </Group>
      {report.error ? <ErrorState error={report.error} what="these numbers" /> : null}
      {report.isPending ? <PageLoader /> : null}
      {data ? (
        <>
          <RetentionKpis m={data.total} />
          {data.groupBy !== 'none' ? <RetentionGroupTable report={data} /> : null}
          <RetentionTrendChart until={until} />
          {byAe.data ? <AeChurnTable report={byAe.data} /> : null}
          <Text size="xs" c="dimmed">
            The base is the customers with ARR at the start of the period; customers who started inside it are new business and left out. A
            new subscription of a customer already in the base counts as expansion. Losses never exceed a customer's start ARR. Figures in{' '}
            {data.currency}, periods in {data.timezone}.
          </Text>
        </>
      ) : null}
    </>
  );
}
