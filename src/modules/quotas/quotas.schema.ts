import { z } from 'zod';
import { QUOTA_METRICS } from './quotas.core.js';

/** Shared by the API, the CLI and the web app. Amount sign and period shape are checked again by the service. */
const period = z.string().trim().max(20).describe('2026 (year), 2026-Q3 (quarter) or 2026-07 (month)');

export const quotaPut = z.strictObject({
  userId: z.uuid(),
  metric: z.enum(QUOTA_METRICS),
  period,
  amount: z
    .union([z.string(), z.number()])
    .transform((v) => String(v).trim())
    .refine((v) => /^-?\d{1,12}(\.\d{1,2})?$/.test(v), 'a decimal amount with at most 12 digits and 2 decimals')
    .describe('above zero: ARR or pipeline in the workspace currency, or a number of accepted leads'),
  note: z.string().trim().max(500).nullish(),
});

export const quotaListQuery = z.object({ period: period.optional(), userId: z.uuid().optional(), teamId: z.uuid().optional() });

export const attainmentQuery = z.object({
  period: period.optional().describe('2026, 2026-Q3 or 2026-07; default: the current quarter'),
  teamId: z.uuid().optional(),
});

export const rampPut = z.strictObject({
  ramp: z.array(z.number()).describe('percent of quota in months 1, 2... after hire, non-decreasing, ending at 100'),
});

export const idParams = z.object({ id: z.uuid() });
