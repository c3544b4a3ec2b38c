import type { Role } from '../../modules/org/org.core.js';

export const PERMISSIONS = [
  'crm:read',
  'crm:write',
  'org:read',
  'org:write',
  'audit:read',
  'apikeys:manage',
  'import',
  'events:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Who is calling: a signed-in user (session cookie) or an API key. Built once per request. */
export type Principal = {
  kind: 'user' | 'api_key' | 'system';
  workspaceId: string;
  /** The user; for an API key, null (its actions are audited under the key id). */
  userId: string | null;
  apiKeyId: string | null;
  name: string;
  roles: Role[];
  permissions: Permission[];
  /** Users in teams this user manages (empty unless a manager). */
  managedUserIds: string[];
  /** Present for cookie sessions: writes must echo it in the x-csrf-token header. */
  csrfToken: string | null;
  /** The session this request came with (cookie sessions only), so a password change can keep it and end the others. */
  sessionId?: string | null;
};

export function actorOf(p: Principal): { actorType: 'user' | 'api_key' | 'system'; actorId: string | null } {
  if (p.kind === 'user') return { actorType: 'user', actorId: p.userId };
  if (p.kind === 'api_key') return { actorType: 'api_key', actorId: p.apiKeyId };
  return { actorType: 'system', actorId: null };
}

/** The CLI, jobs and the demo act as the system: every permission, the whole workspace, audited as 'system'. */
export function systemPrincipal(workspaceId: string): Principal {
  return {
    kind: 'system',
    workspaceId,
    userId: null,
    apiKeyId: null,
    name: 'system',
    roles: [],
    permissions: [...PERMISSIONS],
    managedUserIds: [],
    csrfToken: null,
  };
}
