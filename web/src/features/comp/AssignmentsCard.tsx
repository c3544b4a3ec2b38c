import { Button, Card, Group, NumberInput, Select, Table, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useAccess } from '../../app/session';
import { FormError } from '../../components/ErrorState';
import { useUsers } from '../../components/users';
import { useAssignments, useCreateAssignment, useDeleteAssignment } from './comp.api';

/** Who is paid on which plan and level, from when; sales ops add and remove (closed months are refused by the API). */
export function AssignmentsCard({ planKeys }: { planKeys: string[] }) {
  const access = useAccess();
  const assignments = useAssignments();
  const { users } = useUsers();
  const create = useCreateAssignment();
  const remove = useDeleteAssignment();
  const [form, setForm] = useState({ userId: '', planKey: '', level: '' as number | string, from: '' });
  return (
    <Card withBorder>
      <Title order={4} mb="xs">
        Assignments
      </Title>
      <Table aria-label="Assignments" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Person</Table.Th>
            <Table.Th>Plan</Table.Th>
            <Table.Th>Level</Table.Th>
            <Table.Th>From</Table.Th>
            <Table.Th>To</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(assignments.data?.items ?? []).map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>{a.userName}</Table.Td>
              <Table.Td>{a.planKey}</Table.Td>
              <Table.Td>{a.level}</Table.Td>
              <Table.Td>{a.from}</Table.Td>
              <Table.Td>{a.to ?? 'open'}</Table.Td>
              <Table.Td>
                {access.canAdmin ? (
                  <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(a.id)}>
                    Remove
                  </Button>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {access.canAdmin ? (
        <Group mt="sm" align="flex-end">
          <Select
            label="Person"
            searchable
            data={users.map((u) => ({ value: u.id, label: u.name }))}
            value={form.userId || null}
            onChange={(v) => setForm({ ...form, userId: v ?? '' })}
          />
          <Select label="Plan" data={planKeys} value={form.planKey || null} onChange={(v) => setForm({ ...form, planKey: v ?? '' })} />
          <NumberInput label="Level" min={1} max={20} w={90} value={form.level} onChange={(v) => setForm({ ...form, level: v })} />
          <TextInput
            label="From"
            placeholder="YYYY-MM-DD"
            value={form.from}
            onChange={(e) => setForm({ ...form, from: e.currentTarget.value })}
          />
          <Button
            loading={create.isPending}
            disabled={!form.userId || !form.planKey || !form.from}
            onClick={() =>
              create.mutate({
                userId: form.userId,
                planKey: form.planKey,
                from: form.from,
                level: form.level === '' ? undefined : Number(form.level),
              })
            }
          >
            Assign
          </Button>
        </Group>
      ) : null}
      <FormError error={create.error ?? remove.error} />
    </Card>
  );
}
