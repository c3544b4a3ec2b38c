import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError, fromDbError } from '../../platform/errors.js';
import { type ImportKind, KINDS, type KindSpec } from './import.columns.js';
import { type Plan, type PlannedRow, planImport, type RowIssue } from './import.core.js';
import { adjustLeadPlan, type IntakeCounts, intakeNewLeads } from './import.leads.js';
import { type Parsed, parseCsv, referencedKeys } from './import.parse.js';
import {
  chunks,
  inactiveUserIds,
  insertBatch,
  insertHistory,
  loadAliases,
  loadLookups,
  toColumns,
  updateBatch,
  WRITE_BATCH,
} from './import.repo.js';

/**
 * CSV import as one use case: parse -> load lookups -> validate every row -> write everything in one transaction.
 * New leads go through the intake pipeline (dedupe, classification, routing); see import.leads.ts.
 */

export type ImportOptions = {
  /** Import the valid rows and report the rest, instead of refusing the whole file. */
  skipInvalid?: boolean;
  /** Validate and count, write nothing (leads run the pipeline and roll it back, so the counts are exact). */
  dryRun?: boolean;
  /** Where the rows came from (a file name), kept in the audit log. */
  source?: string;
  now?: Date;
  /** Called as rows are written: done out of total. */
  onProgress?: (done: number, total: number) => void;
};

export type ImportSummary = {
  kind: ImportKind;
  /** rows = inserted + updated + unchanged + skipped (+ intake.merged for leads). */
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows left out under `skipInvalid`, and why. */
  skipped: number;
  issues: RowIssue[];
  dryRun: boolean;
  /** Leads only: what the intake pipeline did with rows that had no lead yet. */
  intake?: IntakeCounts;
};

/** Some rows are invalid and nothing was written; `issues` names row, column and problem for each. */
export class ImportRejected extends AppError {
  constructor(
    readonly issues: RowIssue[],
    readonly invalidRows: number,
    readonly totalRows: number,
  ) {
    super(
      'validation_failed',
      `${invalidRows} of ${totalRows} row${totalRows === 1 ? '' : 's'} invalid; nothing was imported`,
      issues.map((i) => ({ path: `rows.${i.row}.${i.column}`, row: i.row, column: i.column, message: i.message })),
    );
  }
}

export async function importCsv(db: Db, p: Principal, kind: ImportKind, csv: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  requirePermission(p, 'import');
  const spec = KINDS[kind];
  const parsed = parseCsv(spec, csv);
  if (!parsed.ok)
    throw new AppError(
      'validation_failed',
      parsed.error.message,
      parsed.error.problems.map((x) => ({ path: `header.${x.column}`, column: x.column, message: x.message })),
    );
  const file = parsed.file;
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    // Lead imports of one workspace run one at a time, so two runs of a file cannot both create its rows.
    if (kind === 'leads') await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`import:leads:${p.workspaceId}`]);
    const keys = referencedKeys(file);
    const lookups = await loadLookups(tx, spec, p.workspaceId, keys);
    let plan = planImport(spec, file, lookups, { now, newId: randomUUID });
    if (kind === 'leads') plan = await checkLeadPlan(tx, p.workspaceId, plan, file, keys.externalIds);
    if (plan.issues.length && !opts.skipInvalid) throw new ImportRejected(plan.issues, plan.invalidRows, plan.totalRows);
    const count = (a: PlannedRow['action']) => plan.planned.filter((r) => r.action === a).length;
    const summary: ImportSummary = {
      kind,
      rows: plan.totalRows,
      inserted: count('insert'),
      updated: count('update'),
      unchanged: count('unchanged'),
      skipped: plan.invalidRows,
      issues: plan.issues,
      dryRun: !!opts.dryRun,
    };
    // Only the pipeline knows what it will merge or where it routes, so a leads dry run writes and rolls back.
    if (opts.dryRun && kind !== 'leads') return summary;
    if (opts.dryRun) await tx.query('savepoint revline_import_dry_run');
    try {
      const written = await writePlan(tx, spec, p, plan, now, opts.onProgress);
      summary.inserted = written.inserted;
      summary.updated += written.raced;
      if (written.intake) summary.intake = written.intake;
    } catch (err) {
      throw fromDbError(err) ?? err;
    }
    if (opts.dryRun) {
      await tx.query('rollback to savepoint revline_import_dry_run');
      return summary;
    }
    await audit(tx, p, {
      workspaceId: p.workspaceId,
      action: `import.${kind}`,
      recordType: spec.resource.recordType,
      recordId: null,
      after: {
        source: opts.source ?? null,
        rows: summary.rows,
        inserted: summary.inserted,
        updated: summary.updated,
        unchanged: summary.unchanged,
        skipped: summary.skipped,
        ...summary.intake,
      },
    });
    return summary;
  });
}

