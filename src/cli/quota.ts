import type { Command } from 'commander';
import { z } from 'zod';
import { QUOTA_METRICS } from '../modules/quotas/quotas.core.js';
import { type AttainmentReport, quotaAttainment, setQuota } from '../modules/quotas/quotas.service.js';
import { systemPrincipal } from '../platform/auth/principal.js';
import { CliError, resolveWorkspace, userByEmail, withDb } from './context.js';
import { asOptionErrors, parseOrExit } from './parse.js';

/** CLI option name for each field the quota service may reject, so errors name what the user typed. */
const OPTION_OF: Record<string, string> = { userId: 'user', teamId: 'team' };

const setOptions = z.object({
  user: z.email().trim(),
  metric: z.enum(QUOTA_METRICS),
  period: z.string().trim().min(1).max(20),
  amount: z.string().trim().min(1).max(20),
  note: z.string().trim().max(500).optional(),
});
const showOptions = z.object({
  period: z.string().trim().max(20).optional(),
  team: z.string().trim().min(1).max(200).optional(),
  json: z.boolean().optional(),
});

export function register(program: Command) {
  const quota = program.command('quota').description('Quotas per rep and period, and live attainment (the same numbers as the web app)');
  quota
    .command('set')
    .description('Set (create or update) the quota of a rep for a metric and period')
    .requiredOption('--user <email>', "the rep's login email")
    .requiredOption('--metric <metric>', `${QUOTA_METRICS.join(', ')} (must fit the rep's role)`)
    .requiredOption('--period <period>', '2026 (year), 2026-Q3 (quarter) or 2026-07 (month)')
    .requiredOption('--amount <amount>', 'above zero: ARR or pipeline in the workspace currency, or a number of leads')
    .option('--note <text>', 'why this quota')
    .option('--workspace <slug>', 'workspace slug (needed when there are several)')
    .action((raw) =>
      withDb(async (db) => {
        const opts = parseOrExit(setOptions, raw);
        const w = await resolveWorkspace(db, raw.workspace);
        const user = await userByEmail(db, w, opts.user, 'user');
        const r = await asOptionErrors(
          () =>
            setQuota(db, systemPrincipal(w.id), {
              userId: user.id,
              metric: opts.metric,
              period: opts.period,
              amount: opts.amount,
              note: opts.note,
            }),
          OPTION_OF,
        );
        console.log(`${r.created ? 'Set' : 'Updated'} ${opts.user} ${r.quota.metric} ${r.quota.period}: ${r.quota.amount}`);
      }),
    );
  quota
    .command('show')
    .description('Attainment per rep and team: ramped quota, actual, percent')
    .option('--period <period>', '2026, 2026-Q3 or 2026-07 (default: the current quarter, workspace timezone)')
    .option('--team <name>', 'only this team')
    .option('--json', 'the full report as JSON')
    .option('--workspace <slug>', 'workspace slug (needed when there are several)')
    .action((raw) =>
      withDb(async (db) => {
        const opts = parseOrExit(showOptions, raw);
        const w = await resolveWorkspace(db, raw.workspace);
        let teamId: string | undefined;
        if (opts.team) {
          const [team] = await db.query<{ id: string }>('select id from teams where workspace_id = $1 and lower(name) = lower($2)', [
            w.id,
            opts.team,
          ]);
          if (!team) throw new CliError(`invalid options\n  --team: no team named "${opts.team}" in workspace ${w.slug}`);
          teamId = team.id;
        }
        const r = await asOptionErrors(
          () => quotaAttainment(db, systemPrincipal(w.id), { period: opts.period, teamId }, new Date()),
          OPTION_OF,
        );
        process.stdout.write(opts.json ? `${JSON.stringify(r, null, 2)}\n` : attainmentTable(r));
      }),
    );
}

const pct = (a: string | null) => (a == null ? '-' : `${(Number(a) * 100).toFixed(1)}%`);

export function attainmentTable(r: AttainmentReport): string {
  const head = ['', 'team', 'metric', 'quota', 'ramped', 'actual', 'attainment'];
  const rows = [
    head,
    ...r.rows.map((x) => [x.name, x.teamName ?? '-', x.metric, x.quota, x.rampedQuota, x.actual, pct(x.attainment)]),
    ...r.teams.map((t) => [
      `${t.teamName} (${t.attained}/${t.reps} attained)`,
      t.teamName,
      t.metric,
      '',
      t.rampedQuota,
      t.actual,
      pct(t.attainment),
    ]),
  ];
  const widths = head.map((_, i) => Math.max(...rows.map((x) => x[i].length)));
  const fmt = (x: string[]) => x.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const title = `Quota attainment ${r.period.label} (${r.period.start}..${r.period.end}, ${r.timezone}), ramp ${r.ramp.join('/')}%, amounts in ${r.currency}`;
  if (r.rows.length === 0) return `${title}\nNo quota covers this period.\n`;
  return `${title}\n${rows.map(fmt).join('\n')}\n`;
}
