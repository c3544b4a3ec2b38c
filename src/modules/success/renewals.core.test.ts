import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_SETTINGS } from './health.core.js';
import { bucketOf, bucketsWithin, expectedArr, forecast, nextRenewalDate, probabilityOf, renewalMovements } from './renewals.core.js';

const P = DEFAULT_HEALTH_SETTINGS.renewalProbability; // healthy 0.95, at risk 0.7, critical 0.4, unscored 0.8

describe('renewal windows', () => {
  it('buckets days to renewal: overdue, 0-30, 31-60, 61-90, 91-120, beyond', () => {
    expect([-1, 0, 30, 31, 60, 61, 90, 91, 120, 121].map(bucketOf)).toEqual([
      'overdue',
      '0-30',
      '0-30',
      '31-60',
      '31-60',
      '61-90',
      '61-90',
      '91-120',
      '91-120',
      null,
    ]);
    expect(bucketsWithin(30)).toEqual(['overdue', '0-30']);
    expect(bucketsWithin(120)).toEqual(['overdue', '0-30', '31-60', '61-90', '91-120']);
  });
});

describe('forecast', () => {
  it('expected ARR = ARR x the probability of the health band, to the cent', () => {
    expect(probabilityOf('healthy', P).toString()).toBe('0.95');
    expect(probabilityOf(null, P).toString()).toBe('0.8');
    expect(expectedArr('12000.00', probabilityOf('at_risk', P))).toBe('8400.00');
    // 333.33 x 0.95 = 316.6635 -> 316.66
    expect(expectedArr('333.33', probabilityOf('healthy', P))).toBe('316.66');
  });

  it('sums rows per bucket and overall, so the screen adds up', () => {
    const line = (arr: string, band: 'healthy' | 'at_risk' | 'critical' | null, bucket: ReturnType<typeof bucketOf>) => ({
      arr,
      bucket: bucket!,
      expectedArr: expectedArr(arr, probabilityOf(band, P)),
    });
    const f = forecast(
      [
        line('10000.00', 'healthy', '0-30'), // 9500.00
        line('5000.00', 'critical', '0-30'), // 2000.00
        line('20000.00', 'at_risk', '61-90'), // 14000.00
        line('1000.00', null, 'overdue'), // 800.00
      ],
      90,
    );
    expect(f.buckets).toEqual([
      { bucket: 'overdue', count: 1, arr: '1000.00', expectedArr: '800.00' },
      { bucket: '0-30', count: 2, arr: '15000.00', expectedArr: '11500.00' },
      { bucket: '31-60', count: 0, arr: '0.00', expectedArr: '0.00' },
      { bucket: '61-90', count: 1, arr: '20000.00', expectedArr: '14000.00' },
    ]);
    expect(f.total).toEqual({ count: 4, arr: '36000.00', expectedArr: '26300.00' });
  });
});

describe('recording a renewal', () => {
  it('splits a renewal into the ARR renewed and the expansion or contraction', () => {
    expect(renewalMovements('10000.00', '12500.50')).toEqual({ renewal: '10000.00', expansion: '2500.50', contraction: null });
    expect(renewalMovements('10000.00', '8000')).toEqual({ renewal: '8000.00', expansion: null, contraction: '2000.00' });
    expect(renewalMovements('10000.00', '10000.00')).toEqual({ renewal: '10000.00', expansion: null, contraction: null });
  });

  it('moves the renewal date a year on (from today when there was none)', () => {
    expect(nextRenewalDate('2026-05-31', '2026-05-01')).toBe('2027-05-31');
    expect(nextRenewalDate('2028-02-29', '2028-02-01')).toBe('2029-02-28');
    expect(nextRenewalDate(null, '2026-03-10')).toBe('2027-03-10');
  });
});
