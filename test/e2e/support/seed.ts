import type { Db } from '../../../src/db/client.js';
import { createAccount, createOpportunity, createSubscription } from '../../../src/modules/crm/deals.service.js';
import { createLead } from '../../../src/modules/crm/leads.service.js';
import type { Role } from '../../../src/modules/org/org.core.js';
import { createUser } from '../../../src/modules/org/org.service.js';
import { PASSWORD, seedOrg } from '../../support/fixtures.js';

/** The roles that have no user in seedOrg; each gets one, in team A where a team makes sense. */
const EXTRA_ROLES: Role[] = [
  'sdr_outbound',
  'realtime_ae',
  'esb_ae',
  'csm',
  'relationship_manager',
  'sales_engineer',
  'enablement',
  'support',
];

export const XSS_COMPANY = '<img src=x onerror=alert(1)>';

/**
 * A small, fixed revenue team: seedOrg's people (admin, ops, two managers, team A with aeA and sdrA,
 * team B with aeB) plus one user per remaining role, sdrA's leads, aeA's deals, aeB's lead
 * (another team's), and a customer account with a live subscription for the CSM.
 */
export async function seedE2E(db: Db) {
  const org = await seedOrg(db);
  const { workspace, principals, teams, system } = org;
  const domain = org.users.admin.email.split('@')[1];
  const extra = {} as Record<Role, { id: string; email: string }>;
  for (const role of EXTRA_ROLES) {
    const inTeam = !['sales_engineer', 'enablement', 'support'].includes(role);
    extra[role] = await createUser(db, 'system', workspace.id, {
      email: `${role}@${domain}`,
      name: `${role} user`,
      roles: [role],
      password: PASSWORD,
      teamId: inTeam ? teams.teamA.id : null,
    });
  }

  const lead = (p: typeof principals.sdrA, v: Record<string, unknown>) =>
    createLead(db, p, { sourceType: 'net', channel: 'website', ...v } as Parameters<typeof createLead>[2]);
  const acme = await lead(principals.sdrA, {
    company: 'Acme Robotics',
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@acme-robotics.test',
    employees: 40,
    expectedArr: '18000.00',
  });
  const globex = await lead(principals.sdrA, {
    company: 'Globex Analytics',
    firstName: 'Hank',
    lastName: 'Scorpio',
    email: 'hank@globex.test',
    sourceType: 'seed',
    channel: 'referral',
  });
  const xss = await lead(principals.sdrA, {
    company: XSS_COMPANY,
    firstName: 'Mallory',
    email: 'mallory@evil.test',
    sourceType: 'spear',
    channel: 'outbound_email',
  });
  const otherTeam = await lead(principals.aeB, { company: 'Initech Secret', email: 'bill@initech.test' });

  const opp = (v: Record<string, unknown>) => createOpportunity(db, principals.aeA, { amount: '10000', ...v });
  const umbrella = await opp({ name: 'Umbrella Expansion', amount: '24000.00', closeDate: '2030-03-31' });
  const hooli = await opp({ name: 'Hooli Platform', amount: '56000.00', closeDate: '2030-06-30', stage: 'proposal' });
  const wayne = await opp({ name: 'Wayne Enterprises', amount: '99000.00', stage: 'won' });

  const stark = await createAccount(db, system, {
    name: 'Stark Industries',
    domain: 'stark.test',
    employees: 900,
    segment: 'MME',
    csmId: extra.csm.id,
    ownerId: org.users.aeA.id,
  });
  await createSubscription(db, system, {
    accountId: stark.id,
    arr: '120000.00',
    startDate: '2024-01-01',
    renewalDate: '2030-01-01',
    status: 'active',
    plan: 'Enterprise',
  });

  return {
    ...org,
    extra,
    leads: { acme, globex, xss, otherTeam },
    opportunities: { umbrella, hooli, wayne },
    accounts: { stark },
  };
}

export type E2EData = Awaited<ReturnType<typeof seedE2E>>;
