import type { Db } from '../../db/client.js';
import { audit, diff } from '../../platform/audit.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Permission, Principal } from '../../platform/auth/principal.js';
import { hashPassword, newApiKey } from '../../platform/auth/secrets.js';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { validateStages } from '../crm/crm.core.js';
import { DEFAULT_SEGMENTS, type Role, type SegmentThreshold, validateThresholds } from './org.core.js';
import * as repo from './org.repo.js';

/** A new workspace with default segments; the first admin comes with it when given. */
export async function createWorkspace(db: Db, input: { name: string; slug: string; timezone: string; currency: string; isDemo?: boolean }) {
  return db.transaction(async (tx) => {
    if (await repo.findWorkspaceBySlug(tx, input.slug)) throw conflict(`A workspace with slug ${input.slug} already exists`);
    const w = await repo.insertWorkspace(tx, input);
    await repo.replaceSegments(tx, w.id, DEFAULT_SEGMENTS);
    await audit(tx, 'system', { workspaceId: w.id, action: 'workspace.create', recordType: 'workspace', recordId: w.id, after: w });
    return w;
  });
}

export async function getWorkspace(db: Db, p: Principal) {
  requirePermission(p, 'org:read');
  const w = await repo.findWorkspace(db, p.workspaceId);
  if (!w) throw notFound('Workspace');
  return { ...w, segments: await repo.getSegments(db, p.workspaceId) };
}

export async function updateWorkspace(
  db: Db,
  p: Principal,
  patch: { name?: string; timezone?: string; currency?: string; opportunityStages?: string[] },
) {
  requirePermission(p, 'org:write');
  if (patch.opportunityStages) {
    const problem = validateStages(patch.opportunityStages);
    if (problem) throw invalid('opportunityStages', problem);
  }
  return db.transaction(async (tx) => {
    const before = await repo.findWorkspace(tx, p.workspaceId);
    if (!before) throw notFound('Workspace');
    if (patch.opportunityStages) {
      const used = await tx.query<{ stage: string }>(
        'select distinct stage from opportunities where workspace_id = $1 and not (stage = any($2))',
        [p.workspaceId, patch.opportunityStages],
      );
      if (used.length) throw invalid('opportunityStages', `stages still used by opportunities: ${used.map((u) => u.stage).join(', ')}`);
    }
    const after = await repo.updateWorkspace(tx, p.workspaceId, patch);
    const d = diff(before, after);
    await audit(tx, p, { workspaceId: p.workspaceId, action: 'workspace.update', recordType: 'workspace', recordId: p.workspaceId, ...d });
    return after;
  });
}

export async function setSegments(db: Db, p: Principal, list: SegmentThreshold[]) {
  requirePermission(p, 'org:write');
  const problem = validateThresholds(list);
  if (problem) throw invalid('segments', problem);
  return db.transaction(async (tx) => {
    const before = await repo.getSegments(tx, p.workspaceId);
    await repo.replaceSegments(tx, p.workspaceId, list);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'segments.update',
      recordType: 'segments',
      recordId: null,
      before,
      after: list,
    });
    return list;
  });
}

type UserInput = {
  email: string;
  name: string;
  roles: Role[];
  password?: string;
  teamId?: string | null;
  segments?: ('ESB' | 'SMB' | 'MME')[];
  hireDate?: string | null;
  level?: number;
  capacity?: number;
  outOfOfficeUntil?: string | null;
};

/** Team names are unique per workspace; say so by name rather than as a constraint violation. */
async function checkTeamName(db: Db, workspaceId: string, name: string | undefined, exceptId?: string) {
  if (name && (await repo.listTeams(db, workspaceId)).some((t) => t.name === name && t.id !== exceptId))
    throw conflict(`A team named ${name} already exists`, { field: 'name' });
}

async function checkTeam(db: Db, workspaceId: string, teamId: string | null | undefined) {
  if (teamId && !(await repo.findTeam(db, workspaceId, teamId))) throw invalid('teamId', 'no team with this id in this workspace');
}

/** Only admins grant admin: sales ops manage people but cannot raise anyone (or themselves) to admin. */
function checkRoleGrant(p: Principal, roles: Role[] | undefined) {
  if (roles?.includes('admin') && !(p.kind === 'user' && p.roles.includes('admin')))
    throw forbidden('Only an admin can grant the admin role');
}

export async function createUser(db: Db, p: Principal | 'system', workspaceId: string, input: UserInput) {
  if (p !== 'system') {
    requirePermission(p, 'org:write');
    checkRoleGrant(p, input.roles);
  }
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return db.transaction(async (tx) => {
    await checkTeam(tx, workspaceId, input.teamId);
    const existing = await tx.query('select 1 from users where workspace_id = $1 and lower(email) = lower($2)', [workspaceId, input.email]);
    if (existing.length) throw conflict(`A user with email ${input.email} already exists in this workspace`, { field: 'email' });
    const { password: _pw, ...fields } = input;
    const user = await repo.insertUser(tx, workspaceId, { ...fields, email: input.email.toLowerCase(), passwordHash } as never);
    await audit(tx, p, { workspaceId, action: 'user.create', recordType: 'user', recordId: user.id, after: user });
    return user;
  });
}

