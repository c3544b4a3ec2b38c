import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { cursorValueSql, decodeCursor, encodeCursor, keyset, page, Where } from './list.js';

const ID = '6f1c8d3e-2b4a-4c5d-9e8f-0a1b2c3d4e5f';
const raw = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('cursors', () => {
  it('round-trips the sort value and id, dates as ISO UTC', () => {
    const at = new Date('2025-03-01T10:00:00.123Z');
    expect(decodeCursor(encodeCursor(at, ID), 'timestamptz')).toEqual(['2025-03-01T10:00:00.123Z', ID]);
    expect(decodeCursor(encodeCursor('Initech', ID), 'text')).toEqual(['Initech', ID]);
    expect(decodeCursor(encodeCursor('5000.00', ID), 'numeric')).toEqual(['5000.00', ID]);
    expect(decodeCursor(encodeCursor(42, ID), 'int')).toEqual([42, ID]);
    expect(decodeCursor(encodeCursor('9999-12-31', ID), 'date')).toEqual(['9999-12-31', ID]);
  });

  it.each([
    ['not base64 json', '%%%'],
    ['json but not a pair', raw({ a: 1 })],
    ['three elements', raw(['x', ID, 1])],
    ['id not a uuid', raw(['x', 'not-a-uuid'])],
    ['id a number', raw(['x', 5])],
    ['empty', ''],
  ])('refuses %s as a cursor naming the field', (_what, cursor) => {
    try {
      decodeCursor(cursor, 'text');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('validation_failed');
      expect((e as AppError).details).toEqual([{ path: 'cursor', message: 'not a cursor returned by this API' }]);
    }
  });

  it.each([
    ['timestamptz', 'Initech'],
    ['timestamptz', 12],
    ['timestamptz', null],
    ['numeric', 'abc'],
    ['numeric', '1e5'],
    ['int', 1.5],
    ['int', '7'],
    ['date', '2025-13-45'],
    ['date', '2025-01-01T00:00:00Z'],
    ['text', null],
    ['text', { a: 1 }],
  ] as const)('refuses a %s cursor holding %j (it would fail the SQL cast)', (type, value) => {
    expect(() => decodeCursor(raw([value, ID]), type)).toThrow(/cursor/);
  });
});

describe('keyset', () => {
  it('orders by the sort then id, and continues strictly after the cursor row', () => {
    const w = new Where();
    w.add(`workspace_id = ${w.param('ws')}`);
    const order = keyset(w, { expr: 'created_at', type: 'timestamptz' }, 'desc', encodeCursor(new Date(0), ID));
    expect(order).toBe('order by created_at desc, id desc');
    expect(w.sql()).toBe('where workspace_id = $1 and (created_at, id) < ($2::timestamptz, $3::uuid)');
    expect(w.params).toEqual(['ws', '1970-01-01T00:00:00.000Z', ID]);
    const asc = new Where();
    expect(keyset(asc, { expr: 'name', type: 'text' }, 'asc', encodeCursor('b', ID))).toBe('order by name asc, id asc');
    expect(asc.sql()).toBe('where (name, id) > ($1::text, $2::uuid)');
  });

  it('selects timestamps for cursors as ISO text with microseconds, other sorts as they are', () => {
    expect(cursorValueSql({ expr: 'created_at', type: 'timestamptz' })).toContain('"T"HH24:MI:SS.US"Z"');
    expect(cursorValueSql({ expr: 'amount', type: 'numeric' })).toBe('amount');
    expect(decodeCursor(encodeCursor('2025-01-01T00:00:00.000001Z', ID), 'timestamptz')[0]).toBe('2025-01-01T00:00:00.000001Z');
  });

  it('adds no condition on the first page', () => {
    const w = new Where();
    keyset(w, { expr: 'name', type: 'text' }, 'asc', undefined);
    expect(w.sql()).toBe('');
  });
});

describe('page', () => {
  const rows = [1, 2, 3].map((n) => ({ id: `${ID.slice(0, -1)}${n}`, n }));

  it('returns a next cursor made from the last row shown only when more rows exist', () => {
    const p = page(rows, 2, (r) => r.n);
    expect(p.items.map((r) => r.n)).toEqual([1, 2]);
    expect(decodeCursor(p.nextCursor!)).toEqual([2, rows[1].id]);
    expect(page(rows, 3, (r) => r.n).nextCursor).toBeNull();
    expect(page([], 3, () => 0)).toEqual({ items: [], nextCursor: null });
  });
});
