import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { type Db, openPglite, openPostgres } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';

export type DbKind = 'pglite' | 'postgres';

/** The admin connection used to create and drop one scratch database per test file. */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Engines to run database suites on: DB=pglite|postgres|both (default both).
 * PostgreSQL is skipped with a warning when unreachable, unless REQUIRE_POSTGRES=1 (CI): the global setup fails then.
 */
export function dbKinds(): DbKind[] {
  const choice = process.env.DB ?? 'both';
  const kinds: DbKind[] = choice === 'pglite' ? ['pglite'] : choice === 'postgres' ? ['postgres'] : ['pglite', 'postgres'];
  return kinds.filter((k) => k === 'pglite' || inject('postgresUp'));
}

export async function openTestDb(kind: DbKind): Promise<{ db: Db; url?: string; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openPglite(undefined);
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  const name = `revline_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const db = await openPostgres(url, 5);
  await migrate(db);
  return {
    db,
    url,
    drop: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/**
 * Runs the same suite on each engine. Inside, call `getDb()` in tests (the database is opened in beforeAll).
 * Tests create their own workspace instead of truncating, so they never see each other's rows.
 */
export function describeEachDb(name: string, body: (getDb: () => Db, kind: DbKind) => void) {
  for (const kind of dbKinds()) {
    describe(`${name} [${kind}]`, () => {
      let handle: Awaited<ReturnType<typeof openTestDb>> | undefined;
      beforeAll(async () => {
        handle = await openTestDb(kind);
      });
      afterAll(async () => {
        await handle?.drop();
      });
      body(() => {
        if (!handle) throw new Error('database not open');
        return handle.db;
      }, kind);
    });
  }
}
