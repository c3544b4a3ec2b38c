import type { Db } from './client.js';

/** A column of a set-based insert: its name and PostgreSQL type (for the unnest array cast). */
export type BulkColumn = { name: string; type: string };

/**
 * Inserts many rows in one statement per chunk: `insert ... select * from unnest($1::t1[], $2::t2[], ...)`.
 * One parameter per column whatever the row count, so it is as fast on PGlite as on PostgreSQL.
 */
export async function insertMany(tx: Db, table: string, columns: BulkColumn[], rows: unknown[][], chunk = 5000, suffix = '') {
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const arrays = columns.map((_, c) => part.map((r) => r[c] ?? null));
    const casts = columns.map((col, i) => `$${i + 1}::${col.type}[]`).join(', ');
    await tx.query(`insert into ${table} (${columns.map((c) => c.name).join(', ')}) select * from unnest(${casts}) ${suffix}`, arrays);
  }
}
