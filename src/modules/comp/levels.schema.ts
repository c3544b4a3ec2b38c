import { Decimal } from 'decimal.js';
import { z } from 'zod';

/** Bodies and queries of the levels, what-if and discussion routes. */
const decimal = (what: string, places: number, max: string) =>
  z
    .union([z.string(), z.number()])
    .transform((v) => String(v).trim())
    .refine((v) => new RegExp(`^\\d{1,12}(\\.\\d{1,${places}})?$`).test(v), `${what}: a decimal with at most ${places} decimals`)
    .refine((v) => !/^\d+(\.\d+)?$/.test(v) || new Decimal(v).lte(max), `${what}: at most ${max}`);
const money = decimal('an amount', 2, '999999999999.99');
const isoDate = z.iso.date('a date, YYYY-MM-DD');

export const levelInput = z.strictObject({
  level: z.number().int().min(1).max(20),
  name: z.string().trim().min(1).max(60),
  base: money,
  variable: money,
  rate: decimal('a percent', 4, '100'),
  quota: money.refine((v) => !/^\d+(\.\d+)?$/.test(v) || new Decimal(v).gt(0), 'must be above 0'),
  windowMonths: z.number().int().min(1).max(36).default(12),
  minClosedArr: money.nullable().default(null),
  productivityMetric: z.enum(['win_rate', 'won_deals', 'pipeline_created']).nullable().default(null),
  productivityTarget: decimal('a target', 4, '999999999999').nullable().default(null),
  maxChurnRate: decimal('a fraction (0.10 = 10%)', 4, '1').nullable().default(null),
});
export const ladderBody = z.strictObject({ levels: z.array(levelInput).min(1).max(20) });
export const progressQuery = z.object({ repId: z.uuid().optional() });
export const promotionBody = z.strictObject({
  userId: z.uuid(),
  effectiveFrom: isoDate.describe('first day at the new level (local date, in an open month)'),
  note: z.string().trim().max(1000).optional(),
});
export const whatIfQuery = z.object({ planKey: z.string().max(60), version: z.coerce.number().int().min(1).max(100000) });
export const commentParams = z.object({ key: z.string().max(60), version: z.coerce.number().int().min(1).max(100000) });
export const commentBody = z.strictObject({
  body: z.string().trim().min(1, 'write something').max(4000),
  replyTo: z.uuid().optional().describe('the comment this answers'),
});
