import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../src/db/client.js';
import { openPostgres } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { CHANNELS } from '../../src/modules/crm/crm.core.js';
import { createUser, createWorkspace } from '../../src/modules/org/org.service.js';
import { saveRules } from '../../src/modules/routing/routing.service.js';
import { getSettings } from '../../src/modules/routing/settings.repo.js';
import { systemPrincipal } from '../../src/platform/auth/principal.js';

export const BENCH_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Creates (first time) and migrates the bench database; it is reused across runs, each run in fresh workspaces.
 * `fresh` drops it first: every run then starts from empty tables and the current migrations.
 */
export async function openBenchDb(name: string, poolSize: number, opts: { fresh?: boolean } = {}): Promise<{ db: Db; url: string }> {
  const admin = new pg.Client({ connectionString: BENCH_ADMIN_URL });
  await admin.connect();
  if (opts.fresh) await admin.query(`drop database if exists ${name} with (force)`);
  const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (!exists.rowCount) await admin.query(`create database ${name}`);
  await admin.end();
  const url = BENCH_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const db = await openPostgres(url, poolSize);
  await migrate(db);
  return { db, url };
}

/** A deterministic pseudo-random generator (mulberry32), so every run sends the same leads. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}

const COUNTRIES = ['FR', 'DE', 'GB', 'US', 'ES', 'IT', 'NL', 'BE', 'CH', 'SE'];
const COMPANIES = 20_000;
export const ACCOUNTS_WITH_OWNER = 2_000;

/**
 * `n` raw lead bodies as an integration would post them: companies repeat (accounts match for some),
 * `dupShare` of them repeat an earlier email (merges, within a batch and across batches), half carry an external id.
 */
export function makeLeads(n: number, dupShare: number, seed = 42): Record<string, unknown>[] {
  const r = rng(seed);
  const leads: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const c = r.int(COMPANIES);
    let email = r.next() < 0.02 ? `person${i}@gmail.com` : `person${i}@company${c}.com`;
    if (i > 0 && r.next() < dupShare) email = String(leads[Math.max(0, i - 1 - r.int(8000))].email).toUpperCase();
    const sized = r.next();
    leads.push({
      ...(r.next() < 0.5 ? { externalId: `ext-${seed}-${i}` } : {}),
      email,
      firstName: `First${i % 997}`,
      lastName: `Last${i % 991}`,
      company: `Company ${c}`,
      title: r.pick(['CEO', 'CTO', 'VP Sales', 'Head of Ops', 'Engineer']),
      ...(sized < 0.85
        ? { employees: Math.floor(2 ** (r.next() * 13)) }
        : sized < 0.95
          ? { expectedArr: String(1000 + r.int(200_000)) }
          : {}),
      country: r.pick(COUNTRIES),
      channel: r.pick(CHANNELS),
    });
  }
  return leads;
}

/**
 * A fresh workspace shaped like a real sales floor: SDR pools per segment, AEs owning 2,000 of the
 * 20,000 companies as accounts, and ordered rules (account owner, spears to a queue, pools per segment).
 */
export async function benchWorkspace(db: Db, label: string) {
  const slug = `bench-${label}-${randomBytes(4).toString('hex')}`;
  const ws = await createWorkspace(db, { name: `Bench ${slug}`, slug, timezone: 'Europe/Paris', currency: 'EUR' });
  const mk = (name: string, roles: ('sdr_inbound' | 'ae' | 'sales_ops')[], segments: ('ESB' | 'SMB' | 'MME')[] = []) =>
    createUser(db, 'system', ws.id, { email: `${name}@${slug}.test`, name, roles, segments, capacity: 100_000 });
  const aes: string[] = [];
  for (let i = 0; i < 6; i++) aes.push((await mk(`ae${i}`, ['ae'])).id);
  for (const [segment, count] of [
    ['SMB', 10],
    ['MME', 5],
    ['ESB', 5],
  ] as const)
    for (let i = 0; i < count; i++) await mk(`sdr-${segment}-${i}`, ['sdr_inbound'], [segment]);
  await db.query(
    `insert into accounts (workspace_id, name, domain, domain_normalized, owner_id)
     select $1, 'Company ' || g, 'company' || g || '.com', 'company' || g || '.com', ($2::uuid[])[1 + g % 6]
       from generate_series(0, $3 - 1) g`,
    [ws.id, aes, ACCOUNTS_WITH_OWNER],
  );
  await getSettings(db, ws.id);
  const system = systemPrincipal(ws.id);
  await saveRules(db, system, 'intake', [
    { name: 'Existing accounts', enabled: true, conditions: { existingAccount: true }, action: { type: 'account_owner' } },
    { name: 'Spears', enabled: true, conditions: { sourceTypes: ['spear'] }, action: { type: 'queue', queue: 'outbound-review' } },
    {
      name: 'SMB',
      enabled: true,
      conditions: { segments: ['SMB'] },
      action: { type: 'pool', pool: { roles: ['sdr_inbound'], segment: 'SMB' } },
    },
    {
      name: 'MME',
      enabled: true,
      conditions: { segments: ['MME'] },
      action: { type: 'pool', pool: { roles: ['sdr_inbound'], segment: 'MME' } },
    },
    {
      name: 'ESB',
      enabled: true,
      conditions: { segments: ['ESB'] },
      action: { type: 'pool', pool: { roles: ['sdr_inbound'], segment: 'ESB' } },
    },
  ]);
  return { workspaceId: ws.id, system };
}

/** Wraps a Db so every statement's time is added up by its first words: where the pipeline spends its time. */
export function profiled(db: Db, stats: Map<string, { n: number; ms: number }>): Db {
  const label = (sql: string) => sql.replace(/\s+/g, ' ').trim().slice(0, 70);
  const wrap = (inner: Db): Db => ({
    kind: inner.kind,
    async query<T>(sql: string, params?: unknown[]) {
      const t = performance.now();
      try {
        return await inner.query<T>(sql, params);
      } finally {
        const s = stats.get(label(sql)) ?? { n: 0, ms: 0 };
        s.n++;
        s.ms += performance.now() - t;
        stats.set(label(sql), s);
      }
    },
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx))),
    close: () => inner.close(),
  });
  return wrap(db);
}
