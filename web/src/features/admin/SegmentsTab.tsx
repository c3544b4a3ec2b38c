import { Alert, Button, Group, NumberInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { get, put } from '../../api/client';
import type { Items, Segment } from '../../api/types';
import { useSession } from '../../app/session';
import { ErrorState, PageLoader } from '../../components/ErrorState';

/** Segment thresholds: a company falls in the first segment whose bounds hold (employees first, then expected ARR). */
export function SegmentsTab() {
  const me = useSession();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['segments'], queryFn: () => get<Items<Segment>>('/segments') });
  const [rows, setRows] = useState<Segment[]>([]);
  useEffect(() => {
    if (q.data) setRows(q.data.items);
  }, [q.data]);
  const save = useMutation({
    mutationFn: () =>
      put<Items<Segment>>(
        '/segments',
        rows.map((r) => ({ ...r, maxArr: r.maxArr?.trim() ? r.maxArr.trim() : null })),
      ),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['segments'] });
      void qc.invalidateQueries({ queryKey: ['me'] });
      notifications.show({ color: 'green', message: 'Segments saved' });
    },
  });
  if (q.error) return <ErrorState error={q.error} what="the segments" />;
  if (q.isPending) return <PageLoader />;
  const set = (i: number, patch: Partial<Segment>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <Stack maw={760}>
      <Text size="sm" c="dimmed">
        A company belongs to the first segment whose maximum it does not exceed. Leave the last segment open-ended.
      </Text>
      <Table verticalSpacing="xs" aria-label="Segments">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Code</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Max employees</Table.Th>
            <Table.Th>Max expected ARR ({me.workspace.currency})</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => (
            <Table.Tr key={r.code}>
              <Table.Td>
                <Text fw={600}>{r.code}</Text>
              </Table.Td>
              <Table.Td>
                <TextInput
                  size="xs"
                  aria-label={`${r.code} name`}
                  value={r.name}
                  onChange={(e) => set(i, { name: e.currentTarget.value })}
                />
              </Table.Td>
              <Table.Td>
                <NumberInput
                  size="xs"
                  aria-label={`${r.code} max employees`}
                  placeholder="no limit"
                  min={1}
                  allowDecimal={false}
                  value={r.maxEmployees ?? ''}
                  onChange={(v) => set(i, { maxEmployees: v === '' ? null : Number(v) })}
                />
              </Table.Td>
              <Table.Td>
                <TextInput
                  size="xs"
                  aria-label={`${r.code} max ARR`}
                  placeholder="no limit"
                  inputMode="decimal"
                  value={r.maxArr ?? ''}
                  onChange={(e) => set(i, { maxArr: e.currentTarget.value })}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {save.error ? (
        <Alert color="red" variant="light" role="alert" title="Not saved">
          {(save.error as Error).message}
        </Alert>
      ) : null}
      <Group>
        <Button onClick={() => save.mutate()} loading={save.isPending}>
          Save segments
        </Button>
        <Button variant="default" onClick={() => q.data && setRows(q.data.items)}>
          Reset
        </Button>
      </Group>
    </Stack>
  );
}
