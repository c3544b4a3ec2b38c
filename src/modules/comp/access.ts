import type { Db } from '../../db/client.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { parseQuotaPeriod } from '../quotas/quotas.core.js';
import { monthOf, monthsFrom } from './dates.core.js';

/**
 * Who sees whose pay. Stricter than the CRM's read scope: sales engineers, support and enablement read every record
 * but not other people's compensation. Admins, sales ops, API keys (with org:read) and the system see everyone; a
 * manager themselves and the members of the teams they manage; anyone else only themselves.
 */
export type CompScope = { all: true } | { all: false; userIds: string[] };

export function compScope(p: Principal): CompScope {
  requirePermission(p, 'org:read');
  if (p.kind !== 'user') return { all: true };
  if (p.roles.includes('admin') || p.roles.includes('sales_ops')) return { all: true };
  const ids = new Set<string>(p.userId ? [p.userId] : []);
  if (p.roles.includes('manager')) for (const id of p.managedUserIds) ids.add(id);
  return { all: false, userIds: [...ids] };
}

export const inScope = (s: CompScope, userId: string) => s.all || s.userIds.includes(userId);

/** Plans, assignments, splits, runs, closing and adjustments: admins and sales ops (org:write). */
export function requireCompAdmin(p: Principal) {
  requirePermission(p, 'org:write');
}

export type CompUser = {
  id: string;
  name: string;
  email: string;
  roles: string[];
  level: number;
  teamId: string | null;
  teamName: string | null;
};

/** A user of the caller's workspace (404 naming the field otherwise: no hint that the id exists elsewhere). */
export async function loadCompUser(db: Db, workspaceId: string, userId: string, field = 'userId'): Promise<CompUser> {
  const [u] = await db.query<CompUser>(
    `select u.id, u.name, u.email, u.roles, u.level, u.team_id as "teamId", t.name as "teamName"
       from users u left join teams t on t.id = u.team_id where u.workspace_id = $1 and u.id = $2`,
    [workspaceId, userId],
  );
  if (!u) throw new AppError('not_found', 'no such user in this workspace', [{ path: field, message: 'not found' }]);
  return u;
}

/** 404 outside the workspace, 403 outside the caller's scope. */
export async function loadVisibleUser(db: Db, p: Principal, userId: string, field = 'repId'): Promise<CompUser> {
  const scope = compScope(p);
  const u = await loadCompUser(db, p.workspaceId, userId, field);
  if (!inScope(scope, u.id))
    throw new AppError('forbidden', "you may not see this person's compensation", [{ path: field, message: 'outside your scope' }]);
  return u;
}

export type MonthRange = { label: string; first: string; last: string; months: string[] };

/** A month (2026-07), quarter (2026-Q3) or year (2026) as the months it spans. */
export function parseMonths(raw: string, field = 'period'): MonthRange {
  const p = parseQuotaPeriod(String(raw ?? ''));
  if (!p)
    throw new AppError('validation_failed', `${field}: must be a month, quarter or year: 2026-07, 2026-Q3 or 2026`, [
      { path: field, message: 'must be a month (2026-07), quarter (2026-Q3) or year (2026)' },
    ]);
  const first = monthOf(p.start);
  const last = monthOf(p.end);
  return { label: p.label, first, last, months: monthsFrom(first, last) };
}

/** Refuses a change that would touch a closed month, naming the field and the next open month. */
export function refuseClosed(lastClosed: string | null, month: string, field: string, what: string) {
  if (lastClosed && month <= lastClosed)
    throw new AppError('conflict', `${month} is closed (months up to ${lastClosed} are): ${what}`, [
      { path: field, message: `${month} is closed; the first open month is after ${lastClosed}` },
    ]);
}
