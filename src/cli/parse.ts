import type { z } from 'zod';
import { AppError } from '../platform/errors.js';
import { CliError } from './context.js';

/** Validates CLI options with the same zod schemas as the API; errors name the option. */
export function parseOrExit<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `  --${i.path.join('.') || 'input'}: ${i.message}`);
  throw new CliError(`invalid options\n${lines.join('\n')}`);
}

/**
 * Runs a service call and prints the field errors it refuses with as option errors: `optionOf` maps a service
 * field (repId) to the option the user typed (rep).
 */
export async function asOptionErrors<T>(fn: () => Promise<T>, optionOf: Record<string, string> = {}): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof AppError) || err.code === 'internal' || !Array.isArray(err.details)) throw err;
    const lines = err.details.map((d) => `  --${optionOf[d.path] ?? d.path}: ${d.message}`);
    throw new CliError(`${err.code === 'validation_failed' ? 'invalid options' : err.message}\n${lines.join('\n')}`);
  }
}
