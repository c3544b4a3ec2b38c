import { BarChart } from '@mantine/charts';
import { Anchor, Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useAccess } from '../../app/session';
import { DataTable, type TableColumn } from '../../components/DataTable';
import { QueryState } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { HealthBadge } from './health/HealthBadge';
import { BUCKET_LABEL, type RenewalRow, type RenewalsPipeline, type RenewalWindow, useRenewals } from './health/health.api';
import { RenewalModal } from './health/RenewalModal';

const WINDOWS = ['30', '60', '90', '120'];

/**
 * The renewals pipeline: live subscriptions renewing in the next 30/60/90/120 days (and overdue ones), ARR against
 * the forecast (ARR x the renewal probability of the account's health band), with renew and churn actions.
 */
export default function RenewalsPage() {
  const [windowDays, setWindowDays] = useState<RenewalWindow>(120);
  const q = useRenewals(windowDays);
  return (
    <>
      <PageHeader
        title="Renewals"
        subtitle="Forecast = ARR x the renewal probability of the account's health band"
        actions={
          <SegmentedControl
            value={String(windowDays)}
            onChange={(v) => setWindowDays(Number(v) as RenewalWindow)}
            data={WINDOWS.map((w) => ({ value: w, label: `${w} days` }))}
            aria-label="Window"
          />
        }
      />
      <QueryState query={q} what="the renewals pipeline">
        {(data) => <Pipeline data={data} />}
      </QueryState>
    </>
  );
}

function Pipeline({ data }: { data: RenewalsPipeline }) {
  const fmt = useFormat();
  const access = useAccess();
  const [acting, setActing] = useState<{ row: RenewalRow; outcome: 'renewed' | 'churned' } | null>(null);
  const chart = data.buckets.map((b) => ({ bucket: BUCKET_LABEL[b.bucket], ARR: Number(b.arr), Forecast: Number(b.expectedArr) }));
  const columns: TableColumn<RenewalRow>[] = [
    {
      key: 'account',
      header: 'Account',
      render: (r) => (
        <Anchor component={Link} to={`/accounts/${r.accountId}?tab=success`} size="sm">
          {r.accountName}
        </Anchor>
      ),
    },
    { key: 'plan', header: 'Plan', render: (r) => r.plan ?? '—' },
    { key: 'arr', header: 'ARR', render: (r) => fmt.money(r.arr) },
    {
      key: 'date',
      header: 'Renewal',
      render: (r) => (
        <Text size="sm" c={r.daysUntil < 0 ? 'red' : undefined}>
          {fmt.day(r.renewalDate)} · {r.daysUntil < 0 ? `overdue ${-r.daysUntil} d` : `in ${r.daysUntil} d`}
        </Text>
      ),
    },
    { key: 'health', header: 'Health', render: (r) => <HealthBadge health={r.band ? { score: r.score!, band: r.band } : null} /> },
    { key: 'p', header: 'Probability', render: (r) => `${Math.round(Number(r.probability) * 100)}%` },
    { key: 'expected', header: 'Forecast', render: (r) => fmt.money(r.expectedArr) },
    {
      key: 'actions',
      header: '',
      width: 170,
      render: (r) =>
        access.canWrite(r.csmId, r.ownerId) ? (
          <Group gap={6} wrap="nowrap">
            <Button size="xs" onClick={() => setActing({ row: r, outcome: 'renewed' })} aria-label={`Renew ${r.accountName}`}>
              Renew
            </Button>
            <Button
              size="xs"
              variant="default"
              color="red"
              onClick={() => setActing({ row: r, outcome: 'churned' })}
              aria-label={`Churn ${r.accountName}`}
            >
              Churn
            </Button>
          </Group>
        ) : null,
    },
  ];
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, md: data.buckets.length + 1 }}>
        {data.buckets.map((b) => (
          <Card withBorder key={b.bucket} component="section" aria-label={BUCKET_LABEL[b.bucket]} data-testid={`bucket-${b.bucket}`}>
            <Text size="xs" c="dimmed">
              {BUCKET_LABEL[b.bucket]} · {b.count}
            </Text>
            <Text fw={600}>{fmt.money(b.arr)}</Text>
            <Text size="sm" c="dimmed">
              forecast {fmt.money(b.expectedArr)}
            </Text>
          </Card>
        ))}
        <Card withBorder component="section" aria-label="Total" data-testid="bucket-total">
          <Text size="xs" c="dimmed">
            Total · {data.total.count}
          </Text>
          <Text fw={600}>{fmt.money(data.total.arr)}</Text>
          <Text size="sm" c="dimmed">
            forecast {fmt.money(data.total.expectedArr)}
          </Text>
        </Card>
      </SimpleGrid>
      <Card withBorder component="section" aria-label="ARR against forecast">
        <Title order={5} mb="xs">
          ARR against forecast
        </Title>
        <BarChart
          h={220}
          data={chart}
          dataKey="bucket"
          withLegend
          valueFormatter={(v) => fmt.money(String(v))}
          series={[
            { name: 'ARR', color: 'blue.6' },
            { name: 'Forecast', color: 'teal.6' },
          ]}
        />
      </Card>
      <Card withBorder>
        <DataTable label="Renewals" rows={data.items} columns={columns} emptyText="No renewal in this window" />
      </Card>
      <RenewalModal acting={acting} onClose={() => setActing(null)} />
    </Stack>
  );
}
