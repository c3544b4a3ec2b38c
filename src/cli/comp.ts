import fs from 'node:fs';
import type { Command } from 'commander';
import YAML from 'yaml';
import { z } from 'zod';
import { createAssignment } from '../modules/comp/assignments.service.js';
import { closePeriod } from '../modules/comp/periods.service.js';
import { createDraft, exportPlan, publishVersion } from '../modules/comp/plans.service.js';
import { formatMoney, formatRatio } from '../modules/comp/rounding.js';
import { runComp } from '../modules/comp/runs.service.js';
import { type Statement, statement, statementsCsv } from '../modules/comp/statements.service.js';
import { systemPrincipal } from '../platform/auth/principal.js';
import { CliError, resolveWorkspace, userByEmail, withDb } from './context.js';
import { asOptionErrors, parseOrExit } from './parse.js';

/** CLI option name for each field the comp services may reject, so errors name what the user typed. */
const OPTION_OF: Record<string, string> = { repId: 'rep', userId: 'user', planKey: 'plan', effectiveFrom: 'publish-from' };

const period = z.string().trim().min(1).max(20);
const runOptions = z.object({ period, force: z.boolean().optional(), json: z.boolean().optional(), progress: z.boolean().optional() });
const statementOptions = z.object({ rep: z.email().trim(), period, json: z.boolean().optional(), csv: z.boolean().optional() });
const importOptions = z.object({ publishFrom: z.iso.date('a date, YYYY-MM-DD').optional() });
const exportOptions = z.object({ version: z.coerce.number().int().min(1).optional(), format: z.enum(['json', 'yaml']).default('json') });
const assignOptions = z.object({
  user: z.email().trim(),
  plan: z.string().trim().min(1).max(60),
  level: z.coerce.number().int().min(1).max(20).optional(),
  from: z.iso.date('a date, YYYY-MM-DD'),
  to: z.iso.date('a date, YYYY-MM-DD').optional(),
});

export function register(program: Command) {
  const comp = program.command('comp').description('Compensation: plans, runs, closing and statements (docs/compensation.md)');
  comp
    .command('run')
    .description('Compute the ledger and bring every open month through the period up to date (idempotent)')
    .requiredOption('--period <period>', '2026-07 (month), 2026-Q3 (quarter) or 2026 (year)')
    .option('--force', 'write new lines even in months where nothing changed')
    .option('--json', 'the run summary as JSON')
    .option('--progress', 'print progress to stderr')
    .option('--workspace <slug>', 'workspace slug (needed when there are several)')
    .action((raw) =>
      withDb(async (db) => {
        const opts = parseOrExit(runOptions, raw);
        const w = await resolveWorkspace(db, raw.workspace);
        const r = await asOptionErrors(
          () =>
            runComp(db, systemPrincipal(w.id), { period: opts.period, force: opts.force }, new Date(), {
              onProgress: opts.progress ? (m) => process.stderr.write(`${m}\n`) : undefined,
            }),
          OPTION_OF,
        );
        if (opts.json) return void process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        console.log(r.message);
        for (const m of r.months)
          console.log(
            `  ${m.month}  ${String(m.lines).padStart(6)} lines  ${m.total.padStart(14)}  ${m.changed ? 'written' : 'unchanged'}`,
          );
      }),
    );
  comp
    .command('close')
    .description('Close a month (or a quarter) once it has ended: later changes become adjustments in the next open month')
    .requiredOption('--period <period>', '2026-07 or 2026-Q3')
    .option('--workspace <slug>', 'workspace slug (needed when there are several)')
    .action((raw) =>
      withDb(async (db) => {
        const opts = parseOrExit(z.object({ period }), raw);
        const w = await resolveWorkspace(db, raw.workspace);
        const r = await asOptionErrors(() => closePeriod(db, systemPrincipal(w.id), opts.period, new Date()), OPTION_OF);
        console.log(`Closed ${r.closed.join(', ')}`);
      }),
    );
  comp
    .command('statement')
    .description("A rep's statement for a period: lines with their arithmetic, holds and what they wait for, totals")
    .requiredOption('--rep <email>', "the rep's login email")
    .requiredOption('--period <period>', '2026-07, 2026-Q3 or 2026')
    .option('--json', 'the whole statement as JSON')
    .option('--csv', 'the lines as CSV')
    .option('--workspace <slug>', 'workspace slug (needed when there are several)')
    .action((raw) =>
      withDb(async (db) => {
        const opts = parseOrExit(statementOptions, raw);
        if (opts.json && opts.csv) throw new CliError('invalid options\n  --csv: give either --json or --csv');
        const w = await resolveWorkspace(db, raw.workspace);
        const rep = await userByEmail(db, w, opts.rep, 'rep');
        const p = systemPrincipal(w.id);
        if (opts.csv) {
          const { csv } = await asOptionErrors(() => statementsCsv(db, p, { period: opts.period, repId: rep.id }), OPTION_OF);
          return void process.stdout.write(csv);
        }
        const s = await asOptionErrors(() => statement(db, p, { period: opts.period, repId: rep.id }, new Date()), OPTION_OF);
        process.stdout.write(opts.json ? `${JSON.stringify(s, null, 2)}\n` : statementText(s));
      }),
    );
  comp
    .command('assign')
    .description('Assign a plan to a person from a date (at their level unless --level)')
    .requiredOption('--user <email>', "the person's login email")
    .requiredOption('--plan <key>', 'the plan key')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .option('--to <date>', 'last day, YYYY-MM-DD (default: open-ended)')
    .option('--level <n>', 'level for the rates (default: the person’s level)')
    .option('--workspace <slug>', 'workspace slug (needed when there are several)')
    .action((raw) =>
      withDb(async (db) => {
        const opts = parseOrExit(assignOptions, raw);
        const w = await resolveWorkspace(db, raw.workspace);
        const user = await userByEmail(db, w, opts.user, 'user');
        const a = await asOptionErrors(
          () =>
            createAssignment(db, systemPrincipal(w.id), {
              userId: user.id,
              planKey: opts.plan,
              level: opts.level,
              from: opts.from,
              to: opts.to,
            }),
          OPTION_OF,
        );
        console.log(`Assigned ${opts.user} to ${a.planKey} (level ${a.level}) from ${a.from}${a.to ? ` to ${a.to}` : ''}`);
      }),
    );

  const plan = comp.command('plan').description('Plan documents (JSON or YAML)');
  plan
    .command('import')
    .description('Import a plan document as a new draft version of its key; --publish-from publishes it')
    .argument('<file>', 'a .json, .yaml or .yml file')
    .option('--publish-from <date>', 'publish the new version, in force from this date (YYYY-MM-DD)')
    .option('--workspace <slug>', 'workspace slug (needed when there are several)')
    .action((file: string, raw) =>
      withDb(async (db) => {
        const opts = parseOrExit(importOptions, raw);
        const doc = readDocument(file);
        const w = await resolveWorkspace(db, raw.workspace);
        const p = systemPrincipal(w.id);
        // Document errors are printed as they are (field paths in the file), not as option errors.
        const draft = await createDraft(db, p, doc);
        if (!opts.publishFrom) return void console.log(`Imported ${draft.key} version ${draft.version} as a draft`);
        const published = await asOptionErrors(() => publishVersion(db, p, draft.key, draft.version, opts.publishFrom!), OPTION_OF);
        console.log(`Imported and published ${published.key} version ${published.version}, in force from ${published.effectiveFrom}`);
      }),
    );
  plan
    .command('export')
    .description('Print a plan document (the latest published version unless --version)')
    .argument('<key>', 'the plan key')
    .option('--version <n>', 'a version number')
    .option('--format <format>', 'json (default) or yaml')
    .option('--workspace <slug>', 'workspace slug (needed when there are several)')
    .action((key: string, raw) =>
      withDb(async (db) => {
        const opts = parseOrExit(exportOptions, raw);
        const w = await resolveWorkspace(db, raw.workspace);
        const row = await asOptionErrors(() => exportPlan(db, systemPrincipal(w.id), key, opts.version), OPTION_OF);
        process.stdout.write(opts.format === 'yaml' ? YAML.stringify(row.document) : `${JSON.stringify(row.document, null, 2)}\n`);
      }),
    );
}

