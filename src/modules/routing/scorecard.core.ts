/**
 * Qualification scorecards, pure. Sales ops configure one per segment: criteria with a question and
 * scored answer options, some required, and a threshold. Only leads that meet it reach an AE.
 */
export type ScoreOption = { value: string; label: string; points: number };
export type Criterion = { key: string; label: string; question: string; required: boolean; options: ScoreOption[] };
export type Scorecard = { segment: string; threshold: number; criteria: Criterion[] };
export type Answers = Record<string, string>;

export type ScoreResult = {
  score: number;
  maxScore: number;
  threshold: number;
  qualified: boolean;
  /** Plain sentences, one per criterion and one for the total. */
  reasons: string[];
  unanswered: string[];
};

/** The standard criteria (need, size of need, authority, budget, timing, fit) as a starting point. */
export const DEFAULT_CRITERIA: Criterion[] = [
  crit('need', 'Need', 'Does the company have the problem we solve?', true, [
    ['clear', 'Clear and stated', 3],
    ['vague', 'Vague', 1],
    ['none', 'None', 0],
  ]),
  crit('need_size', 'Size of need', 'How big is the need (teams, seats, volume)?', false, [
    ['large', 'Large', 3],
    ['medium', 'Medium', 2],
    ['small', 'Small', 1],
  ]),
  crit('authority', 'Authority', 'Is the contact the decision maker or close to one?', true, [
    ['decision_maker', 'Decision maker', 3],
    ['influencer', 'Influencer', 2],
    ['none', 'No influence', 0],
  ]),
  crit('budget', 'Budget', 'Is there budget for this?', false, [
    ['allocated', 'Allocated', 3],
    ['possible', 'Possible', 1],
    ['none', 'None', 0],
  ]),
  crit('timing', 'Timing', 'When do they want to start?', false, [
    ['this_quarter', 'This quarter', 3],
    ['next_quarter', 'Next quarter', 2],
    ['later', 'Later', 0],
  ]),
  crit('fit', 'Fit', 'Does the company fit our ideal customer profile?', true, [
    ['strong', 'Strong', 3],
    ['partial', 'Partial', 1],
    ['poor', 'Poor', 0],
  ]),
];

function crit(key: string, label: string, question: string, required: boolean, options: [string, string, number][]): Criterion {
  return { key, label, question, required, options: options.map(([value, l, points]) => ({ value, label: l, points })) };
}

export const maxScoreOf = (card: Scorecard) => card.criteria.reduce((s, c) => s + Math.max(0, ...c.options.map((o) => o.points)), 0);

/**
 * Qualified when every required criterion is answered with an option worth points
 * and the total reaches the threshold.
 */
export function scoreLead(card: Scorecard, answers: Answers): ScoreResult {
  let score = 0;
  const reasons: string[] = [];
  const unanswered: string[] = [];
  let requiredOk = true;
  for (const c of card.criteria) {
    const picked = c.options.find((o) => o.value === answers[c.key]);
    if (!picked) {
      unanswered.push(c.key);
      if (c.required) {
        requiredOk = false;
        reasons.push(`${c.label}: required and not answered`);
      }
      continue;
    }
    score += picked.points;
    if (c.required && picked.points <= 0) {
      requiredOk = false;
      reasons.push(`${c.label}: "${picked.label}" fails a required criterion`);
    } else reasons.push(`${c.label}: "${picked.label}" (+${picked.points})`);
  }
  const meets = score >= card.threshold;
  reasons.push(`score ${score} of ${maxScoreOf(card)}, threshold ${card.threshold}: ${meets ? 'met' : 'not met'}`);
  return { score, maxScore: maxScoreOf(card), threshold: card.threshold, qualified: requiredOk && meets, reasons, unanswered };
}

/** Config errors as { path, message }, for the editor and the API. */
export function validateScorecard(card: Scorecard): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  if (!card.criteria.length) errors.push({ path: 'criteria', message: 'at least one criterion' });
  const keys = new Set<string>();
  card.criteria.forEach((c, i) => {
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(c.key)) errors.push({ path: `criteria.${i}.key`, message: 'lowercase letters, digits and _' });
    if (keys.has(c.key)) errors.push({ path: `criteria.${i}.key`, message: `duplicate key ${c.key}` });
    keys.add(c.key);
    if (c.options.length < 2) errors.push({ path: `criteria.${i}.options`, message: 'at least two answer options' });
    const values = new Set<string>();
    c.options.forEach((o, j) => {
      if (values.has(o.value)) errors.push({ path: `criteria.${i}.options.${j}.value`, message: `duplicate option ${o.value}` });
      values.add(o.value);
      if (!Number.isInteger(o.points) || o.points < 0 || o.points > 100)
        errors.push({ path: `criteria.${i}.options.${j}.points`, message: 'an integer from 0 to 100' });
    });
  });
  const max = maxScoreOf(card);
  if (!Number.isInteger(card.threshold) || card.threshold < 0 || card.threshold > max)
    errors.push({ path: 'threshold', message: `an integer from 0 to the maximum score (${max})` });
  return errors;
}
