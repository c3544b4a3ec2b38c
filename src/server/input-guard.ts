import type { FastifyInstance } from 'fastify';
import { AppError } from '../platform/errors.js';

const MAX_DEPTH = 64;

/**
 * PostgreSQL text cannot hold a NUL character: refuse it at the edge, naming the field,
 * rather than letting the insert fail deep in SQL with no field to point at.
 */
export function registerInputGuards(app: FastifyInstance) {
  app.addHook('preValidation', async (req) => {
    if (!req.url.startsWith('/api/v1/')) return;
    for (const [where, value] of [
      ['body', req.body],
      ['query', req.query],
      ['params', req.params],
    ] as const) {
      const path = pathOfNul(value, []);
      if (path !== null) {
        const field = path || where;
        throw new AppError('validation_failed', `${field}: must not contain a NUL character`, [
          { path: field, message: 'must not contain a NUL character' },
        ]);
      }
    }
  });
}

function pathOfNul(value: unknown, path: string[]): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') : null;
  if (value === null || typeof value !== 'object' || path.length > MAX_DEPTH) return null;
  for (const [key, item] of Object.entries(value)) {
    const found = pathOfNul(item, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}
