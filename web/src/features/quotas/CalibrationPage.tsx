import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Alert, Autocomplete, Badge, Card, Group, NumberInput, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ErrorState, PageLoader } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { recentQuarters } from '../analytics/analytics.format';
import { BacktestCard } from './BacktestCard';
import { type Calibration, FLAG_COLOR, FLAG_LABEL, METRICS, ratioPct, type TeamPeriodDistribution, useCalibration } from './quotas.api';
import { usePeriodParams } from './usePeriod';

const BUCKET_COLORS = ['red.6', 'orange.5', 'yellow.5', 'teal.5', 'blue.6', 'grape.6'];

/** One team: a badge per period coloured by its flag with the reason, and the attainment buckets stacked per period. */
function TeamCalibration({ name, cells }: { name: string; cells: TeamPeriodDistribution[] }) {
  const labels = cells[0]?.buckets.map((b) => b.label) ?? [];
  const data = cells.map((c) => ({ period: c.period, ...Object.fromEntries(c.buckets.map((b) => [b.label, b.count])) }));
  return (
    <Card withBorder padding="md" component="section" aria-label={`Calibration ${name}`} data-testid="calibration-team">
      <Text fw={600} mb="xs">
        {name}
      </Text>
      <Group gap={6} mb="xs">
        {cells.map((c) => (
          <Badge key={c.period} color={FLAG_COLOR[c.flag]} variant="light" title={c.reason}>
            {c.period}: {ratioPct(c.share, 0)} · {FLAG_LABEL[c.flag]}
          </Badge>
        ))}
      </Group>
      <Stack gap={2} mb="xs">
        {cells.map((c) => (
          <Text key={c.period} size="xs" c={c.flag === 'ok' ? 'dimmed' : undefined}>
            {c.reason}
          </Text>
        ))}
      </Stack>
      {labels.length ? (
        <BarChart
          h={200}
          data={data}
          dataKey="period"
          type="stacked"
          withLegend
          series={labels.map((l, i) => ({ name: l, label: `${l}%`, color: BUCKET_COLORS[i % BUCKET_COLORS.length] }))}
        />
      ) : null}
    </Card>
  );
}

function RaiseSuggestions({ data }: { data: Calibration }) {
  const fmt = useFormat();
  const firing = data.raise.filter((r) => r.fires);
  if (firing.length === 0)
    return (
      <Text size="sm" c="dimmed" mb="md">
        No team has earned a quota raise: none had at least 80% of reps beat quota, by 25% on average, two periods in a row.
      </Text>
    );
  return (
    <Stack gap="xs" mb="md">
      {firing.map((r) => (
        <Alert key={r.teamId} color="yellow" variant="light" title={`Raise the quota of ${r.teamName}`} data-testid="raise-suggestion">
          <Text size="sm">{r.explanation}</Text>
          {r.suggestion ? (
            <Text size="sm" mt={4}>
              From <b>{fmt.money(r.suggestion.currentQuota)}</b> to <b>{fmt.money(r.suggestion.proposedQuota)}</b>:{' '}
              {r.suggestion.wouldAttain} reps would still have attained ({ratioPct(r.suggestion.share, 0)},{' '}
              {FLAG_LABEL[r.suggestion.flag].toLowerCase()}).
            </Text>
          ) : null}
        </Alert>
      ))}
    </Stack>
  );
}

/** "Everyone wins": is each team's quota set so that 60-75% of reps reach it? And the backtest of another quota. */
export default function CalibrationPage() {
  const p = usePeriodParams();
  const [metric, setMetric] = useState('new_arr');
  const [periods, setPeriods] = useState<number>(4);
  const q = useCalibration(metric, p.debouncedPeriod, periods);
  const data = q.data;
  const teams = new Map<string, { name: string; cells: TeamPeriodDistribution[] }>();
  for (const d of data?.distribution ?? []) {
    const t = teams.get(d.teamId) ?? { name: d.teamName, cells: [] };
    t.cells.push(d);
    teams.set(d.teamId, t);
  }
  return (
    <>
      <PageHeader title="Calibration" subtitle={data ? `${metric} · ${data.periods.join(', ')}` : undefined} />
      <Group gap="sm" align="flex-end" mb="md" wrap="wrap">
        <Select
          size="xs"
          label="Metric"
          data={METRICS.map((m) => ({ value: m.value, label: m.label }))}
          value={metric}
          onChange={(v) => v && setMetric(v)}
          allowDeselect={false}
          w={180}
        />
        <Autocomplete
          size="xs"
          label="Last period"
          data={recentQuarters(p.defaultPeriod)}
          value={p.period}
          onChange={(v) => p.set('period', v)}
          w={140}
        />
        <NumberInput size="xs" label="Periods" min={1} max={12} value={periods} onChange={(v) => setPeriods(Number(v) || 4)} w={90} />
      </Group>
      <Text size="sm" mb="md">
        A quota is well set when <b>60-75%</b> of a team's reps reach it: below 60% it looks too hard (people give up), above 75% too easy
        (money is left on the table). Each team's periods are coloured by that band.
      </Text>
      {q.error ? <ErrorState error={q.error} what="the calibration" /> : null}
      {q.isPending ? <PageLoader /> : null}
      {data && !q.error ? (
        <>
          <RaiseSuggestions data={data} />
          {teams.size === 0 ? (
            <Text size="sm" c="dimmed" mb="md">
              No team has quotas and results in these periods.
            </Text>
          ) : (
            <SimpleGrid cols={{ base: 1, lg: 2 }} mb="md">
              {[...teams.entries()].map(([id, t]) => (
                <TeamCalibration key={id} name={t.name} cells={t.cells} />
              ))}
            </SimpleGrid>
          )}
        </>
      ) : null}
      <BacktestCard metric={metric} periods={data?.periods ?? [p.period]} />
    </>
  );
}
