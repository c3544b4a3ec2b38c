import type { Db } from '../../db/client.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { intakeLeads } from '../routing/intake.service.js';
import type { LeadCreate } from './crm.schema.js';
import type { Plan, PlannedRow, RowIssue } from './import.core.js';
import type { Parsed } from './import.parse.js';
import { applyImportedStatuses, chunks, insertAliases } from './import.repo.js';

/**
 * Lead rows that create a lead go through the intake pipeline (dedupe, classification, routing, history,
 * assignments, notifications) inside the import's transaction, in batches. The import adds what intake
 * does not know about: a status other than `new` given by the file, and the external ids of rows that
 * intake merged into another lead (so a second run of the same file finds them).
 */

/** Rows per intakeLeads call: large enough for set-based writes, small enough to keep statements modest. */
export const INTAKE_BATCH = 5000;

/** What intake did with the rows that had no lead yet. */
export type IntakeCounts = {
  /** Rows merged into an existing open lead with the same email, or into an earlier row of the file: no new lead. */
  merged: number;
  /** New leads flagged for review: the email belongs to a closed (converted or disqualified) lead. */
  flaggedForReview: number;
  /** New leads without owner_email that routing gave to a rep. */
  routedToRep: number;
  /** New leads without owner_email that routing sent to a queue. */
  sentToQueue: number;
  /** New leads that kept the owner_email of their row (not routed). */
  ownerFromFile: number;
};

export const noIntake = (): IntakeCounts => ({ merged: 0, flaggedForReview: 0, routedToRep: 0, sentToQueue: 0, ownerFromFile: 0 });

/**
 * Lead-specific checks and decisions before any write (pure): a row merged by an earlier import is
 * `unchanged`; a new lead's owner must be active (intake refuses inactive owners, and the report should
 * name the cell rather than fail half-way).
 */
export function adjustLeadPlan(plan: Plan, file: Parsed, known: { aliases: Map<string, string>; inactiveUserIds: Set<string> }): Plan {
  const ownerIndex = file.columns.findIndex((c) => c.kind === 'user' && c.field === 'ownerId');
  const issues: RowIssue[] = [...plan.issues];
  const planned: PlannedRow[] = [];
  let invalid = 0;
  for (const r of plan.planned) {
    const alias = r.action === 'insert' && typeof r.values.externalId === 'string' ? known.aliases.get(r.values.externalId) : undefined;
    if (alias) planned.push({ ...r, action: 'unchanged', id: alias, history: [] });
    else if (r.action === 'insert' && known.inactiveUserIds.has(r.values.ownerId as string)) {
      const row = file.rows[r.row - 1];
      const email = row.cells[ownerIndex]?.trim();
      issues.push({
        row: r.row,
        line: row.line,
        column: file.headers[ownerIndex],
        message: `${email} is deactivated: a new lead needs an active owner`,
      });
      invalid++;
    } else planned.push(r);
  }
  issues.sort((a, b) => a.row - b.row);
  return { ...plan, planned, issues, invalidRows: plan.invalidRows + invalid };
}

/** A planned new row as the intake's input: the same fields the API's create takes. */
export function toLeadCreate(values: Record<string, unknown>): LeadCreate {
  const v = (k: string) => (values[k] ?? undefined) as never;
  return {
    externalId: v('externalId'),
    email: v('email'),
    firstName: v('firstName'),
    lastName: v('lastName'),
    company: v('company'),
    domain: v('domain'),
    title: v('title'),
    phone: v('phone'),
    employees: v('employees'),
    expectedArr: v('expectedArr'),
    country: v('country'),
    // Absent: the workspace's channel rules decide.
    sourceType: v('sourceType'),
    channel: values.channel as LeadCreate['channel'],
    segment: v('segment'),
    ownerId: v('ownerId'),
    createdAt: v('createdAt'),
  };
}

const withoutEmpty = (values: Record<string, unknown>, fields: string[]) =>
  Object.fromEntries(Object.entries(values).filter(([k, v]) => !(fields.includes(k) && v == null)));

export type IntakeResult = {
  counts: IntakeCounts;
  inserted: number;
  /** Rows whose external id another writer stored after the lookups: to be updated like any matched row. */
  raced: PlannedRow[];
};

/** Sends the new rows through intake, batch by batch, then applies the file's statuses and records merges. */
export async function intakeNewLeads(
  tx: Db,
  p: Principal,
  rows: PlannedRow[],
  now: Date,
  onBatch: (rows: number) => void,
): Promise<IntakeResult> {
  const counts = noIntake();
  const created: { row: PlannedRow; leadId: string }[] = [];
  const raced: PlannedRow[] = [];
  const aliases: { externalId: string; leadId: string }[] = [];
  for (const batch of chunks(rows, INTAKE_BATCH)) {
    const outcomes = await intakeLeads(
      tx,
      p,
      batch.map((r) => toLeadCreate(r.values)),
      now,
      { audit: false },
    );
    outcomes.forEach((o, i) => {
      const row = batch[i];
      if (o.status === 'created') {
        created.push({ row, leadId: o.leadId });
        if (o.needsReview) counts.flaggedForReview++;
        if (row.values.ownerId) counts.ownerFromFile++;
        else if (o.ownerId) counts.routedToRep++;
        else counts.sentToQueue++;
      } else if (o.status === 'merged') {
        counts.merged++;
        if (typeof row.values.externalId === 'string') aliases.push({ externalId: row.values.externalId, leadId: o.leadId });
      } else if (o.status === 'invalid')
        // Only an owner deactivated since validation gets here; the transaction is rolled back.
        throw new AppError(
          'conflict',
          `row ${row.row}: ${o.errors.map((e) => e.message).join('; ')} (changed during the import); nothing was imported`,
          o.errors.map((e) => ({ ...e, path: `rows.${row.row}.${e.path}` })),
        );
      // Stored by someone else since the lookups: updated like a matched row, where the empty owner and
      // source type cells mean "keep", as they do on any update.
      else raced.push({ ...row, action: 'update', id: o.leadId, history: [], values: withoutEmpty(row.values, ['ownerId', 'sourceType']) });
    });
    onBatch(batch.length);
  }
  await insertAliases(tx, p.workspaceId, aliases);
  const later = created.filter((c) => c.row.values.status !== 'new');
  await applyImportedStatuses(
    tx,
    p,
    later.map((c) => ({
      leadId: c.leadId,
      status: c.row.values.status as string,
      disqualifyReason: (c.row.values.disqualifyReason as string | null) ?? null,
      // After the `new` entry intake dated at created_at, even for a lead created after the import runs.
      at: new Date(Math.max(now.getTime(), c.row.values.createdAt ? Date.parse(c.row.values.createdAt as string) : 0)),
    })),
  );
  return { counts, inserted: created.length, raced };
}
