import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError, invalid } from '../../platform/errors.js';
import { Decimal } from '../../platform/money.js';
import { dataScope } from '../org/org.core.js';
import { findWorkspace } from '../org/org.repo.js';
import { markFirstTouch } from '../routing/touch.repo.js';
import { alertIfLowRated } from '../success/surveys.alerts.js';
import { isClosedStage, normalizeDomain, normalizeEmail, stageTransition } from './crm.core.js';
import { accounts, activities, contacts, opportunities, RESOURCES, subscriptions } from './crm.resources.js';
import * as records from './records.repo.js';
import { createFor, getFor, recordOwnerChange, refusedMove, updateFor } from './records.service.js';

type Values = Record<string, unknown>;

export function createAccount(db: Db, p: Principal, v: Values) {
  return createFor(db, p, accounts, v, {
    ownerFields: ['ownerId', 'csmId'],
    hidden: { domain_normalized: normalizeDomain(v.domain as string) },
  });
}

export function updateAccount(db: Db, p: Principal, id: string, v: Values) {
  return updateFor(db, p, accounts, id, v, {
    ownerFields: ['ownerId', 'csmId'],
    hidden: () => (v.domain !== undefined ? { domain_normalized: normalizeDomain(v.domain as string) } : {}),
  });
}

export function createContact(db: Db, p: Principal, v: Values) {
  return createFor(db, p, contacts, v, { hidden: { email_normalized: normalizeEmail(v.email as string) } });
}

export function updateContact(db: Db, p: Principal, id: string, v: Values) {
  return updateFor(db, p, contacts, id, v, {
    hidden: () => (v.email !== undefined ? { email_normalized: normalizeEmail(v.email as string) } : {}),
  });
}

export async function createOpportunity(db: Db, p: Principal, v: Values) {
  const ws = (await findWorkspace(db, p.workspaceId))!;
  const stage = (v.stage as string | undefined) ?? ws.opportunityStages[0];
  if (!ws.opportunityStages.includes(stage)) throw invalid('stage', `one of ${ws.opportunityStages.join(', ')}`);
  if (stage === 'lost' && !v.lostReason) throw invalid('lostReason', 'a reason is required for a lost opportunity');
  return createFor(
    db,
    p,
    opportunities,
    { ...v, stage },
    {
      // The sourcing SDR gets read access and credit, so naming one is an assignment like the owner.
      ownerFields: ['ownerId', 'sdrId'],
      hidden: isClosedStage(stage) ? { closed_at: new Date() } : {},
      after: (tx, row) =>
        records.recordChange(tx, {
          workspaceId: p.workspaceId,
          recordType: 'opportunity',
          recordId: row.id,
          field: 'stage',
          from: null,
          to: stage,
          actorId: p.userId,
        }),
    },
  );
}

export function updateOpportunity(db: Db, p: Principal, id: string, v: Values) {
  return updateFor(db, p, opportunities, id, v, {
    ownerFields: ['ownerId', 'sdrId'],
    after: (tx, before, after) => recordOwnerChange(tx, p, 'opportunity', before, after),
  });
}

/** Moves a deal between stages; every move is kept in the history that funnel analytics and comp read. */
export async function changeStage(db: Db, p: Principal, id: string, to: string, lostReason?: string) {
  const ws = (await findWorkspace(db, p.workspaceId))!;
  // A stage the workspace does not have is bad input, not a state conflict.
  if (!ws.opportunityStages.includes(to)) throw invalid('stage', `one of ${ws.opportunityStages.join(', ')}`);
  return db.transaction(async (tx) => {
    const opp = await getFor(tx, p, opportunities, id, 'write', true);
    const t = stageTransition(ws.opportunityStages, opp.stage as string, to, lostReason);
    if (!t.ok) throw refusedMove(t, { from: opp.stage, to });
    const after = await records.updateRecord(
      tx,
      opportunities,
      p.workspaceId,
      id,
      { stage: to, lostReason: to === 'lost' ? lostReason : null },
      { closed_at: isClosedStage(to) ? new Date() : null },
    );
    await records.recordChange(tx, {
      workspaceId: p.workspaceId,
      recordType: 'opportunity',
      recordId: id,
      field: 'stage',
      from: opp.stage as string,
      to,
      reason: lostReason ?? null,
      actorId: p.userId,
    });
    await alertIfLowRated(tx, { workspaceId: p.workspaceId, opportunityId: id, stage: to, at: new Date() });
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'opportunity.stage',
      recordType: 'opportunity',
      recordId: id,
      before: { stage: opp.stage },
      after: { stage: to, lostReason },
    });
    return after;
  });
}

