import type { Db } from '../../db/client.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { dataScope } from '../org/org.core.js';
import type { Filters } from './rollup.read.js';

/**
 * Whose numbers a caller may see. Admins, sales ops and the read-everything roles: the whole workspace
 * (unassigned facts such as bot conversations included). A manager: the reps of the teams they manage.
 * A rep: their own numbers, plus their team's totals as a benchmark (never another rep's row).
 */
export type AnalyticsScope =
  | { all: true }
  | { all: false; repIds: string[]; selfId: string | null; teamId: string | null; teamRepIds: string[]; teamName: string | null };

export async function analyticsScope(db: Db, p: Principal): Promise<AnalyticsScope> {
  const s = dataScope(p, 'read');
  if (s.all) return { all: true };
  const [me] = p.userId
    ? await db.query<{ teamId: string | null; teamName: string | null }>(
        `select u.team_id as "teamId", t.name as "teamName" from users u left join teams t on t.id = u.team_id
          where u.workspace_id = $1 and u.id = $2`,
        [p.workspaceId, p.userId],
      )
    : [];
  const teamRepIds = me?.teamId
    ? (await db.query<{ id: string }>('select id from users where workspace_id = $1 and team_id = $2', [p.workspaceId, me.teamId])).map(
        (r) => r.id,
      )
    : [];
  return { all: false, repIds: s.ownerIds, selfId: p.userId, teamId: me?.teamId ?? null, teamRepIds, teamName: me?.teamName ?? null };
}

/** Refuses a filter on a rep or team outside the caller's scope (403, naming the field), and returns the rep filter. */
export async function checkFilters(db: Db, workspaceId: string, scope: AnalyticsScope, f: Filters): Promise<string[] | null> {
  if (f.repId) {
    const [rep] = await db.query('select 1 from users where workspace_id = $1 and id = $2', [workspaceId, f.repId]);
    if (!rep) throw new AppError('not_found', 'no such rep in this workspace', [{ path: 'repId', message: 'not found' }]);
  }
  if (f.teamId) {
    const [team] = await db.query('select 1 from teams where workspace_id = $1 and id = $2', [workspaceId, f.teamId]);
    if (!team) throw new AppError('not_found', 'no such team in this workspace', [{ path: 'teamId', message: 'not found' }]);
  }
  if (scope.all) return null;
  if (f.repId && !scope.repIds.includes(f.repId))
    throw new AppError('forbidden', "you may not see this rep's numbers", [{ path: 'repId', message: 'outside your scope' }]);
  if (f.teamId) {
    const members = await db.query<{ id: string }>('select id from users where workspace_id = $1 and team_id = $2', [
      workspaceId,
      f.teamId,
    ]);
    const visible = members.some((m) => scope.repIds.includes(m.id) && m.id !== scope.selfId) || f.teamId === scope.teamId;
    if (!visible)
      throw new AppError('forbidden', "you may not see this team's numbers", [{ path: 'teamId', message: 'outside your scope' }]);
  }
  return scope.repIds;
}
