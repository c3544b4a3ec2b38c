import { AreaChart, BarChart } from '@mantine/charts';
import { Badge, Card, Grid, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { QueryState } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { HealthBadge } from './health/HealthBadge';
import { type AccountSuccess, FACTOR_LABEL, useAccountSuccess } from './health/health.api';
import { TaskTable } from './health/TaskTable';

const FACTOR_COLORS = ['blue.6', 'teal.6', 'grape.6', 'orange.6', 'pink.6', 'cyan.6'];

/** An account's success tab: health and its factors, health history, usage by day, milestone progress, tasks. */
export function AccountSuccessTab({ accountId }: { accountId: string }) {
  const q = useAccountSuccess(accountId);
  return (
    <QueryState query={q} what="this account's success data">
      {(data) => (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <Stack>
              <HealthCard data={data} />
              <HealthHistory data={data} />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <Stack>
              <Milestones data={data} />
              <UsageChart data={data} />
            </Stack>
          </Grid.Col>
          <Grid.Col span={12}>
            <Card withBorder component="section" aria-label="Success tasks">
              <Title order={5} mb="xs">
                Tasks
              </Title>
              <TaskTable label="Account tasks" rows={data.tasks} showAccount={false} />
            </Card>
          </Grid.Col>
        </Grid>
      )}
    </QueryState>
  );
}

function HealthCard({ data }: { data: AccountSuccess }) {
  const fmt = useFormat();
  const latest = data.health.latest;
  return (
    <Card withBorder component="section" aria-label="Health score">
      <Group justify="space-between" mb="xs">
        <Title order={5}>Health</Title>
        <HealthBadge health={latest} />
      </Group>
      {latest ? (
        <>
          <Text size="xs" c="dimmed" mb="xs">
            Scored for {fmt.day(latest.day)}. Bands: healthy from {data.health.bands.healthy}, at risk from {data.health.bands.atRisk}.
            Factors without data are left out and the other weights scaled up.
          </Text>
          <Table aria-label="Health factors" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Factor</Table.Th>
                <Table.Th>Score</Table.Th>
                <Table.Th>Weight</Table.Th>
                <Table.Th>Points</Table.Th>
                <Table.Th>Why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {latest.factors.map((f) => (
                <Table.Tr key={f.factor} c={f.score == null ? 'dimmed' : undefined}>
                  <Table.Td>{FACTOR_LABEL[f.factor]}</Table.Td>
                  <Table.Td>{f.score ?? '—'}</Table.Td>
                  <Table.Td>{`${(Number(f.share) * 100).toFixed(0)}%`}</Table.Td>
                  <Table.Td>{f.score == null ? '—' : f.points}</Table.Td>
                  <Table.Td>
                    <Text size="xs">{f.detail}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      ) : (
        <Text size="sm" c="dimmed">
          Not scored yet: the daily refresh scores customers with a live subscription and some data.
        </Text>
      )}
    </Card>
  );
}

/** Each day's score as stacked factor contributions: the bar's height is the score, its parts the reasons. */
function HealthHistory({ data }: { data: AccountSuccess }) {
  const fmt = useFormat();
  const rows = data.health.history.map((h) => ({
    day: fmt.day(h.day),
    ...Object.fromEntries(h.factors.filter((f) => f.score != null).map((f) => [FACTOR_LABEL[f.factor], Number(f.points)])),
  }));
  return (
    <Card withBorder component="section" aria-label="Health history">
      <Title order={5} mb="xs">
        Health history
      </Title>
      {rows.length ? (
        <BarChart
          h={240}
          data={rows}
          dataKey="day"
          type="stacked"
          withLegend
          yAxisProps={{ domain: [0, 100] }}
          valueFormatter={(v) => v.toFixed(1)}
          referenceLines={[
            { y: data.health.bands.healthy, label: 'Healthy', color: 'green.6' },
            { y: data.health.bands.atRisk, label: 'At risk', color: 'red.6' },
          ]}
          series={Object.values(FACTOR_LABEL).map((name, i) => ({ name, color: FACTOR_COLORS[i] }))}
        />
      ) : (
        <Text size="sm" c="dimmed">
          No history yet.
        </Text>
      )}
    </Card>
  );
}

function UsageChart({ data }: { data: AccountSuccess }) {
  const fmt = useFormat();
  const total = data.usage.reduce((n, d) => n + d.events, 0);
  const rows = data.usage.map((d) => ({ day: fmt.day(d.day), Events: d.events, 'Active users': d.users, Tickets: d.tickets }));
  return (
    <Card withBorder component="section" aria-label="Usage">
      <Group justify="space-between" mb="xs">
        <Title order={5}>Usage, last 90 days</Title>
        <Text size="sm" c="dimmed" data-testid="usage-total">
          {total} events
        </Text>
      </Group>
      <AreaChart
        h={220}
        data={rows}
        dataKey="day"
        withLegend
        withDots={false}
        series={[
          { name: 'Events', color: 'blue.6' },
          { name: 'Active users', color: 'teal.6' },
          { name: 'Tickets', color: 'red.6' },
        ]}
      />
    </Card>
  );
}

const STATUS_COLOR = { pending: 'blue', reached: 'green', missed: 'red' } as const;

function Milestones({ data }: { data: AccountSuccess }) {
  const fmt = useFormat();
  return (
    <Card withBorder component="section" aria-label="Milestones">
      <Title order={5} mb="xs">
        Milestones
      </Title>
      {data.milestones.length === 0 ? (
        <Text size="sm" c="dimmed">
          No milestone applies to this account.
        </Text>
      ) : null}
      <Stack gap="md">
        {data.milestones.map((m) => (
          <div key={m.milestoneId} data-testid="milestone">
            <Group justify="space-between" mb={4}>
              <Text fw={500} size="sm">
                {m.name}
              </Text>
              <Badge variant="light" color={STATUS_COLOR[m.status]}>
                {m.status === 'reached' ? `Reached ${fmt.date(m.reachedAt)}` : m.status === 'missed' ? 'Missed' : 'Pending'}
              </Badge>
            </Group>
            <Text size="xs" c="dimmed" mb={6}>
              Window {fmt.date(m.windowStart)} – {fmt.date(m.windowEnd)}
            </Text>
            <Stack gap={6}>
              {m.progress.map((c) => {
                const pct = c.target > 0 ? Math.min(100, (c.value / c.target) * 100) : 100;
                return (
                  <div key={c.label}>
                    <Group justify="space-between">
                      <Text size="xs">{c.label}</Text>
                      <Text size="xs" c="dimmed">
                        {c.value} / {c.target}
                      </Text>
                    </Group>
                    <Progress
                      value={pct}
                      color={pct >= 100 ? 'green' : STATUS_COLOR[m.status]}
                      aria-label={`${c.label}: ${c.value} of ${c.target}`}
                    />
                  </div>
                );
              })}
            </Stack>
          </div>
        ))}
      </Stack>
    </Card>
  );
}
