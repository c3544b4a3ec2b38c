import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { openPglite } from '../../src/db/client.js';
import type { Statement } from '../../src/modules/comp/statements.service.js';
import { AE_PLAN, wonDeal } from '../support/comp-db.js';

/** The real `revline` command in a child process, on an embedded database in a temp folder. */
const root = path.resolve(import.meta.dirname, '../..');
let dir = '';

function revline(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, REVLINE_DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, env }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Writes a won deal straight into the embedded database between two commands (PGlite has one user at a time). */
async function dealFor(email: string, amount: string, closedAt: string) {
  const db = await openPglite(path.join(dir, 'data'));
  try {
    const [u] = await db.query<{ id: string; workspace_id: string }>('select id, workspace_id from users where email = $1', [email]);
    await wonDeal(db, u.workspace_id, { ownerId: u.id, amount, closedAt, name: 'Initech' });
  } finally {
    await db.close();
  }
}

describe('revline comp (CLI)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'revline-cli-comp-'));
    expect((await revline('workspace', 'create', '--name', 'Acme', '--slug', 'acme')).code).toBe(0);
    expect((await revline('user', 'add', '--email', 'ae@acme.test', '--role', 'ae', '--password', 'a-long-password')).code).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a YAML plan, assigns it, runs a quarter twice and prints the statement as text, JSON and CSV', async () => {
    const file = path.join(dir, 'ae.yaml');
    writeFileSync(file, YAML.stringify(AE_PLAN));
    const imported = await revline('comp', 'plan', 'import', file, '--publish-from', '2026-01-01');
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toBe('Imported and published ae-test version 1, in force from 2026-01-01\n');
    expect((await revline('comp', 'assign', '--user', 'ae@acme.test', '--plan', 'ae-test', '--from', '2026-07-01')).stdout).toBe(
      'Assigned ae@acme.test to ae-test (level 1) from 2026-07-01\n',
    );
    await dealFor('ae@acme.test', '40000', '2026-07-10T10:00:00Z');

    const run = await revline('comp', 'run', '--period', '2026-Q3');
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Wrote 2 lines in 3 month\(s\) of 2026-07..2026-09; 0 unchanged\./);
    expect(run.stdout).toMatch(/2026-07\s+2 lines\s+2000.00\s+written/);
    const again = await revline('comp', 'run', '--period', '2026-Q3', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ monthsWritten: 0, monthsUnchanged: 3, linesWritten: 0 });

    const json = await revline('comp', 'statement', '--rep', 'ae@acme.test', '--period', '2026-Q3', '--json');
    const s = JSON.parse(json.stdout) as Statement;
    expect(s.totals).toMatchObject({ earnings: '4000.00', holds: '-2000.00', payable: '2000.00' });
    expect(s.earnings[0]).toMatchObject({
      opportunityName: 'Initech',
      arithmetic: expect.stringMatching(/^10% x \$40,000\.00 credited ARR = \$4,000\.00; 50% paid at signing/),
    });
    expect(s.holds[0]).toMatchObject({ status: 'waiting', condition: 'Initech Inc reaching its aha milestone (none tracked yet)' });

    const text = await revline('comp', 'statement', '--rep', 'ae@acme.test', '--period', '2026-Q3');
    expect(text.stdout).toMatch(/^Statement 2026-Q3 \(2026-07 open, 2026-08 open, 2026-09 open\): ae <ae@acme.test>/);
    expect(text.stdout).toContain('Holds waiting:');
    expect(text.stdout).toMatch(/payable \$2,000\.00\n$/);

    const csv = await revline('comp', 'statement', '--rep', 'ae@acme.test', '--period', '2026-Q3', '--csv');
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toBe('line_id,period,event_period,rep,email,kind,component,rule,plan,deal,account,event_at,amount,arithmetic,reason');
    expect(rows.slice(1).map((r) => r.split(',')[5])).toEqual(['earning', 'hold']);

    const exported = await revline('comp', 'plan', 'export', 'ae-test', '--format', 'yaml');
    expect(YAML.parse(exported.stdout)).toMatchObject({
      key: 'ae-test',
      components: [
        { type: 'commission', rate: '10' },
        { type: 'churn_clawback', withinDays: 90 },
      ],
    });
  }, 180_000);

  it('names the bad field or option, exits 1 and saves nothing', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        ...AE_PLAN,
        key: 'bad-plan',
        components: [
          {
            type: 'commission',
            id: 'x',
            credit: 'ae',
            rate: '10',
            tiers: [
              { upToPercent: null, multiplier: 1 },
              { upToPercent: 100, multiplier: 2 },
            ],
          },
        ],
      }),
    );
    const res = await revline('comp', 'plan', 'import', bad);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^error: Invalid plan document: components\.0\.tiers\.0\.upToPercent: only the last tier may be open-ended/);
    expect(res.stderr).toContain('  components.0.tiers.1.upToPercent: the last tier is open-ended: null');
    expect((await revline('comp', 'plan', 'export', 'bad-plan')).code).toBe(1);

    for (const [args, message] of [
      [['comp', 'statement', '--rep', 'nobody@acme.test', '--period', '2026-Q3'], '--rep: no user with this email'],
      [['comp', 'run', '--period', 'someday'], '--period: must be a month (2026-07), quarter (2026-Q3) or year (2026)'],
      [['comp', 'assign', '--user', 'ae@acme.test', '--plan', 'ae-test', '--from', '2026-09-01'], 'overlapping assignments'],
      [['comp', 'close', '--period', '2030-01'], 'has not ended yet'],
    ] as const) {
      const r = await revline(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toContain(message);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    }
  }, 180_000);
});
