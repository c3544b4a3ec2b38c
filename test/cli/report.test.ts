import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunnelReport } from '../../src/modules/analytics/funnel.service.js';

/** The real `revline` command in a child process, on an embedded database in a temp folder holding a small demo. */
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

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('revline report (CLI)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'revline-cli-report-'));
    // A fixed end date makes 2026-Q2 a full quarter of data whatever day the test runs.
    const demo = await revline('demo', '--scale', '0.01', '--seed', '7', '--now', '2026-06-30T12:00:00Z');
    expect(demo.stderr.replace(/Writing the demo[^\n]*/g, '').trim()).toBe('');
    expect(demo.code).toBe(0);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the funnel by rep as JSON and as CSV, the same numbers both ways', async () => {
    const json = await revline('report', 'funnel', '--by', 'rep', '--period', '2026-Q2', '--json');
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const r = JSON.parse(json.stdout) as FunnelReport;
    expect(r).toMatchObject({ view: 'period', groupBy: 'rep', range: { from: '2026-04-01', to: '2026-06-30', label: '2026-Q2' } });
    expect(r.total.counts.leads).toBeGreaterThan(50);
    expect(r.total.counts.opportunities).toBeGreaterThan(0);
    // Every fact lands in exactly one rep's row (or Unassigned): the rows add up to the total.
    expect(sum(r.rows.map((x) => x.metrics.counts.leads))).toBe(r.total.counts.leads);
    expect(sum(r.rows.map((x) => x.metrics.counts.customers))).toBe(r.total.counts.customers);

    const csv = await revline('report', 'funnel', '--by', 'rep', '--period', '2026-Q2', '--csv');
    expect(csv.code).toBe(0);
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]).slice(0, 5)).toEqual(['label', 'key', 'visitors', 'conversations', 'leads']);
    expect(Object.keys(rows[0])).toEqual(
      expect.arrayContaining([
        'win_rate',
        'median_sales_cycle_days',
        'pipeline_created',
        'won_amount',
        'average_deal_size',
        'arpa',
        'bookings_total',
      ]),
    );
    expect(rows).toHaveLength(r.rows.length + 1);
    for (const [i, g] of r.rows.entries()) {
      expect(rows[i]).toMatchObject({
        label: g.label,
        key: g.key ?? '',
        leads: String(g.metrics.counts.leads),
        opportunities: String(g.metrics.counts.opportunities),
        win_rate: g.metrics.winRate ? String(g.metrics.winRate.value) : '',
        pipeline_created: g.metrics.pipelineCreated,
        won_amount: g.metrics.wonAmount,
      });
    }
    expect(rows.at(-1)).toMatchObject({ label: 'All', key: '*', leads: String(r.total.counts.leads), won_amount: r.total.wonAmount });
  }, 120_000);

  it('names the bad option, exits 1 and prints no stack trace', async () => {
    const by = await revline('report', 'funnel', '--by', 'planet', '--period', '2026-Q2', '--json');
    expect(by.code).toBe(1);
    expect(by.stdout).toBe('');
    expect(by.stderr).toMatch(/^error: invalid options\n {2}--by: Invalid option: expected one of "none"\|"rep"/);
    expect(by.stderr).not.toMatch(/\n\s+at /);
    const period = await revline('report', 'funnel', '--by', 'rep', '--period', '2026-Q5', '--csv');
    expect(period).toMatchObject({ code: 1, stdout: '' });
    expect(period.stderr).toBe('error: invalid options\n  --period: must be YYYY, YYYY-Qn, YYYY-MM or YYYY-Www (ISO week), e.g. 2026-Q3\n');
  }, 120_000);

  it("prints a rep's coaching card as JSON, and refuses an unknown rep", async () => {
    const card = await revline('report', 'coaching', '--rep', 'EMMA.ESB@demo.revline.dev', '--period', '2026-Q2', '--json');
    expect(card.code).toBe(0);
    const c = JSON.parse(card.stdout);
    expect(c).toMatchObject({ rep: { name: 'Emma Novak', role: 'esb_ae' }, view: 'cohort', range: { label: '2026-Q2' } });
    expect(c.peers.length).toBeGreaterThan(0);
    const nobody = await revline('report', 'coaching', '--rep', 'nobody@demo.revline.dev', '--json');
    expect(nobody).toMatchObject({ code: 1, stderr: 'error: invalid options\n  --rep: no user with this email in workspace demo\n' });
  }, 120_000);
});
