import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadsCsv } from '../support/csv.js';

/** The real `revline` command in a child process, on an embedded database in a temp folder. */
const root = path.resolve(import.meta.dirname, '../..');
let dir = '';

function revline(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, REVLINE_DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { cwd: root, env, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('revline import / export (CLI)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'revline-cli-import-'));
    expect((await revline('workspace', 'create', '--name', 'Acme', '--slug', 'acme')).code).toBe(0);
    const user = await revline('user', 'add', '--email', 'sdr@acme.test', '--role', 'sdr_inbound', '--password', 'password-1234');
    expect(user.code).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a file with a bad row (exit 1, the row named, nothing written), then imports the fixed file once', async () => {
    const file = path.join(dir, 'leads.csv');
    writeFileSync(file, leadsCsv(1500, { ownerEmail: 'sdr@acme.test', badRow: 1234 }));
    const bad = await revline('import', 'leads', file);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('1 of 1500 rows in');
    expect(bad.stderr).toContain('  row 1234 (line 1235), email: Invalid email address\n');
    expect(bad.stderr).toContain('error: fix the rows above, or pass --skip-invalid to import the 1499 valid rows');
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const dry = await revline('import', 'leads', file, '--skip-invalid', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('would insert 1499, merge 0 into existing leads, update 0, leave 0 unchanged; nothing was written');
    // The dry run went through routing and rolled it back: 1 row in 3 has an owner, the rest go to the fallback queue.
    expect(dry.stdout).toContain('New leads: 500 kept their owner_email, 0 routed to a rep, 999 sent to a queue; 0 flagged for review');
    expect(dry.stderr).toContain('Skipped 1 invalid row:\n  row 1234 (line 1235), email: Invalid email address');

    writeFileSync(file, leadsCsv(1500, { ownerEmail: 'sdr@acme.test' }));
    const first = await revline('import', 'leads', file, '--workspace', 'acme');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('(leads, 1500 rows): 1500 inserted, 0 merged into existing leads, 0 updated, 0 unchanged');
    expect(first.stdout).toContain('New leads: 500 kept their owner_email, 0 routed to a rep, 1000 sent to a queue; 0 flagged for review');
    const again = await revline('import', 'leads', file);
    expect(again.stdout).toContain('(leads, 1500 rows): 0 inserted, 0 merged into existing leads, 0 updated, 1500 unchanged');
    expect(again.stdout).not.toContain('New leads:');

    const out = path.join(dir, 'export.csv');
    const exported = await revline('export', 'leads', '--out', out);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain(`Exported 1500 leads from acme to ${out}`);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(
      'id,external_id,email,first_name,last_name,company,domain,title,phone,employees,expected_arr,country,source_type,channel,status,disqualify_reason,segment,owner_email,created_at',
    );
    const back = await revline('import', 'leads', out);
    expect(back.stdout).toContain('0 inserted, 0 merged into existing leads, 0 updated, 1500 unchanged');
  }, 120_000);

  it('names unknown columns and unknown files without a stack trace; export goes to stdout by default', async () => {
    const file = path.join(dir, 'odd.csv');
    writeFileSync(file, 'email,source_type,channel,colour\na@b.io,net,chat,blue\n');
    const r = await revline('import', 'leads', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: leads CSV header: unknown column "colour"\. Accepted columns: id, external_id/);
    const missing = await revline('import', 'contacts', path.join(dir, 'nope.csv'));
    expect(missing).toMatchObject({ code: 1, stderr: `error: cannot read ${path.join(dir, 'nope.csv')}: no such file\n` });
    const accounts = await revline('export', 'accounts');
    expect(accounts).toMatchObject({
      code: 0,
      stdout: 'id,external_id,name,domain,employees,industry,country,segment,owner_email,csm_email\n',
    });
  }, 120_000);
});
