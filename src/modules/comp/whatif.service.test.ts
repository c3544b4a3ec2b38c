import { beforeAll, beforeEach, expect, it } from 'vitest';
import { AE_PLAN, wonDeal } from '../../../test/support/comp-db.js';
import { describeEachDb } from '../../../test/support/db.js';
import { seedOrg } from '../../../test/support/fixtures.js';
import type { Db } from '../../db/client.js';
import { createAssignment } from './assignments.service.js';
import { addComment, listComments } from './discussion.service.js';
import { seedDemoLevels } from './levels.service.js';
import { createDraft, publishVersion } from './plans.service.js';
import { whatIf } from './whatif.service.js';

type Org = Awaited<ReturnType<typeof seedOrg>>;

/** The same plan at 12% instead of 10%, all at signing. */
const DRAFT = { ...AE_PLAN, components: [{ type: 'commission', id: 'new-arr', credit: 'ae', rate: '12' }] };

describeEachDb('comp what-if and draft discussion', (getDb) => {
  let db: Db;
  let org: Org;
  let ws: string;
  const now = new Date('2026-10-15T12:00:00Z');

  beforeAll(() => {
    db = getDb();
  });

  beforeEach(async () => {
    org = await seedOrg(db);
    ws = org.workspace.id;
    await seedDemoLevels(db, ws);
    const v1 = await createDraft(db, org.principals.ops, AE_PLAN);
    await publishVersion(db, org.principals.ops, v1.key, v1.version, '2026-01-01');
    await createDraft(db, org.principals.ops, DRAFT);
    // Assigned only since September: the what-if still runs them over the whole window.
    for (const ae of [org.users.aeA, org.users.aeB])
      await createAssignment(db, org.principals.ops, { userId: ae.id, planKey: 'ae-test', from: '2026-09-01' });
    await wonDeal(db, ws, { ownerId: org.users.aeA.id, amount: '40000', closedAt: '2026-07-10T10:00:00Z' });
    await wonDeal(db, ws, { ownerId: org.users.aeB.id, amount: '900000', closedAt: '2026-02-10T10:00:00Z' });
    // Before the 12-month window (Nov 2025 - Oct 2026): not simulated.
    await wonDeal(db, ws, { ownerId: org.users.aeB.id, amount: '500000', closedAt: '2025-10-20T10:00:00Z' });
  });

  it('simulates the draft and the plan in force over the last 12 months, writing nothing', async () => {
    const r = await whatIf(db, org.principals.ops, { planKey: 'ae-test', version: 2 }, now);
    expect(r).toMatchObject({ draftVersion: 2, currentVersion: 1, window: { from: '2025-11-01', to: '2026-10-31' } });
    expect(r.rows.map((x) => [x.name, x.current, x.draft, x.difference, x.newArr, x.quota, x.attainment])).toEqual([
      // Current: 10% with half held for the aha milestone (none reached): 4,000 earned - 2,000 held. Draft: 12%, all at signing.
      ['aeA', '2000.00', '4800.00', '2800.00', '40000.00', '800000.00', '0.0500'],
      ['aeB', '45000.00', '108000.00', '63000.00', '900000.00', '800000.00', '1.1250'],
    ]);
    expect(r.summary).toMatchObject({
      reps: 2,
      current: '47000.00',
      draft: '112800.00',
      newArr: '940000.00',
      costOfSales: { current: '0.0500', draft: '0.1200' },
      quotaToOte: '8.00',
      atOrAboveQuota: '0.5000',
      withinTarget: false,
    });
    expect(r.summary?.distribution).toEqual([
      { label: 'below 50%', reps: 1 },
      { label: '50-75%', reps: 0 },
      { label: '75-100%', reps: 0 },
      { label: '100-125%', reps: 1 },
      { label: '125% and above', reps: 0 },
    ]);
    expect((await db.query('select 1 from comp_ledger where workspace_id = $1', [ws])).length).toBe(0);
  });

  it('a rep sees only their own line, without the team summary; a manager their team', async () => {
    const mine = await whatIf(db, org.principals.aeA, { planKey: 'ae-test', version: 2 }, now);
    expect(mine.rows.map((x) => x.name)).toEqual(['aeA']);
    expect(mine.summary).toBeNull();
    const team = await whatIf(db, org.principals.managerB, { planKey: 'ae-test', version: 2 }, now);
    expect(team.rows.map((x) => x.name)).toEqual(['aeB']);
    expect(team.summary?.reps).toBe(1);
    await expect(whatIf(db, org.principals.ops, { planKey: 'ae-test', version: 9 }, now)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('reps comment on a draft and sales ops answers; published versions and foreign replies are refused', async () => {
    const q = await addComment(db, org.principals.aeA, 'ae-test', 2, { body: 'Why drop the aha tranche?' });
    expect(q).toMatchObject({ authorName: 'aeA', replyTo: null });
    await expect(addComment(db, org.principals.aeB, 'ae-test', 2, { body: 'Agreed', replyTo: q.id })).rejects.toMatchObject({
      code: 'forbidden',
    });
    const a = await addComment(db, org.principals.ops, 'ae-test', 2, { body: 'To pay at signing.', replyTo: q.id });
    expect(a.replyTo).toBe(q.id);
    await expect(addComment(db, org.principals.aeA, 'ae-test', 1, { body: 'Late' })).rejects.toMatchObject({ code: 'conflict' });
    const other = await seedOrg(db);
    await expect(addComment(db, other.principals.aeA, 'ae-test', 2, { body: 'Hi' })).rejects.toMatchObject({ code: 'not_found' });
    const thread = await listComments(db, org.principals.aeB, 'ae-test', 2);
    expect(thread.items.map((c) => [c.authorName, c.body, c.replyTo === q.id])).toEqual([
      ['aeA', 'Why drop the aha tranche?', false],
      ['ops', 'To pay at signing.', true],
    ]);
  });
});
