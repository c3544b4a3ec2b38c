import type { Db } from '../../db/client.js';
import { audit, diff } from '../../platform/audit.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.js';
import type { Where } from '../../platform/http/list.js';
import { type DataScope, dataScope } from '../org/org.core.js';
import type { ResourceDef } from './crm.resources.js';
import * as records from './records.repo.js';

/** Shared use cases for every CRM record type: scoped list and read, create and edit with audit. */

export const scopeOf = (p: Principal, mode: 'read' | 'write'): DataScope => dataScope(p, mode);

export async function listFor(
  db: Db,
  p: Principal,
  def: ResourceDef,
  q: { sort: string; order: 'asc' | 'desc'; limit: number; cursor?: string },
  build?: (where: Where) => void,
) {
  requirePermission(p, 'crm:read');
  return records.listRecords(db, def, { workspaceId: p.workspaceId, scope: scopeOf(p, 'read'), build, ...q });
}

/** A record of another workspace does not exist for the caller; one of their own workspace out of scope is refused. */
export async function getFor(db: Db, p: Principal, def: ResourceDef, id: string, mode: 'read' | 'write' = 'read', lock = false) {
  requirePermission(p, mode === 'read' ? 'crm:read' : 'crm:write');
  const row = await records.findRecord(db, def, p.workspaceId, id, lock);
  if (!row) throw notFound(def.label);
  if (!(await records.inScope(db, def, p.workspaceId, id, scopeOf(p, mode), mode)))
    throw forbidden(`This ${def.label.toLowerCase()} belongs to someone outside your scope`);
  return row;
}

/**
 * The owner fields a caller may set: anyone in their write scope (themselves, or the teams they manage),
 * plus the members of their own team (an SDR hands a lead to an AE of the same team).
 */
export async function checkOwnerAssignment(db: Db, p: Principal, values: Record<string, unknown>, fields: string[]) {
  const scope = scopeOf(p, 'write');
  if (scope.all) return;
  const outside = fields.filter((f) => values[f] != null && !scope.ownerIds.includes(values[f] as string));
  if (!outside.length) return;
  const team = p.userId
    ? await db.query<{ id: string }>(
        `select m.id from users me join users m on m.team_id = me.team_id and m.workspace_id = me.workspace_id
          where me.workspace_id = $1 and me.id = $2`,
        [p.workspaceId, p.userId],
      )
    : [];
  const teammates = new Set(team.map((r) => r.id));
  for (const f of outside)
    if (!teammates.has(values[f] as string))
      throw new AppError('forbidden', `${f}: you can only assign records to yourself or your team`, [
        { path: f, message: 'outside your team' },
      ]);
}

export async function createFor(
  db: Db,
  p: Principal,
  def: ResourceDef,
  values: Record<string, unknown>,
  opts: { hidden?: Record<string, unknown>; ownerFields?: string[]; after?: (tx: Db, row: records.Row) => Promise<void> } = {},
) {
  requirePermission(p, 'crm:write');
  const ownerFields = opts.ownerFields ?? ['ownerId'];
  // A rep's new record is theirs unless they say otherwise.
  if (p.kind === 'user' && 'ownerId' in def.columns && ownerFields.includes('ownerId') && values.ownerId === undefined)
    values = { ...values, ownerId: p.userId };
  return db.transaction(async (tx) => {
    await checkOwnerAssignment(tx, p, values, ownerFields);
    await records.checkRefs(tx, def, p.workspaceId, values);
    const row = await records.insertRecord(tx, def, p.workspaceId, values, opts.hidden);
    await opts.after?.(tx, row);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: `${def.recordType}.create`,
      recordType: def.recordType,
      recordId: row.id,
      after: row,
    });
    return row;
  });
}

export async function updateFor(
  db: Db,
  p: Principal,
  def: ResourceDef,
  id: string,
  patch: Record<string, unknown>,
  opts: {
    hidden?: (before: records.Row) => Record<string, unknown>;
    ownerFields?: string[];
    after?: (tx: Db, before: records.Row, after: records.Row) => Promise<void>;
  } = {},
) {
  return db.transaction(async (tx) => {
    const before = await getFor(tx, p, def, id, 'write', true);
    await checkOwnerAssignment(tx, p, patch, opts.ownerFields ?? ['ownerId']);
    await records.checkRefs(tx, def, p.workspaceId, patch);
    const after = await records.updateRecord(tx, def, p.workspaceId, id, patch, opts.hidden?.(before));
    await opts.after?.(tx, before, after);
    const d = diff(before, after);
    if (d.changed)
      await audit(tx, p, {
        workspaceId: p.workspaceId,
        action: `${def.recordType}.update`,
        recordType: def.recordType,
        recordId: id,
        before: d.before,
        after: d.after,
      });
    return after;
  });
}

/** Owner changes go to the history too: funnel credit and comp follow who owned what, when. */
export async function recordOwnerChange(tx: Db, p: Principal, recordType: 'lead' | 'opportunity', before: records.Row, after: records.Row) {
  if (before.ownerId !== after.ownerId)
    await records.recordChange(tx, {
      workspaceId: p.workspaceId,
      recordType,
      recordId: after.id,
      field: 'owner',
      from: (before.ownerId as string) ?? null,
      to: (after.ownerId as string) ?? null,
      actorId: p.userId,
    });
}

/** A refused lifecycle move: bad input names its field (400); a move the record's state forbids is a 409. */
export function refusedMove(t: { reason: string; field?: string }, context: Record<string, unknown>) {
  return t.field ? invalid(t.field, t.reason) : new AppError('conflict', t.reason, context);
}
