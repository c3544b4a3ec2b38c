import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { Argument, type Command } from 'commander';
import { IMPORT_KINDS, type ImportKind } from '../modules/crm/import.columns.js';
import { formatIssues } from '../modules/crm/import.core.js';
import { ImportRejected, type ImportSummary, importCsv } from '../modules/crm/import.service.js';
import { systemPrincipal } from '../platform/auth/principal.js';
import { AppError } from '../platform/errors.js';
import { CliError, resolveWorkspace, withDb } from './context.js';

/** Files larger than this get a progress bar (on stderr, and only on a terminal). */
const PROGRESS_FROM_ROWS = 1000;

export function register(program: Command) {
  program
    .command('import')
    .description(
      'Import records from a CSV file with a header row (columns: docs/import.md). Every row is validated first; ' +
        'if any is invalid nothing is written and the problems are listed. Rows with an id or external_id update that record, ' +
        'so importing the same file twice duplicates nothing. New leads go through the intake pipeline: ' +
        'same-email rows are merged, rows without owner_email are routed, rows without source_type are classified by channel.',
    )
    .addArgument(new Argument('<kind>', 'what the file holds').choices(IMPORT_KINDS))
    .argument('<file>', 'CSV file (UTF-8, comma-separated, first line = column names)')
    .option('--workspace <slug>', 'workspace slug (needed when there are several)')
    .option('--skip-invalid', 'import the valid rows and report the invalid ones instead of refusing the file')
    .option('--dry-run', 'validate and count only; write nothing')
    .action((kind: ImportKind, file: string, opts: { workspace?: string; skipInvalid?: boolean; dryRun?: boolean }) =>
      withDb(async (db) => {
        const csv = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
          throw new CliError(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
        });
        const w = await resolveWorkspace(db, opts.workspace);
        const bar = new SingleBar({ format: `Importing ${kind} |{bar}| {value}/{total} rows`, stream: process.stderr, hideCursor: true });
        let started = false;
        try {
          const summary = await importCsv(db, systemPrincipal(w.id), kind, csv, {
            skipInvalid: opts.skipInvalid,
            dryRun: opts.dryRun,
            source: path.basename(file),
            onProgress: (done, total) => {
              if (total < PROGRESS_FROM_ROWS) return;
              if (!started) bar.start(total, 0);
              started = true;
              bar.update(done);
            },
          });
          if (started) bar.stop();
          report(summary, w.slug, file);
        } catch (err) {
          if (started) bar.stop();
          // A header problem is one message already; the generic printer would repeat it column by column.
          if (err instanceof AppError && !(err instanceof ImportRejected) && isHeaderProblem(err)) throw new CliError(err.message);
          if (!(err instanceof ImportRejected)) throw err;
          console.error(`${err.invalidRows} of ${err.totalRows} rows in ${file} are invalid; nothing was imported:`);
          for (const line of formatIssues(err.issues)) console.error(line);
          const valid = err.totalRows - err.invalidRows;
          throw new CliError(
            `fix the rows above${valid ? `, or pass --skip-invalid to import the ${valid} valid row${valid === 1 ? '' : 's'}` : ''}`,
          );
        }
      }),
    );
}

const isHeaderProblem = (err: AppError) =>
  Array.isArray(err.details) ? err.details.every((d) => d.path.startsWith('header.')) : err.code === 'validation_failed';

function report(s: ImportSummary, workspace: string, file: string) {
  const merged = s.intake ? `, merge ${s.intake.merged} into existing leads` : '';
  if (s.dryRun)
    console.log(
      `Dry run of ${file} (${s.kind}, ${s.rows} rows) for ${workspace}: would insert ${s.inserted}${merged}, update ${s.updated}, ` +
        `leave ${s.unchanged} unchanged; nothing was written`,
    );
  else
    console.log(
      `Imported ${file} into ${workspace} (${s.kind}, ${s.rows} rows): ${s.inserted} inserted, ` +
        `${s.intake ? `${s.intake.merged} merged into existing leads, ` : ''}${s.updated} updated, ${s.unchanged} unchanged`,
    );
  if (s.intake && s.inserted) {
    const i = s.intake;
    console.log(
      `New leads: ${i.ownerFromFile} kept their owner_email, ${i.routedToRep} routed to a rep, ${i.sentToQueue} sent to a queue; ` +
        `${i.flaggedForReview} flagged for review (same email as a closed lead)`,
    );
  }
  if (s.skipped) {
    console.error(`Skipped ${s.skipped} invalid row${s.skipped === 1 ? '' : 's'}:`);
    for (const line of formatIssues(s.issues)) console.error(line);
  }
}
