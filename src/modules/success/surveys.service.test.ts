import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import type { Db } from '../../db/client.js';
import { AppError } from '../../platform/errors.js';
import { commentByLink, rateByLink, unsubscribeByLink } from './surveys.buyer.js';
import { addDays } from './surveys.core.js';
import { SEND_KIND, scheduleSurveys } from './surveys.jobs.js';
import * as repo from './surveys.repo.js';
import { getSettings, leaderboard, listSurveys, putSettings, resendSurvey } from './surveys.service.js';
import { ratedSurvey, type SurveyOrg, seedSurveyOrg, wonDeal } from './surveys.testkit.js';
import { signToken } from './surveys.tokens.js';

const SMTP = { smtpUrl: 'smtp://127.0.0.1:2525' };
const NO_SMTP = { smtpUrl: undefined };
const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, details: e.details, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}

describeEachDb('buyer surveys service', (getDb) => {
  let db: Db;
  beforeAll(() => {
    db = getDb();
  });

  /** A survey sent to the buyer (status 'sent'), and a way to sign its links with the workspace key. */
  async function sentSurvey(org: SurveyOrg) {
    const deal = await wonDeal(db, org);
    await scheduleSurveys(db, new Date());
    const [s] = await db.query<{ id: string }>('select id from buyer_surveys where opportunity_id = $1', [deal.opp.id]);
    await db.query(`update buyer_surveys set status = 'sent', sent_at = now() where id = $1`, [s.id]);
    const key = await repo.signingKey(db, org.workspace.id);
    const link = (action: Parameters<typeof signToken>[1]['action'], expiresAt = addDays(new Date(), 30)) =>
      signToken(key, { surveyId: s.id, action, expiresAt });
    const row = async () => (await repo.findSurvey(db, org.workspace.id, s.id))!;
    return { deal, id: s.id, link, row };
  }

  it('records a one-click rating once; a second click, even on another rating, says it was already recorded', async () => {
    const org = await seedSurveyOrg(db);
    const s = await sentSurvey(org);
    const first = await rateByLink(db, s.link(4), new Date());
    expect(first).toMatchObject({ kind: 'recorded', rating: 4, workspaceName: org.workspace.name, commentToken: expect.any(String) });
    const recorded = await s.row();
    expect(recorded).toMatchObject({ status: 'rated', rating: 4 });
    expect(await rateByLink(db, s.link(4), new Date())).toMatchObject({ kind: 'already', rating: 4 });
    expect(await rateByLink(db, s.link(1), new Date())).toMatchObject({ kind: 'already', rating: 4 });
    expect((await s.row()).ratedAt).toEqual(recorded.ratedAt);
    const [audit] = await db.query<{ n: number }>(
      `select count(*)::int as n from audit_log where record_id = $1 and action = 'survey.rate'`,
      [s.id],
    );
    expect(audit.n).toBe(1);
  });

  it('refuses a tampered, foreign, wrong-purpose or expired link and writes nothing', async () => {
    const org = await seedSurveyOrg(db);
    const s = await sentSurvey(org);
    const good = Buffer.from(s.link(5), 'base64url');
    good[17] = 4; // the rating byte: a 5 turned into a 4
    expect(await rateByLink(db, good.toString('base64url'), new Date())).toEqual({ kind: 'invalid' });
    expect(await rateByLink(db, undefined, new Date())).toEqual({ kind: 'invalid' });
    expect(await rateByLink(db, 'garbage', new Date())).toEqual({ kind: 'invalid' });
    // Signed for this survey, but by another workspace's key.
    const other = await seedSurveyOrg(db);
    const foreign = signToken(await repo.signingKey(db, other.workspace.id), {
      surveyId: s.id,
      action: 5,
      expiresAt: addDays(new Date(), 1),
    });
    expect(await rateByLink(db, foreign, new Date())).toEqual({ kind: 'invalid' });
    // A comment or unsubscribe token is not a rating.
    expect(await rateByLink(db, s.link('comment'), new Date())).toEqual({ kind: 'invalid' });
    expect(await rateByLink(db, s.link('unsubscribe'), new Date())).toEqual({ kind: 'invalid' });
    expect(await rateByLink(db, s.link(5, addDays(new Date(), -1)), new Date())).toEqual({ kind: 'expired' });
    expect(await unsubscribeByLink(db, s.link(5), new Date())).toEqual({ kind: 'invalid' });
    expect(await s.row()).toMatchObject({ status: 'sent', rating: null, ratedAt: null });
    expect((await db.query('select 1 from survey_suppressions where workspace_id = $1', [org.workspace.id])).length).toBe(0);
  });

  it('takes one comment after the rating; empty and too long ones are shown the form again', async () => {
    const org = await seedSurveyOrg(db);
    const s = await sentSurvey(org);
    expect(await commentByLink(db, s.link('comment'), 'Too early', new Date())).toEqual({ kind: 'already' });
    const rated = await rateByLink(db, s.link(2), new Date());
    const token = (rated as { commentToken: string }).commentToken;
    expect(await commentByLink(db, token, '   ', new Date())).toEqual({ kind: 'empty', commentToken: token });
    expect(await commentByLink(db, token, 'x'.repeat(2001), new Date())).toEqual({ kind: 'too_long', commentToken: token });
    expect(await commentByLink(db, token, '  The demo was <b>vaporware</b>.\r\nTwice. ', new Date())).toEqual({ kind: 'saved' });
    expect(await commentByLink(db, token, 'Changed my mind', new Date())).toEqual({ kind: 'already' });
    expect((await s.row()).comment).toBe('The demo was <b>vaporware</b>.\nTwice.');
    // With the comment in, the rating page offers no form any more.
    expect(await rateByLink(db, s.link(2), new Date())).toMatchObject({ kind: 'already', commentToken: null });
  });

  it('publishes every rep score to every role: exact average, count, five-star deals, below-threshold flag, as of any date', async () => {
    const org = await seedSurveyOrg(db);
    const { aeA, aeB, sdrA } = org.users;
    for (const [rep, rating, at] of [
      [aeA.id, 5, '2026-01-05'],
      [aeA.id, 5, '2026-02-05'],
      [aeA.id, 4, '2026-03-05'],
      [aeB.id, 3, '2026-01-10'],
      [aeB.id, 4, '2026-01-11'],
      [aeB.id, 4, '2026-03-12'],
      [sdrA.id, 2, '2026-02-01'],
    ] as const)
      await ratedSurvey(db, org, rep, rating, day(at), 'private words');
    const board = await leaderboard(db, org.principals.sdrA, {}, day('2026-04-01'));
    expect(board).toMatchObject({ threshold: '4.00', minRatings: 3 });
    expect(board.reps.map((r) => [r.name, r.average, r.count, r.fiveStar, r.belowThreshold])).toEqual([
      ['aeA', '4.66', 3, 2, false],
      ['aeB', '3.66', 3, 0, true],
      ['sdrA', '2.00', 1, 0, false], // one rating is too few to judge
    ]);
    expect(JSON.stringify(board)).not.toContain('private words');
    // On 1 March aeB had two ratings (3.5) and aeA two five-star deals.
    const march = await leaderboard(db, org.principals.aeB, { asOf: '2026-03-01T00:00:00Z' }, day('2026-04-01'));
    expect(march.reps.map((r) => [r.name, r.average, r.count, r.belowThreshold])).toEqual([
      ['aeA', '5.00', 2, false],
      ['aeB', '3.50', 2, false],
      ['sdrA', '2.00', 1, false],
    ]);
  });

  it("lists results to leaders and customer success in full, to a rep their own deals' only; other workspaces never", async () => {
    const org = await seedSurveyOrg(db);
    const other = await seedSurveyOrg(db);
    await ratedSurvey(db, org, org.users.aeA.id, 5, day('2026-01-05'), 'Great');
    await ratedSurvey(db, org, org.users.aeB.id, 2, day('2026-01-06'), 'Pushy');
    await ratedSurvey(db, other, other.users.aeA.id, 1, day('2026-01-07'));
    const names = async (p: Parameters<typeof listSurveys>[1], q = {}) =>
      (await listSurveys(db, p, { limit: 50, ...q })).items.map((r) => `${r.repName}:${r.rating}`).sort();
    expect(await names(org.principals.admin)).toEqual(['aeA:5', 'aeB:2']);
    expect(await names(org.principals.managerA)).toEqual(['aeA:5', 'aeB:2']);
    expect(await names(org.csmPrincipal)).toEqual(['aeA:5', 'aeB:2']);
    expect(await names(org.principals.aeA)).toEqual(['aeA:5']);
    expect(await names(org.principals.sdrA)).toEqual([]);
    expect(await names(org.principals.admin, { rating: ['1', '2'] })).toEqual(['aeB:2']);
    expect(await names(org.principals.admin, { status: ['scheduled'] })).toEqual([]);
    expect(await names(org.principals.aeA, { repId: org.users.aeA.id })).toEqual(['aeA:5']);
    expect(await refusal(listSurveys(db, org.principals.aeA, { limit: 50, repId: org.users.aeB.id }))).toMatchObject({
      code: 'forbidden',
      details: [{ path: 'repId', message: 'outside your scope' }],
    });
    expect(await refusal(listSurveys(db, org.principals.admin, { limit: 50, repId: other.users.aeA.id }))).toMatchObject({
      code: 'not_found',
    });
    // Paging with the cursor covers every row once.
    for (let i = 0; i < 3; i++) await ratedSurvey(db, org, org.users.aeA.id, 4, day(`2026-02-0${i + 1}`));
    const first = await listSurveys(db, org.principals.admin, { limit: 2 });
    const second = await listSurveys(db, org.principals.admin, { limit: 2, cursor: first.nextCursor! });
    const third = await listSurveys(db, org.principals.admin, { limit: 2, cursor: second.nextCursor! });
    const ids = [...first.items, ...second.items, ...third.items].map((r) => r.id);
    expect(new Set(ids).size).toBe(5);
    expect(third.nextCursor).toBeNull();
  });

  it('keeps settings for admins and sales ops: defaults, field errors, the SMTP state, never the signing key', async () => {
    const org = await seedSurveyOrg(db);
    const view = await getSettings(db, org.principals.ops, NO_SMTP);
    expect(view).toMatchObject({
      delayDays: 90,
      reminderDays: 7,
      tokenDays: 30,
      threshold: '4.00',
      minRatings: 3,
      alertStages: ['proposal', 'negotiation'],
      alertStagesDefault: true,
      alertUserIds: [],
      smtp: { configured: false, message: expect.stringContaining('SMTP_URL is not set') },
    });
    expect(JSON.stringify(view)).not.toMatch(/signing|key/i);
    expect(await refusal(getSettings(db, org.principals.aeA, NO_SMTP))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(getSettings(db, org.principals.managerA, NO_SMTP))).toMatchObject({ code: 'forbidden' });

    const input = {
      delayDays: 60,
      reminderDays: 5,
      tokenDays: 14,
      threshold: '4.5',
      minRatings: 2,
      alertStages: ['negotiation'],
      alertUserIds: [org.success.ceo.id],
    };
    expect(await refusal(putSettings(db, org.principals.admin, { ...input, alertStages: ['won'] }, SMTP, new Date()))).toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'alertStages', message: expect.stringContaining('won') }],
    });
    const other = await seedSurveyOrg(db);
    expect(
      await refusal(putSettings(db, org.principals.admin, { ...input, alertUserIds: [other.users.admin.id] }, SMTP, new Date())),
    ).toMatchObject({ code: 'validation_failed', details: [{ path: 'alertUserIds' }] });
    expect(await refusal(putSettings(db, org.principals.aeA, input, SMTP, new Date()))).toMatchObject({ code: 'forbidden' });

    // A pending survey moves with the new delay; one already due does not.
    const deal = await wonDeal(db, org);
    await scheduleSurveys(db, new Date());
    const saved = await putSettings(db, org.principals.admin, input, SMTP, new Date());
    expect(saved).toMatchObject({ ...input, threshold: '4.50', alertStagesDefault: false, smtp: { configured: true } });
    const [s] = await db.query<{ send_at: Date; closed_at: Date }>(
      'select b.send_at, o.closed_at from buyer_surveys b join opportunities o on o.id = b.opportunity_id where o.id = $1',
      [deal.opp.id],
    );
    expect(s.send_at).toEqual(addDays(s.closed_at, 60));
    // Back to the default stages with null.
    expect(await putSettings(db, org.principals.ops, { ...input, alertStages: null }, SMTP, new Date())).toMatchObject({
      alertStages: ['proposal', 'negotiation'],
      alertStagesDefault: true,
    });
  });

  it('resends for leaders only, to the current address, and refuses with the reason when it cannot', async () => {
    const org = await seedSurveyOrg(db);
    const s = await sentSurvey(org);
    const fixed = 'fixed.address@customer.test';
    await db.query('update contacts set email = $2 where id = $1', [s.deal.contact.id, fixed]);
    expect(await refusal(resendSurvey(db, org.principals.aeA, s.id, SMTP, new Date()))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(resendSurvey(db, org.principals.admin, s.id, NO_SMTP, new Date()))).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('SMTP_URL is not set'),
    });
    const other = await seedSurveyOrg(db);
    expect(await refusal(resendSurvey(db, other.principals.admin, s.id, SMTP, new Date()))).toMatchObject({ code: 'not_found' });

    const now = new Date();
    const resent = await resendSurvey(db, org.principals.managerA, s.id, SMTP, now);
    expect(resent).toMatchObject({ status: 'scheduled', buyerEmail: fixed, sendAt: now });
    const jobs = await db.query(`select 1 from jobs where kind = $1 and payload->>'surveyId' = $2 and status = 'pending'`, [
      SEND_KIND,
      s.id,
    ]);
    expect(jobs).toHaveLength(1);

    await unsubscribeByLink(
      db,
      signToken(await repo.signingKey(db, org.workspace.id), { surveyId: s.id, action: 'unsubscribe', expiresAt: addDays(now, 1) }),
      now,
    );
    expect(await refusal(resendSurvey(db, org.principals.admin, s.id, SMTP, now))).toMatchObject({
      code: 'conflict',
      message: 'the buyer unsubscribed from survey emails',
    });
    await rateByLink(db, s.link(3), now);
    expect(await refusal(resendSurvey(db, org.principals.admin, s.id, SMTP, now))).toMatchObject({
      code: 'conflict',
      message: 'the buyer already answered this survey',
    });
  });
});
