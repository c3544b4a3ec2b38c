import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { coachingQuery, funnelQuery } from '../modules/analytics/analytics.schema.js';
import { type RepCoaching, repCoaching } from '../modules/analytics/coaching.service.js';
import { type FunnelMetrics, MEASURES, type Rate } from '../modules/analytics/funnel.core.js';
import { type FunnelReport, funnelReport } from '../modules/analytics/funnel.service.js';
import type { RetentionMetrics } from '../modules/success/retention.core.js';
import { retentionQuery } from '../modules/success/retention.schema.js';
import { type RetentionReport, retentionReport } from '../modules/success/retention.service.js';
import { systemPrincipal } from '../platform/auth/principal.js';
import { CliError, resolveWorkspace, userByEmail, withDb } from './context.js';
import { asOptionErrors, parseOrExit } from './parse.js';

/** CLI option name for each field the analytics services may reject, so errors name what the user typed. */
const OPTION_OF: Record<string, string> = {
  groupBy: 'by',
  repId: 'rep',
  minN: 'min-n',
};

const rangeOptions = {
  period: funnelQuery.shape.period,
  from: funnelQuery.shape.from,
  to: funnelQuery.shape.to,
  view: funnelQuery.shape.view,
};
const funnelOptions = z.object({
  ...rangeOptions,
  by: funnelQuery.shape.groupBy.default('none'),
  json: z.boolean().optional(),
  csv: z.boolean().optional(),
});
const coachingOptions = z.object({
  ...rangeOptions,
  rep: z.email().trim(),
  minN: coachingQuery.shape.minN,
  months: coachingQuery.shape.months,
  json: z.boolean().optional(),
});

const retentionOptions = z.object({
  period: retentionQuery.shape.period,
  from: retentionQuery.shape.from,
  to: retentionQuery.shape.to,
  by: retentionQuery.shape.groupBy.default('none'),
  json: z.boolean().optional(),
  csv: z.boolean().optional(),
});