/** What only the database knows about new lead rows: earlier merges of their external id, deactivated owners. */
async function checkLeadPlan(tx: Db, workspaceId: string, plan: Plan, file: Parsed, externalIds: string[]) {
  return adjustLeadPlan(plan, file, {
    aliases: await loadAliases(tx, workspaceId, externalIds),
    inactiveUserIds: await inactiveUserIds(tx, workspaceId),
  });
}

type Written = { inserted: number; raced: number; intake?: IntakeCounts };

/**
 * Inserts (for leads: the intake pipeline), then updates, then history, in batches. Records another writer
 * created between validation and write are updated instead of inserted; `raced` counts them.
 */
async function writePlan(
  tx: Db,
  spec: KindSpec,
  p: Principal,
  plan: Plan,
  now: Date,
  onProgress?: (done: number, total: number) => void,
): Promise<Written> {
  const def = spec.resource;
  const toRow = (r: PlannedRow) => {
    const values: Record<string, unknown> = { ...r.values, id: r.id };
    // A record imported with its creation time was last touched then, too.
    if (r.action === 'insert' && values.createdAt) values.updatedAt = values.createdAt;
    return toColumns(def, values, r.hidden);
  };
  const inserts = plan.planned.filter((r) => r.action === 'insert');
  const updates = plan.planned.filter((r) => r.action === 'update');
  const total = inserts.length + updates.length;
  let done = 0;
  const progress = (n: number) => {
    done += n;
    onProgress?.(done, total);
  };
  onProgress?.(0, total);

  if (spec.kind === 'leads') {
    // Intake writes the new leads' history (created as `new`, owner) itself.
    const r = await intakeNewLeads(tx, p, inserts, now, progress);
    for (const batch of chunks(updates, WRITE_BATCH)) {
      await updateBatch(tx, def, p.workspaceId, batch.map(toRow));
      progress(batch.length);
    }
    // Already counted in the progress as intake rows.
    for (const batch of chunks(r.raced, WRITE_BATCH)) await updateBatch(tx, def, p.workspaceId, batch.map(toRow));
    await insertHistory(
      tx,
      p.workspaceId,
      'lead',
      p.userId,
      updates.flatMap((u) => u.history),
    );
    return { inserted: r.inserted, raced: r.raced.length, intake: r.counts };
  }

  const realIds = new Map<string, string>();
  for (const batch of chunks(inserts, WRITE_BATCH)) {
    const returned = await insertBatch(tx, def, p.workspaceId, batch.map(toRow));
    const raced = returned.filter((r) => !r.inserted);
    if (raced.length) {
      const plannedId = new Map(batch.map((r) => [r.values.externalId, r.id]));
      for (const r of raced) realIds.set(plannedId.get(r.externalId) ?? r.id, r.id);
    }
    progress(batch.length);
  }
  for (const batch of chunks(updates, WRITE_BATCH)) {
    await updateBatch(tx, def, p.workspaceId, batch.map(toRow));
    progress(batch.length);
  }
  const recordType = def.recordType === 'lead' || def.recordType === 'opportunity' ? def.recordType : null;
  if (recordType) {
    // A "created" entry is wrong for a record that already existed, so raced rows get none.
    const history = plan.planned.flatMap((r) => (realIds.has(r.id) ? [] : r.history));
    await insertHistory(tx, p.workspaceId, recordType, p.userId, history);
  }
  return { inserted: inserts.length - realIds.size, raced: realIds.size };
}
