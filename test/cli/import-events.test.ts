import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

/** `n` events as JSON lines over 12 known accounts (ext-0..ext-11) and one unknown (ghost). */
function eventLines(n: number) {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      messageId: `m-${i}`,
      account: i % 100 === 99 ? 'ghost' : `ext-${i % 12}`,
      user: `u-${i % 5}`,
      event: i % 3 ? 'page.viewed' : 'file.uploaded',
      properties: { n: i },
      timestamp: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    }),
  );
}

describe('revline import events (CLI)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'revline-cli-events-'));
    expect((await revline('workspace', 'create', '--name', 'Acme', '--slug', 'acme')).code).toBe(0);
    const accounts = path.join(dir, 'accounts.csv');
    writeFileSync(accounts, `external_id,name\n${Array.from({ length: 12 }, (_, i) => `ext-${i},Account ${i}`).join('\n')}\n`);
    expect((await revline('import', 'accounts', accounts)).code).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports 12,000 events across batches, reports bad lines with reasons (exit 1), and is idempotent', async () => {
    const file = path.join(dir, 'events.jsonl');
    const lines = eventLines(12_000);
    lines.splice(
      10_500,
      0,
      '{"messageId": "broken",',
      '',
      JSON.stringify({ messageId: 'late', account: 'ext-1', event: 'x', timestamp: '3000-01-01T00:00:00Z' }),
    );
    writeFileSync(file, `${lines.join('\n')}\n`);

    const first = await revline('import', 'events', file, '--workspace', 'acme');
    expect(first.code).toBe(1);
    expect(first.stdout).toContain(`Imported ${file} into acme (events, 12002 lines): 12000 accepted, 0 duplicates, 2 rejected`);
    expect(first.stdout).toContain(
      '120 events name 1 unknown account (kept, and linked once an account with that id or external id exists): ghost (120)',
    );
    expect(first.stderr).toContain(
      'Rejected lines:\n  line 10501: not valid JSON\n  line 10503: timestamp: is more than 1 day in the future\n',
    );
    expect(first.stderr).toContain('error: 2 lines were rejected; fix and import the file again (stored events are not duplicated)');
    expect(first.stderr).not.toMatch(/\n\s+at /);

    // The fixed file: only what was missing is stored.
    writeFileSync(
      file,
      `${eventLines(12_000).join('\n')}\n${JSON.stringify({ messageId: 'late', account: 'ext-1', event: 'x', timestamp: '2026-01-02T00:00:00Z' })}\n`,
    );
    const again = await revline('import', 'events', file);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('(events, 12001 lines): 1 accepted, 12000 duplicates, 0 rejected');
    expect(again.stderr).toBe('');
  }, 180_000);

  it('refuses a missing file, an empty file and CSV-only options without a stack trace', async () => {
    const missing = await revline('import', 'events', path.join(dir, 'nope.jsonl'));
    expect(missing).toMatchObject({ code: 1, stderr: `error: cannot read ${path.join(dir, 'nope.jsonl')}: no such file\n` });
    const empty = path.join(dir, 'empty.jsonl');
    writeFileSync(empty, '\n\n');
    expect(await revline('import', 'events', empty)).toMatchObject({
      code: 1,
      stderr: `error: no events in ${empty}: expected one JSON object per line\n`,
    });
    const dry = await revline('import', 'events', empty, '--dry-run');
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain('--skip-invalid and --dry-run apply to CSV imports');
  }, 120_000);
});
