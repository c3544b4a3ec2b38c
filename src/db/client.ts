import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** Either engine behind one small interface: plain SQL with $n parameters. */
export interface Db {
  readonly kind: 'pglite' | 'postgres';
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs fn in one transaction; nested calls join the outer transaction. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// Dates, numerics and bigints come back as exact strings/numbers on both engines:
// `date` stays 'YYYY-MM-DD' (no local-time shift), `numeric` stays a decimal string.
const OID = { int8: 20, numeric: 1700, date: 1082 } as const;
pg.types.setTypeParser(OID.int8, (v) => Number(v));
pg.types.setTypeParser(OID.date, (v) => v);
pg.types.setTypeParser(OID.numeric, (v) => v);

const pgliteParsers = {
  [OID.int8]: (v: string) => Number(v),
  [OID.date]: (v: string) => v,
  [OID.numeric]: (v: string) => v,
};

class TxDb implements Db {
  constructor(
    readonly kind: Db['kind'],
    private readonly run: (sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }>,
  ) {}
  async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return (await this.run(sql, params)).rows as T[];
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return fn(this);
  }
  async close(): Promise<void> {}
}

export async function openPglite(dataDir: string | undefined): Promise<Db> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const lite = await PGlite.create(dataDir, { parsers: pgliteParsers });
  return {
    kind: 'pglite',
    async query<T>(sql: string, params?: unknown[]) {
      return (await lite.query(sql, params)).rows as T[];
    },
    transaction<T>(fn: (tx: Db) => Promise<T>) {
      return lite.transaction((tx) => fn(new TxDb('pglite', (s, p) => tx.query(s, p))));
    },
    close: () => lite.close(),
  };
}

/**
 * Parameterised statements run as named prepared statements (the name is a hash of the SQL text), so
 * PostgreSQL parses and plans each query shape once per connection instead of on every request.
 */
const statementNames = new Map<string, string>();
function prepared(sql: string, params: unknown[] | undefined) {
  if (!params?.length) return { text: sql, values: params };
  let name = statementNames.get(sql);
  if (!name) {
    name = `rl_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    if (statementNames.size < 5000) statementNames.set(sql, name);
  }
  return { name, text: sql, values: params };
}

export async function openPostgres(url: string, poolSize = 10): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection the server closes (restart, failover, admin) must not crash the process:
  // the pool drops it and the next query opens a new one.
  pool.on('error', (err) => console.error(`[db] idle PostgreSQL connection closed: ${err.message}`));
  await pool.query('select 1');
  return {
    kind: 'postgres',
    async query<T>(sql: string, params?: unknown[]) {
      return (await pool.query(prepared(sql, params))).rows as T[];
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn(new TxDb('postgres', (s, p) => client.query(prepared(s, p))));
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

export function openDb(opts: { databaseUrl?: string; dataDir?: string }): Promise<Db> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openPglite(opts.dataDir);
}
