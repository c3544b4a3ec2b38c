import { describe, expect, it } from 'vitest';
import { HUBSPOT_LEVELS, ladderProblems, levelProgress, quotaToOte } from './levels.core.js';

const measures = (closedArr: string, winRate: string, churnRate: string | null) => ({
  closedArr,
  productivity: { win_rate: winRate, won_deals: '0', pipeline_created: '0' },
  churnRate,
});

describe('levels ladder (HubSpot template)', () => {
  it('a level 1 rep who closed the quota, wins 25% and kept customers may become level 2', () => {
    const p = levelProgress(HUBSPOT_LEVELS, 1, measures('812000.00', '0.2500', '0.0400'));
    expect(p.next).toEqual({ level: 2, name: 'Level 2' });
    expect(p.components.map((c) => [c.component, c.actual, c.target, c.met, c.progress])).toEqual([
      ['sales', '812000.00', '800000.00', true, '1.0000'],
      ['productivity', '0.2500', '0.2000', true, '1.0000'],
      ['customer_lifetime', '0.0400', '0.1000', true, '1.0000'],
    ]);
    expect(p.eligible).toBe(true);
  });

  it('shows how far along each milestone is, and any one unmet blocks the promotion', () => {
    const p = levelProgress(HUBSPOT_LEVELS, 1, measures('600000.00', '0.1000', '0.2000'));
    expect(p.components.map((c) => [c.component, c.met, c.progress])).toEqual([
      ['sales', false, '0.7500'], // 600k / 800k
      ['productivity', false, '0.5000'], // 10% / 20%
      ['customer_lifetime', false, '0.5000'], // churn 20% against a 10% ceiling
    ]);
    expect(p.eligible).toBe(false);
    // Churn exactly at the ceiling is not below it.
    expect(levelProgress(HUBSPOT_LEVELS, 1, measures('900000', '0.3', '0.1000')).eligible).toBe(false);
  });

  it('a rep with no customer base yet has nothing churned against them; level 3 is the top', () => {
    const p = levelProgress(HUBSPOT_LEVELS, 2, measures('950000.00', '0.2600', null));
    expect(p.next?.level).toBe(3);
    expect(p.components[2]).toMatchObject({ actual: null, met: true });
    expect(p.eligible).toBe(true);
    expect(levelProgress(HUBSPOT_LEVELS, 3, measures('5000000', '1', '0'))).toMatchObject({ next: null, eligible: false, components: [] });
  });

  it('quota:OTE of the template is 8x, 7.76x and 7.69x', () => {
    expect(HUBSPOT_LEVELS.map((l) => quotaToOte(l))).toEqual([
      { ote: '100000.00', ratio: '8.00' },
      { ote: '116000.00', ratio: '7.76' },
      { ote: '130000.00', ratio: '7.69' },
    ]);
  });

  it('refuses a ladder with gaps, a pay cut or missing milestones, naming the field', () => {
    expect(ladderProblems(HUBSPOT_LEVELS)).toEqual([]);
    const [one, two] = HUBSPOT_LEVELS;
    expect(ladderProblems([one, { ...two, level: 3 }])).toContainEqual({
      path: 'levels.1.level',
      message: expect.stringMatching(/must be 2/),
    });
    expect(ladderProblems([one, { ...two, variable: '1000.00', maxChurnRate: null }]).map((p) => p.path)).toEqual([
      'levels.1.variable',
      'levels.1.maxChurnRate',
    ]);
  });
});
