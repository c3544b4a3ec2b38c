import { describe, expect, it } from 'vitest';
import {
  alertRecipients,
  alertStagesProblem,
  averageOf,
  compareScores,
  DEFAULT_SETTINGS,
  defaultAlertStages,
  dueEmail,
  isLowRated,
  planSurvey,
  type SurveyState,
} from './surveys.core.js';

const STAGES = ['discovery', 'trial', 'proposal', 'negotiation', 'won', 'lost'];
const closedAt = new Date('2026-01-10T15:00:00Z');

describe('planning a survey for a won deal', () => {
  it('asks the contact 90 days after the close by default', () => {
    const plan = planSurvey(
      { closedAt, contactEmail: ' Ada@Acme.TEST ', leadEmail: 'lead@acme.test' },
      DEFAULT_SETTINGS.delayDays,
      closedAt,
    );
    expect(plan).toEqual({ sendAt: new Date('2026-04-10T15:00:00Z'), buyerEmail: 'ada@acme.test', status: 'scheduled', skipReason: null });
  });

  it("falls back to the lead's email when the contact has none or an unusable one", () => {
    expect(planSurvey({ closedAt, contactEmail: null, leadEmail: 'lead@acme.test' }, 30, closedAt).buyerEmail).toBe('lead@acme.test');
    expect(planSurvey({ closedAt, contactEmail: 'not an email', leadEmail: 'lead@acme.test' }, 30, closedAt)).toMatchObject({
      buyerEmail: 'lead@acme.test',
      status: 'scheduled',
    });
  });

  it('skips, with the reason, a deal without any address or with only an unusable one', () => {
    expect(planSurvey({ closedAt, contactEmail: null, leadEmail: '  ' }, 90, closedAt)).toMatchObject({
      status: 'skipped',
      buyerEmail: null,
      skipReason: expect.stringContaining('no buyer email'),
    });
    const bad = planSurvey({ closedAt, contactEmail: 'ada@acme.test\r\nBcc: x@evil.test', leadEmail: null }, 90, closedAt);
    expect(bad).toMatchObject({ status: 'skipped', skipReason: expect.stringContaining('not a valid address') });
  });

  it('skips a deal whose survey would arrive more than 30 days late (imported history), not one just due', () => {
    const due = new Date('2026-04-10T15:00:00Z');
    expect(
      planSurvey({ closedAt, contactEmail: 'a@acme.test', leadEmail: null }, 90, new Date(due.getTime() + 29 * 86_400_000)).status,
    ).toBe('scheduled');
    expect(
      planSurvey({ closedAt, contactEmail: 'a@acme.test', leadEmail: null }, 90, new Date(due.getTime() + 31 * 86_400_000)),
    ).toMatchObject({
      status: 'skipped',
      skipReason: 'won too long ago: the survey was due on 2026-04-10',
    });
  });
});

describe('which email is due', () => {
  const base: SurveyState = {
    status: 'scheduled',
    sendAt: new Date('2026-04-10T00:00:00Z'),
    sentAt: null,
    remindedAt: null,
    rating: null,
    buyerEmail: 'a@acme.test',
  };
  const at = (iso: string) => new Date(iso);

  it('sends the first email on its date, not before', () => {
    expect(dueEmail(base, 7, at('2026-04-09T23:59:59Z'))).toBeNull();
    expect(dueEmail(base, 7, at('2026-04-10T00:00:00Z'))).toBe('invite');
  });

  it('sends one reminder N days after, only while unanswered', () => {
    const sent = { ...base, status: 'sent' as const, sentAt: at('2026-04-10T00:00:00Z') };
    expect(dueEmail(sent, 7, at('2026-04-16T23:00:00Z'))).toBeNull();
    expect(dueEmail(sent, 7, at('2026-04-17T00:00:00Z'))).toBe('reminder');
    expect(dueEmail({ ...sent, status: 'reminded', remindedAt: at('2026-04-17T00:00:00Z') }, 7, at('2026-05-30T00:00:00Z'))).toBeNull();
    expect(dueEmail({ ...sent, status: 'rated', rating: 4 }, 7, at('2026-05-30T00:00:00Z'))).toBeNull();
  });

  it('sends nothing to an unsubscribed, skipped or address-less survey', () => {
    for (const status of ['unsubscribed', 'skipped'] as const)
      expect(dueEmail({ ...base, status }, 7, at('2027-01-01T00:00:00Z'))).toBeNull();
    expect(dueEmail({ ...base, buyerEmail: null }, 7, at('2027-01-01T00:00:00Z'))).toBeNull();
  });
});

describe('rep scores', () => {
  it('averages to two decimals, truncated, so a bar is never passed by rounding', () => {
    expect(averageOf({ sum: 14, count: 3 })).toBe('4.66');
    expect(averageOf({ sum: 959, count: 200 })).toBe('4.79'); // 4.795
    expect(averageOf({ sum: 0, count: 0 })).toBeNull();
  });

  it('is low-rated below the threshold, compared exactly, once there are enough ratings', () => {
    expect(isLowRated({ sum: 11, count: 3 }, '4.00', 3)).toBe(true); // 3.67
    expect(isLowRated({ sum: 12, count: 3 }, '4.00', 3)).toBe(false); // exactly 4
    expect(isLowRated({ sum: 2, count: 2 }, '4.00', 3)).toBe(false); // too few ratings to judge
    expect(isLowRated({ sum: 959, count: 200 }, '4.80', 1)).toBe(true); // 4.795 < 4.8 though it would round to 4.80
  });

  it('ranks by exact average, then by number of ratings, then by name', () => {
    const rows = [
      { name: 'b', sum: 9, count: 2 }, // 4.5
      { name: 'a', sum: 5, count: 1 }, // 5
      { name: 'c', sum: 18, count: 4 }, // 4.5 with more ratings
      { name: 'd', sum: 10, count: 2 }, // 5 with more ratings
    ];
    expect(rows.sort(compareScores).map((r) => r.name)).toEqual(['d', 'a', 'c', 'b']);
  });
});

describe('low-rating alerts', () => {
  it('default to the open stages from proposal on, or the last open stage', () => {
    expect(defaultAlertStages(STAGES)).toEqual(['proposal', 'negotiation']);
    expect(defaultAlertStages(['new', 'demo', 'contract', 'won', 'lost'])).toEqual(['contract']);
  });

  it('accept only open stages of the workspace, each once', () => {
    expect(alertStagesProblem(['negotiation'], STAGES)).toBeNull();
    expect(alertStagesProblem(['won'], STAGES)).toContain('not open stages of this workspace: won');
    expect(alertStagesProblem(['closing'], STAGES)).toContain('closing');
    expect(alertStagesProblem(['trial', 'trial'], STAGES)).toBe('each stage once');
  });

  it("go to the account's CSM when it has one, else to all of customer success, plus executives, never the rep", () => {
    expect(alertRecipients({ accountCsmId: 'csm1', successIds: ['csm1', 'csm2', 'rm1'], executiveIds: ['ceo'], repId: 'rep' })).toEqual([
      'csm1',
      'ceo',
    ]);
    expect(
      alertRecipients({ accountCsmId: null, successIds: ['csm1', 'csm2'], executiveIds: ['ceo', 'csm1', 'rep'], repId: 'rep' }),
    ).toEqual(['csm1', 'csm2', 'ceo']);
  });
});
