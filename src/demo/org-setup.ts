import type { Db } from '../db/client.js';
import type { Role } from '../modules/org/org.core.js';
import { createWorkspace } from '../modules/org/org.service.js';
import { DAY } from './calendar.js';
import type { Rep } from './context.js';
import { emailOf, PEOPLE, TEAMS, type TeamKey } from './people.js';
import type { IdFactory } from './rng.js';

export const DEMO_WORKSPACE = { name: 'Parley (demo)', timezone: 'America/New_York', currency: 'USD' } as const;

/** `demo` when free, else `demo-<seed>`, else `demo-<seed>-2`, -3...: a second demo never clashes with the first. */
export async function freeDemoSlug(db: Db, seed: number): Promise<string> {
  const taken = new Set(
    (await db.query<{ slug: string }>(`select slug from workspaces where slug = 'demo' or slug like 'demo-%'`)).map((r) => r.slug),
  );
  if (!taken.has('demo')) return 'demo';
  const base = `demo-${seed}`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

const LEVEL_QUALIFY = { 1: 0.85, 2: 1, 3: 1.15 } as const;

/** The workspace, its six teams and 41 people, all sharing one password hash (hashed once: argon2 is slow on purpose). */
export async function createDemoOrg(
  tx: Db,
  input: { slug: string; passwordHash: string; now: number; ids: IdFactory },
): Promise<{ workspaceId: string; reps: Map<string, Rep> }> {
  const ws = await createWorkspace(tx, { ...DEMO_WORKSPACE, slug: input.slug, isDemo: true });
  const teamIds = new Map<TeamKey, string>();
  for (const [key, name] of Object.entries(TEAMS) as [TeamKey, string][]) {
    const id = input.ids.next();
    teamIds.set(key, id);
    await tx.query('insert into teams (id, workspace_id, name) values ($1, $2, $3)', [id, ws.id, name]);
  }

  const reps = new Map<string, Rep>();
  for (const p of PEOPLE) {
    const id = input.ids.next();
    // Hire dates fall on the first of a month, n months back.
    const d = new Date(input.now);
    const hired = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - p.hiredMonthsAgo, 1, 14);
    const away = p.outOfOffice ? { from: input.now - 5 * DAY, until: input.now + 9 * DAY } : null;
    await tx.query(
      `insert into users (id, workspace_id, email, name, password_hash, roles, team_id, segments, hire_date, level, capacity,
                          out_of_office_until, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6::text[], $7, $8::text[], $9, $10, $11, $12, $13, $13)`,
      [
        id,
        ws.id,
        emailOf(p),
        `${p.first} ${p.last}`,
        input.passwordHash,
        p.roles,
        p.team ? teamIds.get(p.team) : null,
        p.segments,
        new Date(hired).toISOString().slice(0, 10),
        p.level,
        p.capacity,
        away ? new Date(away.until).toISOString() : null,
        new Date(hired).toISOString(),
      ],
    );
    reps.set(p.key, {
      id,
      person: p,
      hiredAt: hired,
      away,
      skill: p.skill ?? { win: 1, speed: 1, churn: 1, expansion: 1 },
      qualifySkill: LEVEL_QUALIFY[p.level],
    });
  }
  for (const p of PEOPLE)
    if (p.manages) await tx.query('update teams set manager_id = $1 where id = $2', [reps.get(p.key)!.id, teamIds.get(p.manages)]);
  return { workspaceId: ws.id, reps };
}

/** One login per role: the person marked `loginFor` that role. */
export function demoLogins(password: string): { role: Role; email: string; password: string }[] {
  return PEOPLE.filter((p) => p.loginFor).map((p) => ({ role: p.loginFor!, email: emailOf(p), password }));
}
