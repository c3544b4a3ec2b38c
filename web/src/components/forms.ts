import { ApiError } from '../api/client';

/** Form drafts hold strings (what inputs hold); these turn them back into API values. */
export const textOrNull = (v: string) => (v.trim() === '' ? null : v.trim());
export const intOrNull = (v: string) => (v.trim() === '' ? null : Number(v));

/** Only the fields that changed, so an edit never rewrites what someone else changed meanwhile. */
export function changedFields<T extends Record<string, unknown>>(before: Partial<T>, after: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(after) as (keyof T)[]) if ((before[k] ?? null) !== (after[k] ?? null)) out[k] = after[k];
  return out;
}

/** Field messages from an API validation error; the whole message when no field is named. */
export function errorsOf(e: unknown): { fields: Record<string, string>; message: string | null } {
  if (e instanceof ApiError) {
    const fields = e.fieldErrors();
    return { fields, message: e.message };
  }
  return { fields: {}, message: e instanceof Error ? e.message : e ? String(e) : null };
}
