import { randomBytes } from 'node:crypto';
import { PASSWORD, principalFor, seedOrg } from '../../../test/support/fixtures.js';
import type { Db } from '../../db/client.js';
import type { Principal } from '../../platform/auth/principal.js';
import { createAccount, createContact, createOpportunity } from '../crm/deals.service.js';
import { createLead } from '../crm/leads.service.js';
import { createUser } from '../org/org.service.js';

/** Test data for the survey suites: seedOrg's people plus customer success (a CSM, a relationship manager) and a CEO. */
export async function seedSurveyOrg(db: Db) {
  const org = await seedOrg(db);
  const domain = org.users.admin.email.split('@')[1];
  const mk = (key: string, roles: Parameters<typeof createUser>[3]['roles']) =>
    createUser(db, 'system', org.workspace.id, { email: `${key}@${domain}`, name: key, roles, password: PASSWORD });
  const csm = await mk('csm', ['csm']);
  const rm = await mk('rm', ['relationship_manager']);
  const ceo = await mk('ceo', ['enablement']);
  return { ...org, success: { csm, rm, ceo }, csmPrincipal: await principalFor(db, csm.email) };
}
export type SurveyOrg = Awaited<ReturnType<typeof seedSurveyOrg>>;

/** A unique buyer address, so suites sharing a database never read each other's mail. */
export const buyerEmail = (who = 'buyer') => `${who}.${randomBytes(4).toString('hex')}@customer.test`;

/** A deal won now by `owner` (aeA by default), with a contact and/or a lead carrying the buyer's address. */
export async function wonDeal(
  db: Db,
  org: SurveyOrg,
  opts: { owner?: Principal; contactEmail?: string | null; leadEmail?: string | null; csmId?: string | null; stage?: string } = {},
) {
  const owner = opts.owner ?? org.principals.aeA;
  const account = await createAccount(db, org.system, { name: `Customer ${randomBytes(3).toString('hex')}`, csmId: opts.csmId ?? null });
  const contactEmail = opts.contactEmail === undefined ? buyerEmail() : opts.contactEmail;
  const contact = await createContact(db, org.system, { accountId: account.id, firstName: 'Ada', lastName: 'Buyer', email: contactEmail });
  const lead = opts.leadEmail
    ? await createLead(db, org.system, {
        sourceType: 'net',
        channel: 'website',
        email: opts.leadEmail,
        firstName: 'Lea',
        company: 'Lead Co',
      })
    : null;
  const opp = await createOpportunity(db, owner, {
    name: `Deal ${randomBytes(3).toString('hex')}`,
    accountId: account.id,
    contactId: contact.id,
    leadId: lead?.id ?? null,
    ownerId: owner.userId,
    amount: '12000.00',
    stage: opts.stage ?? 'won',
  });
  return { account, contact, lead, opp, contactEmail };
}

/** A rated survey written straight into the table (as the demo does), for scores and alerts. */
export async function ratedSurvey(db: Db, org: SurveyOrg, repId: string, rating: number, ratedAt: Date, comment: string | null = null) {
  const [opp] = await db.query<{ id: string }>(
    `insert into opportunities (workspace_id, name, stage, owner_id, closed_at) values ($1, $2, 'won', $3, $4) returning id`,
    [org.workspace.id, `Rated ${randomBytes(3).toString('hex')}`, repId, new Date(ratedAt.getTime() - 91 * 86_400_000)],
  );
  const [row] = await db.query<{ id: string }>(
    `insert into buyer_surveys (workspace_id, opportunity_id, rep_id, buyer_email, status, send_at, sent_at, rating, rated_at, comment)
     values ($1, $2, $3, $4, 'rated', $5, $5, $6, $5, $7) returning id`,
    [org.workspace.id, opp.id, repId, buyerEmail('rated'), ratedAt, rating, comment],
  );
  return row.id;
}
