import { Button, Card, Group, SimpleGrid, Table, Text } from '@mantine/core';
import { useFormat } from '../../components/format';
import { csvField, downloadText } from '../analytics/analytics.format';
import { RETENTION_GROUPS, type RetentionMetrics, type RetentionReport, type RetentionRow } from './retention.api';

/**
 * An exact rate string with four decimals ("0.8727") as a percent with two ("87.27%"): the float product is only
 * a hair off that value, so toFixed never meets a tie. A dash where there was no base to measure.
 */
const rate = (x: string | null | undefined) => (x == null ? '—' : `${(Number(x) * 100).toFixed(2)}%`);

function Kpi({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card withBorder padding="sm" data-testid="retention-kpi">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="lg" fw={600} data-testid={`kpi-${label}`}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Card>
  );
}

/** The headline numbers of the period (docs/retention.md defines each). */
export function RetentionKpis({ m }: { m: RetentionMetrics }) {
  const fmt = useFormat();
  return (
    <SimpleGrid cols={{ base: 2, sm: 4, lg: 7 }} mb="md">
      <Kpi label="Start ARR" value={fmt.money(m.startArr)} hint={`${m.logos} customers at the start`} />
      <Kpi label="GRR" value={rate(m.grr)} hint="start − contraction − churn" />
      <Kpi label="NRR" value={rate(m.nrr)} hint="start + expansion − contraction − churn" />
      <Kpi label="Logo churn" value={rate(m.logoChurn)} hint={`${m.churnedLogos} of ${m.logos} customers lost`} />
      <Kpi label="Expansion" value={fmt.money(m.expansion)} />
      <Kpi label="Contraction" value={fmt.money(m.contraction)} />
      <Kpi label="Churn" value={fmt.money(m.churn)} />
    </SimpleGrid>
  );
}

const CSV_HEADER = [
  'label',
  'key',
  'logos',
  'churned_logos',
  'logo_churn',
  'start_arr',
  'expansion',
  'contraction',
  'churn',
  'end_arr',
  'grr',
  'nrr',
];

/** The same columns as `revline report retention --csv`; money and rates stay the API's exact strings. */
function retentionCsv(rows: RetentionRow[], total: RetentionMetrics): string {
  const line = (label: string, key: string, m: RetentionMetrics) => [
    label,
    key,
    m.logos,
    m.churnedLogos,
    m.logoChurn,
    m.startArr,
    m.expansion,
    m.contraction,
    m.churn,
    m.endArr,
    m.grr,
    m.nrr,
  ];
  const lines = [CSV_HEADER, ...rows.map((r) => line(r.label, r.key ?? '', r.metrics)), line('All', '*', total)];
  return `${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** Every group's retention and the total, with a CSV download. */
export function RetentionGroupTable({ report }: { report: RetentionReport }) {
  const fmt = useFormat();
  const group = RETENTION_GROUPS.find((g) => g.value === report.groupBy);
  const download = () =>
    downloadText(`retention-${report.range.from}-${report.range.to}-${report.groupBy}.csv`, retentionCsv(report.rows, report.total));
  const all = [...report.rows.map((r) => ({ ...r, total: false })), { key: '*', label: 'Total', metrics: report.total, total: true }];
  return (
    <Card withBorder padding={0} mb="md">
      <Group justify="space-between" p="sm">
        <Text fw={600}>By {group?.noun}</Text>
        <Button size="xs" variant="default" onClick={download}>
          Download CSV
        </Button>
      </Group>
      <Table.ScrollContainer minWidth={960}>
        <Table verticalSpacing="xs" striped aria-label="Retention by group">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{group?.column}</Table.Th>
              <Table.Th ta="right">Customers</Table.Th>
              <Table.Th ta="right">Churned</Table.Th>
              <Table.Th ta="right">Logo churn</Table.Th>
              <Table.Th ta="right">Start ARR</Table.Th>
              <Table.Th ta="right">Expansion</Table.Th>
              <Table.Th ta="right">Contraction</Table.Th>
              <Table.Th ta="right">Churn</Table.Th>
              <Table.Th ta="right">End ARR</Table.Th>
              <Table.Th ta="right">GRR</Table.Th>
              <Table.Th ta="right">NRR</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {all.map((r) => (
              <Table.Tr key={r.key ?? 'none'} fw={r.total ? 600 : undefined} data-testid="retention-row">
                <Table.Td>{r.label}</Table.Td>
                <Table.Td ta="right">{r.metrics.logos}</Table.Td>
                <Table.Td ta="right">{r.metrics.churnedLogos}</Table.Td>
                <Table.Td ta="right">{rate(r.metrics.logoChurn)}</Table.Td>
                <Table.Td ta="right">{fmt.money(r.metrics.startArr)}</Table.Td>
                <Table.Td ta="right">{fmt.money(r.metrics.expansion)}</Table.Td>
                <Table.Td ta="right">{fmt.money(r.metrics.contraction)}</Table.Td>
                <Table.Td ta="right">{fmt.money(r.metrics.churn)}</Table.Td>
                <Table.Td ta="right">{fmt.money(r.metrics.endArr)}</Table.Td>
                <Table.Td ta="right">{rate(r.metrics.grr)}</Table.Td>
                <Table.Td ta="right">{rate(r.metrics.nrr)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

/**
 * Each AE's customers (the accounts they closed): how many left and how much ARR was lost, most churn first.
 * Compensation reads the same figures ("churn below X" of a rep's own customers).
 */
export function AeChurnTable({ report }: { report: RetentionReport }) {
  const fmt = useFormat();
  const rows = [...report.rows].sort(
    (a, b) =>
      Number(b.metrics.churn) - Number(a.metrics.churn) || (a.key == null ? 1 : b.key == null ? -1 : a.label.localeCompare(b.label)),
  );
  return (
    <Card withBorder padding={0} mb="md" component="section" aria-label="Churn of each AE's customers">
      <Text fw={600} p="sm">
        Churn of each AE's customers
      </Text>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed" p="sm" pt={0}>
          No AE had customers at the start of this period.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={800}>
          <Table verticalSpacing="xs" striped aria-label="Churn by closing AE">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Closing AE</Table.Th>
                <Table.Th ta="right">Customers</Table.Th>
                <Table.Th ta="right">Churned</Table.Th>
                <Table.Th ta="right">Logo churn</Table.Th>
                <Table.Th ta="right">Start ARR</Table.Th>
                <Table.Th ta="right">Churn</Table.Th>
                <Table.Th ta="right">Contraction</Table.Th>
                <Table.Th ta="right">GRR</Table.Th>
                <Table.Th ta="right">NRR</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.key ?? 'none'} data-testid="ae-row">
                  <Table.Td>{r.label}</Table.Td>
                  <Table.Td ta="right">{r.metrics.logos}</Table.Td>
                  <Table.Td ta="right">{r.metrics.churnedLogos}</Table.Td>
                  <Table.Td ta="right">{rate(r.metrics.logoChurn)}</Table.Td>
                  <Table.Td ta="right">{fmt.money(r.metrics.startArr)}</Table.Td>
                  <Table.Td ta="right">{fmt.money(r.metrics.churn)}</Table.Td>
                  <Table.Td ta="right">{fmt.money(r.metrics.contraction)}</Table.Td>
                  <Table.Td ta="right">{rate(r.metrics.grr)}</Table.Td>
                  <Table.Td ta="right">{rate(r.metrics.nrr)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
