import { expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { PASSWORD, principalFor, seedOrg } from '../../../test/support/fixtures.js';
import { principalFromSession } from '../../platform/auth/authenticate.js';
import { login } from '../../platform/auth/sessions.js';
import { DEFAULT_SEGMENTS } from './org.core.js';
import { getSegments } from './org.repo.js';
import {
  createApiKey,
  createTeam,
  createUser,
  createWorkspace,
  listAudit,
  revokeApiKey,
  setSegments,
  updateTeam,
  updateUser,
  updateWorkspace,
} from './org.service.js';

describeEachDb('org service', (getDb) => {
  it('creates a workspace with the default segments, and refuses a taken slug', async () => {
    const db = getDb();
    const { workspace } = await seedOrg(db);
    expect(await getSegments(db, workspace.id)).toEqual(DEFAULT_SEGMENTS);
    await expect(createWorkspace(db, { name: 'Again', slug: workspace.slug, timezone: 'UTC', currency: 'USD' })).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('changes segment thresholds only when they make sense, and audits the change', async () => {
    const db = getDb();
    const { principals, workspace } = await seedOrg(db);
    const next = DEFAULT_SEGMENTS.map((s) => ({ ...s }));
    next[0].maxEmployees = 20;
    await setSegments(db, principals.ops, next);
    expect((await getSegments(db, workspace.id))[0].maxEmployees).toBe(20);
    next[1].maxEmployees = 5;
    await expect(setSegments(db, principals.ops, next)).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'segments' }],
    });
    await expect(setSegments(db, principals.aeA, DEFAULT_SEGMENTS)).rejects.toMatchObject({ code: 'forbidden' });
    const log = await listAudit(db, principals.admin, { recordType: 'segments', limit: 10 });
    expect(log).toHaveLength(1);
  });

  it('refuses opportunity stages that are malformed or that open deals still use', async () => {
    const db = getDb();
    const { principals } = await seedOrg(db);
    await expect(updateWorkspace(db, principals.admin, { opportunityStages: ['a', 'b'] })).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'opportunityStages' }],
    });
    await db.query("insert into opportunities (workspace_id, name, stage) values ($1, 'Deal', 'trial')", [principals.admin.workspaceId]);
    await expect(updateWorkspace(db, principals.admin, { opportunityStages: ['pitch', 'won', 'lost'] })).rejects.toThrow(/trial/);
    const w = await updateWorkspace(db, principals.admin, { opportunityStages: ['pitch', 'trial', 'won', 'lost'], timezone: 'Asia/Tokyo' });
    expect(w.opportunityStages).toEqual(['pitch', 'trial', 'won', 'lost']);
    expect(w.timezone).toBe('Asia/Tokyo');
  });

  it('keeps user emails unique per workspace, case-insensitively, and stores them lowercased', async () => {
    const db = getDb();
    const { principals, users } = await seedOrg(db);
    const u = await createUser(db, principals.admin, principals.admin.workspaceId, { email: 'New.Rep@X.test', name: 'New', roles: ['ae'] });
    expect(u.email).toBe('new.rep@x.test');
    await expect(
      createUser(db, principals.admin, principals.admin.workspaceId, { email: users.aeA.email.toUpperCase(), name: 'Dup', roles: ['ae'] }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('lets only admins grant or change admin; reps manage nobody', async () => {
    const db = getDb();
    const { principals, users } = await seedOrg(db);
    const ws = principals.admin.workspaceId;
    await expect(createUser(db, principals.ops, ws, { email: 'boss@x.test', name: 'Boss', roles: ['admin'] })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(updateUser(db, principals.ops, users.ops.id, { roles: ['admin'] })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(updateUser(db, principals.ops, users.admin.id, { name: 'Renamed' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(createUser(db, principals.aeA, ws, { email: 'r@x.test', name: 'R', roles: ['ae'] })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(updateUser(db, principals.aeA, users.aeA.id, { roles: ['manager'] })).rejects.toMatchObject({ code: 'forbidden' });
    const made = await createUser(db, principals.admin, ws, { email: 'boss@x.test', name: 'Boss', roles: ['admin'] });
    expect(made.roles).toEqual(['admin']);
    // Sales ops still manages ordinary people.
    expect((await updateUser(db, principals.ops, users.aeA.id, { level: 2 })).level).toBe(2);
  });

  it('lets anyone edit their own name and out-of-office', async () => {
    const db = getDb();
    const { principals, users } = await seedOrg(db);
    const u = await updateUser(db, principals.aeA, users.aeA.id, { name: 'Ann', outOfOfficeUntil: '2030-01-01T00:00:00Z' });
    expect(u.name).toBe('Ann');
    expect(u.outOfOfficeUntil?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    await expect(updateUser(db, principals.aeA, users.aeB.id, { name: 'Bob' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('ends the other sessions when a password changes, keeping the one that changed it', async () => {
    const db = getDb();
    const { users } = await seedOrg(db);
    const now = new Date();
    const mine = await login(db, { email: users.aeA.email, password: PASSWORD }, 1, now);
    const other = await login(db, { email: users.aeA.email, password: PASSWORD }, 1, now);
    const me = (await principalFromSession(db, mine.token))!;
    await updateUser(db, me, users.aeA.id, { password: 'a brand new password' });
    expect(await principalFromSession(db, mine.token)).not.toBeNull();
    expect(await principalFromSession(db, other.token)).toBeNull();
    await expect(login(db, { email: users.aeA.email, password: PASSWORD }, 1, now)).rejects.toMatchObject({ code: 'unauthenticated' });
    await login(db, { email: users.aeA.email, password: 'a brand new password' }, 1, now);

    // An admin resetting someone's password ends all of that person's sessions.
    const admin = await principalFor(db, users.admin.email);
    await updateUser(db, admin, users.aeA.id, { password: 'reset by the admin' });
    expect(await principalFromSession(db, mine.token)).toBeNull();
  });

  it('checks team managers and team ids belong to the workspace', async () => {
    const db = getDb();
    const { principals, users, teams } = await seedOrg(db);
    const other = await seedOrg(db);
    await expect(createTeam(db, principals.admin, { name: 'X', managerId: other.users.managerA.id })).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'managerId' }],
    });
    await expect(createTeam(db, principals.admin, { name: 'Team A' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(updateUser(db, principals.admin, users.aeA.id, { teamId: other.teams.teamA.id })).rejects.toMatchObject({
      details: [{ path: 'teamId' }],
    });
    const t = await updateTeam(db, principals.admin, teams.teamB.id, { managerId: users.managerA.id });
    expect(t.managerId).toBe(users.managerA.id);
    expect(t.memberCount).toBe(1);
  });

  it('creates API keys shown once, stored hashed, never beyond their creator, and revokes them', async () => {
    const db = getDb();
    const { principals } = await seedOrg(db);
    const k = await createApiKey(db, principals.ops, principals.ops.workspaceId, { name: 'zapier', permissions: ['crm:read'] });
    expect(k.key).toMatch(/^rl_/);
    const stored = await db.query<{ row: string }>('select row_to_json(k)::text as row from api_keys k where id = $1', [k.id]);
    expect(stored[0].row).not.toContain(k.key);
    expect(stored[0].row).not.toContain(k.key.split('_')[2]);
    await expect(
      createApiKey(db, principals.ops, principals.ops.workspaceId, { name: 'x', permissions: ['events:write'] }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      createApiKey(db, principals.aeA, principals.aeA.workspaceId, { name: 'x', permissions: ['crm:read'] }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    await revokeApiKey(db, principals.ops, k.id);
    await expect(revokeApiKey(db, principals.ops, k.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps an audit trail readable by admin and sales ops only', async () => {
    const db = getDb();
    const { principals, users } = await seedOrg(db);
    await updateUser(db, principals.admin, users.aeA.id, { capacity: 42 });
    const [entry] = await listAudit(db, principals.ops, { recordType: 'user', recordId: users.aeA.id, limit: 5 });
    expect(entry).toMatchObject({ action: 'user.update', actorId: users.admin.id, before: { capacity: 100 }, after: { capacity: 42 } });
    await expect(listAudit(db, principals.managerA, { limit: 5 })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
