import { z } from 'zod';
import { SEGMENTS } from '../org/org.core.js';
import { TRANSITIONS } from './funnel.core.js';
import { GROUP_BYS } from './rollup.read.js';

/** Shared by the API, the CLI and the web app. */
export const VIEWS = ['cohort', 'period'] as const;
export const SOURCE_TYPES = ['seed', 'net', 'spear'] as const;

const range = {
  period: z.string().trim().max(40).optional().describe('2026, 2026-Q3, 2026-09 or 2026-W37; default: the current quarter'),
  from: z.string().trim().max(10).optional().describe('first day, YYYY-MM-DD (with to)'),
  to: z.string().trim().max(10).optional().describe('last day, YYYY-MM-DD (with from)'),
};
const filters = {
  repId: z.uuid().optional(),
  teamId: z.uuid().optional(),
  segment: z.enum(SEGMENTS).optional(),
  sourceType: z.enum(SOURCE_TYPES).optional(),
  channel: z.string().trim().min(1).max(40).optional(),
};
const view = z.enum(VIEWS).optional();

export const funnelQuery = z.object({ ...range, ...filters, view, groupBy: z.enum(GROUP_BYS).optional() });

export const coachingQuery = z.object({
  ...range,
  view,
  repId: z.uuid().optional(),
  minN: z.coerce.number().int().min(1).max(10_000).optional(),
  months: z.coerce.number().int().min(2).max(24).optional(),
});

export const TREND_METRICS = [
  'visitors',
  'conversations',
  'leads',
  'qualified',
  'opportunities',
  'customers',
  'visitorToLead',
  'conversationToLead',
  'leadToOpportunity',
  'opportunityToCustomer',
  'winRate',
  'salesCycleDays',
  'speedToLeadDays',
  'pipelineCreated',
  'wonAmount',
  'averageDealSize',
  'arpa',
  'bookings',
] as const;
export type TrendMetric = (typeof TREND_METRICS)[number];

export const trendQuery = z.object({
  ...range,
  ...filters,
  view,
  groupBy: z.enum(GROUP_BYS).optional(),
  metric: z.enum(TREND_METRICS),
  interval: z.enum(['week', 'month', 'quarter']).optional(),
});

export const BOUND_METRICS = ['leads', 'opportunities', 'customers', 'wonAmount', 'pipelineCreated', 'bookings'] as const;
export type BoundMetric = (typeof BOUND_METRICS)[number];
export const boundsQuery = z.object({
  metric: z.enum(BOUND_METRICS),
  plan: z
    .string()
    .trim()
    .regex(/^\d{1,12}(\.\d{1,2})?$/, 'a non-negative number')
    .optional()
    .describe('a monthly plan per rep to check'),
  months: z.coerce.number().int().min(1).max(120).optional(),
});

export const velocityQuery = z.object({
  ...range,
  ...filters,
  view,
  groupBy: z.enum(GROUP_BYS).optional(),
  transition: z.enum(TRANSITIONS),
});

export const DRILL_MEASURES = ['leads', 'qualified', 'opportunities', 'sourced', 'customers', 'lost', 'new_logos'] as const;
export const recordsQuery = z.object({
  ...range,
  ...filters,
  view,
  measure: z.enum(DRILL_MEASURES),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export const openDealsQuery = z.object({
  repId: z.uuid().optional(),
  teamId: z.uuid().optional(),
  stage: z.string().trim().max(40).optional(),
});
