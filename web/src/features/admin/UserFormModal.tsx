import { Button, Group, Modal, MultiSelect, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { patch, post } from '../../api/client';
import { options, ROLES, SEGMENTS } from '../../api/domain';
import type { User } from '../../api/types';
import { useSession } from '../../app/session';
import { FormError } from '../../components/ErrorState';
import { errorsOf } from '../../components/forms';
import { useTeams } from '../../components/users';

type Draft = {
  email: string;
  name: string;
  password: string;
  roles: string[];
  teamId: string | null;
  segments: string[];
  capacity: number | string;
  level: number | string;
  hireDate: string;
  outOfOfficeUntil: string;
  active: boolean;
};

const blank: Draft = {
  email: '',
  name: '',
  password: '',
  roles: [],
  teamId: null,
  segments: [],
  capacity: 100,
  level: 1,
  hireDate: '',
  outOfOfficeUntil: '',
  active: true,
};

const draftOf = (u: User): Draft => ({
  email: u.email,
  name: u.name,
  password: '',
  roles: u.roles,
  teamId: u.teamId,
  segments: u.segments,
  capacity: u.capacity,
  level: u.level,
  hireDate: u.hireDate ?? '',
  outOfOfficeUntil: u.outOfOfficeUntil ? u.outOfOfficeUntil.slice(0, 10) : '',
  active: u.active,
});

/** Add a person (user = null) or edit one. Out of office is a day: away until the end of that day (UTC). */
export function UserFormModal({ opened, user, onClose }: { opened: boolean; user: User | null; onClose: () => void }) {
  const me = useSession();
  const teams = useTeams();
  const qc = useQueryClient();
  const [d, setD] = useState<Draft>(blank);
  useEffect(() => {
    if (opened) setD(user ? draftOf(user) : blank);
  }, [opened, user]);

  const save = useMutation({
    mutationFn: () => {
      const body: Record<string, unknown> = {
        name: d.name.trim(),
        roles: d.roles,
        teamId: d.teamId,
        segments: d.segments,
        capacity: Number(d.capacity),
        level: Number(d.level),
        hireDate: d.hireDate || null,
        outOfOfficeUntil: d.outOfOfficeUntil ? `${d.outOfOfficeUntil}T23:59:59Z` : null,
      };
      if (d.password) body.password = d.password;
      if (user) return patch<User>(`/users/${user.id}`, { ...body, active: d.active });
      return post<User>('/users', { ...body, email: d.email.trim() });
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['users'] });
      void qc.invalidateQueries({ queryKey: ['teams'] });
      onClose();
    },
  });
  const { fields, message } = errorsOf(save.error);
  // Only an admin may grant admin: sales ops do not get the option.
  const roleOptions = options(ROLES.filter((r) => r !== 'admin' || me.roles.includes('admin')));

  return (
    <Modal opened={opened} onClose={onClose} title={user ? `Edit ${user.name}` : 'Add a person'} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
        noValidate
      >
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label="Name"
              required
              value={d.name}
              onChange={(e) => setD({ ...d, name: e.currentTarget.value })}
              error={fields.name}
              maxLength={200}
            />
            <TextInput
              label="Email"
              required
              type="email"
              value={d.email}
              onChange={(e) => setD({ ...d, email: e.currentTarget.value })}
              error={fields.email}
              disabled={!!user}
            />
            <MultiSelect
              label="Roles"
              required
              data={roleOptions}
              value={d.roles}
              onChange={(v) => setD({ ...d, roles: v })}
              error={fields.roles}
              searchable
            />
            <Select
              label="Team"
              placeholder="No team"
              data={(teams.data?.items ?? []).map((t) => ({ value: t.id, label: t.name }))}
              value={d.teamId}
              onChange={(v) => setD({ ...d, teamId: v })}
              error={fields.teamId}
              clearable
            />
            <MultiSelect
              label="Segments"
              data={[...SEGMENTS]}
              value={d.segments}
              onChange={(v) => setD({ ...d, segments: v })}
              error={fields.segments}
            />
            <NumberInput
              label="Capacity"
              description="Leads or accounts at once"
              min={0}
              max={100000}
              value={d.capacity}
              onChange={(v) => setD({ ...d, capacity: v })}
              error={fields.capacity}
            />
            <NumberInput label="Level" min={1} max={10} value={d.level} onChange={(v) => setD({ ...d, level: v })} error={fields.level} />
            <TextInput
              label="Hire date"
              type="date"
              value={d.hireDate}
              onChange={(e) => setD({ ...d, hireDate: e.currentTarget.value })}
              error={fields.hireDate}
            />
            <TextInput
              label="Out of office until"
              type="date"
              value={d.outOfOfficeUntil}
              onChange={(e) => setD({ ...d, outOfOfficeUntil: e.currentTarget.value })}
              error={fields.outOfOfficeUntil}
            />
            <PasswordInput
              label={user ? 'New password' : 'Password'}
              description={user ? 'Leave empty to keep it' : 'At least 10 characters; leave empty to set it later'}
              value={d.password}
              onChange={(e) => setD({ ...d, password: e.currentTarget.value })}
              error={fields.password}
              autoComplete="new-password"
            />
          </SimpleGrid>
          {user ? (
            <Switch label="Active (can sign in)" checked={d.active} onChange={(e) => setD({ ...d, active: e.currentTarget.checked })} />
          ) : null}
          <FormError error={Object.keys(fields).length ? null : message} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {user ? 'Save' : 'Add person'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
