import { BarChart } from '@mantine/charts';
import { Card, Text } from '@mantine/core';
import { type AttainmentRow, metricLabel } from './quotas.api';

/** Attainment by rep against the 100% line: who is over and who is under, at a glance. */
export function AttainmentChart({ rows }: { rows: AttainmentRow[] }) {
  const multiMetric = new Set(rows.map((r) => r.metric)).size > 1;
  const data = rows
    .filter((r) => r.attainment != null)
    .map((r) => ({
      rep: multiMetric ? `${r.name} (${metricLabel(r.metric)})` : r.name,
      Attainment: Math.round(Number(r.attainment) * 1000) / 10,
    }));
  return (
    <Card withBorder padding="md" mb="md" component="section" aria-label="Attainment by rep">
      <Text fw={600} mb="xs">
        Attainment by rep
      </Text>
      {data.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing is due in this period yet.
        </Text>
      ) : (
        <BarChart
          h={260}
          data={data}
          dataKey="rep"
          valueFormatter={(v) => `${v.toFixed(1)}%`}
          series={[{ name: 'Attainment', color: 'blue.6' }]}
          referenceLines={[{ y: 100, label: '100% of quota', color: 'red.6' }]}
        />
      )}
    </Card>
  );
}
