import { expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { seedOrg } from '../../../test/support/fixtures.js';
import { history } from './deals.service.js';
import { changeLeadStatus, convertLead, createLead, listLeads } from './leads.service.js';

describeEachDb('leads service', (getDb) => {
  it('classifies, converts into account + contact + opportunity in one go, and keeps the history', async () => {
    const db = getDb();
    const { principals, users } = await seedOrg(db);
    const lead = await createLead(db, principals.sdrA, {
      email: 'Ana@Initech.com',
      company: 'Initech',
      employees: 40,
      sourceType: 'net',
      channel: 'website',
    });
    expect(lead.segment).toBe('SMB');
    expect(lead.ownerId).toBe(users.sdrA.id);
    await changeLeadStatus(db, principals.sdrA, lead.id, 'working');
    const r = await convertLead(db, principals.sdrA, lead.id, { ownerId: users.aeA.id, amount: '12000.50' });
    expect(r.opportunity.sdrId).toBe(users.sdrA.id);
    expect(r.opportunity.ownerId).toBe(users.aeA.id);
    expect(r.opportunity.amount).toBe('12000.50');
    expect(r.reusedAccount).toBe(false);

    // A second lead from the same company domain joins the existing account.
    const lead2 = await createLead(db, principals.sdrA, { email: 'bo@initech.com', sourceType: 'seed', channel: 'referral' });
    const r2 = await convertLead(db, principals.sdrA, lead2.id, { ownerId: users.aeA.id });
    expect(r2.accountId).toBe(r.accountId);
    expect(r2.reusedAccount).toBe(true);

    const h = await history(db, principals.sdrA, 'lead', lead.id);
    const statuses = (h as { field: string; to: string }[]).filter((x) => x.field === 'status').map((x) => x.to);
    expect(statuses).toEqual(['new', 'working', 'converted']);
  });

  it('never matches an account on a free-mail domain', async () => {
    const db = getDb();
    const { principals, users } = await seedOrg(db);
    const a = await createLead(db, principals.sdrA, { email: 'x@gmail.com', sourceType: 'net', channel: 'signup' });
    const b = await createLead(db, principals.sdrA, { email: 'y@gmail.com', sourceType: 'net', channel: 'signup' });
    const ra = await convertLead(db, principals.sdrA, a.id, { ownerId: users.aeA.id });
    const rb = await convertLead(db, principals.sdrA, b.id, { ownerId: users.aeA.id });
    expect(ra.accountId).not.toBe(rb.accountId);
  });

  it('refuses to disqualify without a reason and to convert twice', async () => {
    const db = getDb();
    const { principals, users } = await seedOrg(db);
    const l = await createLead(db, principals.sdrA, { email: 'q@q.io', sourceType: 'spear', channel: 'linkedin' });
    await expect(changeLeadStatus(db, principals.sdrA, l.id, 'disqualified')).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'reason' }],
    });
    await convertLead(db, principals.sdrA, l.id, { ownerId: users.aeA.id });
    await expect(convertLead(db, principals.sdrA, l.id, {})).rejects.toMatchObject({ code: 'conflict' });
  });

  it("scopes lists: a rep sees their own leads, a manager their team's, another team's manager none", async () => {
    const db = getDb();
    const { principals } = await seedOrg(db);
    await createLead(db, principals.sdrA, { email: 'a@a.io', sourceType: 'net', channel: 'chat' });
    const q = { limit: 50, order: 'desc' as const, sort: 'createdAt' as const };
    expect((await listLeads(db, principals.sdrA, q)).items).toHaveLength(1);
    expect((await listLeads(db, principals.managerA, q)).items).toHaveLength(1);
    expect((await listLeads(db, principals.managerB, q)).items).toHaveLength(0);
    expect((await listLeads(db, principals.aeA, q)).items).toHaveLength(0);
    expect((await listLeads(db, principals.ops, q)).items).toHaveLength(1);
  });
});
