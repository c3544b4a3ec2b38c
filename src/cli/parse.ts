import type { z } from 'zod';
import { CliError } from './context.js';

/** Validates CLI options with the same zod schemas as the API; errors name the option. */
export function parseOrExit<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `  --${i.path.join('.') || 'input'}: ${i.message}`);
  throw new CliError(`invalid options\n${lines.join('\n')}`);
}
