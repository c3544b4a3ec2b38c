import { z } from 'zod';
import { PAGE_SIZE } from './list.js';

/** Limits shared by the server, the CLI and the web app. */
export const LIMITS = { name: 200, text: 10_000, short: 100, email: 254, url: 2048 } as const;

export const uuid = z.uuid();
export const shortText = z.string().trim().max(LIMITS.short);
export const nameText = z.string().trim().min(1).max(LIMITS.name);
export const longText = z.string().max(LIMITS.text);
export const email = z.string().trim().max(LIMITS.email).pipe(z.email());
/** Money in the workspace currency: a decimal with at most two places, sent as a string or a number. */
export const moneyInput = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => /^-?\d{1,12}(\.\d{1,2})?$/.test(v), 'a decimal amount with at most 12 digits and 2 decimals')
  .refine((v) => !v.startsWith('-'), 'must not be negative');
export const isoDate = z.iso.date();
export const isoDateTime = z.iso.datetime({ offset: true });
export const countryCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}$/, 'a two-letter ISO country code')
  .transform((v) => v.toUpperCase());

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_SIZE.max).default(PAGE_SIZE.default),
  cursor: z.string().max(500).optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
});

export const idParams = z.object({ id: uuid });

/** Query strings carry lists as `a,b,c`. */
export const csvEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).min(1));
