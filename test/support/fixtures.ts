import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/client.js';
import type { Role } from '../../src/modules/org/org.core.js';
import { createTeam, createUser, createWorkspace } from '../../src/modules/org/org.service.js';
import { principalFromSession } from '../../src/platform/auth/authenticate.js';
import type { Principal } from '../../src/platform/auth/principal.js';
import { systemPrincipal } from '../../src/platform/auth/principal.js';
import { login } from '../../src/platform/auth/sessions.js';

export const PASSWORD = 'test-password-123';

/**
 * A fresh workspace with two teams: team A (manager `managerA`, reps `aeA`, `sdrA`) and team B
 * (manager `managerB`, rep `aeB`), plus `admin` and `ops`. Returns users and ready principals.
 */
export async function seedOrg(db: Db) {
  const slug = `t-${randomBytes(5).toString('hex')}`;
  const ws = await createWorkspace(db, { name: `Test ${slug}`, slug, timezone: 'Europe/Paris', currency: 'EUR' });
  const sys = systemPrincipal(ws.id);
  const mk = (key: string, roles: Role[], teamId?: string) =>
    createUser(db, 'system', ws.id, { email: `${key}@${slug}.test`, name: key, roles, password: PASSWORD, teamId });
  const admin = await mk('admin', ['admin']);
  const ops = await mk('ops', ['sales_ops']);
  const managerA = await mk('managerA', ['manager']);
  const managerB = await mk('managerB', ['manager']);
  const teamA = await createTeam(db, sys, { name: 'Team A', managerId: managerA.id });
  const teamB = await createTeam(db, sys, { name: 'Team B', managerId: managerB.id });
  const aeA = await mk('aeA', ['ae'], teamA.id);
  const sdrA = await mk('sdrA', ['sdr_inbound'], teamA.id);
  const aeB = await mk('aeB', ['ae'], teamB.id);
  const users = { admin, ops, managerA, managerB, aeA, sdrA, aeB };
  const principals = {} as Record<keyof typeof users, Principal>;
  for (const [key, u] of Object.entries(users)) principals[key as keyof typeof users] = await principalFor(db, u.email);
  return { workspace: ws, teams: { teamA, teamB }, users, principals, system: sys };
}

/** The principal a real login would produce (through the real session path). */
export async function principalFor(db: Db, email: string): Promise<Principal> {
  const s = await login(db, { email, password: PASSWORD }, 1, new Date());
  const p = await principalFromSession(db, s.token);
  if (!p) throw new Error('login failed in fixture');
  return p;
}