/** A subscription's ARR changes are kept as movements (new, expansion, contraction, churn) for retention and comp. */
async function recordMovement(tx: Db, p: Principal, row: records.Row, kind: string, amount: Decimal.Value) {
  await tx.query(
    `insert into arr_movements (workspace_id, subscription_id, account_id, kind, amount, occurred_at, actor_id)
     values ($1, $2, $3, $4, $5, now(), $6)`,
    [p.workspaceId, row.id, row.accountId, kind, new Decimal(amount).abs().toFixed(2), p.userId],
  );
}

export function createSubscription(db: Db, p: Principal, v: Values) {
  return createFor(db, p, subscriptions, v, {
    ownerFields: [],
    after: async (tx, row) => {
      if (!(await records.inScope(tx, accounts, p.workspaceId, row.accountId as string, dataScope(p, 'write'), 'write')))
        throw new AppError('forbidden', 'accountId: this account is outside your scope', [
          { path: 'accountId', message: 'outside your scope' },
        ]);
      await recordMovement(tx, p, row, 'new', row.arr as string);
      await records.recordChange(tx, {
        workspaceId: p.workspaceId,
        recordType: 'subscription',
        recordId: row.id,
        field: 'status',
        from: null,
        to: row.status as string,
        actorId: p.userId,
      });
    },
  });
}

export function updateSubscription(db: Db, p: Principal, id: string, v: Values) {
  return updateFor(db, p, subscriptions, id, v, {
    ownerFields: [],
    after: async (tx, before, after) => {
      const delta = new Decimal(after.arr as string).minus(before.arr as string);
      if (after.status !== before.status)
        await records.recordChange(tx, {
          workspaceId: p.workspaceId,
          recordType: 'subscription',
          recordId: id,
          field: 'status',
          from: before.status as string,
          to: after.status as string,
          actorId: p.userId,
        });
      const churned = after.status !== before.status && (after.status === 'churned' || after.status === 'cancelled');
      if (churned) await recordMovement(tx, p, after, 'churn', before.arr as string);
      else if (delta.gt(0)) await recordMovement(tx, p, after, 'expansion', delta);
      else if (delta.lt(0)) await recordMovement(tx, p, after, 'contraction', delta);
    },
  });
}

/** Activities hang off any record; whoever may read the record may see and add its activities. */
export async function createActivity(db: Db, p: Principal, v: Values) {
  const record = await getFor(db, p, RESOURCES[v.recordType as keyof typeof RESOURCES], v.recordId as string, 'read');
  return createFor(
    db,
    p,
    activities,
    { ...v, actorId: p.userId },
    {
      ownerFields: [],
      // The owner's first call, email or note on a lead is its first touch (speed to lead).
      after: async (tx) => (v.recordType === 'lead' ? markFirstTouch(tx, p, record, new Date()) : undefined),
    },
  );
}

export async function listActivities(
  db: Db,
  p: Principal,
  q: { recordType: string; recordId: string; limit: number; cursor?: string; order: 'asc' | 'desc' },
) {
  await getFor(db, p, RESOURCES[q.recordType as keyof typeof RESOURCES], q.recordId, 'read');
  return records.listRecords(db, activities, {
    workspaceId: p.workspaceId,
    scope: { all: true },
    sort: 'createdAt',
    order: q.order,
    limit: q.limit,
    cursor: q.cursor,
    build: (w) => w.add(`record_type = ${w.param(q.recordType)}`).add(`record_id = ${w.param(q.recordId)}`),
  });
}

export async function history(db: Db, p: Principal, recordType: 'lead' | 'opportunity' | 'subscription', recordId: string) {
  await getFor(db, p, RESOURCES[recordType], recordId, 'read');
  return records.historyOf(db, p.workspaceId, recordType, recordId);
}

/** Website visits and chat conversations: the first two funnel stages. */
export async function recordWebEvent(
  db: Db,
  p: Principal,
  v: {
    kind: string;
    visitorId: string;
    repId?: string | null;
    leadId?: string | null;
    channel?: string | null;
    page?: string | null;
    occurredAt?: string;
  },
) {
  requirePermission(p, 'crm:write');
  for (const [field, table] of [
    ['repId', 'users'],
    ['leadId', 'leads'],
  ] as const) {
    const id = v[field];
    if (id && !(await db.query(`select 1 from ${table} where workspace_id = $1 and id = $2`, [p.workspaceId, id])).length)
      throw invalid(field, 'no record with this id in this workspace');
  }
  const [row] = await db.query(
    `insert into web_events (workspace_id, kind, visitor_id, rep_id, lead_id, channel, page, occurred_at)
     values ($1, $2, $3, $4, $5, $6, $7, coalesce($8::timestamptz, now()))
     returning id, kind, visitor_id as "visitorId", rep_id as "repId", lead_id as "leadId", channel, page, occurred_at as "occurredAt"`,
    [p.workspaceId, v.kind, v.visitorId, v.repId ?? null, v.leadId ?? null, v.channel ?? null, v.page ?? null, v.occurredAt ?? null],
  );
  return row;
}
