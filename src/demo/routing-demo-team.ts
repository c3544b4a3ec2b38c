import type { Db } from '../db/client.js';
import { permissionsForRoles, type Role } from '../modules/org/org.core.js';
import type { Principal } from '../platform/auth/principal.js';

/** A demo user as the routing demo needs them: who they are, what they sell, and how they act (their principal). */
export type Member = {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  segments: string[];
  capacity: number;
  outOfOfficeUntil: Date | null;
  as: Principal;
};

export type Team = {
  members: Member[];
  byId: Map<string, Member>;
  /** Sales ops (or an admin when there is none): configures routing and imports the week's leads. */
  ops: Member;
  has: (m: Member, role: Role) => boolean;
  withRole: (role: Role) => Member[];
};

/**
 * The workspace's active users with the principal each would get at sign-in (same permissions and managed
 * team as authenticate.ts builds), so the demo acts through the services exactly as they would.
 * Ordered by email, not id: the content must not depend on the workspace's ids.
 */
export async function loadTeam(db: Db, workspaceId: string): Promise<Team> {
  const rows = await db.query<Omit<Member, 'as'> & { managed: string[] }>(
    `select u.id, u.email, u.name, u.roles, u.segments, u.capacity, u.out_of_office_until as "outOfOfficeUntil",
            coalesce((select array_agg(m.id order by m.email) from users m join teams t on t.id = m.team_id
                       where t.manager_id = u.id and t.workspace_id = u.workspace_id), '{}') as managed
       from users u where u.workspace_id = $1 and u.active order by u.email`,
    [workspaceId],
  );
  const members: Member[] = rows.map(({ managed, ...u }) => ({
    ...u,
    as: {
      kind: 'user',
      workspaceId,
      userId: u.id,
      apiKeyId: null,
      name: u.name,
      roles: u.roles,
      permissions: permissionsForRoles(u.roles),
      managedUserIds: managed ?? [],
      csrfToken: null,
    },
  }));
  const has = (m: Member, role: Role) => m.roles.includes(role);
  const withRole = (role: Role) => members.filter((m) => has(m, role));
  const ops = withRole('sales_ops')[0] ?? withRole('admin')[0];
  if (!ops) throw new Error('routing demo: the workspace needs a sales ops user or an admin');
  return { members, byId: new Map(members.map((m) => [m.id, m])), ops, has, withRole };
}

export const isSdr = (m: Member) => m.roles.includes('sdr_inbound') || m.roles.includes('sdr_outbound');
