import { describe, expect, it } from 'vitest';
import { EMPTY_SUMS, rangeInstants, ratio, retentionMetrics, sumRetention, trendMonths } from './retention.core.js';

const sums = (x: Partial<typeof EMPTY_SUMS>) => ({ ...EMPTY_SUMS, ...x });

describe('retention rates', () => {
  it('computes GRR, NRR and logo churn exactly from the sums', () => {
    // Start 275,000; contraction 30,000; churn 50,000; expansion 45,000 (the service's golden book for 2026-Q3).
    const m = retentionMetrics(
      sums({ logos: 5, churnedLogos: 1, startArr: '275000', expansion: '45000', contraction: '30000', churn: '50000', endArr: '240000' }),
    );
    expect(m).toEqual({
      logos: 5,
      churnedLogos: 1,
      startArr: '275000.00',
      expansion: '45000.00',
      contraction: '30000.00',
      churn: '50000.00',
      endArr: '240000.00',
      grr: '0.7091', // 195,000 / 275,000 = 0.709090...
      nrr: '0.8727', // 240,000 / 275,000 = 0.872727...
      logoChurn: '0.2000',
    });
  });

  it('rounds half-even to four places, on exact decimals (no float drift)', () => {
    expect(ratio('17531', '20000')).toBe('0.8766'); // 0.87655: the 5 rounds to the even 6
    expect(ratio('17529', '20000')).toBe('0.8764'); // 0.87645: the 5 rounds to the even 4
    expect(ratio('0.3', '0.1')).toBe('3.0000'); // 0.3 / 0.1 is 2.9999999999999996 in floats
    expect(ratio('2', '3')).toBe('0.6667');
    expect(ratio('1', '3')).toBe('0.3333');
  });

  it('has no rate without a base', () => {
    expect(retentionMetrics(EMPTY_SUMS)).toMatchObject({ grr: null, nrr: null, logoChurn: null, startArr: '0.00' });
    expect(ratio('5', '0')).toBeNull();
  });

  it('NRR above 1 with expansion; GRR never counts expansion', () => {
    const m = retentionMetrics(sums({ logos: 1, startArr: '40000', expansion: '15000', endArr: '55000' }));
    expect(m).toMatchObject({ grr: '1.0000', nrr: '1.3750', logoChurn: '0.0000' });
  });

  it('adds groups into a total exactly, cent by cent', () => {
    const total = sumRetention([
      sums({ logos: 2, churnedLogos: 1, startArr: '0.10', expansion: '0.20', contraction: '0.01', churn: '0.02', endArr: '0.27' }),
      sums({ logos: 1, startArr: '0.20', expansion: '0.10', endArr: '0.30' }),
    ]);
    expect(total).toEqual({
      logos: 3,
      churnedLogos: 1,
      startArr: '0.30',
      expansion: '0.30',
      contraction: '0.01',
      churn: '0.02',
      endArr: '0.57',
    });
    expect(sumRetention([])).toEqual(EMPTY_SUMS);
  });
});

describe('retention calendar', () => {
  it('turns local dates into the instants of the workspace timezone', () => {
    expect(rangeInstants({ from: '2026-07-01', to: '2026-09-30' }, 'Europe/Paris')).toEqual({
      start: new Date('2026-06-30T22:00:00Z'),
      end: new Date('2026-09-30T22:00:00Z'),
    });
    // Across the October DST change: Q4 starts at UTC+2 and ends at UTC+1.
    expect(rangeInstants({ from: '2026-10-01', to: '2026-12-31' }, 'Europe/Paris')).toEqual({
      start: new Date('2026-09-30T22:00:00Z'),
      end: new Date('2026-12-31T23:00:00Z'),
    });
    expect(rangeInstants({ from: '2026-07-01', to: '2026-07-31' }, 'UTC')).toEqual({
      start: new Date('2026-07-01T00:00:00Z'),
      end: new Date('2026-08-01T00:00:00Z'),
    });
  });

  it('lists the trend months oldest first, ending with the given or current month (workspace timezone)', () => {
    expect(trendMonths('2026-02', 3, 'UTC', new Date())).toEqual([
      { from: '2025-12-01', to: '2025-12-31', label: '2025-12' },
      { from: '2026-01-01', to: '2026-01-31', label: '2026-01' },
      { from: '2026-02-01', to: '2026-02-28', label: '2026-02' },
    ]);
    // 2026-09-30 23:30 UTC is already October in Paris.
    const edge = new Date('2026-09-30T23:30:00Z');
    expect(trendMonths(undefined, 12, 'Europe/Paris', edge).at(-1)?.label).toBe('2026-10');
    expect(trendMonths(undefined, 12, 'America/Los_Angeles', edge).map((m) => m.label)).toEqual([
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
    ]);
  });
});
