import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type FieldIssue, fromDbError } from '../platform/errors.js';

/**
 * Every failure leaves as { error: { code, message, details? } }; only the unexpected is a 500, and it is logged.
 * (The JSON 404 for unknown routes is set with the web app's fallback in app.ts: Fastify allows one not-found handler.)
 */
export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    let appError: AppError;
    try {
      appError = toAppError(err);
    } catch (mappingError) {
      req.log.error({ err, mappingError }, 'error while mapping an error');
      appError = new AppError('internal', 'Something went wrong on our side; it has been logged');
    }
    if (appError.code === 'internal') req.log.error({ err }, 'unhandled error');
    if (appError.code === 'rate_limited') reply.header('retry-after', '60');
    return reply.status(appError.status).send(appError.toBody());
  });
}

function toAppError(err: FastifyError): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = err.validationContext ?? 'body';
    const details: FieldIssue[] = err.validation.map((v) => {
      const path = v.instancePath.split('/').filter(Boolean);
      const keys = (v.params as { keys?: string[] }).keys;
      if (v.keyword === 'unrecognized_keys' && keys?.length)
        return { path: [...path, keys.join(',')].join('.'), message: `unknown field${keys.length > 1 ? 's' : ''}` };
      return { path: path.length ? path.join('.') : where, message: v.message ?? 'invalid' };
    });
    const first = details[0];
    return new AppError('validation_failed', `Invalid ${where}: ${first ? `${first.path}: ${first.message}` : 'see details'}`, details);
  }
  const db = fromDbError(err);
  if (db) return db;
  if (err.statusCode === 429) return new AppError('rate_limited', 'Too many requests: try again in a minute');
  if (
    err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    (err.statusCode === 400 && err instanceof SyntaxError)
  )
    return new AppError('validation_failed', `Malformed JSON body: ${err.message}`, [{ path: 'body', message: 'malformed JSON' }]);
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('payload_too_large', 'Request body too large');
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new AppError('unsupported_media_type', 'Send JSON with content-type application/json');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return new AppError('bad_request', err.message);
  return new AppError('internal', 'Something went wrong on our side; it has been logged');
}
