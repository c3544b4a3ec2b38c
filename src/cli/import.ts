import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { SingleBar } from 'cli-progress';
import { Argument, type Command } from 'commander';
import type { Db } from '../db/client.js';
import { IMPORT_KINDS, type ImportKind } from '../modules/crm/import.columns.js';
import { formatIssues } from '../modules/crm/import.core.js';
import { ImportRejected, type ImportSummary, importCsv } from '../modules/crm/import.service.js';
import type { Workspace } from '../modules/org/org.repo.js';
import { MAX_BATCH } from '../modules/success/events.core.js';
import { ingestEvents } from '../modules/success/events.service.js';
import { systemPrincipal } from '../platform/auth/principal.js';
import { AppError, type FieldIssue } from '../platform/errors.js';
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
        'same-email rows are merged, rows without owner_email are routed, rows without source_type are classified by channel. ' +
        '`import events FILE.jsonl` takes usage events, one JSON object per line (docs/usage-and-milestones.md), through the ' +
        'same ingestion as POST /api/v1/events: valid lines are stored (a message id already stored is a duplicate, so a ' +
        'fixed file can be imported again), invalid lines are listed, and any invalid line makes the exit code 1.',
    )
    .addArgument(new Argument('<kind>', 'what the file holds').choices([...IMPORT_KINDS, 'events']))
    .argument('<file>', 'CSV file (UTF-8, comma-separated, first line = column names); for events, JSON Lines')
    .option('--workspace <slug>', 'workspace slug (needed when there are several)')
    .option('--skip-invalid', 'import the valid rows and report the invalid ones instead of refusing the file')
    .option('--dry-run', 'validate and count only; write nothing')
    .action((kind: ImportKind | 'events', file: string, opts: { workspace?: string; skipInvalid?: boolean; dryRun?: boolean }) =>
      withDb(async (db) => {
        if (kind === 'events') {
          if (opts.skipInvalid || opts.dryRun)
            throw new CliError('--skip-invalid and --dry-run apply to CSV imports; events always import the valid lines');
          return importEvents(db, await resolveWorkspace(db, opts.workspace), file);
        }
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

/** Lines shown for the rejected events (the counts cover all of them). */
const SHOWN_REJECTED = 10;

/**
 * Usage events from a JSON Lines file, in batches of up to 10,000 through the ingestion service (one transaction
 * each). Prints the counts, the keys that matched no account, and the first rejected lines with their reasons.
 */
async function importEvents(db: Db, w: Workspace, file: string) {
  const input = createReadStream(file, 'utf8');
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', (e: NodeJS.ErrnoException) =>
      reject(new CliError(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`)),
    );
  });
  await opened;
  const totals = { lines: 0, accepted: 0, duplicates: 0, rejected: 0 };
  const rejected: { line: number; errors: FieldIssue[] }[] = [];
  const unknown = new Map<string, number>();
  const reject = (line: number, errors: FieldIssue[]) => {
    totals.rejected++;
    if (rejected.length < SHOWN_REJECTED) rejected.push({ line, errors });
  };
  let batch: { line: number; raw: unknown }[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const s = await ingestEvents(
      db,
      systemPrincipal(w.id),
      batch.map((b) => b.raw),
      new Date(),
    );
    totals.accepted += s.accepted;
    totals.duplicates += s.duplicates;
    for (const r of s.results) if (r.status === 'rejected') reject(batch[r.index].line, r.errors ?? []);
    for (const u of s.unknownAccounts) unknown.set(u.key, (unknown.get(u.key) ?? 0) + u.events);
    batch = [];
  };
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (!text.trim()) continue;
    totals.lines++;
    try {
      batch.push({ line, raw: JSON.parse(text) });
    } catch {
      reject(line, [{ path: '', message: 'not valid JSON' }]);
    }
    if (batch.length === MAX_BATCH) await flush();
  }
  await flush();
  if (!totals.lines) throw new CliError(`no events in ${file}: expected one JSON object per line`);

  console.log(
    `Imported ${file} into ${w.slug} (events, ${totals.lines} lines): ${totals.accepted} accepted, ${totals.duplicates} duplicates, ${totals.rejected} rejected`,
  );
  if (unknown.size) {
    const top = [...unknown].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const kept = top.reduce((n, [, c]) => n + c, 0);
    console.log(
      `${kept} events name ${unknown.size} unknown account${unknown.size === 1 ? '' : 's'} (kept, and linked once an account with that id or external id exists): ` +
        top
          .slice(0, 5)
          .map(([k, c]) => `${k} (${c})`)
          .join(', ') +
        (top.length > 5 ? ', ...' : ''),
    );
  }
  if (!totals.rejected) return;
  console.error(
    `Rejected line${totals.rejected === 1 ? '' : 's'}${totals.rejected > rejected.length ? ` (first ${rejected.length} of ${totals.rejected})` : ''}:`,
  );
  for (const r of rejected)
    console.error(`  line ${r.line}: ${r.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}`);
  throw new CliError(
    `${totals.rejected} line${totals.rejected === 1 ? ' was' : 's were'} rejected; fix and import the file again (stored events are not duplicated)`,
  );
}
