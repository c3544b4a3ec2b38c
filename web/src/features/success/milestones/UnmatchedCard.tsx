import { Card, Table, Text } from '@mantine/core';
import { QueryState } from '../../../components/ErrorState';
import { useFormat } from '../../../components/format';
import { useUnmatched } from './milestones.api';

/** Events kept for keys that match no account yet: what to create or fix so they count. */
export function UnmatchedCard() {
  const q = useUnmatched(true);
  const f = useFormat();
  return (
    <Card withBorder padding="md" mb="md" component="section" aria-label="Unmatched events">
      <Text fw={600}>Events for unknown accounts</Text>
      <Text size="xs" c="dimmed" mb="xs">
        Kept, and linked to the account (then evaluated) once an account with that id or external id exists.
      </Text>
      <QueryState query={q} what="unmatched events">
        {(data) =>
          data.keys.length ? (
            <>
              <Text size="sm" mb="xs">
                {data.totalEvents.toLocaleString('en-US')} event{data.totalEvents === 1 ? '' : 's'} for{' '}
                {data.totalKeys.toLocaleString('en-US')} unknown key{data.totalKeys === 1 ? '' : 's'}
              </Text>
              <Table verticalSpacing={4} aria-label="Unknown account keys">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Account key</Table.Th>
                    <Table.Th>Events</Table.Th>
                    <Table.Th>First event</Table.Th>
                    <Table.Th>Last event</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.keys.map((k) => (
                    <Table.Tr key={k.key}>
                      <Table.Td>{k.key}</Table.Td>
                      <Table.Td>{k.events.toLocaleString('en-US')}</Table.Td>
                      <Table.Td>{f.dateTime(k.firstAt)}</Table.Td>
                      <Table.Td>{f.dateTime(k.lastAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          ) : (
            <Text size="sm" c="dimmed">
              Every event matches an account.
            </Text>
          )
        }
      </QueryState>
    </Card>
  );
}
