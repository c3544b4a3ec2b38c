import { Alert, Anchor, Card, Group, Select, SimpleGrid, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorState, PageLoader } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { BOUND_METRICS, type Bounds, PLAN_PATTERN, useBounds } from './analytics.api';

type Best = Bounds['bestRepMonth'];

/**
 * Sanity bounds (DOMAIN.md section 4: "even the best rep in the best month makes only 60 deals"): the best month
 * any rep has had over the trailing 24 months, each visible team's and rep's best month, and the server's warning
 * when a monthly plan per rep is above what anyone has done.
 */
export function BoundsCard({ search }: { search: string }) {
  const fmt = useFormat();
  const [metric, setMetric] = useState('customers');
  const [plan, setPlan] = useState('');
  const [debouncedPlan] = useDebouncedValue(plan, 400);
  const planInvalid = plan.trim() !== '' && !PLAN_PATTERN.test(plan.trim());
  const q = useBounds(metric, debouncedPlan);
  const money = BOUND_METRICS.find((m) => m.value === metric)?.money ?? false;
  const show = (b: Best) => (b ? `${money ? fmt.money(b.value) : Number(b.value).toLocaleString()} in ${b.month}` : '—');
  const data = q.data;
  const list = (title: string, rows: { id: string; name: string; best: Best }[], link: boolean) => (
    <Table verticalSpacing={4} aria-label={title}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{title}</Table.Th>
          <Table.Th ta="right">Best month</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.length === 0 ? (
          <Table.Tr>
            <Table.Td colSpan={2}>
              <Text size="sm" c="dimmed">
                None with numbers yet.
              </Text>
            </Table.Td>
          </Table.Tr>
        ) : (
          rows.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>
                {link ? (
                  <Anchor component={Link} to={`/analytics/reps/${r.id}${search}`} size="sm">
                    {r.name}
                  </Anchor>
                ) : (
                  r.name
                )}
              </Table.Td>
              <Table.Td ta="right">{show(r.best)}</Table.Td>
            </Table.Tr>
          ))
        )}
      </Table.Tbody>
    </Table>
  );
  return (
    <Card withBorder padding="md" mb="md" component="section" aria-label="Sanity bounds">
      <Group justify="space-between" align="flex-end" mb="xs" wrap="wrap">
        <div>
          <Text fw={600}>Sanity bounds</Text>
          <Text size="xs" c="dimmed">
            Best calendar months over the last 24 months (period view), to check a plan against what anyone has done.
          </Text>
        </div>
        <Group gap="sm" align="flex-start">
          <Select
            size="xs"
            label="Bounds metric"
            data={BOUND_METRICS.map(({ value, label }) => ({ value, label }))}
            value={metric}
            onChange={(v) => v && setMetric(v)}
            allowDeselect={false}
            w={190}
          />
          <TextInput
            size="xs"
            label="Plan per rep per month"
            placeholder="e.g. 60"
            inputMode="decimal"
            value={plan}
            onChange={(e) => setPlan(e.currentTarget.value)}
            error={planInvalid ? 'A number of at most two decimals, e.g. 60 or 15000.50' : undefined}
            w={190}
          />
        </Group>
      </Group>
      {q.error ? <ErrorState error={q.error} what="the sanity bounds" /> : null}
      {q.isPending && !planInvalid ? <PageLoader /> : null}
      {data ? (
        <>
          <Text size="sm" mb="xs" data-testid="best-rep-month">
            Best rep month: <b>{show(data.bestRepMonth)}</b>
          </Text>
          {data.plan && !planInvalid ? (
            !data.bestRepMonth ? (
              <Text size="sm" c="dimmed" mb="sm">
                No rep month to compare the plan with yet.
              </Text>
            ) : data.plan.message ? (
              <Alert color="orange" variant="light" mb="sm" role="alert" data-testid="plan-flag">
                <Text size="sm">{data.plan.message}</Text>
              </Alert>
            ) : (
              <Text size="sm" c="teal" mb="sm" data-testid="plan-ok">
                A plan of {data.plan.value} a month per rep is within the best month a rep has had.
              </Text>
            )
          ) : null}
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {list('Team', data.teams, false)}
            {list('Rep', data.reps, true)}
          </SimpleGrid>
        </>
      ) : null}
    </Card>
  );
}
