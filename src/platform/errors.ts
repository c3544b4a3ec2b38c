/** The closed set of error codes; the HTTP edge maps each to one status. */
export const ERROR_STATUS = {
  validation_failed: 400,
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** One problem with one field; `path` is dotted (`items.3.email`) and `row`/`column` are used by imports. */
export type FieldIssue = { path: string; message: string; row?: number; column?: string };

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldIssue[] | Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
  toBody() {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (why = 'You are not allowed to do this') => new AppError('forbidden', why);
export const conflict = (why: string, details?: Record<string, unknown>) => new AppError('conflict', why, details);
export const invalid = (path: string, message: string) => new AppError('validation_failed', `${path}: ${message}`, [{ path, message }]);

/** Postgres unique violations surface as a conflict naming the constraint, not a 500. */
export function fromDbError(err: unknown): AppError | undefined {
  const e = err as { code?: string; constraint?: string; detail?: string; message?: string };
  if (e?.code === '23505') return conflict('A record with the same unique value already exists', { constraint: e.constraint });
  if (e?.code === '23503') return new AppError('validation_failed', 'A referenced record does not exist', { constraint: e.constraint });
  // Class 22 is "data exception": a value the database cannot take (bad syntax, out of range, NUL byte...).
  if (typeof e?.code === 'string' && e.code.startsWith('22'))
    return new AppError('validation_failed', e.message ?? 'Invalid value', [{ path: 'body', message: e.message ?? 'invalid value' }]);
  return undefined;
}
