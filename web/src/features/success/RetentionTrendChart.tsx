import { LineChart } from '@mantine/charts';
import { Card, Text } from '@mantine/core';
import { ErrorState, PageLoader } from '../../components/ErrorState';
import { useRetentionTrend } from './retention.api';

/** GRR and NRR of each month (each month on its own base), over the twelve months ending with `until`. */
export function RetentionTrendChart({ until }: { until: string | null }) {
  const q = useRetentionTrend(until);
  const months = q.data?.months ?? [];
  // Percent values for the chart only; the exact rates stay strings everywhere else.
  const percent = (x: string | null) => (x == null ? null : Number(x) * 100);
  const data = months.map((m, i) => ({ month: m.label, GRR: percent(q.data!.total[i].grr), NRR: percent(q.data!.total[i].nrr) }));
  return (
    <Card withBorder padding="md" mb="md" component="section" aria-label="Monthly retention">
      <Text fw={600}>Monthly retention</Text>
      {months.length ? (
        <Text size="xs" c="dimmed" mb="xs" data-testid="trend-range">
          {months[0].label} – {months.at(-1)!.label}, each month measured on the customers it started with
        </Text>
      ) : null}
      {q.error ? <ErrorState error={q.error} what="the retention trend" /> : null}
      {q.isPending ? <PageLoader /> : null}
      {data.length ? (
        <LineChart
          h={260}
          data={data}
          dataKey="month"
          withLegend
          connectNulls
          valueFormatter={(v) => `${v.toFixed(1)}%`}
          series={[
            { name: 'GRR', color: 'blue.6' },
            { name: 'NRR', color: 'teal.6' },
          ]}
        />
      ) : null}
    </Card>
  );
}
