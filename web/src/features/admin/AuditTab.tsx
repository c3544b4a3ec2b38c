import { Button, Center, Code, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import type { AuditEntry, Items } from '../../api/types';
import { ErrorState, PageLoader } from '../../components/ErrorState';
import { useFormat } from '../../components/format';

const PAGE = 50;

/** Before and after are shown as JSON text: exact, and never interpreted as markup. */
function Json({ value }: { value: unknown }) {
  if (value == null) return null;
  return (
    <Code block style={{ maxHeight: 160, overflow: 'auto', fontSize: 11, maxWidth: 360 }}>
      {JSON.stringify(value, null, 1)}
    </Code>
  );
}

export function AuditTab() {
  const fmt = useFormat();
  const q = useInfiniteQuery({
    queryKey: ['audit'],
    initialPageParam: null as number | null,
    queryFn: ({ pageParam }) => get<Items<AuditEntry>>('/audit-log', { limit: PAGE, before: pageParam ?? undefined }),
    getNextPageParam: (last) => (last.items.length === PAGE ? last.items[last.items.length - 1].id : null),
  });
  if (q.error) return <ErrorState error={q.error} what="the audit log" />;
  if (q.isPending) return <PageLoader />;
  const rows = q.data.pages.flatMap((p) => p.items);
  return (
    <Stack>
      <Table.ScrollContainer minWidth={900}>
        <Table verticalSpacing="xs" aria-label="Audit log" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Who</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>Record</Table.Th>
              <Table.Th>Before</Table.Th>
              <Table.Th>After</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.dateTime(a.at)}</Table.Td>
                <Table.Td>{a.actorName ?? a.actorType}</Table.Td>
                <Table.Td>
                  <Code>{a.action}</Code>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{a.recordType}</Text>
                  <Text size="xs" c="dimmed">
                    {a.recordId}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Json value={a.before} />
                </Table.Td>
                <Table.Td>
                  <Json value={a.after} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {q.hasNextPage ? (
        <Center>
          <Button variant="default" size="xs" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
            Older entries
          </Button>
        </Center>
      ) : null}
    </Stack>
  );
}
