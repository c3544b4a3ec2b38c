import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttainmentReport } from '../../src/modules/quotas/quotas.service.js';

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

describe('revline quota (CLI)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'revline-cli-quota-'));
    expect((await revline('workspace', 'create', '--name', 'Acme', '--slug', 'acme')).code).toBe(0);
    expect((await revline('user', 'add', '--email', 'ae@acme.test', '--role', 'ae', '--password', 'a-long-password')).code).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sets a quota, updates it, and shows attainment as a table and as JSON', async () => {
    const set = await revline('quota', 'set', '--user', 'ae@acme.test', '--metric', 'new_arr', '--period', '2026-Q3', '--amount', '250000');
    expect(set.stderr).toBe('');
    expect(set.stdout).toMatch(/^Set ae@acme.test new_arr 2026-Q3: 250000.00/);
    const again = await revline(
      'quota',
      'set',
      '--user',
      'ae@acme.test',
      '--metric',
      'new_arr',
      '--period',
      '2026-Q3',
      '--amount',
      '240000',
      '--workspace',
      'acme',
    );
    expect(again.stdout).toMatch(/^Updated .* 240000.00/);

    const json = await revline('quota', 'show', '--period', '2026-Q3', '--json');
    expect(json.code).toBe(0);
    const r = JSON.parse(json.stdout) as AttainmentReport;
    expect(r.period.label).toBe('2026-Q3');
    expect(r.rows).toEqual([
      expect.objectContaining({ name: 'ae', metric: 'new_arr', rampedQuota: '240000.00', actual: '0.00', attainment: '0.0000' }),
    ]);
    expect(r.teams).toEqual([expect.objectContaining({ teamName: 'No team', reps: 1, rampedQuota: '240000.00' })]);

    const table = await revline('quota', 'show', '--period', '2026-Q3');
    expect(table.stdout).toMatch(/Quota attainment 2026-Q3 \(2026-07-01..2026-09-30, UTC\), ramp 25\/50\/75\/100%/);
    expect(table.stdout).toMatch(/ae\s+-\s+new_arr\s+240000.00\s+240000.00\s+0.00\s+0.0%/);
  }, 120_000);

  it('names the bad option, exits 1 and saves nothing', async () => {
    for (const [args, option] of [
      [['--amount', '0'], '--amount: must be above zero'],
      [['--period', '2026-W10'], '--period:'],
      [['--period', '2026'], '--period: overlapping periods'],
      [['--metric', 'accepted_leads'], '--metric:'],
      [['--user', 'nobody@acme.test'], '--user: no user'],
    ] as const) {
      const base = { '--user': 'ae@acme.test', '--metric': 'new_arr', '--period': '2026-Q4', '--amount': '1000' } as Record<string, string>;
      base[args[0]] = args[1];
      const res = await revline('quota', 'set', ...Object.entries(base).flat());
      expect(res.code, args.join(' ')).toBe(1);
      expect(res.stderr, args.join(' ')).toContain(option);
      expect(res.stderr).not.toMatch(/at .*\.ts:\d+/);
    }
    const team = await revline('quota', 'show', '--team', 'Nope');
    expect(team.code).toBe(1);
    expect(team.stderr).toContain('--team: no team named "Nope"');
    const r = JSON.parse((await revline('quota', 'show', '--period', '2026-Q4', '--json')).stdout) as AttainmentReport;
    expect(r.rows).toEqual([]);
  }, 120_000);
});
