import { z } from 'zod';
import { nameText, uuid } from '../../platform/http/zod-common.js';
import { CHANNELS, SOURCE_TYPES } from '../crm/crm.core.js';
import { ROLES, SEGMENTS } from '../org/org.core.js';

const conditions = z.strictObject({
  segments: z.array(z.enum(SEGMENTS)).max(3).optional(),
  sourceTypes: z.array(z.enum(SOURCE_TYPES)).max(3).optional(),
  channels: z.array(z.enum(CHANNELS)).max(CHANNELS.length).optional(),
  countries: z
    .array(z.string().regex(/^[A-Z]{2}$/, 'two-letter ISO country codes in capitals'))
    .max(250)
    .optional(),
  employeesMin: z.number().int().min(0).optional(),
  employeesMax: z.number().int().min(0).optional(),
  existingAccount: z.boolean().optional(),
});

export const poolSpec = z.strictObject({
  roles: z.array(z.enum(ROLES)).min(1, 'a pool needs at least one role'),
  segment: z.enum(SEGMENTS).nullish(),
  teamId: uuid.nullish(),
});

const action = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('account_owner') }),
  z.strictObject({ type: z.literal('pool'), pool: poolSpec }),
  z.strictObject({ type: z.literal('queue'), queue: z.string().trim().min(1).max(60) }),
  z.strictObject({ type: z.literal('user'), userId: uuid }),
]);

export const ruleInput = z.strictObject({
  id: uuid.optional(),
  name: nameText,
  enabled: z.boolean().default(true),
  conditions: conditions.default({}),
  action,
});

/** The whole ordered list is saved at once: order is position. */
export const rulesPut = z.strictObject({
  stage: z.enum(['intake', 'handoff']).default('intake'),
  rules: z.array(ruleInput).max(200),
});

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');
export const settingsPatch = z.strictObject({
  fallbackQueue: z.string().trim().min(1).max(60).optional(),
  channelRules: z
    .array(z.strictObject({ channel: z.enum(CHANNELS), sourceType: z.enum(SOURCE_TYPES), direction: z.enum(['inbound', 'outbound']) }))
    .optional(),
  businessCalendar: z
    .strictObject({
      days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
      start: hhmm,
      end: hhmm,
      holidays: z.array(z.iso.date()).max(400).default([]),
    })
    .optional(),
  firstTouchSlaMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 10)
    .optional(),
  handoffSlaMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 10)
    .optional(),
  slaWarningPercent: z.number().int().min(1).max(99).optional(),
  webhookUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .nullish(),
});

const option = z.strictObject({ value: z.string().trim().min(1).max(60), label: nameText, points: z.number().int().min(0).max(100) });
export const scorecardPut = z.strictObject({
  threshold: z.number().int().min(0),
  criteria: z
    .array(
      z.strictObject({
        key: z.string().trim().min(1).max(40),
        label: nameText,
        question: z.string().trim().min(1).max(500),
        required: z.boolean().default(false),
        options: z.array(option).min(2).max(20),
      }),
    )
    .min(1)
    .max(30),
});

export const qualifyBody = z.strictObject({ answers: z.record(z.string().max(40), z.string().max(60)) });

export const previewBody = z.strictObject({
  segment: z.enum(SEGMENTS).nullish(),
  employees: z.number().int().min(0).nullish(),
  expectedArr: z.union([z.string(), z.number()]).nullish(),
  sourceType: z.enum(SOURCE_TYPES).nullish(),
  channel: z.enum(CHANNELS),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/)
    .nullish(),
  email: z.string().max(254).nullish(),
  domain: z.string().max(253).nullish(),
});

export const handoffBody = z.strictObject({ aeId: uuid.optional() });
export const sendBackBody = z.strictObject({ reason: z.string().trim().min(3, 'say why, in a few words').max(500) });
