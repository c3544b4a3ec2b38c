import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { get } from '../api/client';
import type { Items, Team, User } from '../api/types';

/** Everyone in the workspace (for owner names and pickers); changes rarely, so cached for minutes. */
export function useUsers() {
  const q = useQuery({ queryKey: ['users'], queryFn: () => get<Items<User>>('/users'), staleTime: 5 * 60_000 });
  const byId = useMemo(() => new Map((q.data?.items ?? []).map((u) => [u.id, u])), [q.data]);
  return { users: q.data?.items ?? [], byId, name: (id: string | null | undefined) => (id ? (byId.get(id)?.name ?? '…') : ''), query: q };
}

export function useTeams() {
  return useQuery({ queryKey: ['teams'], queryFn: () => get<Items<Team>>('/teams'), staleTime: 5 * 60_000 });
}

const CLOSER_ROLES = ['ae', 'realtime_ae', 'esb_ae'];

/** Select options for people, optionally only those holding one of some roles. */
export function userOptions(users: User[], roles?: string[]) {
  return users.filter((u) => u.active && (!roles || u.roles.some((r) => roles.includes(r)))).map((u) => ({ value: u.id, label: u.name }));
}

export const closerOptions = (users: User[]) => userOptions(users, CLOSER_ROLES);

/** Whom the caller may give a record to: anyone (admin, ops), their managed teams, their own team, themselves. */
export function assignableOwners(users: User[], me: { user: User | null; managedUserIds: string[] }, writeAll: boolean) {
  const myTeam = me.user?.teamId ?? null;
  return userOptions(
    users.filter((u) => writeAll || u.id === me.user?.id || me.managedUserIds.includes(u.id) || (myTeam != null && u.teamId === myTeam)),
  );
}
