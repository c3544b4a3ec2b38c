import { z } from 'zod';
import { PERMISSIONS } from '../../platform/auth/principal.js';
import { email, isoDate, isoDateTime, nameText, uuid } from '../../platform/http/zod-common.js';
import { isValidCurrency, isValidTimezone, ROLES, SEGMENTS } from './org.core.js';

export const password = z.string().min(10, 'at least 10 characters').max(200);
export const slug = z
  .string()
  .trim()
  .min(2)
  .max(60)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes');
export const timezone = z.string().refine(isValidTimezone, 'an IANA time zone such as Europe/Paris');
export const currency = z
  .string()
  .length(3)
  .transform((c) => c.toUpperCase())
  .refine(isValidCurrency, 'an ISO 4217 currency code such as USD');

export const workspaceCreate = z.strictObject({
  name: nameText,
  slug,
  timezone: timezone.default('UTC'),
  currency: currency.default('USD'),
});
export const workspacePatch = z.strictObject({
  name: nameText.optional(),
  timezone: timezone.optional(),
  currency: currency.optional(),
  opportunityStages: z.array(z.string().min(1).max(40)).min(3).max(20).optional(),
});

const roles = z.array(z.enum(ROLES)).min(1, 'at least one role').max(ROLES.length);
export const userCreate = z.strictObject({
  email,
  name: nameText,
  roles,
  password: password.optional(),
  teamId: uuid.nullish(),
  segments: z.array(z.enum(SEGMENTS)).max(3).optional(),
  hireDate: isoDate.nullish(),
  level: z.number().int().min(1).max(10).optional(),
  capacity: z.number().int().min(0).max(100_000).optional(),
  outOfOfficeUntil: isoDateTime.nullish(),
});
export const userPatch = userCreate.omit({ email: true }).partial().extend({ active: z.boolean().optional() });

export const teamCreate = z.strictObject({ name: nameText, managerId: uuid.nullish() });
export const teamPatch = teamCreate.partial();

const moneyOrNull = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine((v) => /^\d{1,12}(\.\d{1,2})?$/.test(v), 'a non-negative amount with at most 2 decimals')
  .nullable();
export const segmentsPut = z.array(
  z.strictObject({
    code: z.enum(SEGMENTS),
    name: nameText,
    maxEmployees: z.number().int().min(1).max(10_000_000).nullable(),
    maxArr: moneyOrNull,
  }),
);

export const apiKeyCreate = z.strictObject({
  name: nameText,
  permissions: z.array(z.enum(PERMISSIONS)).min(1).max(PERMISSIONS.length),
});

export const loginBody = z.strictObject({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(200),
  workspace: z.string().max(60).optional(),
});
