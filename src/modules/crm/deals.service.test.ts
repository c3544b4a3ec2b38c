import { expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { seedOrg } from '../../../test/support/fixtures.js';
import type { Db } from '../../db/client.js';
import { opportunities } from './crm.resources.js';
import {
  changeStage,
  createAccount,
  createActivity,
  createContact,
  createOpportunity,
  createSubscription,
  history,
  listActivities,
  recordWebEvent,
  updateOpportunity,
  updateSubscription,
} from './deals.service.js';
import { createLead, updateLead } from './leads.service.js';
import { getFor } from './records.service.js';

const movements = (db: Db, subscriptionId: string) =>
  db.query<{ kind: string; amount: string }>('select kind, amount from arr_movements where subscription_id = $1 order by id', [
    subscriptionId,
  ]);

describeEachDb('deals service', (getDb) => {
  it('starts a deal in the first stage and keeps every stage move with its actor and reason', async () => {
    const db = getDb();
    const { principals, users } = await seedOrg(db);
    const opp = await createOpportunity(db, principals.aeA, { name: 'Initech', amount: '24000.00' });
    expect(opp).toMatchObject({ stage: 'discovery', ownerId: users.aeA.id, amount: '24000.00' });
    await changeStage(db, principals.aeA, opp.id, 'trial');
    await expect(changeStage(db, principals.aeA, opp.id, 'lost')).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'lostReason' }],
    });
    await changeStage(db, principals.managerA, opp.id, 'lost', 'no budget');
    const closed = await getFor(db, principals.aeA, opportunities, opp.id);
    expect(closed).toMatchObject({ stage: 'lost', lostReason: 'no budget' });
    expect(closed.closedAt).toBeInstanceOf(Date);
    await expect(changeStage(db, principals.aeA, opp.id, 'won')).rejects.toMatchObject({ code: 'conflict' });
    await changeStage(db, principals.aeA, opp.id, 'negotiation');
    expect((await getFor(db, principals.aeA, opportunities, opp.id)).closedAt).toBeNull();

    const h = (await history(db, principals.aeA, 'opportunity', opp.id)) as {
      from: string | null;
      to: string;
      actorId: string;
      reason: string | null;
      changedAt: Date;
    }[];
    expect(h.map((x) => [x.from, x.to])).toEqual([
      [null, 'discovery'],
      ['discovery', 'trial'],
      ['trial', 'lost'],
      ['lost', 'negotiation'],
    ]);
    expect(h[2]).toMatchObject({ actorId: users.managerA.id, reason: 'no budget' });
    for (const x of h) expect(x.changedAt).toBeInstanceOf(Date);
  });

  it('refuses a stage the workspace does not have as bad input naming the field', async () => {
    const db = getDb();
    const { principals } = await seedOrg(db);
    await expect(createOpportunity(db, principals.aeA, { name: 'X', stage: 'pilot' })).rejects.toMatchObject({
      details: [{ path: 'stage' }],
    });
    const opp = await createOpportunity(db, principals.aeA, { name: 'X' });
    await expect(changeStage(db, principals.aeA, opp.id, 'pilot')).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'stage' }],
    });
  });

  it("refuses a rep editing another rep's deal, lets the manager of the team do it, and keeps the sourcing SDR read-only", async () => {
    const db = getDb();
    const { principals, users } = await seedOrg(db);
    const opp = await createOpportunity(db, principals.aeA, { name: 'Globex', amount: '1000', sdrId: users.sdrA.id });
    await expect(updateOpportunity(db, principals.aeB, opp.id, { amount: '1' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(changeStage(db, principals.aeB, opp.id, 'trial')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(updateOpportunity(db, principals.managerB, opp.id, { amount: '1' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(getFor(db, principals.managerB, opportunities, opp.id)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await getFor(db, principals.sdrA, opportunities, opp.id)).id).toBe(opp.id);
    await expect(updateOpportunity(db, principals.sdrA, opp.id, { amount: '1' })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await getFor(db, principals.admin, opportunities, opp.id)).amount).toBe('1000.00');

    const edited = await updateOpportunity(db, principals.managerA, opp.id, { amount: '1500.5' });
    expect(edited.amount).toBe('1500.50');
  });

  it('lets a rep assign within their own team only, and records owner changes in the history', async () => {
    const db = getDb();
    const { principals, users } = await seedOrg(db);
    await expect(
      createLead(db, principals.sdrA, { email: 'a@b.io', sourceType: 'net', channel: 'chat', ownerId: users.aeB.id }),
    ).rejects.toMatchObject({ code: 'forbidden', details: [{ path: 'ownerId' }] });
    const lead = await createLead(db, principals.sdrA, { email: 'a@b.io', sourceType: 'net', channel: 'chat' });
    await expect(updateLead(db, principals.sdrA, lead.id, { ownerId: users.aeB.id })).rejects.toMatchObject({ code: 'forbidden' });
    const handed = await updateLead(db, principals.sdrA, lead.id, { ownerId: users.aeA.id });
    expect(handed.ownerId).toBe(users.aeA.id);
    const h = (await history(db, principals.aeA, 'lead', lead.id)) as { field: string; from: string; to: string; actorId: string }[];
    expect(h.at(-1)).toMatchObject({ field: 'owner', from: users.sdrA.id, to: users.aeA.id, actorId: users.sdrA.id });
  });

  it('refuses references to records of another workspace, naming the field', async () => {
    const db = getDb();
    const { principals } = await seedOrg(db);
    const other = await seedOrg(db);
    const foreign = await createAccount(db, other.principals.admin, { name: 'Theirs' });
    await expect(createContact(db, principals.aeA, { accountId: foreign.id, email: 'c@d.io' })).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'accountId' }],
    });
    await expect(createOpportunity(db, principals.admin, { name: 'X', ownerId: other.users.aeA.id })).rejects.toMatchObject({
      details: [{ path: 'ownerId' }],
    });
    await expect(recordWebEvent(db, principals.admin, { kind: 'visit', visitorId: 'v1', repId: other.users.aeA.id })).rejects.toMatchObject(
      {
        details: [{ path: 'repId' }],
      },
    );
  });

  it('keeps ARR movements: new on creation, then expansion, contraction and churn', async () => {
    const db = getDb();
    const { principals, users } = await seedOrg(db);
    const acc = await createAccount(db, principals.aeA, { name: 'Hooli', csmId: users.aeA.id });
    const sub = await createSubscription(db, principals.aeA, {
      accountId: acc.id,
      arr: '12000.00',
      startDate: '2025-01-01',
      status: 'active',
    });
    expect(await movements(db, sub.id)).toEqual([{ kind: 'new', amount: '12000.00' }]);
    await updateSubscription(db, principals.aeA, sub.id, { arr: '15000.50' });
    await updateSubscription(db, principals.aeA, sub.id, { arr: '14000' });
    await updateSubscription(db, principals.aeA, sub.id, { status: 'churned' });
    expect(await movements(db, sub.id)).toEqual([
      { kind: 'new', amount: '12000.00' },
      { kind: 'expansion', amount: '3000.50' },
      { kind: 'contraction', amount: '1000.50' },
      { kind: 'churn', amount: '14000.00' },
    ]);
    await expect(
      createSubscription(db, principals.aeB, { accountId: acc.id, arr: '1', startDate: '2025-01-01', status: 'active' }),
    ).rejects.toMatchObject({ code: 'forbidden', details: [{ path: 'accountId' }] });
  });

  it('hangs activities off records the caller may read, and no others', async () => {
    const db = getDb();
    const { principals } = await seedOrg(db);
    const opp = await createOpportunity(db, principals.aeA, { name: 'Deal' });
    await createActivity(db, principals.aeA, { kind: 'call', subject: 'Discovery call', recordType: 'opportunity', recordId: opp.id });
    await createActivity(db, principals.managerA, {
      kind: 'note',
      subject: 'Coach: ask about budget',
      recordType: 'opportunity',
      recordId: opp.id,
    });
    await expect(
      createActivity(db, principals.aeB, { kind: 'note', subject: 'x', recordType: 'opportunity', recordId: opp.id }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const q = { recordType: 'opportunity', recordId: opp.id, limit: 50, order: 'asc' as const };
    expect((await listActivities(db, principals.aeA, q)).items.map((a) => a.subject)).toEqual([
      'Discovery call',
      'Coach: ask about budget',
    ]);
    await expect(listActivities(db, principals.aeB, q)).rejects.toMatchObject({ code: 'forbidden' });
  });
});
