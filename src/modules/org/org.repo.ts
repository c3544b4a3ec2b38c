import type { Db } from '../../db/client.js';
import type { Role, SegmentCode, SegmentThreshold } from './org.core.js';

export type Workspace = {
  id: string;
  name: string;
  slug: string;
  timezone: string;
  currency: string;
  opportunityStages: string[];
  isDemo: boolean;
  createdAt: Date;
};

const WORKSPACE_COLS = `id, name, slug, timezone, currency, opportunity_stages as "opportunityStages", is_demo as "isDemo", created_at as "createdAt"`;

export async function findWorkspace(db: Db, id: string): Promise<Workspace | null> {
  const [w] = await db.query<Workspace>(`select ${WORKSPACE_COLS} from workspaces where id = $1`, [id]);
  return w ?? null;
}

export async function findWorkspaceBySlug(db: Db, slug: string): Promise<Workspace | null> {
  const [w] = await db.query<Workspace>(`select ${WORKSPACE_COLS} from workspaces where slug = $1`, [slug]);
  return w ?? null;
}

export async function listWorkspaces(db: Db): Promise<Workspace[]> {
  return db.query<Workspace>(`select ${WORKSPACE_COLS} from workspaces order by created_at`);
}

export async function insertWorkspace(
  tx: Db,
  w: { name: string; slug: string; timezone: string; currency: string; isDemo?: boolean },
): Promise<Workspace> {
  const [row] = await tx.query<Workspace>(
    `insert into workspaces (name, slug, timezone, currency, is_demo) values ($1, $2, $3, $4, $5) returning ${WORKSPACE_COLS}`,
    [w.name, w.slug, w.timezone, w.currency, w.isDemo ?? false],
  );
  return row;
}

export async function updateWorkspace(
  tx: Db,
  id: string,
  patch: Partial<Pick<Workspace, 'name' | 'timezone' | 'currency' | 'opportunityStages'>>,
): Promise<Workspace> {
  const [row] = await tx.query<Workspace>(
    `update workspaces set name = coalesce($2, name), timezone = coalesce($3, timezone), currency = coalesce($4, currency),
            opportunity_stages = coalesce($5, opportunity_stages)
      where id = $1 returning ${WORKSPACE_COLS}`,
    [id, patch.name ?? null, patch.timezone ?? null, patch.currency ?? null, patch.opportunityStages ?? null],
  );
  return row;
}

export async function getSegments(db: Db, workspaceId: string): Promise<SegmentThreshold[]> {
  return db.query<SegmentThreshold>(
    `select code, name, max_employees as "maxEmployees", max_arr as "maxArr" from segments where workspace_id = $1 order by position`,
    [workspaceId],
  );
}

export async function replaceSegments(tx: Db, workspaceId: string, list: SegmentThreshold[]) {
  await tx.query('delete from segments where workspace_id = $1', [workspaceId]);
  for (const [i, s] of list.entries())
    await tx.query('insert into segments (workspace_id, code, name, max_employees, max_arr, position) values ($1, $2, $3, $4, $5, $6)', [
      workspaceId,
      s.code,
      s.name,
      s.maxEmployees,
      s.maxArr,
      i,
    ]);
}

export type User = {
  id: string;
  workspaceId: string;
  email: string;
  name: string;
  roles: Role[];
  teamId: string | null;
  segments: SegmentCode[];
  hireDate: string | null;
  level: number;
  capacity: number;
  outOfOfficeUntil: Date | null;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
};

export const USER_COLS = `id, workspace_id as "workspaceId", email, name, roles, team_id as "teamId", segments,
  hire_date as "hireDate", level, capacity, out_of_office_until as "outOfOfficeUntil", active,
  created_at as "createdAt", updated_at as "updatedAt"`;

const USER_FIELDS: Record<string, string> = {
  email: 'email',
  name: 'name',
  roles: 'roles',
  teamId: 'team_id',
  segments: 'segments',
  hireDate: 'hire_date',
  level: 'level',
  capacity: 'capacity',
  outOfOfficeUntil: 'out_of_office_until',
  active: 'active',
};

export async function listUsers(db: Db, workspaceId: string, filter: { role?: Role; teamId?: string } = {}): Promise<User[]> {
  return db.query<User>(
    `select ${USER_COLS} from users where workspace_id = $1 and ($2::text is null or $2 = any(roles))
       and ($3::uuid is null or team_id = $3) order by name`,
    [workspaceId, filter.role ?? null, filter.teamId ?? null],
  );
}

export async function findUser(db: Db, workspaceId: string, id: string): Promise<User | null> {
  const [u] = await db.query<User>(`select ${USER_COLS} from users where workspace_id = $1 and id = $2`, [workspaceId, id]);
  return u ?? null;
}

