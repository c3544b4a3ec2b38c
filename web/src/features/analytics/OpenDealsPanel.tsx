import { Anchor, Card, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { label } from '../../api/domain';
import { useSession } from '../../app/session';
import { StatusBadge } from '../../components/badges';
import { DataTable } from '../../components/DataTable';
import { ErrorState, PageLoader } from '../../components/ErrorState';
import { useFormat } from '../../components/format';
import { type OpenDeal, useOpenDeals } from './analytics.api';

/** How many of the longest-waiting deals to list (the server returns up to 500, longest first). */
const LONGEST = 15;

/**
 * Open deals right now, whatever the period or filters: per stage how many and how long they have sat there
 * (whole days since the last stage change, docs/metrics.md), and the deals waiting longest. The server limits
 * them to the caller's scope.
 */
export function OpenDealsPanel() {
  const fmt = useFormat();
  const { workspace } = useSession();
  const q = useOpenDeals();
  // The workspace's own stage order (discovery before proposal), unknown stages last.
  const order = (s: string) => {
    const i = workspace.opportunityStages.indexOf(s);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const stages = [...(q.data?.stages ?? [])].sort((a, b) => order(a.stage) - order(b.stage) || a.stage.localeCompare(b.stage));
  const longest = (q.data?.items ?? []).slice(0, LONGEST);
  const total = stages.reduce((n, s) => n + s.open, 0);
  return (
    <Card withBorder padding="md" mb="md" component="section" aria-label="Open deals">
      <Text fw={600}>Open deals</Text>
      <Text size="xs" c="dimmed" mb="xs">
        Live, not limited to the period or filters above. Days in stage: whole days since the deal's last stage change.
      </Text>
      {q.error ? <ErrorState error={q.error} what="open deals" /> : null}
      {q.isPending ? <PageLoader /> : null}
      {q.data && stages.length === 0 ? (
        <Text size="sm" c="dimmed">
          No open deals.
        </Text>
      ) : null}
      {stages.length ? (
        <Stack gap="md">
          <Table verticalSpacing="xs" aria-label="Open deals by stage">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Stage</Table.Th>
                <Table.Th ta="right">Open</Table.Th>
                <Table.Th ta="right">Median days</Table.Th>
                <Table.Th ta="right">p75 days</Table.Th>
                <Table.Th ta="right">Max days</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {stages.map((s) => (
                <Table.Tr key={s.stage} data-testid={`open-stage-${s.stage}`}>
                  <Table.Td>{label(s.stage)}</Table.Td>
                  <Table.Td ta="right">{s.open}</Table.Td>
                  <Table.Td ta="right">{s.medianDays}</Table.Td>
                  <Table.Td ta="right">{s.p75Days}</Table.Td>
                  <Table.Td ta="right">{s.maxDays}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <div>
            <Text size="sm" fw={600} mb={4}>
              Waiting longest
            </Text>
            <DataTable<OpenDeal>
              label="Longest-waiting deals"
              rows={longest}
              columns={[
                {
                  key: 'name',
                  header: 'Deal',
                  render: (d) => (
                    <Anchor component={Link} to={`/opportunities/${d.id}`} size="sm">
                      {d.name}
                    </Anchor>
                  ),
                },
                { key: 'stage', header: 'Stage', render: (d) => <StatusBadge value={d.stage} /> },
                { key: 'days', header: 'Days in stage', render: (d) => d.daysInStage },
                { key: 'rep', header: 'Rep', render: (d) => d.repName ?? '' },
                { key: 'amount', header: 'Amount', render: (d) => fmt.money(d.amount) },
              ]}
            />
            {total > LONGEST ? (
              <Text size="xs" c="dimmed" mt="xs">
                The {LONGEST} longest of {total} open deals.
              </Text>
            ) : null}
          </div>
        </Stack>
      ) : null}
    </Card>
  );
}
