import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { createUser } from '../../src/modules/org/org.service.js';
import type { RetentionReport } from '../../src/modules/success/retention.service.js';
import { PASSWORD, seedOrg } from '../support/fixtures.js';
import { seedRetentionBook } from '../support/retention.js';

/** The real `revline` command in a child process, on an embedded database holding the golden retention book. */
const root = path.resolve(import.meta.dirname, '../..');
let dir = '';
let slug = '';

function revline(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, REVLINE_DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, env }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('revline report retention (CLI)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'revline-cli-retention-'));
    // Written here, then closed: the command opens the same data directory afterwards.
    const db = await openPglite(path.join(dir, 'data'));
    await migrate(db);
    const org = await seedOrg(db);
    slug = org.workspace.slug;
    const domain = org.users.admin.email.split('@')[1];
    const csm = (key: string, teamId: string) =>
      createUser(db, 'system', org.workspace.id, { email: `${key}@${domain}`, name: key, roles: ['csm'], password: PASSWORD, teamId });
    const csmA = await csm('csmA', org.teams.teamA.id);
    const csmB = await csm('csmB', org.teams.teamB.id);
    await seedRetentionBook(db, org.workspace.id, { aeA: org.users.aeA.id, aeB: org.users.aeB.id, csmA: csmA.id, csmB: csmB.id });
    await db.close();
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the golden numbers by AE as JSON and as CSV, the same both ways', async () => {
    const json = await revline('report', 'retention', '--period', '2026-Q3', '--by', 'ae', '--json', '--workspace', slug);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const r = JSON.parse(json.stdout) as RetentionReport;
    expect(r).toMatchObject({
      groupBy: 'ae',
      range: { from: '2026-07-01', to: '2026-09-30', label: '2026-Q3' },
      total: { logos: 5, churnedLogos: 1, startArr: '275000.00', grr: '0.7091', nrr: '0.8727', logoChurn: '0.2000' },
    });
    expect(r.rows.map((x) => [x.label, x.metrics.grr, x.metrics.nrr])).toEqual([
      ['aeA', '0.9286', '1.0357'],
      ['aeB', '0.3636', '0.6364'],
      ['Unassigned', '1.0000', '1.0000'],
    ]);

    const csv = await revline('report', 'retention', '--period', '2026-Q3', '--by', 'ae', '--csv', '--workspace', slug);
    expect(csv.code).toBe(0);
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual([
      'label',
      'key',
      'logos',
      'churned_logos',
      'logo_churn',
      'start_arr',
      'expansion',
      'contraction',
      'churn',
      'end_arr',
      'grr',
      'nrr',
    ]);
    expect(rows).toHaveLength(r.rows.length + 1);
    for (const [i, g] of r.rows.entries())
      expect(rows[i]).toMatchObject({
        label: g.label,
        key: g.key ?? '',
        start_arr: g.metrics.startArr,
        grr: g.metrics.grr,
        nrr: g.metrics.nrr,
      });
    expect(rows.at(-1)).toEqual({
      label: 'All',
      key: '*',
      logos: '5',
      churned_logos: '1',
      logo_churn: '0.2000',
      start_arr: '275000.00',
      expansion: '45000.00',
      contraction: '30000.00',
      churn: '50000.00',
      end_arr: '240000.00',
      grr: '0.7091',
      nrr: '0.8727',
    });
  }, 60_000);

  it('prints a table by default, here by segment', async () => {
    const text = await revline('report', 'retention', '--period', '2026-Q3', '--by', 'segment', '--workspace', slug);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Retention 2026-Q3 (2026-07-01..2026-09-30, Europe/Paris), by segment, amounts in EUR');
    expect(lines.slice(2).map((l) => l.split(/\s{2,}/)[0])).toEqual(['ESB', 'MME', 'SMB', 'No segment', 'All']);
    expect(lines.at(-1)?.split(/\s+/)).toEqual([
      'All',
      '5',
      '1',
      '20.00%',
      '275000.00',
      '45000.00',
      '30000.00',
      '50000.00',
      '240000.00',
      '70.91%',
      '87.27%',
    ]);
  }, 60_000);

  it('names the bad option, exits 1 and prints no stack trace', async () => {
    const by = await revline('report', 'retention', '--by', 'planet', '--workspace', slug);
    expect(by).toMatchObject({ code: 1, stdout: '' });
    expect(by.stderr).toMatch(/^error: invalid options\n {2}--by: Invalid option: expected one of "none"\|"cohort"/);
    expect(by.stderr).not.toMatch(/\n\s+at /);
    const period = await revline('report', 'retention', '--period', '2026-Q5', '--workspace', slug);
    expect(period).toMatchObject({ code: 1, stdout: '' });
    expect(period.stderr).toBe('error: invalid options\n  --period: must be YYYY, YYYY-Qn, YYYY-MM or YYYY-Www (ISO week), e.g. 2026-Q3\n');
    const to = await revline('report', 'retention', '--from', '2026-09-01', '--to', '2026-08-01', '--workspace', slug);
    expect(to).toMatchObject({ code: 1, stderr: 'error: invalid options\n  --to: must be on or after from\n' });
    const both = await revline('report', 'retention', '--json', '--csv', '--workspace', slug);
    expect(both).toMatchObject({ code: 1, stderr: 'error: give --json or --csv, not both\n' });
    const nowhere = await revline('report', 'retention', '--workspace', 'no-such-workspace');
    expect(nowhere).toMatchObject({ code: 1, stderr: 'error: No workspace with slug "no-such-workspace"\n' });
  }, 60_000);
});
