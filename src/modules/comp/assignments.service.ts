import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError, notFound } from '../../platform/errors.js';
import { compScope, inScope, loadCompUser, refuseClosed, requireCompAdmin } from './access.js';
import { monthOf } from './dates.core.js';
import * as ledger from './ledger.repo.js';
import { baseRate, rangesOverlap } from './plan.core.js';
import * as repo from './plans.repo.js';
import { Decimal } from './rounding.js';

/**
 * Who is paid on which plan, at which level, from when to when. One plan per person at a time; no change may touch a
 * closed month (end an assignment and start a new one to change a plan or a level).
 */

const invalid = (path: string, message: string) => new AppError('validation_failed', `${path}: ${message}`, [{ path, message }]);

export async function listAssignments(db: Db, p: Principal, q: { userId?: string }) {
  const scope = compScope(p);
  if (q.userId) {
    await loadCompUser(db, p.workspaceId, q.userId);
    if (!inScope(scope, q.userId))
      throw new AppError('forbidden', "you may not see this person's compensation", [{ path: 'userId', message: 'outside your scope' }]);
  }
  const ids = q.userId ? [q.userId] : scope.all ? null : scope.userIds;
  return repo.listAssignments(db, p.workspaceId, ids);
}

export async function createAssignment(
  db: Db,
  p: Principal,
  input: { userId: string; planKey: string; level?: number; from: string; to?: string | null },
) {
  requireCompAdmin(p);
  const user = await loadCompUser(db, p.workspaceId, input.userId);
  const to = input.to ?? null;
  if (to && to < input.from) throw invalid('to', 'must be on or after from');
  const versions = await repo.listVersions(db, p.workspaceId, input.planKey);
  if (!versions.length)
    throw new AppError('not_found', `no plan ${input.planKey} in this workspace`, [{ path: 'planKey', message: 'no such plan' }]);
  const latest = versions.at(-1)!;
  if (!latest.document.roles.some((r) => user.roles.includes(r)))
    throw invalid('planKey', `plan ${input.planKey} is for ${latest.document.roles.join(', ')}; ${user.name} is ${user.roles.join(', ')}`);
  const level = input.level ?? user.level;
  for (const v of versions)
    for (const c of v.document.components)
      if (c.type === 'commission' && !baseRate(c, level))
        throw invalid('level', `plan ${input.planKey} version ${v.version} (${c.id}) has no rate for level ${level}`);

  return db.transaction(async (tx) => {
    await ledger.lockComp(tx, p.workspaceId);
    refuseClosed(await ledger.lastClosedMonth(tx, p.workspaceId), monthOf(input.from), 'from', 'an assignment starts in an open month');
    const mine = await repo.listAssignments(tx, p.workspaceId, [user.id]);
    const clash = mine.find((a) => rangesOverlap(a, { from: input.from, to }));
    if (clash)
      throw new AppError(
        'conflict',
        `overlapping assignments: ${user.name} is already on plan ${clash.planKey} from ${clash.from}${clash.to ? ` to ${clash.to}` : ' (open-ended)'}; end it first`,
        [{ path: 'from', message: 'overlaps another assignment' }],
      );
    const id = await repo.insertAssignment(tx, {
      workspaceId: p.workspaceId,
      userId: user.id,
      planKey: input.planKey,
      level,
      from: input.from,
      to,
      createdBy: p.userId,
    });
    const row = (await repo.findAssignment(tx, p.workspaceId, id))!;
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'comp.assignment.create',
      recordType: 'comp_assignment',
      recordId: id,
      after: row,
    });
    return row;
  });
}

