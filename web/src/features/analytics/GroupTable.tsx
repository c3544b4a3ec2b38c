import { Anchor, Button, Card, Group, SimpleGrid, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { label } from '../../api/domain';
import type { FunnelReport, FunnelRow } from './analytics.api';
import { days, downloadText, funnelCsv, pct } from './analytics.format';

/** Numbers per group; with groupBy=rep each row opens that rep's page (period and view kept). */
export function GroupTable({ report, search }: { report: FunnelReport; search: string }) {
  const rows = report.rows;
  const name = (r: FunnelRow) =>
    report.groupBy === 'rep' && r.key ? (
      <Anchor component={Link} to={`/analytics/reps/${r.key}${search}`} size="sm">
        {r.label}
      </Anchor>
    ) : report.groupBy === 'segment' || report.groupBy === 'source_type' || report.groupBy === 'channel' ? (
      label(r.label)
    ) : (
      r.label
    );
  const download = () =>
    downloadText(`funnel-${report.range.from}-${report.range.to}-${report.groupBy}.csv`, funnelCsv(rows, report.total));
  return (
    <Card withBorder padding={0} mb="md">
      <Group justify="space-between" p="sm">
        <Text fw={600}>By {label(report.groupBy === 'none' ? 'total' : report.groupBy)}</Text>
        <Button size="xs" variant="default" onClick={download}>
          Download CSV
        </Button>
      </Group>
      <Table.ScrollContainer minWidth={900}>
        <Table verticalSpacing="xs" striped aria-label="Funnel by group">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Group</Table.Th>
              <Table.Th ta="right">Leads</Table.Th>
              <Table.Th ta="right">Opportunities</Table.Th>
              <Table.Th ta="right">Customers</Table.Th>
              <Table.Th ta="right">Lost</Table.Th>
              <Table.Th ta="right">Lead → opp</Table.Th>
              <Table.Th ta="right">Opp → customer</Table.Th>
              <Table.Th ta="right">Win rate</Table.Th>
              <Table.Th ta="right">Median cycle</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[
              ...rows.map((r) => ({ ...r, cell: name(r), total: false })),
              { key: 'total', label: 'Total', metrics: report.total, cell: 'Total', total: true },
            ].map((r) => (
              <Table.Tr key={r.key ?? 'none'} fw={r.total ? 600 : undefined}>
                <Table.Td>{r.cell}</Table.Td>
                <Table.Td ta="right">{r.metrics.counts.leads}</Table.Td>
                <Table.Td ta="right">{r.metrics.counts.opportunities}</Table.Td>
                <Table.Td ta="right">{r.metrics.counts.customers}</Table.Td>
                <Table.Td ta="right">{r.metrics.counts.lost}</Table.Td>
                <Table.Td ta="right">{pct(r.metrics.conversion.leadToOpportunity)}</Table.Td>
                <Table.Td ta="right">{pct(r.metrics.conversion.opportunityToCustomer)}</Table.Td>
                <Table.Td ta="right">{pct(r.metrics.winRate)}</Table.Td>
                <Table.Td ta="right">{days(r.metrics.salesCycleDays)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

/** Reps ranked by customers won and by win rate (reps with no closed deal have no win rate and are left out). */
export function Leaderboard({ rows, search }: { rows: FunnelRow[]; search: string }) {
  const reps = rows.filter((r) => r.key);
  const byWins = [...reps]
    .sort((a, b) => b.metrics.counts.customers - a.metrics.counts.customers || a.label.localeCompare(b.label))
    .slice(0, 10);
  const byRate = reps
    .filter((r) => r.metrics.winRate)
    .sort((a, b) => b.metrics.winRate!.value - a.metrics.winRate!.value || b.metrics.winRate!.denominator - a.metrics.winRate!.denominator)
    .slice(0, 10);
  const board = (title: string, list: FunnelRow[], value: (r: FunnelRow) => string) => (
    <Card withBorder padding="sm" aria-label={title} component="section">
      <Text fw={600} mb="xs">
        {title}
      </Text>
      {list.length === 0 ? (
        <Text size="sm" c="dimmed">
          No reps with numbers in this period.
        </Text>
      ) : (
        <Table verticalSpacing={4}>
          <Table.Tbody>
            {list.map((r, i) => (
              <Table.Tr key={r.key}>
                <Table.Td w={28}>{i + 1}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/analytics/reps/${r.key}${search}`} size="sm">
                    {r.label}
                  </Anchor>
                </Table.Td>
                <Table.Td ta="right">{value(r)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} mb="md">
      {board('Most customers won', byWins, (r) => String(r.metrics.counts.customers))}
      {board(
        'Best win rate',
        byRate,
        (r) => `${pct(r.metrics.winRate)} (${r.metrics.winRate!.numerator}/${r.metrics.winRate!.denominator})`,
      )}
    </SimpleGrid>
  );
}
