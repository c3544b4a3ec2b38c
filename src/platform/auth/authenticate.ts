import type { Db } from '../../db/client.js';
import { permissionsForRoles, type Role } from '../../modules/org/org.core.js';
import { AppError } from '../errors.js';
import type { Permission, Principal } from './principal.js';
import { parseApiKey, safeEqual, sha256 } from './secrets.js';

export const SESSION_COOKIE = 'revline_session';
export const CSRF_COOKIE = 'revline_csrf';

type UserRow = {
  id: string;
  workspace_id: string;
  name: string;
  roles: Role[];
  managed_user_ids: string[];
  csrf_token: string;
};

// One round trip: the session, its user and the members of the teams that user manages.
const SESSION_SQL = `
  select u.id, u.workspace_id, u.name, u.roles, s.csrf_token,
         coalesce((select array_agg(m.id) from users m join teams t on t.id = m.team_id
                   where t.manager_id = u.id and t.workspace_id = u.workspace_id), '{}') as managed_user_ids
    from sessions s join users u on u.id = s.user_id
   where s.id = $1 and s.expires_at > $2 and u.active`;

/** `now` is the app's clock, the same one that set the session's expiry at login. */
export async function principalFromSession(db: Db, token: string, now: Date = new Date()): Promise<Principal | null> {
  const sessionId = sha256(token);
  const [row] = await db.query<UserRow>(SESSION_SQL, [sessionId, now]);
  if (!row) return null;
  return {
    kind: 'user',
    workspaceId: row.workspace_id,
    userId: row.id,
    apiKeyId: null,
    name: row.name,
    roles: row.roles,
    permissions: permissionsForRoles(row.roles),
    managedUserIds: row.managed_user_ids ?? [],
    csrfToken: row.csrf_token,
    sessionId,
  };
}

export async function principalFromApiKey(db: Db, key: string): Promise<Principal | null> {
  const parsed = parseApiKey(key);
  if (!parsed) return null;
  const [row] = await db.query<{ id: string; workspace_id: string; name: string; key_hash: string; permissions: Permission[] }>(
    'select id, workspace_id, name, key_hash, permissions from api_keys where prefix = $1 and revoked_at is null',
    [parsed.prefix],
  );
  if (!row || !safeEqual(row.key_hash, sha256(key))) return null;
  // Best effort: losing a last-used timestamp is harmless, so it never blocks the request.
  db.query('update api_keys set last_used_at = now() where id = $1', [row.id]).catch(() => {});
  return {
    kind: 'api_key',
    workspaceId: row.workspace_id,
    userId: null,
    apiKeyId: row.id,
    name: `API key ${row.name}`,
    roles: [],
    permissions: row.permissions,
    managedUserIds: [],
    csrfToken: null,
  };
}

/** Cookie sessions must prove the write came from our own pages; API keys are not sent by browsers automatically. */
export function checkCsrf(p: Principal, headerToken: string | undefined) {
  if (p.kind !== 'user' || !p.csrfToken) return;
  if (!headerToken || !safeEqual(headerToken, p.csrfToken))
    throw new AppError('csrf_failed', 'Missing or invalid CSRF token: send the x-csrf-token header given at login');
}

export function requirePermission(p: Principal, permission: Permission) {
  if (!p.permissions.includes(permission)) throw new AppError('forbidden', `This needs the ${permission} permission`, { permission });
}