export async function insertUser(
  tx: Db,
  workspaceId: string,
  u: Partial<Omit<User, 'id' | 'workspaceId'>> & { email: string; name: string; roles: Role[]; passwordHash?: string | null },
): Promise<User> {
  const entries = Object.entries(u).filter(([k, v]) => v !== undefined && k in USER_FIELDS);
  const cols = ['workspace_id', 'password_hash', ...entries.map(([k]) => USER_FIELDS[k])];
  const vals = [workspaceId, u.passwordHash ?? null, ...entries.map(([, v]) => v)];
  const [row] = await tx.query<User>(
    `insert into users (${cols.join(', ')}) values (${vals.map((_, i) => `$${i + 1}`).join(', ')}) returning ${USER_COLS}`,
    vals,
  );
  return row;
}

export async function updateUser(tx: Db, workspaceId: string, id: string, patch: Record<string, unknown>): Promise<User> {
  const entries = Object.entries(patch).filter(([k, v]) => v !== undefined && k in USER_FIELDS);
  const sets = entries.map(([k], i) => `${USER_FIELDS[k]} = $${i + 3}`);
  sets.push('updated_at = now()');
  const [row] = await tx.query<User>(`update users set ${sets.join(', ')} where workspace_id = $1 and id = $2 returning ${USER_COLS}`, [
    workspaceId,
    id,
    ...entries.map(([, v]) => v),
  ]);
  return row;
}

export async function setPassword(tx: Db, workspaceId: string, id: string, passwordHash: string, keepSessionId?: string | null) {
  await tx.query('update users set password_hash = $3, updated_at = now() where workspace_id = $1 and id = $2', [
    workspaceId,
    id,
    passwordHash,
  ]);
  // A new password ends every other session of that user (a user changing their own keeps the one they are using).
  await tx.query('delete from sessions where user_id = $1 and ($2::text is null or id <> $2)', [id, keepSessionId ?? null]);
}

export type Team = { id: string; workspaceId: string; name: string; managerId: string | null; memberCount: number };

export async function listTeams(db: Db, workspaceId: string): Promise<Team[]> {
  return db.query<Team>(
    `select t.id, t.workspace_id as "workspaceId", t.name, t.manager_id as "managerId",
            (select count(*)::int from users u where u.team_id = t.id) as "memberCount"
       from teams t where t.workspace_id = $1 order by t.name`,
    [workspaceId],
  );
}

export async function findTeam(db: Db, workspaceId: string, id: string): Promise<Team | null> {
  const [t] = (await listTeams(db, workspaceId)).filter((x) => x.id === id);
  return t ?? null;
}

export async function insertTeam(tx: Db, workspaceId: string, t: { name: string; managerId?: string | null }) {
  const [row] = await tx.query<{ id: string }>('insert into teams (workspace_id, name, manager_id) values ($1, $2, $3) returning id', [
    workspaceId,
    t.name,
    t.managerId ?? null,
  ]);
  return row.id;
}

export async function updateTeam(tx: Db, workspaceId: string, id: string, t: { name?: string; managerId?: string | null }) {
  await tx.query(
    `update teams set name = coalesce($3, name), manager_id = case when $4 then $5::uuid else manager_id end
      where workspace_id = $1 and id = $2`,
    [workspaceId, id, t.name ?? null, t.managerId !== undefined, t.managerId ?? null],
  );
}

export async function insertApiKey(
  tx: Db,
  k: { workspaceId: string; name: string; prefix: string; keyHash: string; permissions: string[]; createdBy: string | null },
) {
  const [row] = await tx.query<{ id: string; createdAt: Date }>(
    `insert into api_keys (workspace_id, name, prefix, key_hash, permissions, created_by) values ($1, $2, $3, $4, $5, $6)
     returning id, created_at as "createdAt"`,
    [k.workspaceId, k.name, k.prefix, k.keyHash, k.permissions, k.createdBy],
  );
  return row;
}

export async function listApiKeys(db: Db, workspaceId: string) {
  return db.query(
    `select id, name, prefix, permissions, created_by as "createdBy", created_at as "createdAt",
            last_used_at as "lastUsedAt", revoked_at as "revokedAt"
       from api_keys where workspace_id = $1 order by created_at desc`,
    [workspaceId],
  );
}

export async function revokeApiKey(tx: Db, workspaceId: string, id: string): Promise<boolean> {
  const rows = await tx.query(
    'update api_keys set revoked_at = now() where workspace_id = $1 and id = $2 and revoked_at is null returning id',
    [workspaceId, id],
  );
  return rows.length > 0;
}
