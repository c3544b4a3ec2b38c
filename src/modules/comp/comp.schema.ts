import { Decimal } from 'decimal.js';
import { z } from 'zod';

/** Bodies and queries of the comp routes (the plan document itself is plan.schema.ts). */
const isoDate = z.iso.date('a date, YYYY-MM-DD');
const share = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => /^\d{1,3}(\.\d{1,2})?$/.test(v) && new Decimal(v).gt(0) && new Decimal(v).lte(100), 'a percent above 0 and at most 100');

const period = z.string().trim().max(20).describe('a month (2026-07), quarter (2026-Q3) or year (2026)');
export const monthParam = z.object({ period: z.string().trim().max(20).describe('a month, 2026-07, or a quarter, 2026-Q3') });
export const planKeyParams = z.object({ key: z.string().max(60) });
export const planVersionParams = z.object({ key: z.string().max(60), version: z.coerce.number().int().min(1).max(100000) });
export const publishBody = z.strictObject({ effectiveFrom: isoDate.describe('first day the version is in force (local date)') });
export const assignmentBody = z.strictObject({
  userId: z.uuid(),
  planKey: z.string().max(60),
  level: z.number().int().min(1).max(20).optional().describe("default: the user's level"),
  from: isoDate,
  to: isoDate.nullish(),
});
export const assignmentPatch = z.strictObject({ to: isoDate.nullable() });
export const assignmentQuery = z.object({ userId: z.uuid().optional() });
export const splitsBody = z.strictObject({
  credits: z
    .array(z.strictObject({ userId: z.uuid(), role: z.enum(['ae', 'sdr']), percent: share }))
    .max(20)
    .describe('per role, percents add up to 100; a role left out keeps its default (owner at close, sourcing SDR)'),
});
export const runBody = z.strictObject({
  period,
  force: z.boolean().optional().describe('write new lines even where nothing changed'),
});
export const adjustmentBody = z.strictObject({
  userId: z.uuid(),
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month, YYYY-MM'),
  amount: z
    .union([z.string(), z.number()])
    .transform((v) => String(v).trim())
    .refine((v) => /^-?\d{1,12}(\.\d{1,2})?$/.test(v), 'a signed decimal amount with at most 2 decimals')
    .refine((v) => !/^-?\d{1,12}(\.\d{1,2})?$/.test(v) || !new Decimal(v).isZero(), 'must not be zero'),
  reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(1000),
  opportunityId: z.uuid().optional(),
});
export const statementQuery = z.object({ period, repId: z.uuid().optional() });
export const statementsQuery = z.object({ period, repId: z.uuid().optional(), teamId: z.uuid().optional() });
export const idParams = z.object({ id: z.string().regex(/^\d{1,18}$/, 'a line id') });
export const uuidParams = z.object({ id: z.uuid() });
export const opportunityParams = z.object({ opportunityId: z.uuid() });
export const summaryQuery = z.object({ period, teamId: z.uuid().optional() });