export async function updateUser(db: Db, p: Principal, id: string, patch: Partial<UserInput> & { active?: boolean }) {
  const self = p.userId === id;
  // Anyone may change their own name, password and out-of-office; everything else is an org change.
  const selfServiceOnly = Object.keys(patch).every((k) => ['name', 'password', 'outOfOfficeUntil'].includes(k));
  if (!(self && selfServiceOnly)) requirePermission(p, 'org:write');
  checkRoleGrant(p, patch.roles);
  const passwordHash = patch.password ? await hashPassword(patch.password) : null;
  return db.transaction(async (tx) => {
    const before = await repo.findUser(tx, p.workspaceId, id);
    if (!before) throw notFound('User');
    if (before.roles.includes('admin') && !p.roles.includes('admin') && !self) throw forbidden('Only an admin can change an admin');
    await checkTeam(tx, p.workspaceId, patch.teamId);
    const { password: _pw, ...fields } = patch;
    const after = Object.keys(fields).length ? await repo.updateUser(tx, p.workspaceId, id, fields) : before;
    if (passwordHash) await repo.setPassword(tx, p.workspaceId, id, passwordHash, self ? p.sessionId : null);
    const d = diff(before, after);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'user.update',
      recordType: 'user',
      recordId: id,
      before: d.before,
      after: passwordHash ? { ...d.after, password: '(changed)' } : d.after,
    });
    return after;
  });
}

export async function createTeam(db: Db, p: Principal, input: { name: string; managerId?: string | null }) {
  requirePermission(p, 'org:write');
  return db.transaction(async (tx) => {
    if (input.managerId && !(await repo.findUser(tx, p.workspaceId, input.managerId)))
      throw invalid('managerId', 'no user with this id in this workspace');
    await checkTeamName(tx, p.workspaceId, input.name);
    const id = await repo.insertTeam(tx, p.workspaceId, input);
    const team = await repo.findTeam(tx, p.workspaceId, id);
    await audit(tx, p, { workspaceId: p.workspaceId, action: 'team.create', recordType: 'team', recordId: id, after: team });
    return team!;
  });
}

export async function updateTeam(db: Db, p: Principal, id: string, input: { name?: string; managerId?: string | null }) {
  requirePermission(p, 'org:write');
  return db.transaction(async (tx) => {
    const before = await repo.findTeam(tx, p.workspaceId, id);
    if (!before) throw notFound('Team');
    if (input.managerId && !(await repo.findUser(tx, p.workspaceId, input.managerId)))
      throw invalid('managerId', 'no user with this id in this workspace');
    await checkTeamName(tx, p.workspaceId, input.name, id);
    await repo.updateTeam(tx, p.workspaceId, id, input);
    const after = (await repo.findTeam(tx, p.workspaceId, id))!;
    await audit(tx, p, { workspaceId: p.workspaceId, action: 'team.update', recordType: 'team', recordId: id, ...diff(before, after) });
    return after;
  });
}

/** The key is shown once; only its hash is stored. A key can never hold more than its creator may do. */
export async function createApiKey(
  db: Db,
  p: Principal | 'system',
  workspaceId: string,
  input: { name: string; permissions: Permission[] },
) {
  if (p !== 'system') {
    requirePermission(p, 'apikeys:manage');
    const beyond = input.permissions.filter((x) => !p.permissions.includes(x));
    if (beyond.length) throw new AppError('forbidden', `You cannot grant permissions you do not hold: ${beyond.join(', ')}`);
  }
  const k = newApiKey();
  return db.transaction(async (tx) => {
    const row = await repo.insertApiKey(tx, {
      workspaceId,
      name: input.name,
      prefix: k.prefix,
      keyHash: k.keyHash,
      permissions: input.permissions,
      createdBy: p === 'system' ? null : p.userId,
    });
    await audit(tx, p, {
      workspaceId,
      action: 'apikey.create',
      recordType: 'api_key',
      recordId: row.id,
      after: { name: input.name, prefix: k.prefix, permissions: input.permissions },
    });
    return { id: row.id, name: input.name, prefix: k.prefix, permissions: input.permissions, createdAt: row.createdAt, key: k.key };
  });
}

export async function revokeApiKey(db: Db, p: Principal, id: string) {
  requirePermission(p, 'apikeys:manage');
  return db.transaction(async (tx) => {
    if (!(await repo.revokeApiKey(tx, p.workspaceId, id))) throw notFound('API key');
    await audit(tx, p, { workspaceId: p.workspaceId, action: 'apikey.revoke', recordType: 'api_key', recordId: id });
  });
}

export async function listAudit(db: Db, p: Principal, q: { recordType?: string; recordId?: string; limit: number; before?: number }) {
  requirePermission(p, 'audit:read');
  return db.query(
    `select a.id, a.actor_type as "actorType", a.actor_id as "actorId", coalesce(u.name, k.name) as "actorName", a.action,
            a.record_type as "recordType", a.record_id as "recordId", a.before, a.after, a.at
       from audit_log a left join users u on a.actor_type = 'user' and u.id = a.actor_id
       left join api_keys k on a.actor_type = 'api_key' and k.id = a.actor_id
      where a.workspace_id = $1 and ($2::text is null or a.record_type = $2) and ($3::text is null or a.record_id = $3)
        and ($4::bigint is null or a.id < $4)
      order by a.id desc limit $5`,
    [p.workspaceId, q.recordType ?? null, q.recordId ?? null, q.before ?? null, q.limit],
  );
}
