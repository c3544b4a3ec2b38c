import { randomUUID } from 'node:crypto';
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { AE_PLAN, churned, wonDeal } from '../../../test/support/comp-db.js';
import { describeEachDb } from '../../../test/support/db.js';
import { seedOrg } from '../../../test/support/fixtures.js';
import type { Db } from '../../db/client.js';
import { createAssignment } from './assignments.service.js';
import { HUBSPOT_LEVELS } from './levels.core.js';
import { levelProgressOf, listPromotions, promote, seedDemoLevels, setLadder } from './levels.service.js';
import { createDraft, publishVersion } from './plans.service.js';

type Org = Awaited<ReturnType<typeof seedOrg>>;

async function lostDeal(db: Db, workspaceId: string, ownerId: string, closedAt: string) {
  await db.query(
    `insert into opportunities (id, workspace_id, name, stage, amount, owner_id, closed_at, close_date)
     values ($1, $2, 'Lost one', 'lost', '50000', $3, $4, ($4::timestamptz)::date)`,
    [randomUUID(), workspaceId, ownerId, closedAt],
  );
}

describeEachDb('comp levels: progress and promotion', (getDb) => {
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
    const draft = await createDraft(db, org.principals.ops, AE_PLAN);
    await publishVersion(db, org.principals.ops, draft.key, draft.version, '2026-01-01');
    await createAssignment(db, org.principals.ops, { userId: org.users.aeA.id, planKey: 'ae-test', from: '2026-01-01' });
    // aeA: 4 x 210k won and 4 lost in the window (win rate 50%); a customer from before the window churned 5% of its ARR.
    for (const m of ['2026-01-10', '2026-03-10', '2026-05-10', '2026-07-10'])
      await wonDeal(db, ws, { ownerId: org.users.aeA.id, amount: '210000', closedAt: `${m}T10:00:00Z` });
    for (const m of ['2026-02-10', '2026-04-10', '2026-06-10', '2026-08-10']) await lostDeal(db, ws, org.users.aeA.id, `${m}T10:00:00Z`);
    const old = await wonDeal(db, ws, { ownerId: org.users.aeA.id, amount: '100000', closedAt: '2025-06-10T10:00:00Z' });
    await churned(db, ws, old, '2026-03-01T10:00:00Z', '5000');
    // aeB: one 100k deal, nothing lost.
    await wonDeal(db, ws, { ownerId: org.users.aeB.id, amount: '100000', closedAt: '2026-06-10T10:00:00Z' });
  });

  it('evaluates every closer against the next level, from the CRM and retention data', async () => {
    const { items } = await levelProgressOf(db, org.principals.ops, {}, now);
    expect(items.map((i) => i.user.name)).toEqual(['aeA', 'aeB']);
    const [a, b] = items;
    expect(a.measures).toMatchObject({ closedArr: '840000.00', churnRate: expect.any(String) });
    expect(a.measures?.productivity.win_rate).toBe('0.5000');
    expect(a.progress.components.map((c) => [c.component, c.met])).toEqual([
      ['sales', true],
      ['productivity', true],
      ['customer_lifetime', true],
    ]);
    expect(a.progress.eligible).toBe(true);
    expect(b.progress.components.find((c) => c.component === 'sales')).toMatchObject({
      actual: '100000.00',
      met: false,
      progress: '0.1250',
    });
    expect(b.progress.eligible).toBe(false);
  });

  it('a rep sees only their own progress, a manager their team', async () => {
    expect((await levelProgressOf(db, org.principals.aeB, {}, now)).items.map((i) => i.user.name)).toEqual(['aeB']);
    await expect(levelProgressOf(db, org.principals.aeB, { repId: org.users.aeA.id }, now)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await levelProgressOf(db, org.principals.managerA, {}, now)).items.map((i) => i.user.name)).toEqual(['aeA']);
  });

  it('promotes an eligible rep from a date: ends the assignment, starts one at the next level, audited', async () => {
    const r = await promote(db, org.principals.ops, { userId: org.users.aeA.id, effectiveFrom: '2026-11-01', note: 'Q3 review' }, now);
    expect(r).toMatchObject({ fromLevel: 1, toLevel: 2, effectiveFrom: '2026-11-01' });
    const assignments = await db.query<{ level: number; starts_on: string; ends_on: string | null }>(
      'select level, starts_on, ends_on from comp_assignments where workspace_id = $1 and user_id = $2 order by starts_on',
      [ws, org.users.aeA.id],
    );
    expect(assignments).toEqual([
      { level: 1, starts_on: '2026-01-01', ends_on: '2026-10-31' },
      { level: 2, starts_on: '2026-11-01', ends_on: null },
    ]);
    expect((await db.query<{ level: number }>('select level from users where id = $1', [org.users.aeA.id]))[0].level).toBe(2);
    const [log] = await db.query<{ actor_id: string; after: { level: number } }>(
      `select actor_id, after from audit_log where workspace_id = $1 and action = 'comp.level.promote'`,
      [ws],
    );
    expect(log).toMatchObject({ actor_id: org.users.ops.id, after: { level: 2 } });
    const { items } = await listPromotions(db, org.principals.aeA);
    expect(items).toMatchObject([{ userName: 'aeA', fromLevel: 1, toLevel: 2, note: 'Q3 review' }]);
    expect((await listPromotions(db, org.principals.aeB)).items).toEqual([]);
  });

  it('refuses to promote a rep who misses a milestone, a rep doing it, or one without an assignment', async () => {
    await createAssignment(db, org.principals.ops, { userId: org.users.aeB.id, planKey: 'ae-test', from: '2026-01-01' });
    await expect(promote(db, org.principals.ops, { userId: org.users.aeB.id, effectiveFrom: '2026-11-01' }, now)).rejects.toMatchObject({
      code: 'conflict',
      // One deal, won: a 100% win rate, but far from the sales milestone.
      details: [{ path: 'sales', message: '100000.00 against 800000.00' }],
    });
    await expect(promote(db, org.principals.aeA, { userId: org.users.aeA.id, effectiveFrom: '2026-11-01' }, now)).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(promote(db, org.principals.ops, { userId: org.users.aeA.id, effectiveFrom: '2025-11-01' }, now)).rejects.toMatchObject({
      code: 'conflict',
      details: [{ path: 'effectiveFrom' }],
    });
    // Nothing changed.
    expect((await db.query('select 1 from comp_promotions where workspace_id = $1', [ws])).length).toBe(0);
  });

  it('sales ops edits the ladder; a bad ladder is refused field by field', async () => {
    const raised = HUBSPOT_LEVELS.map((l) => (l.level === 2 ? { ...l, minClosedArr: '2000000.00' } : l));
    await setLadder(db, org.principals.ops, raised);
    const { items } = await levelProgressOf(db, org.principals.ops, { repId: org.users.aeA.id }, now);
    expect(items[0].progress.eligible).toBe(false);
    await expect(setLadder(db, org.principals.ops, [HUBSPOT_LEVELS[1]])).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'levels.0.level' }],
    });
    await expect(setLadder(db, org.principals.managerA, HUBSPOT_LEVELS)).rejects.toMatchObject({ code: 'forbidden' });
  });
});