export function register(program: Command) {
  const report = program
    .command('report')
    .description('Funnel, coaching and retention reports from the command line (the same numbers as the web app)');
  const range = (c: Command) =>
    c
      .option('--period <period>', '2026, 2026-Q3, 2026-09 or 2026-W37 (default: the current quarter, workspace timezone)')
      .option('--from <date>', 'first day, YYYY-MM-DD (with --to)')
      .option('--to <date>', 'last day, YYYY-MM-DD (with --from)')
      .option('--workspace <slug>', 'workspace slug (needed when there are several)');

  range(
    report
      .command('funnel')
      .description('The funnel per group: counts, conversions, win rate, sales cycle and amounts')
      .option('--by <group>', 'none, rep, team, segment, source_type or channel', 'none')
      .option('--view <view>', 'period (events in the range) or cohort (leads created in the range, followed to the end)'),
  )
    .option('--json', 'the full report as JSON')
    .option('--csv', 'one CSV row per group and a last row for all of them')
    .action((raw) =>
      withDb(async (db) => {
        const opts = parseOrExit(funnelOptions, raw);
        if (opts.json && opts.csv) throw new CliError('give --json or --csv, not both');
        const w = await resolveWorkspace(db, raw.workspace);
        const r = await asOptionErrors(
          () =>
            funnelReport(
              db,
              systemPrincipal(w.id),
              { groupBy: opts.by, view: opts.view, period: opts.period, from: opts.from, to: opts.to },
              new Date(),
            ),
          OPTION_OF,
        );
        if (opts.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        else if (opts.csv) process.stdout.write(funnelCsv(r));
        else process.stdout.write(funnelTable(r));
      }),
    );

  range(
    report
      .command('coaching')
      .description("One rep's strengths and gaps against comparable reps, with the monthly trend of each")
      .requiredOption('--rep <email>', "the rep's login email")
      .option('--view <view>', 'cohort (default) or period')
      .option('--min-n <n>', 'smallest sample a comparison needs (default 20)')
      .option('--months <n>', 'months of trend (default 6)'),
  )
    .option('--json', 'the full card as JSON')
    .action((raw) =>
      withDb(async (db) => {
        const opts = parseOrExit(coachingOptions, raw);
        const w = await resolveWorkspace(db, raw.workspace);
        const rep = await userByEmail(db, w, opts.rep, 'rep');
        const card = await asOptionErrors(
          () =>
            repCoaching(
              db,
              systemPrincipal(w.id),
              { repId: rep.id, view: opts.view, period: opts.period, from: opts.from, to: opts.to, minN: opts.minN, months: opts.months },
              new Date(),
            ),
          OPTION_OF,
        );
        process.stdout.write(opts.json ? `${JSON.stringify(card, null, 2)}\n` : coachingText(card));
      }),
    );

  range(
    report
      .command('retention')
      .description('GRR, NRR and logo churn of the customers with ARR at the start of the period (docs/retention.md)')
      .option('--by <group>', 'none, cohort, segment, csm or ae (the closing AE)', 'none'),
  )
    .option('--json', 'the full report as JSON')
    .option('--csv', 'one CSV row per group and a last row for all of them')
    .action((raw) =>
      withDb(async (db) => {
        const opts = parseOrExit(retentionOptions, raw);
        if (opts.json && opts.csv) throw new CliError('give --json or --csv, not both');
        const w = await resolveWorkspace(db, raw.workspace);
        const r = await asOptionErrors(
          () =>
            retentionReport(db, systemPrincipal(w.id), { groupBy: opts.by, period: opts.period, from: opts.from, to: opts.to }, new Date()),
          OPTION_OF,
        );
        if (opts.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        else if (opts.csv) process.stdout.write(retentionCsv(r));
        else process.stdout.write(retentionTable(r));
      }),
    );
}

const CONVERSIONS = [
  'visitorToConversation',
  'conversationToLead',
  'visitorToLead',
  'leadToQualified',
  'leadToOpportunity',
  'opportunityToCustomer',
  'leadToCustomer',
] as const;

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const rateValue = (r: Rate | null) => (r ? String(r.value) : '');

export const FUNNEL_CSV_COLUMNS = [
  'label',
  'key',
  ...MEASURES,
  ...CONVERSIONS.map(snake),
  'win_rate',
  'median_sales_cycle_days',
  'pipeline_created',
  'won_amount',
  'average_deal_size',
  'arpa',
  'bookings_total',
];

function csvRow(label: string, key: string, m: FunnelMetrics): string[] {
  return [
    label,
    key,
    ...MEASURES.map((x) => String(m.counts[x])),
    ...CONVERSIONS.map((c) => rateValue(m.conversion[c])),
    rateValue(m.winRate),
    m.salesCycleDays == null ? '' : String(m.salesCycleDays),
    m.pipelineCreated,
    m.wonAmount,
    m.averageDealSize ?? '',
    m.arpa ?? '',
    m.bookings.total,
  ];
}

/** One row per group (key: rep or team id, or the code; empty for unassigned), then the total with key `*`. */
export function funnelCsv(r: FunnelReport): string {
  const rows = r.rows.map((g) => csvRow(g.label, g.key ?? '', g.metrics));
  rows.push(csvRow('All', '*', r.total));
  return stringify([FUNNEL_CSV_COLUMNS, ...rows]);
}

const pct = (x: Rate | null) => (x ? `${(x.value * 100).toFixed(1)}%` : '-');

function funnelTable(r: FunnelReport): string {
  const head = ['', 'leads', 'opps', 'won', 'lost', 'lead>opp', 'win rate', 'cycle d', 'pipeline', 'won amount'];
  const line = (label: string, m: FunnelMetrics) => [
    label,
    String(m.counts.leads),
    String(m.counts.opportunities),
    String(m.counts.customers),
    String(m.counts.lost),
    pct(m.conversion.leadToOpportunity),
    pct(m.winRate),
    m.salesCycleDays == null ? '-' : String(m.salesCycleDays),
    m.pipelineCreated,
    m.wonAmount,
  ];
  const rows = [head, ...r.rows.map((g) => line(g.label, g.metrics)), line('All', r.total)];
  const widths = head.map((_, i) => Math.max(...rows.map((x) => x[i].length)));
  const fmt = (x: string[]) => x.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return `Funnel ${r.range.label} (${r.range.from}..${r.range.to}, ${r.timezone}), ${r.view} view, by ${r.groupBy}, amounts in ${r.currency}\n${rows.map(fmt).join('\n')}\n`;
}

function coachingText(c: RepCoaching): string {
  const out = [
    `${c.rep.name} (${c.rep.role ?? 'no selling role'}), ${c.range.label}, ${c.view} view, compared with ${c.peers.length} peers (min n ${c.minN})`,
  ];
  if (c.insights.length === 0) out.push('No strength or gap stands out.');
  for (const i of c.insights) {
    out.push(`${i.kind === 'gap' ? 'GAP     ' : 'STRENGTH'} ${i.sentence}${i.trend.direction ? ` (trend: ${i.trend.direction})` : ''}`);
    for (const item of i.checklist ?? []) out.push(`           - ${item}`);
  }
  for (const x of c.inconclusive) out.push(`inconclusive ${x.metric}: ${x.reason} (n=${x.n})`);
  return `${out.join('\n')}\n`;
}

export const RETENTION_CSV_COLUMNS = [
  'label',
  'key',
  'logos',
  'churned_logos',
  'logo_churn',
  'start_arr',
  'expansion',
  'contraction',
  'churn',
  'end_arr',
  'grr',
  'nrr',
];

const retentionCsvRow = (label: string, key: string, m: RetentionMetrics) => [
  label,
  key,
  String(m.logos),
  String(m.churnedLogos),
  m.logoChurn ?? '',
  m.startArr,
  m.expansion,
  m.contraction,
  m.churn,
  m.endArr,
  m.grr ?? '',
  m.nrr ?? '',
];

/** One row per group (key: user id, segment code or cohort; empty without one), then the total with key `*`. */
export function retentionCsv(r: RetentionReport): string {
  const rows = r.rows.map((g) => retentionCsvRow(g.label, g.key ?? '', g.metrics));
  rows.push(retentionCsvRow('All', '*', r.total));
  return stringify([RETENTION_CSV_COLUMNS, ...rows]);
}

/** A rate (four decimals) as a percent with two: exact, nothing to round. A dash without a base. */
const share = (x: string | null) => (x == null ? '-' : `${new Decimal(x).times(100).toFixed(2)}%`);

function retentionTable(r: RetentionReport): string {
  const head = ['', 'logos', 'churned', 'logo churn', 'start ARR', 'expansion', 'contraction', 'churn', 'end ARR', 'GRR', 'NRR'];
  const line = (label: string, m: RetentionMetrics) => [
    label,
    String(m.logos),
    String(m.churnedLogos),
    share(m.logoChurn),
    m.startArr,
    m.expansion,
    m.contraction,
    m.churn,
    m.endArr,
    share(m.grr),
    share(m.nrr),
  ];
  const rows = [head, ...r.rows.map((g) => line(g.label, g.metrics)), line('All', r.total)];
  const widths = head.map((_, i) => Math.max(...rows.map((x) => x[i].length)));
  const fmt = (x: string[]) => x.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return `Retention ${r.range.label} (${r.range.from}..${r.range.to}, ${r.timezone}), by ${r.groupBy}, amounts in ${r.currency}\n${rows.map(fmt).join('\n')}\n`;
}
