import { describe, expect, it } from 'vitest';
import { DEFAULT_CRITERIA, maxScoreOf, type Scorecard, scoreLead, validateScorecard } from './scorecard.core.js';

const card: Scorecard = { segment: 'SMB', threshold: 12, criteria: DEFAULT_CRITERIA };

describe('qualification scorecards (golden cases)', () => {
  it('adds the points of the chosen answers', () => {
    expect(maxScoreOf(card)).toBe(18);
    const r = scoreLead(card, {
      need: 'clear',
      need_size: 'medium',
      authority: 'decision_maker',
      budget: 'possible',
      timing: 'this_quarter',
      fit: 'strong',
    });
    expect(r).toMatchObject({ score: 15, qualified: true, unanswered: [] });
    expect(r.reasons.at(-1)).toBe('score 15 of 18, threshold 12: met');
  });
  it('is not qualified under the threshold', () => {
    const r = scoreLead(card, { need: 'vague', authority: 'influencer', fit: 'partial', budget: 'none' });
    expect(r).toMatchObject({ score: 4, qualified: false, unanswered: ['need_size', 'timing'] });
  });
  it('fails a required criterion answered with a zero option, whatever the total', () => {
    const r = scoreLead(
      { ...card, threshold: 5 },
      { need: 'clear', need_size: 'large', authority: 'none', budget: 'allocated', timing: 'this_quarter', fit: 'strong' },
    );
    expect(r.score).toBe(15);
    expect(r.qualified).toBe(false);
    expect(r.reasons).toContain('Authority: "No influence" fails a required criterion');
  });
  it('fails when a required criterion is unanswered', () => {
    const r = scoreLead({ ...card, threshold: 0 }, { need: 'clear', authority: 'decision_maker' });
    expect(r.qualified).toBe(false);
    expect(r.reasons).toContain('Fit: required and not answered');
  });
  it('ignores answers that are not options', () => {
    expect(scoreLead(card, { need: 'bogus' }).unanswered).toContain('need');
  });
  it('validates configurations', () => {
    expect(validateScorecard(card)).toEqual([]);
    const bad: Scorecard = {
      segment: 'SMB',
      threshold: 99,
      criteria: [
        { key: 'Need!', label: 'x', question: 'q', required: true, options: [{ value: 'a', label: 'A', points: 1 }] },
        {
          key: 'b',
          label: 'b',
          question: 'q',
          required: false,
          options: [
            { value: 'a', label: 'A', points: -1 },
            { value: 'a', label: 'A', points: 1 },
          ],
        },
        {
          key: 'b',
          label: 'b',
          question: 'q',
          required: false,
          options: [
            { value: 'x', label: 'X', points: 1 },
            { value: 'y', label: 'Y', points: 2 },
          ],
        },
      ],
    };
    expect(validateScorecard(bad).map((e) => e.path)).toEqual([
      'criteria.0.key',
      'criteria.0.options',
      'criteria.1.options.0.points',
      'criteria.1.options.1.value',
      'criteria.2.key',
      'threshold',
    ]);
  });
});
