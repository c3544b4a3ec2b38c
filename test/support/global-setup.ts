import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUp: boolean;
  }
}

/** Checks once whether PostgreSQL is reachable; with REQUIRE_POSTGRES=1 (CI) it must be. */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const wanted = (process.env.DB ?? 'both') !== 'pglite';
  let up = false;
  if (wanted) {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      await c.end();
      up = true;
    } catch (e) {
      if (process.env.REQUIRE_POSTGRES === '1')
        throw new Error(`PostgreSQL is required (REQUIRE_POSTGRES=1) but ${url} is unreachable: ${e}`);
      console.warn(`\n[warn] PostgreSQL unreachable at ${url}: the PostgreSQL runs of the database suites are skipped.\n`);
    }
  }
  project.provide('postgresUp', up);
}
