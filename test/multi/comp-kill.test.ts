import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { createAssignment } from '../../src/modules/comp/assignments.service.js';
import { createDraft, publishVersion } from '../../src/modules/comp/plans.service.js';
import { runComp } from '../../src/modules/comp/runs.service.js';
import { AE_PLAN, ledgerRows } from '../support/comp-db.js';
import { openTestDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { describeOnPostgres } from './support.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Thousands of won deals spread over 2026, one set of rows per statement (no services: this is the data, not the test). */
async function manyDeals(db: Db, workspaceId: string, ownerId: string, n: number, salt: string) {
  await db.query(
    `with d as (
       select gen_random_uuid() as account_id, gen_random_uuid() as opp_id, i,
              timestamptz '2026-01-01 09:00+00' + (i * interval '1 day' * 300 / $4) as closed_at
         from generate_series(1, $4) i),
     a as (insert into accounts (id, workspace_id, name) select account_id, $1, 'Acct ' || $3 || i from d)
     insert into opportunities (id, workspace_id, name, account_id, stage, amount, owner_id, closed_at)
     select opp_id, $1, 'Deal ' || $3 || i, account_id, 'won', 1000 + (i % 97) * 250, $2, closed_at from d`,
    [workspaceId, ownerId, salt, n],
  );
}

/** A child process running `revline comp run` that is SIGKILLed as soon as it has written its first month. */
function runAndKill(url: string, slug: string): Promise<{ killedAfter: string; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'comp', 'run', '--period', '2026-10', '--progress', '--workspace', slug],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    let killedAfter = '';
    const onData = (d: Buffer) => {
      output += d;
      const m = /wrote (\d{4}-\d{2})/.exec(output);
      if (m && !killedAfter) {
        killedAfter = m[1];
        child.kill('SIGKILL');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', () => resolve({ killedAfter, output }));
  });
}

describeOnPostgres('comp run killed with SIGKILL half-way', () => {
  let handle: Awaited<ReturnType<typeof openTestDb>>;
  let db: Db;

  beforeAll(async () => {
    handle = await openTestDb('postgres');
    db = handle.db;
  });
  afterAll(async () => {
    await handle?.drop();
  });

  it('leaves the ledger exactly as before; the next run completes it and a run after that changes nothing', async () => {
    const org = await seedOrg(db);
    const ws = org.workspace.id;
    const draft = await createDraft(db, org.principals.ops, AE_PLAN);
    await publishVersion(db, org.principals.ops, draft.key, draft.version, '2026-01-01');
    await createAssignment(db, org.principals.ops, { userId: org.users.aeA.id, planKey: 'ae-test', from: '2026-01-01' });
    await manyDeals(db, ws, org.users.aeA.id, 3000, 'a');
    const now = new Date('2026-11-02T12:00:00Z');
    await runComp(db, org.principals.ops, { period: '2026-10' }, now);
    const before = await ledgerRows(db, ws);
    const periodsBefore = await db.query('select * from comp_periods where workspace_id = $1 order by period', [ws]);
    expect(before.length).toBe(6000);

    // More deals in every month: the next run rewrites all ten months, in one transaction.
    await manyDeals(db, ws, org.users.aeA.id, 12000, 'b');
    const killed = await runAndKill(handle.url!, org.workspace.slug);
    expect(killed.killedAfter, killed.output).toBe('2026-01');
    // The server ends the dead client's transaction; wait until no one holds the comp lock any more.
    for (let i = 0; i < 100; i++) {
      const [busy] = await db.query<{ n: number }>(
        `select count(*)::int as n from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`,
      );
      if (busy.n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await ledgerRows(db, ws)).toEqual(before);
    expect(await db.query('select * from comp_periods where workspace_id = $1 order by period', [ws])).toEqual(periodsBefore);
    expect(await db.query(`select status from comp_runs where workspace_id = $1`, [ws])).toEqual([{ status: 'done' }]);

    const complete = await runComp(db, org.principals.ops, { period: '2026-10' }, now);
    expect(complete).toMatchObject({ monthsWritten: 10, linesWritten: 30000 });
    expect((await runComp(db, org.principals.ops, { period: '2026-10' }, now)).monthsWritten).toBe(0);
  }, 180_000);
});
