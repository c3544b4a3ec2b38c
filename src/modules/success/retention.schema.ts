import { z } from 'zod';
import { MAX_TREND_MONTHS, RETENTION_GROUP_BYS } from './retention.core.js';

/** Shared by the API and the CLI (the web app sends the same names). */
const groupBy = z.enum(RETENTION_GROUP_BYS).optional().describe('none (total only), cohort, segment, csm or ae (the closing AE)');
const repId = z.uuid().optional().describe("only this person's customers: accounts they are CSM of or closed");

export const retentionQuery = z.object({
  period: z.string().trim().max(40).optional().describe('2026, 2026-Q3 or 2026-09; default: the current quarter'),
  from: z.string().trim().max(10).optional().describe('first day, YYYY-MM-DD (with to)'),
  to: z.string().trim().max(10).optional().describe('last day, YYYY-MM-DD (with from)'),
  groupBy,
  repId,
});
export type RetentionQuery = z.infer<typeof retentionQuery>;

export const retentionTrendQuery = z.object({
  months: z.coerce.number().int().min(1).max(MAX_TREND_MONTHS).optional().describe('how many months, default 12'),
  until: z
    .string()
    .trim()
    .regex(/^(19[7-9]\d|[2-9]\d{3})-(0[1-9]|1[0-2])$/, 'a month, YYYY-MM')
    .optional()
    .describe('the last month, YYYY-MM; default: the current month'),
  groupBy,
  repId,
});
export type RetentionTrendQuery = z.infer<typeof retentionTrendQuery>;
