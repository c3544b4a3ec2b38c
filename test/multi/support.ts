import { describe, inject } from 'vitest';

/**
 * Suites that start real server processes need a PostgreSQL server (PGlite lives inside one process).
 * They are skipped with a warning when it is unreachable; with REQUIRE_POSTGRES=1 the global setup fails instead.
 */
export function describeOnPostgres(name: string, body: () => void) {
  const up = inject('postgresUp');
  if (!up) console.warn(`[warn] "${name}" skipped: PostgreSQL is not available (DB=pglite or unreachable).`);
  describe.skipIf(!up)(name, body);
}

/** Runs `work` over `items` with at most `concurrency` in flight; results keep the input order. */
export async function mapConcurrent<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
