import { AppError } from '../errors.js';

/**
 * Keyset (cursor) pagination over (sort expression, id). A cursor is opaque to clients:
 * base64url JSON of the last row's sort value and id. Stable under inserts, unlike offsets.
 */
export type SortSpec = { expr: string; type: 'text' | 'timestamptz' | 'numeric' | 'date' | 'int' };

export const PAGE_SIZE = { default: 50, max: 500 } as const;

export function encodeCursor(value: unknown, id: string): string {
  const v = value instanceof Date ? value.toISOString() : value;
  return Buffer.from(JSON.stringify([v, id])).toString('base64url');
}

const badCursor = () =>
  new AppError('validation_failed', 'cursor: not a cursor returned by this API', [
    { path: 'cursor', message: 'not a cursor returned by this API' },
  ]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// What a sort value of each type looks like in a cursor we made; anything else would fail the SQL cast (a 500).
const SORT_VALUE: Record<SortSpec['type'], (v: unknown) => boolean> = {
  text: (v) => typeof v === 'string',
  timestamptz: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v) && !Number.isNaN(Date.parse(v)),
  date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  numeric: (v) => (typeof v === 'string' && /^-?\d{1,20}(\.\d{1,10})?$/.test(v)) || (typeof v === 'number' && Number.isFinite(v)),
  int: (v) => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 2_147_483_647,
};

export function decodeCursor(cursor: string, type?: SortSpec['type']): [unknown, string] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[1] !== 'string' || !UUID.test(parsed[1])) throw badCursor();
  if (type && !SORT_VALUE[type](parsed[0])) throw badCursor();
  return [parsed[0], parsed[1]];
}

/** Collects WHERE clauses and their $n parameters. */
export class Where {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
  add(clause: string) {
    this.clauses.push(clause);
    return this;
  }
  sql() {
    return this.clauses.length ? `where ${this.clauses.join(' and ')}` : '';
  }
}

/**
 * The SQL that selects a row's sort value for its cursor. Timestamps keep their microseconds as ISO text:
 * a JavaScript Date stops at milliseconds, and a truncated cursor would skip or repeat rows at page boundaries.
 */
export function cursorValueSql(sort: SortSpec): string {
  return sort.type === 'timestamptz' ? `to_char((${sort.expr}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : sort.expr;
}

/** Adds the keyset condition and returns the ORDER BY for a sort. */
export function keyset(where: Where, sort: SortSpec, dir: 'asc' | 'desc', cursor: string | undefined, idExpr = 'id') {
  if (cursor) {
    const [value, id] = decodeCursor(cursor, sort.type);
    const op = dir === 'desc' ? '<' : '>';
    where.add(`(${sort.expr}, ${idExpr}) ${op} (${where.param(value)}::${sort.type}, ${where.param(id)}::uuid)`);
  }
  return `order by ${sort.expr} ${dir}, ${idExpr} ${dir}`;
}

/** Turns limit+1 fetched rows into a page with the next cursor. */
export function page<T extends { id: string }>(rows: T[], limit: number, sortValue: (row: T) => unknown) {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items.at(-1);
  return { items, nextCursor: hasMore && last ? encodeCursor(sortValue(last), last.id) : null };
}
