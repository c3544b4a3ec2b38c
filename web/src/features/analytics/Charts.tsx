import { BarChart, LineChart } from '@mantine/charts';
import { Card, Group, Select, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { ErrorState, PageLoader } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { type GroupBy, type Range, TRANSITIONS, TREND_METRICS, useFunnel, useTrend, useVelocity } from './analytics.api';
import { days, trailingYear } from './analytics.format';

const COLORS = ['blue.6', 'teal.6', 'grape.6', 'orange.6', 'red.6', 'cyan.6', 'lime.7', 'pink.6', 'indigo.6', 'yellow.7'];

function ChartCard({
  title,
  subtitle,
  actions,
  children,
}: {
  title: string;
  subtitle?: string;
  actions?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <Card withBorder padding="md" component="section" aria-label={title}>
      <Group justify="space-between" mb="xs">
        <div>
          <Text fw={600}>{title}</Text>
          {subtitle ? (
            <Text size="xs" c="dimmed" data-testid={`${title.toLowerCase()}-range`}>
              {subtitle}
            </Text>
          ) : null}
        </div>
        {actions}
      </Group>
      {children}
    </Card>
  );
}

/** Lead → opportunity and opportunity → customer per rep: where each rep loses deals. */
export function ConversionByRepChart({ range }: { range: Range }) {
  const q = useFunnel(range, 'rep');
  const rows = (q.data?.rows ?? []).filter((r) => r.key);
  const data = rows.map((r) => ({
    rep: r.label,
    'Lead → opp': r.metrics.conversion.leadToOpportunity ? r.metrics.conversion.leadToOpportunity.value * 100 : null,
    'Opp → customer': r.metrics.conversion.opportunityToCustomer ? r.metrics.conversion.opportunityToCustomer.value * 100 : null,
    'Win rate': r.metrics.winRate ? r.metrics.winRate.value * 100 : null,
  }));
  return (
    <ChartCard title="Conversion by rep">
      {q.error ? <ErrorState error={q.error} what="conversion by rep" /> : null}
      {q.isPending ? <PageLoader /> : null}
      {q.data && data.length === 0 ? (
        <Text size="sm" c="dimmed">
          No rep has numbers in this period.
        </Text>
      ) : null}
      {data.length ? (
        <BarChart
          h={260}
          data={data}
          dataKey="rep"
          withLegend
          valueFormatter={(v) => `${v.toFixed(1)}%`}
          series={[
            { name: 'Lead → opp', color: 'blue.6' },
            { name: 'Opp → customer', color: 'teal.6' },
            { name: 'Win rate', color: 'grape.6' },
          ]}
        />
      ) : null}
    </ChartCard>
  );
}

/**
 * One metric month by month, one line per group: the twelve months ending at `periodEnd` (the chosen period's
 * last day), or without one the server's trailing twelve months to today.
 */
export function TrendChart({ range, groupBy, periodEnd }: { range: Range; groupBy: GroupBy; periodEnd: string | null }) {
  const fmt = useFormat();
  const [metric, setMetric] = useState('customers');
  const span = useMemo(() => (periodEnd ? trailingYear(periodEnd) : null), [periodEnd]);
  const q = useTrend(range, metric, groupBy === 'rep' || groupBy === 'team' ? groupBy : 'none', span);
  const kind = TREND_METRICS.find((m) => m.value === metric)?.kind ?? 'count';
  const series = (q.data?.series ?? []).slice(0, COLORS.length);
  const data = (q.data?.intervals ?? []).map((period, i) => {
    const row: Record<string, string | number | null> = { period };
    for (const s of series) {
      const v = s.points[i]?.value;
      row[s.label] = v == null ? null : kind === 'rate' ? Number(v) * 100 : Number(v);
    }
    return row;
  });
  const format = (v: number) =>
    kind === 'rate' ? `${v.toFixed(1)}%` : kind === 'money' ? fmt.money(v.toFixed(2)) : kind === 'days' ? days(v) : v.toLocaleString();
  return (
    <ChartCard
      title="Trend"
      subtitle={q.data ? `${q.data.range.from} – ${q.data.range.to}` : undefined}
      actions={
        <Select
          size="xs"
          aria-label="Trend metric"
          data={TREND_METRICS.map(({ value, label }) => ({ value, label }))}
          value={metric}
          onChange={(v) => v && setMetric(v)}
          allowDeselect={false}
          w={220}
        />
      }
    >
      {q.error ? <ErrorState error={q.error} what="the trend" /> : null}
      {q.isPending ? <PageLoader /> : null}
      {data.length ? (
        <LineChart
          h={260}
          data={data}
          dataKey="period"
          withLegend={series.length > 1}
          connectNulls
          valueFormatter={format}
          series={series.map((s, i) => ({ name: s.label, color: COLORS[i] }))}
        />
      ) : null}
    </ChartCard>
  );
}

/** How long a stage-to-stage step takes: deals per duration bin, per group (top groups by volume). */
export function VelocityChart({ range }: { range: Range }) {
  const [transition, setTransition] = useState('opportunity_to_customer');
  const q = useVelocity(range, transition);
  const groups = q.data?.groups ?? [];
  const data = (q.data?.bins ?? []).map((bin, i) => {
    const row: Record<string, string | number> = { bin };
    for (const g of groups) row[g.label] = g.counts[i];
    return row;
  });
  return (
    <ChartCard
      title="Velocity"
      actions={
        <Select
          size="xs"
          aria-label="Velocity step"
          data={TRANSITIONS}
          value={transition}
          onChange={(v) => v && setTransition(v)}
          allowDeselect={false}
          w={220}
        />
      }
    >
      {q.error ? <ErrorState error={q.error} what="velocity" /> : null}
      {q.isPending ? <PageLoader /> : null}
      {q.data && groups.length === 0 ? (
        <Text size="sm" c="dimmed">
          No completed steps in this period.
        </Text>
      ) : null}
      {groups.length ? (
        <>
          <BarChart
            h={240}
            data={data}
            dataKey="bin"
            series={groups.map((g, i) => ({ name: g.label, color: COLORS[i % COLORS.length] }))}
          />
          <Text size="xs" c="dimmed" mt="xs">
            {groups.map((g) => `${g.label}: median ${days(g.medianDays)}, p75 ${days(g.p75Days)} (n=${g.n})`).join(' · ')}
          </Text>
        </>
      ) : null}
    </ChartCard>
  );
}
