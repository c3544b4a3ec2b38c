import { Badge, Card, Table, Text } from '@mantine/core';
import type { CapacityPlan } from './quotas.api';

const who = (h: { role: string; segment?: string }) => (h.role === 'ae' ? `AE ${h.segment ?? ''}`.trim() : h.role.toUpperCase());

/** The hiring dates: each month someone must be hired, in hiring order (SDRs and CSMs before AEs), and the SDR:AE ratio. */
export function HiresTable({ plan }: { plan: CapacityPlan }) {
  const rows = plan.months.filter((m) => m.hires.some((h) => h.count > 0));
  return (
    <Card withBorder padding="md" component="section" aria-label="Hires by month">
      <Text fw={600} mb="xs">
        Hires by month
      </Text>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          The current team covers the plan: no hires needed.
        </Text>
      ) : (
        <Table aria-label="Hires by month" data-testid="hires-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Hire in</Table.Th>
              <Table.Th>Who</Table.Th>
              <Table.Th ta="right">AEs</Table.Th>
              <Table.Th ta="right">SDRs</Table.Th>
              <Table.Th ta="right">CSMs</Table.Th>
              <Table.Th ta="right">SDR:AE</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((m) => (
              <Table.Tr key={m.month}>
                <Table.Td>
                  {m.month}{' '}
                  {m.inPlan ? null : (
                    <Badge size="xs" color="orange" variant="light">
                      before start
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {m.hires
                    .filter((h) => h.count > 0)
                    .map((h) => `${h.count} ${who(h)}`)
                    .join(', ')}
                </Table.Td>
                <Table.Td ta="right">{m.aes.headcount.toFixed(1)}</Table.Td>
                <Table.Td ta="right">{m.sdrs.headcount.toFixed(1)}</Table.Td>
                <Table.Td ta="right">{m.csms.headcount.toFixed(1)}</Table.Td>
                <Table.Td ta="right">{m.sdrToAe == null ? '—' : m.sdrToAe.toFixed(2)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
