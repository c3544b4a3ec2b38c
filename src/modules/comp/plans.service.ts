import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError, conflict, type FieldIssue, notFound } from '../../platform/errors.js';
import { compScope, refuseClosed, requireCompAdmin } from './access.js';
import { addDays, monthOf } from './dates.core.js';
import * as ledger from './ledger.repo.js';
import { baseRate } from './plan.core.js';
import { type PlanDocument, planDocument } from './plan.schema.js';
import * as repo from './plans.repo.js';

/**
 * Plans are versioned documents: drafts are edited freely, a published version is immutable and in force from its
 * effective date until the next version's (which ends it the day before). Changing a plan = a new version.
 */

/** Validates a plan document (JSON or parsed YAML): field-level errors, nothing saved. */
export function parsePlanDocument(input: unknown): PlanDocument {
  const r = planDocument.safeParse(input);
  if (r.success) return r.data;
  const details: FieldIssue[] = r.error.issues.map((i) => ({ path: i.path.join('.') || 'document', message: i.message }));
  throw new AppError('validation_failed', `Invalid plan document: ${details[0].path}: ${details[0].message}`, details);
}

/** Every version of every plan (or of one key). Any signed-in person reads plans: reps should know how they are paid. */
export async function listPlans(db: Db, p: Principal, key?: string) {
  compScope(p);
  return repo.listVersions(db, p.workspaceId, key);
}

export async function getPlanVersion(db: Db, p: Principal, key: string, version: number) {
  compScope(p);
  const row = await repo.findVersion(db, p.workspaceId, key, version);
  if (!row) throw notFound(`plan ${key} version ${version}`);
  return row;
}

/** The version in force on a date, else the latest published, else the latest draft: what `export` writes. */
export async function exportPlan(db: Db, p: Principal, key: string, version?: number): Promise<repo.PlanRow> {
  if (version) return getPlanVersion(db, p, key, version);
  const all = await listPlans(db, p, key);
  if (!all.length) throw notFound(`plan ${key}`);
  return [...all].reverse().find((v) => v.status === 'published') ?? all.at(-1)!;
}

/** A new draft version of the document's key (version 1 for a new key). */
export async function createDraft(db: Db, p: Principal, input: unknown) {
  requireCompAdmin(p);
  const doc = parsePlanDocument(input);
  return db.transaction(async (tx) => {
    await ledger.lockComp(tx, p.workspaceId);
    const row = await repo.insertDraft(tx, p.workspaceId, doc, p.userId);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'comp.plan.create',
      recordType: 'comp_plan',
      recordId: row.id,
      after: { key: row.key, version: row.version },
    });
    return row;
  });
}

async function lockedDraft(tx: Db, p: Principal, key: string, version: number) {
  const row = await repo.findVersion(tx, p.workspaceId, key, version, true);
  if (!row) throw notFound(`plan ${key} version ${version}`);
  if (row.status !== 'draft')
    throw conflict(`plan ${key} version ${version} is published and cannot change: create a new version (POST /comp/plans) instead`);
  return row;
}

export async function updateDraft(db: Db, p: Principal, key: string, version: number, input: unknown) {
  requireCompAdmin(p);
  const doc = parsePlanDocument(input);
  if (doc.key !== key)
    throw new AppError('validation_failed', `key: this is plan ${key}`, [
      { path: 'key', message: `must be ${key} (the plan being edited)` },
    ]);
  return db.transaction(async (tx) => {
    const before = await lockedDraft(tx, p, key, version);
    const row = await repo.updateDraft(tx, before.id, doc);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'comp.plan.update',
      recordType: 'comp_plan',
      recordId: row.id,
      before: before.document,
      after: doc,
    });
    return row;
  });
}

export async function deleteDraft(db: Db, p: Principal, key: string, version: number) {
  requireCompAdmin(p);
  await db.transaction(async (tx) => {
    const row = await lockedDraft(tx, p, key, version);
    await repo.deleteDraft(tx, row.id);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'comp.plan.delete',
      recordType: 'comp_plan',
      recordId: row.id,
      before: { key, version },
    });
  });
}

/**
 * Publishes a draft from a date: it must be in an open month and after the start of every published version of the
 * key; the version in force then ends the day before. Every assignment to the key from that date on must find a rate
 * for its level in the new version.
 */
export async function publishVersion(db: Db, p: Principal, key: string, version: number, effectiveFrom: string) {
  requireCompAdmin(p);
  return db.transaction(async (tx) => {
    await ledger.lockComp(tx, p.workspaceId);
    const draft = await lockedDraft(tx, p, key, version);
    refuseClosed(
      await ledger.lastClosedMonth(tx, p.workspaceId),
      monthOf(effectiveFrom),
      'effectiveFrom',
      'a plan version takes effect in an open month',
    );
    const published = (await repo.listVersions(tx, p.workspaceId, key)).filter((v) => v.status === 'published');
    const later = published.find((v) => v.effectiveFrom! >= effectiveFrom);
    if (later)
      throw new AppError(
        'conflict',
        `version ${later.version} of ${key} is in force from ${later.effectiveFrom}: publish from a later date`,
        [{ path: 'effectiveFrom', message: `must be after ${later.effectiveFrom}` }],
      );
    const assigned = (await repo.listAssignments(tx, p.workspaceId, null)).filter(
      (a) => a.planKey === key && (a.to == null || a.to >= effectiveFrom),
    );
    checkLevels(draft.document, assigned);
    const previous = published.find((v) => v.effectiveTo == null || v.effectiveTo >= effectiveFrom);
    if (previous) await repo.endVersion(tx, previous.id, addDays(effectiveFrom, -1));
    const row = await repo.publish(tx, draft.id, effectiveFrom, p.userId);
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: 'comp.plan.publish',
      recordType: 'comp_plan',
      recordId: row.id,
      after: {
        key,
        version,
        effectiveFrom,
        ends: previous ? { version: previous.version, effectiveTo: addDays(effectiveFrom, -1) } : null,
      },
    });
    return row;
  });
}

/** Each commission component must have a rate for the level of every assignment it will pay. */
export function checkLevels(doc: PlanDocument, assignments: { userName: string; level: number }[]) {
  for (const [i, c] of doc.components.entries()) {
    if (c.type !== 'commission') continue;
    const missing = assignments.find((a) => !baseRate(c, a.level));
    if (missing)
      throw new AppError(
        'validation_failed',
        `plan ${doc.key}: component ${c.id} has no rate for level ${missing.level} (${missing.userName} is assigned at it)`,
        [{ path: `components.${i}.ratesByLevel`, message: `no rate for level ${missing.level}` }],
      );
  }
}
