import { z } from 'zod';
import { PAGE_SIZE } from '../../platform/http/list.js';
import { csvEnum, isoDate, moneyInput } from '../../platform/http/zod-common.js';
import { BANDS, FACTORS, type HealthSettings } from './health.core.js';
import { TASK_KINDS } from './signals.core.js';
import { TASK_STATUSES } from './tasks.repo.js';

/** Shared by the API and the web app. Every refusal names its field (details[].path). */

const weight = z.number().min(0, 'must be 0 or more').max(1000, 'at most 1000');
const probability = z.number().min(0, 'a probability from 0 to 1').max(1, 'a probability from 0 to 1');
const days = (max: number) => z.number().int('whole days').min(1, 'at least 1').max(max, `at most ${max}`);
const eventName = z.string().trim().min(1, 'required').max(200);

export const healthSettingsPut = z.strictObject({
  weights: z
    .strictObject(Object.fromEntries(FACTORS.map((f) => [f, weight])) as Record<(typeof FACTORS)[number], typeof weight>)
    .refine((w) => Object.values(w).some((v) => v > 0), 'at least one weight must be above zero'),
  bands: z
    .strictObject({
      healthy: z.number().int('a whole score').min(1).max(100),
      atRisk: z.number().int('a whole score').min(0).max(99),
    })
    .refine((b) => b.atRisk < b.healthy, { path: ['atRisk'], message: 'must be below the healthy threshold' }),
  signals: z.strictObject({
    healthDropPoints: z.number().int('whole points').min(1, 'at least 1').max(100, 'at most 100'),
    healthDropDays: days(90),
    usageDeclinePercent: z.number().int('a whole percent').min(1, 'at least 1').max(100, 'at most 100'),
    usageDeclineMinEvents: z.number().int('a whole number').min(1, 'at least 1').max(1_000_000),
    seatUsePercent: z.number().int('a whole percent').min(1, 'at least 1').max(1000, 'at most 1000'),
    planLimitHits: z.number().int('a whole number').min(1, 'at least 1').max(10_000),
    lookbackDays: days(90),
    cooldownDays: z.number().int('whole days').min(0, '0 or more').max(365, 'at most 365'),
  }),
  renewalProbability: z
    .strictObject({ healthy: probability, atRisk: probability, critical: probability, unscored: probability })
    .refine((p) => p.atRisk <= p.healthy, { path: ['atRisk'], message: 'must not be above the healthy probability' })
    .refine((p) => p.critical <= p.atRisk, { path: ['critical'], message: 'must not be above the at-risk probability' }),
  events: z.strictObject({
    supportTicket: eventName,
    planLimit: eventName,
    teamProperty: z.string().trim().min(1, 'required').max(100),
  }),
  taskDueDays: z.strictObject({
    churnRisk: z.number().int('whole days').min(0, '0 or more').max(365, 'at most 365'),
    expansion: z.number().int('whole days').min(0, '0 or more').max(365, 'at most 365'),
  }),
}) satisfies z.ZodType<HealthSettings>;

const limit = z.coerce.number().int().min(1).max(PAGE_SIZE.max).default(PAGE_SIZE.default);
const cursor = z.string().max(500).optional();

export const HOME_SORTS = ['health', 'renewal', 'arr', 'name'] as const;

export const successAccountsQuery = z.object({
  limit,
  cursor,
  sort: z.enum(HOME_SORTS).default('health').describe('health: worst first with order=asc (unscored last)'),
  order: z.enum(['asc', 'desc']).default('asc'),
  band: csvEnum([...BANDS, 'unscored'] as const)
    .optional()
    .describe('healthy,at_risk,critical,unscored'),
  csmId: z.uuid().optional(),
  q: z.string().trim().max(100).optional().describe('part of the account name'),
  renewalWithinDays: z.coerce.number().int().min(1).max(366).optional().describe('next renewal within this many days (overdue included)'),
});

export const tasksQuery = z.object({
  limit,
  cursor,
  status: csvEnum(TASK_STATUSES).default(['open']),
  assigneeId: z.uuid().optional(),
  accountId: z.uuid().optional(),
  kind: csvEnum(TASK_KINDS).optional(),
});

export const taskPatch = z.strictObject({ status: z.enum(['done', 'dismissed']) });

export const renewalsQuery = z.object({
  window: z
    .enum(['30', '60', '90', '120'], { message: 'must be 30, 60, 90 or 120' })
    .default('120')
    .transform(Number)
    .describe('days ahead: renewals due within it (and overdue ones)'),
});

export const renewalPost = z.discriminatedUnion('outcome', [
  z.strictObject({
    outcome: z.literal('renewed'),
    arr: moneyInput.optional().describe('the ARR of the new term; default: unchanged'),
    renewalDate: isoDate.optional().describe('the next renewal date; default: one year after the current one'),
  }),
  z.strictObject({ outcome: z.literal('churned'), reason: z.string().trim().max(500).optional() }),
]);

export const idParams = z.object({ id: z.uuid() });

export const idempotencyHeaders = z.object({ 'idempotency-key': z.string().optional() }).passthrough();
