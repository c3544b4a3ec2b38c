import { SingleBar } from 'cli-progress';
import pg from 'pg';
import { type Db, openPostgres } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { createDemo } from '../../src/demo/demo.js';

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The benchmark's database: DATABASE_URL when set, else `revline_bench` on the local PostgreSQL (created on first
 * use). Another name (e.g. `revline_bench_s1` for a second scale) always means that database on the local server.
 * Returns its URL and an open, migrated pool.
 */
export async function openApiBenchDb(poolSize: number, name = 'revline_bench'): Promise<{ db: Db; url: string }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  let url = name === 'revline_bench' ? process.env.DATABASE_URL : undefined;
  if (!url) {
    const admin = new pg.Client({ connectionString: DEFAULT_ADMIN_URL });
    await admin.connect();
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!exists.rowCount) await admin.query(`create database ${name}`);
    await admin.end();
    url = DEFAULT_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  }
  const db = await openPostgres(url, poolSize);
  await migrate(db);
  return { db, url };
}

/**
 * The demo at this scale, in workspace `bench-s<scale>`: reused when a previous run wrote it (a scale-10 demo takes
 * minutes to write), written with a progress bar otherwise.
 */
export async function ensureDemo(db: Db, scale: number): Promise<{ slug: string; workspaceId: string; leads: number }> {
  const slug = `bench-s${String(scale).replace('.', '_')}`;
  const [found] = await db.query<{ id: string; leads: number }>(
    'select w.id, (select count(*)::int from leads l where l.workspace_id = w.id) as leads from workspaces w where w.slug = $1',
    [slug],
  );
  if (found) return { slug, workspaceId: found.id, leads: found.leads };
  const bar = new SingleBar({
    format: `Writing the scale-${scale} demo |{bar}| {percentage}% {value}/{total} {label}`,
    stream: process.stderr,
    hideCursor: true,
  });
  let started = false;
  const t0 = performance.now();
  const demo = await createDemo(db, {
    seed: 1,
    scale,
    slug,
    onProgress: (done, total, label) => {
      if (!started) bar.start(total, 0, { label });
      started = true;
      bar.setTotal(total);
      bar.update(done, { label });
    },
  });
  if (started) bar.stop();
  const [{ leads }] = await db.query<{ leads: number }>('select count(*)::int as leads from leads where workspace_id = $1', [
    demo.workspaceId,
  ]);
  console.error(`Wrote the scale-${scale} demo (${leads} leads) in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  return { slug, workspaceId: demo.workspaceId, leads };
}
