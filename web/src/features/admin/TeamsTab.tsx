import { Button, Card, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { patch, post } from '../../api/client';
import type { Team } from '../../api/types';
import { ErrorState, FormError, PageLoader } from '../../components/ErrorState';
import { errorsOf } from '../../components/forms';
import { userOptions, useTeams, useUsers } from '../../components/users';

/** The options plus the current value, so a manager without the manager role still shows. */
const withCurrent = (opts: { value: string; label: string }[], id: string | null, name: (id: string) => string) =>
  id && !opts.some((o) => o.value === id) ? [{ value: id, label: name(id) }, ...opts] : opts;

export function TeamsTab() {
  const teams = useTeams();
  const { users, name: userName } = useUsers();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [managerId, setManagerId] = useState<string | null>(null);
  const managers = userOptions(users, ['manager', 'admin', 'sales_ops']);
  const create = useMutation({
    mutationFn: () => post<Team>('/teams', { name: name.trim(), managerId }),
    onSuccess: () => {
      setName('');
      setManagerId(null);
      void qc.invalidateQueries({ queryKey: ['teams'] });
    },
  });
  const setManager = useMutation({
    mutationFn: (v: { id: string; managerId: string | null }) => patch<Team>(`/teams/${v.id}`, { managerId: v.managerId }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['teams'] });
      notifications.show({ color: 'green', message: 'Manager updated' });
    },
    onError: (e) => notifications.show({ color: 'red', message: (e as Error).message }),
  });
  const { fields, message } = errorsOf(create.error);

  return (
    <Stack>
      <Card withBorder>
        <Title order={5} mb="xs">
          New team
        </Title>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <Group align="flex-end">
            <TextInput
              label="Team name"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fields.name}
              maxLength={200}
              w={260}
            />
            <Select
              label="Manager"
              placeholder="None yet"
              data={managers}
              value={managerId}
              onChange={setManagerId}
              error={fields.managerId}
              clearable
              searchable
              w={240}
            />
            <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
              Create team
            </Button>
          </Group>
          <FormError error={Object.keys(fields).length ? null : message} />
        </form>
      </Card>
      {teams.error ? <ErrorState error={teams.error} what="the teams" /> : null}
      {teams.isPending ? <PageLoader /> : null}
      {teams.data ? (
        <Table verticalSpacing="xs" aria-label="Teams">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Team</Table.Th>
              <Table.Th>Manager</Table.Th>
              <Table.Th>Members</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {teams.data.items.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {t.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Select
                    size="xs"
                    aria-label={`Manager of ${t.name}`}
                    placeholder="None"
                    data={withCurrent(managers, t.managerId, userName)}
                    value={t.managerId}
                    onChange={(v) => setManager.mutate({ id: t.id, managerId: v })}
                    clearable
                    searchable
                    w={240}
                  />
                </Table.Td>
                <Table.Td>{t.memberCount}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}
