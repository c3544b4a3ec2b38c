import fs from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import type { CapacityAssumptions, CapacityPlan } from '../modules/quotas/capacity.core.js';
import { capacityDefaults, planCapacity } from '../modules/quotas/capacity.service.js';
import { systemPrincipal } from '../platform/auth/principal.js';
import { CliError, resolveWorkspace, withDb } from './context.js';
import { asOptionErrors, parseOrExit } from './parse.js';

/** The option behind each assumption the model may refuse, so errors name what the user typed. */
const OPTION_OF: Record<string, string> = {
  targetArr: 'target-arr',
  startMonth: 'start',
  expectedAttainment: 'attainment',
  monthlyAttrition: 'attrition',
};

const planOptions = z.object({
  targetArr: z
    .string()
    .trim()
    .regex(/^\d{1,12}(\.\d{1,2})?$/, 'a positive amount, e.g. 5000000'),
  start: z.string().trim().optional(),
  months: z.coerce.number().int().optional(),
  attainment: z.coerce.number().optional(),
  attrition: z.coerce.number().optional(),
  assumptions: z.string().optional(),
  json: z.boolean().optional(),
});

export function register(program: Command) {
  program
    .command('plan')
    .description('Planning from the funnel')
    .command('capacity')
    .description("Headcount by role and month, hiring dates and norm flags for an ARR target, from the workspace's own funnel")
    .requiredOption('--target-arr <amount>', 'new ARR to book over the plan')
    .option('--start <YYYY-MM>', 'first month of the plan (default: next month)')
    .option('--months <n>', 'length of the plan in months (default 12)')
    .option('--attainment <share>', 'expected quota attainment, e.g. 0.8')
    .option('--attrition <share>', 'monthly attrition, e.g. 0.02')
    .option('--assumptions <file.json>', 'every assumption as JSON (see GET /api/v1/plans/capacity/defaults); options override it')
    .option('--workspace <slug>', 'workspace slug (needed when there are several)')
    .option('--json', 'the whole plan as JSON')
    .action((raw) =>
      withDb(async (db) => {
        const opts = parseOrExit(planOptions, raw);
        const w = await resolveWorkspace(db, raw.workspace);
        const p = systemPrincipal(w.id);
        let a: CapacityAssumptions = opts.assumptions
          ? readAssumptions(opts.assumptions)
          : (await capacityDefaults(db, p, new Date())).assumptions;
        a = {
          ...a,
          targetArr: opts.targetArr,
          ...(opts.start ? { startMonth: opts.start } : {}),
          ...(opts.months != null ? { months: opts.months } : {}),
          ...(opts.attainment != null ? { expectedAttainment: opts.attainment } : {}),
          ...(opts.attrition != null ? { monthlyAttrition: opts.attrition } : {}),
        };
        const plan = await asOptionErrors(async () => planCapacity(p, a), OPTION_OF);
        process.stdout.write(opts.json ? `${JSON.stringify({ assumptions: a, plan }, null, 2)}\n` : planTable(plan));
      }),
    );
}

function readAssumptions(file: string): CapacityAssumptions {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as CapacityAssumptions;
  } catch (e) {
    throw new CliError(`invalid options\n  --assumptions: ${(e as Error).message}`);
  }
}

function planTable(plan: CapacityPlan): string {
  const lines = ['month     bookings        AEs   SDRs   CSMs  SDR:AE  hires'];
  for (const m of plan.months) {
    const hires = m.hires.map((h) => `${h.count} ${h.role.toUpperCase()}${h.segment ? ` ${h.segment}` : ''}`).join(', ');
    lines.push(
      `${m.month}${m.inPlan ? ' ' : '*'}  ${m.bookings.padStart(12)}  ${String(m.aes.headcount).padStart(6)} ${String(m.sdrs.headcount).padStart(6)} ${String(m.csms.headcount).padStart(6)}  ${m.sdrToAe == null ? '     -' : m.sdrToAe.toFixed(2).padStart(6)}  ${hires}`,
    );
  }
  lines.push(
    '(* lead-time month before the plan starts)',
    `total bookings ${plan.totals.bookings}, hires: ${JSON.stringify(plan.totals.hires)}`,
  );
  for (const f of plan.flags) lines.push(`flag ${f.code}: ${f.message}`);
  return `${lines.join('\n')}\n`;
}
