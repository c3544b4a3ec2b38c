import { type Config, loadConfig } from '../config.js';
import { type Db, openDb } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { findWorkspaceBySlug, listWorkspaces, type Workspace } from '../modules/org/org.repo.js';

/** Every CLI command opens the configured database (migrated), does its work and closes it. */
export async function withDb<T>(fn: (db: Db, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDb(config);
  try {
    await migrate(db);
    return await fn(db, config);
  } finally {
    await db.close();
  }
}

/** `--workspace slug`, or the only workspace when there is exactly one. */
export async function resolveWorkspace(db: Db, slug: string | undefined): Promise<Workspace> {
  if (slug) {
    const w = await findWorkspaceBySlug(db, slug);
    if (!w) throw new CliError(`No workspace with slug "${slug}"`);
    return w;
  }
  const all = await listWorkspaces(db);
  if (all.length === 1) return all[0];
  if (all.length === 0) throw new CliError('No workspace yet: run `revline demo` or `revline workspace create`');
  throw new CliError(`Several workspaces exist; pass --workspace with one of: ${all.map((w) => w.slug).join(', ')}`);
}

/** An expected failure: printed without a stack trace, exit code 1. */
export class CliError extends Error {}

/** A user of the workspace by login email (any case), or an option error naming `option`. */
export async function userByEmail(db: Db, w: Workspace, email: string, option: string): Promise<{ id: string }> {
  const [user] = await db.query<{ id: string }>('select id from users where workspace_id = $1 and lower(email) = lower($2)', [w.id, email]);
  if (!user) throw new CliError(`invalid options\n  --${option}: no user with this email in workspace ${w.slug}`);
  return user;
}
