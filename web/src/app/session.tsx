import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { ApiError, get, post, setCsrfToken } from '../api/client';
import type { Me } from '../api/types';

/** Who is signed in: null when signed out. A 401 from /auth/me is an answer, not an error. */
export function useMeQuery() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<Me | null> => {
      try {
        const me = await get<Me>('/auth/me');
        setCsrfToken(me.csrfToken);
        return me;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 5 * 60_000,
  });
}

export function useSignIn() {
  const qc = useQueryClient();
  return async (input: { email: string; password: string; workspace?: string }) => {
    const r = await post<{ csrfToken: string }>('/auth/login', input);
    setCsrfToken(r.csrfToken);
    qc.clear();
    return qc.fetchQuery({ queryKey: ['me'], queryFn: () => get<Me>('/auth/me') });
  };
}

export function useSignOut() {
  const qc = useQueryClient();
  return async () => {
    try {
      await post('/auth/logout');
    } finally {
      setCsrfToken(null);
      qc.clear();
      qc.setQueryData(['me'], null);
    }
  };
}

const SessionContext = createContext<Me | null>(null);
export const SessionProvider = SessionContext.Provider;

/** The signed-in session inside the app shell (the shell renders nothing else while signed out). */
export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useSession outside the signed-in shell');
  return me;
}

const ALL_SCOPE_ROLES = ['admin', 'sales_ops'];
const READ_ALL_ROLES = ['admin', 'sales_ops', 'sales_engineer', 'support', 'enablement'];

/** Mirrors the server's data scope, to show or grey out what the API would refuse anyway. */
export function useAccess() {
  const me = useSession();
  const userId = me.user?.id ?? null;
  const writeAll = me.roles.some((r) => ALL_SCOPE_ROLES.includes(r));
  const readAll = me.roles.some((r) => READ_ALL_ROLES.includes(r));
  const isManager = me.roles.includes('manager');
  return {
    userId,
    readAll,
    writeAll,
    isManager,
    canAdmin: writeAll,
    /** May the caller edit a record owned by these users? */
    canWrite: (...ownerIds: (string | null | undefined)[]) =>
      writeAll || ownerIds.some((id) => id != null && (id === userId || me.managedUserIds.includes(id))),
  };
}
