import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { Argument, type Command } from 'commander';
import { exportCsv } from '../modules/crm/export.service.js';
import { EXPORT_KINDS, type ExportKind } from '../modules/crm/import.columns.js';
import { systemPrincipal } from '../platform/auth/principal.js';
import { CliError, resolveWorkspace, withDb } from './context.js';

export function register(program: Command) {
  program
    .command('export')
    .description('Export records as CSV in the format `revline import` reads (docs/import.md); to stdout unless --out is given')
    .addArgument(new Argument('<kind>', 'what to export').choices(EXPORT_KINDS))
    .option('--workspace <slug>', 'workspace slug (needed when there are several)')
    .option('--out <file>', 'write to this file instead of stdout')
    .action((kind: ExportKind, opts: { workspace?: string; out?: string }) =>
      withDb(async (db) => {
        const w = await resolveWorkspace(db, opts.workspace);
        const out: Writable = opts.out ? createWriteStream(opts.out) : process.stdout;
        if (opts.out)
          await Promise.race([once(out, 'open'), once(out, 'error').then(([e]) => Promise.reject(e))]).catch((e: Error) => {
            throw new CliError(`cannot write ${opts.out}: ${e.message}`);
          });
        let count = 0;
        for await (const chunk of exportCsv(db, systemPrincipal(w.id), kind, { onRows: (n) => (count += n) })) {
          // Respect backpressure: a million rows must not pile up in memory.
          if (!out.write(chunk)) await once(out, 'drain');
        }
        if (opts.out) {
          out.end();
          await once(out, 'finish');
          console.error(`Exported ${count} ${kind} from ${w.slug} to ${opts.out}`);
        }
      }),
    );
}