/** A plan document from a JSON or YAML file; parse errors name the file and line. */
function readDocument(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return /\.ya?ml$/i.test(file) ? YAML.parse(text) : JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(err as Error).message}`);
  }
}

export function statementText(s: Statement): string {
  const money = (v: string) => formatMoney(v, s.currency).padStart(16);
  const out: string[] = [];
  out.push(
    `Statement ${s.period.label} (${s.period.months.map((m) => `${m.month} ${m.status}`).join(', ')}): ${s.rep.name} <${s.rep.email}>`,
  );
  for (const a of s.plans) out.push(`  plan ${a.planKey}, level ${a.level}, from ${a.from}${a.to ? ` to ${a.to}` : ''}`);
  for (const a of s.attainment)
    out.push(`  ${a.metric}: ${a.actual} of ${a.rampedQuota} (${a.attainment == null ? '-' : formatRatio(a.attainment)})`);
  if (!s.lines.length) out.push('  No lines in this period.');
  for (const l of s.lines) {
    const deal = l.opportunityName ? ` [${l.opportunityName}]` : '';
    out.push(`  ${l.period}  ${l.kind.padEnd(13)} ${money(l.amount)}  ${l.arithmetic}${deal}`);
  }
  const waiting = [...s.holds, ...s.openHolds].filter((h) => h.status === 'waiting');
  if (waiting.length) {
    out.push('Holds waiting:');
    for (const h of waiting) out.push(`  ${h.period}  ${money(h.amount)}  waits for ${h.condition}`);
  }
  const t = s.totals;
  out.push(
    `Totals: earnings ${formatMoney(t.earnings, s.currency)}, holds ${formatMoney(t.holds, s.currency)}, releases ${formatMoney(t.releases, s.currency)}, clawbacks ${formatMoney(t.clawbacks, s.currency)}, adjustments ${formatMoney(t.adjustments, s.currency)}, draws ${formatMoney(t.draws, s.currency)}; payable ${formatMoney(t.payable, s.currency)}`,
  );
  return `${out.join('\n')}\n`;
}