/** Ends (or re-opens) an assignment; the days it stops or starts covering must be in open months. */
export async function setAssignmentEnd(db: Db, p: Principal, id: string, to: string | null) {
  requireCompAdmin(p);
  return db.transaction(async (tx) => {
    await ledger.lockComp(tx, p.workspaceId);
    const a = await repo.findAssignment(tx, p.workspaceId, id);
    if (!a) throw notFound('assignment');
    if (to && to < a.from) throw invalid('to', `must be on or after the start (${a.from})`);
    const lastClosed = await ledger.lastClosedMonth(tx, p.workspaceId);
    const changedFrom = [a.to, to].filter((d): d is string => d != null).sort()[0];
    if (changedFrom) refuseClosed(lastClosed, monthOf(changedFrom), 'to', 'the days an assignment covers may change only in open months');
    const others = (await repo.listAssignments(tx, p.workspaceId, [a.userId])).filter((x) => x.id !== a.id);
    const clash = others.find((x) => rangesOverlap(x, { from: a.from, to }));
    if (clash)
      throw new AppError('conflict', `overlapping assignments: ${a.userName} is on plan ${clash.planKey} from ${clash.from}`, [
        { path: 'to', message: 'overlaps another assignment' },
      ]);
    await repo.setAssignmentEnd(tx, id, to);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'comp.assignment.update',
      recordType: 'comp_assignment',
      recordId: id,
      before: { to: a.to },
      after: { to },
    });
    return (await repo.findAssignment(tx, p.workspaceId, id))!;
  });
}

export async function deleteAssignment(db: Db, p: Principal, id: string) {
  requireCompAdmin(p);
  await db.transaction(async (tx) => {
    await ledger.lockComp(tx, p.workspaceId);
    const a = await repo.findAssignment(tx, p.workspaceId, id);
    if (!a) throw notFound('assignment');
    refuseClosed(
      await ledger.lastClosedMonth(tx, p.workspaceId),
      monthOf(a.from),
      'id',
      'an assignment that paid in a closed month can only be ended',
    );
    await repo.deleteAssignment(tx, id);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'comp.assignment.delete',
      recordType: 'comp_assignment',
      recordId: id,
      before: a,
    });
  });
}

async function loadOpportunity(db: Db, workspaceId: string, id: string) {
  const [opp] = await db.query<{ id: string; ownerId: string | null; sdrId: string | null }>(
    'select id, owner_id as "ownerId", sdr_id as "sdrId" from opportunities where workspace_id = $1 and id = $2',
    [workspaceId, id],
  );
  if (!opp) throw new AppError('not_found', 'no such opportunity in this workspace', [{ path: 'opportunityId', message: 'not found' }]);
  return opp;
}

/** The credit splits of a deal: its stored splits, or the default (owner 100% AE, sourcing SDR 100% SDR). */
export async function getSplits(db: Db, p: Principal, opportunityId: string) {
  compScope(p);
  const opp = await loadOpportunity(db, p.workspaceId, opportunityId);
  return { opportunityId, splits: await repo.listSplits(db, opportunityId), defaults: { ae: opp.ownerId, sdr: opp.sdrId } };
}

/**
 * Sets a deal's splits. Per role the percents add up to 100; a role left out goes back to its default. Changing the
 * splits of a deal closed in a closed month is a fact change like any other: the next run books the difference.
 */
export async function setSplits(
  db: Db,
  p: Principal,
  opportunityId: string,
  credits: { userId: string; role: 'ae' | 'sdr'; percent: string }[],
) {
  requireCompAdmin(p);
  await loadOpportunity(db, p.workspaceId, opportunityId);
  for (const [i, c] of credits.entries()) await loadCompUser(db, p.workspaceId, c.userId, `credits.${i}.userId`);
  const seen = new Set<string>();
  for (const [i, c] of credits.entries()) {
    if (seen.has(`${c.role}|${c.userId}`)) throw invalid(`credits.${i}.userId`, 'appears twice for the same role');
    seen.add(`${c.role}|${c.userId}`);
  }
  for (const role of ['ae', 'sdr'] as const) {
    const list = credits.filter((c) => c.role === role);
    const total = list.reduce((s, c) => s.plus(c.percent), new Decimal(0));
    if (list.length && !total.eq(100)) throw invalid('credits', `${role} credits must add up to 100 (they add up to ${total})`);
  }
  return db.transaction(async (tx) => {
    const before = await repo.listSplits(tx, opportunityId);
    await repo.replaceSplits(tx, p.workspaceId, opportunityId, credits);
    const after = await repo.listSplits(tx, opportunityId);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'comp.splits.set',
      recordType: 'opportunity',
      recordId: opportunityId,
      before,
      after,
    });
    return { opportunityId, splits: after };
  });
}
