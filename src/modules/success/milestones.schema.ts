import { z } from 'zod';
import { listQuery, nameText } from '../../platform/http/zod-common.js';
import { MEASURES, MILESTONE_STATUSES } from './milestones.core.js';
import { TEMPLATE_KEYS } from './milestones.templates.js';

/** Shared by the API, the service (rules are checked again before they are stored) and the web app. */
export const condition = z
  .strictObject({
    label: z.string().trim().min(1, 'required').max(100),
    event: z
      .array(z.string().trim().min(1, 'an event name cannot be empty').max(200))
      .max(50)
      .default([])
      .describe('event names; empty: any event'),
    measure: z.enum(MEASURES, { error: `must be one of ${MEASURES.join(', ')}` }),
    property: z
      .string()
      .trim()
      .min(1, 'cannot be empty')
      .max(200)
      .optional()
      .describe('distinct_values only: the property whose values count'),
    atLeast: z
      .number({ error: 'must be a whole number of at least 1' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(10_000_000),
  })
  .superRefine((c, ctx) => {
    if (c.measure === 'distinct_values' && !c.property)
      ctx.addIssue({
        code: 'custom',
        path: ['property'],
        message: 'required for distinct_values: the property whose distinct values count',
      });
    if (c.measure !== 'distinct_values' && c.property !== undefined)
      ctx.addIssue({ code: 'custom', path: ['property'], message: 'only distinct_values reads a property' });
  });

export const rule = z.strictObject({
  all: z.array(condition).min(1, 'at least one condition').max(20).describe('reached when every condition is met inside the window'),
});

const plan = z
  .string()
  .trim()
  .max(100)
  .nullish()
  .transform((v) => (v ? v : null))
  .describe('the subscription plan it applies to; empty: accounts whose plan has no milestone of its own');

export const milestoneCreate = z.strictObject({
  name: nameText,
  plan,
  template: z
    .enum(TEMPLATE_KEYS)
    .nullish()
    .transform((v) => v ?? null),
  rule,
  windowDays: z.number().int('must be a whole number').min(1, 'at least 1 day').max(730, 'at most 730 days').default(60),
  active: z.boolean().default(true),
});
export type MilestoneCreate = z.input<typeof milestoneCreate>;

export const milestoneUpdate = z.strictObject({
  name: nameText.optional(),
  plan: plan.optional(),
  rule: rule.optional(),
  windowDays: z.number().int('must be a whole number').min(1, 'at least 1 day').max(730, 'at most 730 days').optional(),
  active: z.boolean().optional(),
});
export type MilestoneUpdate = z.input<typeof milestoneUpdate>;

export const accountMilestonesQuery = listQuery.extend({
  status: z.enum(MILESTONE_STATUSES).optional(),
  milestoneId: z.uuid().optional(),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type AccountMilestonesQuery = z.infer<typeof accountMilestonesQuery>;
