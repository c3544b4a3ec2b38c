import { z } from 'zod';
import {
  countryCode,
  csvEnum,
  email,
  isoDate,
  isoDateTime,
  listQuery,
  longText,
  moneyInput,
  nameText,
  shortText,
  uuid,
} from '../../platform/http/zod-common.js';
import { SEGMENTS } from '../org/org.core.js';
import { ACTIVITY_KINDS, CHANNELS, LEAD_STATUSES, RECORD_TYPES, SOURCE_TYPES } from './crm.core.js';

const segment = z.enum(SEGMENTS);
const externalId = z.string().trim().min(1).max(200);
const domain = z
  .string()
  .trim()
  .max(253)
  .regex(/^[^\s@]+\.[^\s@]+$/, 'a domain such as acme.com');

export const accountCreate = z.strictObject({
  externalId: externalId.optional(),
  name: nameText,
  domain: domain.nullish(),
  employees: z.number().int().min(0).max(10_000_000).nullish(),
  industry: shortText.nullish(),
  country: countryCode.nullish(),
  segment: segment.nullish(),
  ownerId: uuid.nullish(),
  csmId: uuid.nullish(),
});
export const accountPatch = accountCreate.omit({ externalId: true }).partial();

export const contactCreate = z.strictObject({
  externalId: externalId.optional(),
  accountId: uuid.nullish(),
  firstName: shortText.nullish(),
  lastName: shortText.nullish(),
  email: email.nullish(),
  title: shortText.nullish(),
  phone: z.string().trim().max(40).nullish(),
  ownerId: uuid.nullish(),
});
export const contactPatch = contactCreate.omit({ externalId: true }).partial();

export const leadCreate = z.strictObject({
  externalId: externalId.optional(),
  email: email.nullish(),
  firstName: shortText.nullish(),
  lastName: shortText.nullish(),
  company: nameText.nullish(),
  domain: domain.nullish(),
  title: shortText.nullish(),
  phone: z.string().trim().max(40).nullish(),
  employees: z.number().int().min(0).max(10_000_000).nullish(),
  expectedArr: moneyInput.nullish(),
  country: countryCode.nullish(),
  /** When absent, the workspace's channel rules decide (seed / net / spear). */
  sourceType: z.enum(SOURCE_TYPES).optional(),
  channel: z.enum(CHANNELS),
  segment: segment.nullish(),
  ownerId: uuid.nullish(),
  createdAt: isoDateTime.optional(),
});
export const leadPatch = leadCreate.omit({ externalId: true, createdAt: true }).partial();
export const leadStatusChange = z.strictObject({
  status: z.enum(LEAD_STATUSES),
  reason: z.string().trim().max(500).optional(),
});
export const leadConvert = z.strictObject({
  opportunityName: nameText.optional(),
  amount: moneyInput.optional(),
  closeDate: isoDate.optional(),
  ownerId: uuid.optional(),
});

export const opportunityCreate = z.strictObject({
  externalId: externalId.optional(),
  name: nameText,
  accountId: uuid.nullish(),
  contactId: uuid.nullish(),
  stage: z.string().max(40).optional(),
  lostReason: z.string().trim().max(500).nullish(),
  amount: moneyInput.default('0'),
  closeDate: isoDate.nullish(),
  ownerId: uuid.nullish(),
  sdrId: uuid.nullish(),
  segment: segment.nullish(),
  sourceType: z.enum(SOURCE_TYPES).nullish(),
});
export const opportunityPatch = opportunityCreate.omit({ externalId: true, stage: true, lostReason: true }).partial();
export const stageChange = z.strictObject({
  stage: z.string().min(1).max(40),
  lostReason: z.string().trim().max(500).optional(),
});

export const subscriptionCreate = z.strictObject({
  externalId: externalId.optional(),
  accountId: uuid,
  opportunityId: uuid.nullish(),
  plan: shortText.nullish(),
  arr: moneyInput,
  startDate: isoDate,
  renewalDate: isoDate.nullish(),
  status: z.enum(['trialing', 'active', 'churned', 'cancelled']).default('active'),
});
export const subscriptionPatch = subscriptionCreate.omit({ externalId: true, accountId: true }).partial();

export const activityCreate = z.strictObject({
  kind: z.enum(ACTIVITY_KINDS),
  subject: nameText,
  body: longText.nullish(),
  recordType: z.enum(RECORD_TYPES),
  recordId: uuid,
  occurredAt: isoDateTime.optional(),
  dueAt: isoDateTime.nullish(),
  done: z.boolean().optional(),
});
export const activityPatch = activityCreate.pick({ subject: true, body: true, dueAt: true, done: true }).partial();

export const webEventCreate = z.strictObject({
  kind: z.enum(['visit', 'conversation']),
  visitorId: z.string().trim().min(1).max(200),
  repId: uuid.nullish(),
  leadId: uuid.nullish(),
  channel: z.enum(CHANNELS).nullish(),
  page: z.string().max(2048).nullish(),
  occurredAt: isoDateTime.optional(),
});

const ownerFilter = z.union([z.literal('me'), z.literal('none'), uuid]);
export const leadListQuery = listQuery.extend({
  status: csvEnum(LEAD_STATUSES).optional(),
  sourceType: csvEnum(SOURCE_TYPES).optional(),
  channel: csvEnum(CHANNELS).optional(),
  segment: csvEnum(SEGMENTS).optional(),
  ownerId: ownerFilter.optional(),
  q: z.string().trim().min(1).max(100).optional(),
  createdFrom: isoDateTime.optional(),
  createdTo: isoDateTime.optional(),
  sort: z.enum(['createdAt', 'updatedAt', 'company', 'expectedArr']).default('createdAt'),
});
export const accountListQuery = listQuery.extend({
  segment: csvEnum(SEGMENTS).optional(),
  ownerId: ownerFilter.optional(),
  csmId: ownerFilter.optional(),
  q: z.string().trim().min(1).max(100).optional(),
  sort: z.enum(['createdAt', 'updatedAt', 'name', 'employees']).default('createdAt'),
});
export const contactListQuery = listQuery.extend({
  accountId: uuid.optional(),
  ownerId: ownerFilter.optional(),
  q: z.string().trim().min(1).max(100).optional(),
  sort: z.enum(['createdAt', 'updatedAt', 'lastName']).default('createdAt'),
});
export const opportunityListQuery = listQuery.extend({
  stage: z.string().max(400).optional(),
  segment: csvEnum(SEGMENTS).optional(),
  sourceType: csvEnum(SOURCE_TYPES).optional(),
  ownerId: ownerFilter.optional(),
  accountId: uuid.optional(),
  q: z.string().trim().min(1).max(100).optional(),
  sort: z.enum(['createdAt', 'updatedAt', 'amount', 'closeDate', 'name']).default('createdAt'),
});
export const subscriptionListQuery = listQuery.extend({
  accountId: uuid.optional(),
  status: csvEnum(['trialing', 'active', 'churned', 'cancelled'] as const).optional(),
  renewalBefore: isoDate.optional(),
  sort: z.enum(['createdAt', 'renewalDate', 'arr']).default('createdAt'),
});
export const activityListQuery = listQuery.extend({
  recordType: z.enum(RECORD_TYPES),
  recordId: uuid,
});
export const historyQuery = z.object({ recordType: z.enum(['lead', 'opportunity', 'subscription']), recordId: uuid });

export type LeadCreate = z.infer<typeof leadCreate>;
export type LeadListQuery = z.infer<typeof leadListQuery>;
