import { Decimal } from 'decimal.js';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../test/support/db.js';
import { calibration } from '../modules/quotas/calibration.service.js';
import { systemPrincipal } from '../platform/auth/principal.js';
import { createDemo } from './demo.js';
import { roundWithin, teamAmount } from './quotas-demo.js';

const NOW = new Date('2026-11-23T15:00:00Z');
const d = (xs: number[]) => xs.map((x) => new Decimal(x));

it('sizes a calibrated team quota so 60-75% attain and a too-hard one below 60%', () => {
  // Ramp-adjusted actuals of six reps: a quota in (30, 40] lets 4 of 6 (67%) attain; in (50, 60] 2 of 6 (33%).
  const values = d([10, 30, 40, 50, 60, 70]);
  const ok = teamAmount(values, 'calibrated');
  expect(ok.gt(30) && ok.lte(40)).toBe(true);
  const hard = teamAmount(values, 'too_hard');
  expect(hard.gt(50) && hard.lte(60)).toBe(true);
  expect(roundWithin(new Decimal(123_456), new Decimal(187_000)).toFixed()).toBe('180000');
  expect(roundWithin(new Decimal(0), new Decimal(1_370_000)).toFixed()).toBe('1000000');
});

describeEachDb('demo quotas tell the calibration story', (getDb) => {
  let workspaceId: string;
  beforeAll(async () => {
    workspaceId = (await createDemo(getDb(), { seed: 7, scale: 0.1, now: NOW, slug: 'quota-story' })).workspaceId;
  });

  it('gives every selling rep a quota on their metric for the last four full quarters and the current one', async () => {
    const rows = await getDb().query<{ label: string; metric: string; n: number }>(
      `select to_char(q.period_start, 'YYYY-MM') as label, q.metric, count(*)::int as n from quotas q
        where q.workspace_id = $1 group by 1, 2 order by 1, 2`,
      [workspaceId],
    );
    expect([...new Set(rows.map((r) => r.label))]).toEqual(['2025-10', '2026-01', '2026-04', '2026-07', '2026-10']);
    // The current quarter: 15 closers, 9 SDRs on pipeline sourced, 5 in customer success.
    expect(rows.filter((r) => r.label === '2026-10').map((r) => [r.metric, r.n])).toEqual([
      ['expansion_arr', 5],
      ['new_arr', 15],
      ['pipeline_created', 9],
    ]);
  });

  it('flags MME too hard, keeps Real-time Sales and SMB in the band, and fires the raise for Inbound SDR alone', async () => {
    const p = systemPrincipal(workspaceId);
    const flags = async (metric: string) => {
      const r = await calibration(getDb(), p, { metric, period: '2026-Q3', periods: 2 }, NOW);
      return {
        flags: Object.fromEntries(r.distribution.map((x) => [`${x.teamName} ${x.period}`, x.flag])),
        fires: r.raise.filter((x) => x.fires).map((x) => x.teamName),
        raise: r.raise,
      };
    };
    const arr = await flags('new_arr');
    for (const q of ['2026-Q2', '2026-Q3']) {
      expect(arr.flags[`Mid-market & Enterprise ${q}`]).toBe('too_hard');
      expect(arr.flags[`Real-time Sales ${q}`]).toBe('ok');
      expect(arr.flags[`SMB Sales ${q}`]).toBe('ok');
    }
    expect(arr.fires).toEqual([]);
    const sdr = await flags('pipeline_created');
    expect(sdr.flags['Inbound SDR 2026-Q2']).toBe('too_easy');
    expect(sdr.flags['Inbound SDR 2026-Q3']).toBe('too_easy');
    expect(sdr.flags['Outbound SDR 2026-Q3']).toBe('ok');
    expect(sdr.fires).toEqual(['Inbound SDR']);
    const inbound = sdr.raise.find((x) => x.teamName === 'Inbound SDR')!;
    expect(new Decimal(inbound.suggestion!.proposedQuota).gt(inbound.suggestion!.currentQuota)).toBe(true);
    expect((await flags('expansion_arr')).fires).toEqual([]);
  });
});
