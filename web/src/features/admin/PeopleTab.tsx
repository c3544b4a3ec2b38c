import { Badge, Button, Group, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { User } from '../../api/types';
import { RoleBadges } from '../../components/badges';
import { DataTable } from '../../components/DataTable';
import { useFormat } from '../../components/format';
import { useTeams, useUsers } from '../../components/users';
import { UserFormModal } from './UserFormModal';

export function PeopleTab() {
  const fmt = useFormat();
  const { users, query } = useUsers();
  const teams = useTeams();
  const teamName = (id: string | null) => teams.data?.items.find((t) => t.id === id)?.name ?? '';
  const [editing, setEditing] = useState<User | null>(null);
  const [adding, setAdding] = useState(false);
  const [filter, setFilter] = useState('');
  const f = filter.trim().toLowerCase();
  const shown = f ? users.filter((u) => u.name.toLowerCase().includes(f) || u.email.toLowerCase().includes(f)) : users;
  const now = new Date().toISOString();

  return (
    <>
      <Group justify="space-between" mb="sm">
        <TextInput
          size="xs"
          placeholder="Filter by name or email"
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          w={260}
          aria-label="Filter people"
        />
        <Button onClick={() => setAdding(true)}>Add person</Button>
      </Group>
      <DataTable
        label="People"
        rows={shown}
        loading={query.isPending}
        error={query.error}
        onRowClick={setEditing}
        columns={[
          {
            key: 'name',
            header: 'Name',
            render: (u) => (
              <Group gap={6}>
                <Text size="sm" fw={500}>
                  {u.name}
                </Text>
                {!u.active ? (
                  <Badge size="xs" color="gray">
                    inactive
                  </Badge>
                ) : null}
                {u.outOfOfficeUntil && u.outOfOfficeUntil > now ? (
                  <Badge size="xs" color="orange" variant="light">
                    away until {fmt.date(u.outOfOfficeUntil)}
                  </Badge>
                ) : null}
              </Group>
            ),
          },
          { key: 'email', header: 'Email', render: (u) => u.email },
          { key: 'roles', header: 'Roles', render: (u) => <RoleBadges roles={u.roles} /> },
          { key: 'team', header: 'Team', render: (u) => teamName(u.teamId) },
          { key: 'segments', header: 'Segments', render: (u) => u.segments.join(', ') },
          { key: 'capacity', header: 'Capacity', render: (u) => u.capacity },
          { key: 'level', header: 'Level', render: (u) => u.level },
          { key: 'hired', header: 'Hired', render: (u) => fmt.day(u.hireDate) },
        ]}
      />
      <UserFormModal
        opened={adding || editing != null}
        user={editing}
        onClose={() => {
          setAdding(false);
          setEditing(null);
        }}
      />
    </>
  );
}
