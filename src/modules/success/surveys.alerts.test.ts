import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import type { Db } from '../../db/client.js';
import { changeStage, createOpportunity } from '../crm/deals.service.js';
import { alertRecentLateStages } from './surveys.alerts.js';
import { putSettings } from './surveys.service.js';
import { ratedSurvey, type SurveyOrg, seedSurveyOrg, wonDeal } from './surveys.testkit.js';

describeEachDb('low-rating alerts', (getDb) => {
  let db: Db;
  beforeAll(() => {
    db = getDb();
  });

  const alertsFor = async (org: SurveyOrg, opportunityId: string) =>
    (
      await db.query<{ name: string; title: string; body: string }>(
        `select u.name, n.title, n.body from notifications n join users u on u.id = n.user_id
          where n.workspace_id = $1 and n.kind = 'low_rating_alert' and n.record_id = $2 order by u.name`,
        [org.workspace.id, opportunityId],
      )
    ).map((r) => ({ ...r, who: r.name }));
  const days = (n: number) => new Date(Date.now() - n * 86_400_000);
  /** aeA with ratings 4, 4, 3: 3.66, below the default 4.0 with the minimum three ratings. */
  async function lowRatedAeA(org: SurveyOrg) {
    for (const [r, d] of [
      [4, 30],
      [4, 20],
      [3, 10],
    ])
      await ratedSurvey(db, org, org.users.aeA.id, r, days(d));
  }
  const openDeal = (org: SurveyOrg, csmId: string | null = null) => wonDeal(db, org, { stage: 'trial', csmId });

  it("alerts the account's CSM and the chosen executives, never the rep, once per opportunity and stage", async () => {
    const org = await seedSurveyOrg(db);
    await lowRatedAeA(org);
    await putSettings(
      db,
      org.principals.admin,
      {
        delayDays: 90,
        reminderDays: 7,
        tokenDays: 30,
        threshold: '4',
        minRatings: 3,
        alertStages: null,
        alertUserIds: [org.success.ceo.id],
      },
      {},
      new Date(),
    );
    const deal = await openDeal(org, org.success.csm.id);
    await changeStage(db, org.principals.aeA, deal.opp.id, 'proposal');
    const alerts = await alertsFor(org, deal.opp.id);
    expect(alerts.map((a) => a.who)).toEqual(['ceo', 'csm']);
    expect(alerts[0].title).toBe(`Low-rated rep closing: ${deal.opp.name}`);
    expect(alerts[0].body).toContain('aeA moved');
    expect(alerts[0].body).toContain('Buyer rating 3.66 over 3 surveys, below 4.00');

    // Back and forth: no second alert for the same stage; the next late stage alerts again.
    await changeStage(db, org.principals.aeA, deal.opp.id, 'trial');
    await changeStage(db, org.principals.aeA, deal.opp.id, 'proposal');
    expect(await alertsFor(org, deal.opp.id)).toHaveLength(2);
    await changeStage(db, org.principals.aeA, deal.opp.id, 'negotiation');
    expect(await alertsFor(org, deal.opp.id)).toHaveLength(4);
    await changeStage(db, org.principals.aeA, deal.opp.id, 'won');
    expect(await alertsFor(org, deal.opp.id)).toHaveLength(4);
  });

  it('without an account CSM, alerts all of customer success', async () => {
    const org = await seedSurveyOrg(db);
    await lowRatedAeA(org);
    const deal = await openDeal(org);
    await changeStage(db, org.principals.aeA, deal.opp.id, 'negotiation');
    expect((await alertsFor(org, deal.opp.id)).map((a) => a.who)).toEqual(['csm', 'rm']);
  });

  it('stays quiet for an early stage, too few ratings, a rep at the threshold, or a deal without owner', async () => {
    const org = await seedSurveyOrg(db);
    await lowRatedAeA(org);
    const early = await openDeal(org);
    await changeStage(db, org.principals.aeA, early.opp.id, 'discovery');
    expect(await alertsFor(org, early.opp.id)).toHaveLength(0);

    // aeB: two poor ratings only (minimum three).
    await ratedSurvey(db, org, org.users.aeB.id, 1, days(5));
    await ratedSurvey(db, org, org.users.aeB.id, 2, days(4));
    const few = await wonDeal(db, org, { owner: org.principals.aeB, stage: 'trial' });
    await changeStage(db, org.principals.aeB, few.opp.id, 'proposal');
    expect(await alertsFor(org, few.opp.id)).toHaveLength(0);

    // Six more ratings bring aeB to exactly 4.0 (32 over 8): at the threshold is not below it.
    for (const r of [5, 5, 5, 5, 5, 4]) await ratedSurvey(db, org, org.users.aeB.id, r, days(3));
    const fair = await wonDeal(db, org, { owner: org.principals.aeB, stage: 'trial' });
    await changeStage(db, org.principals.aeB, fair.opp.id, 'proposal');
    expect(await alertsFor(org, fair.opp.id)).toHaveLength(0);

    const ownerless = await openDeal(org);
    await db.query('update opportunities set owner_id = null where id = $1', [ownerless.opp.id]);
    await changeStage(db, org.principals.admin, ownerless.opp.id, 'proposal');
    expect(await alertsFor(org, ownerless.opp.id)).toHaveLength(0);
  });

  it('the sweep catches a deal created directly in a late stage, once, with the rating the rep had then', async () => {
    const org = await seedSurveyOrg(db);
    await lowRatedAeA(org);
    const opp = await createOpportunity(db, org.principals.aeA, { name: 'Straight to proposal', amount: '5000', stage: 'proposal' });
    expect(await alertsFor(org, opp.id)).toHaveLength(0);
    await alertRecentLateStages(db, new Date());
    expect((await alertsFor(org, opp.id)).map((a) => a.who)).toEqual(['csm', 'rm']);
    await alertRecentLateStages(db, new Date());
    expect(await alertsFor(org, opp.id)).toHaveLength(2);

    // A deal created in a late stage before the rep's ratings went down is not alerted afterwards.
    const org2 = await seedSurveyOrg(db);
    const early = await createOpportunity(db, org2.principals.aeA, { name: 'Before the ratings', amount: '5000', stage: 'proposal' });
    await db.query(`update status_changes set changed_at = now() - interval '2 hours' where record_id = $1`, [early.id]);
    for (const r of [2, 2, 2]) await ratedSurvey(db, org2, org2.users.aeA.id, r, days(0.01));
    await alertRecentLateStages(db, new Date());
    expect(await alertsFor(org2, early.id)).toHaveLength(0);
  });
});
