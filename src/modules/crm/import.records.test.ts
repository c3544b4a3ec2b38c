import { expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { seedOrg } from '../../../test/support/fixtures.js';
import type { Db } from '../../db/client.js';
import type { Principal } from '../../platform/auth/principal.js';
import { changeStage, createAccount, createContact, createOpportunity, createSubscription } from './deals.service.js';
import { exportCsv } from './export.service.js';
import type { ExportKind } from './import.columns.js';
import { ImportRejected, importCsv } from './import.service.js';
import { changeLeadStatus, convertLead, createLead } from './leads.service.js';

async function exportText(db: Db, p: Principal, kind: ExportKind, pageSize?: number) {
  let text = '';
  for await (const chunk of exportCsv(db, p, kind, { pageSize })) text += chunk;
  return text;
}

describeEachDb('CSV import of accounts, contacts and opportunities; export round trip', (getDb) => {
  it('imports opportunities against accounts named by external id or domain, with stage history', async () => {
    const db = getDb();
    const { workspace, users, system } = await seedOrg(db);
    const accounts = await importCsv(
      db,
      system,
      'accounts',
      `external_id,name,domain,employees,owner_email,csm_email\nACC-1,Initech,https://www.Initech.com/,40,${users.aeA.email},\nACC-2,Globex,globex.com,900,,\n`,
    );
    expect(accounts.inserted).toBe(2);
    const [initech] = await db.query<{ id: string; domain_normalized: string }>(
      `select id, domain_normalized from accounts where workspace_id = $1 and external_id = 'ACC-1'`,
      [workspace.id],
    );
    expect(initech.domain_normalized).toBe('initech.com');

    const opps = [
      'external_id,name,account_external_id,account_domain,stage,amount,close_date,owner_email,sdr_email,source_type,lost_reason',
      `O-1,Initech platform,ACC-1,,proposal,12000,2024-06-30,${users.aeA.email},${users.sdrA.email},net,`,
      `O-2,Globex pilot,,globex.com,lost,500.5,,${users.aeA.email},,spear,went with a competitor`,
      'O-3,No account,,,,,,,,,',
    ].join('\n');
    const r = await importCsv(db, system, 'opportunities', opps);
    expect(r).toMatchObject({ inserted: 3, skipped: 0 });
    const rows = await db.query<Record<string, unknown>>(
      `select external_id, account_id, stage, amount, close_date, sdr_id, lost_reason, closed_at is not null as closed
         from opportunities where workspace_id = $1 order by external_id`,
      [workspace.id],
    );
    expect(rows[0]).toMatchObject({
      external_id: 'O-1',
      account_id: initech.id,
      stage: 'proposal',
      amount: '12000.00',
      close_date: '2024-06-30',
      sdr_id: users.sdrA.id,
      closed: false,
    });
    expect(rows[1]).toMatchObject({
      external_id: 'O-2',
      stage: 'lost',
      amount: '500.50',
      lost_reason: 'went with a competitor',
      closed: true,
    });
    expect(rows[2]).toMatchObject({ external_id: 'O-3', account_id: null, stage: 'discovery', amount: '0.00' });
    const stages = await db.query<{ to_value: string }>(
      `select to_value from status_changes where workspace_id = $1 and record_type = 'opportunity' and field = 'stage' order by to_value`,
      [workspace.id],
    );
    expect(stages.map((s) => s.to_value)).toEqual(['discovery', 'lost', 'proposal']);

    const bad = [
      'external_id,name,account_external_id,account_domain,stage,lost_reason',
      'O-9,Bad refs,ACC-404,,closing,',
      'O-10,Mismatch,ACC-1,globex.com,lost,',
    ].join('\n');
    const err = await importCsv(db, system, 'opportunities', bad).catch((e) => e);
    expect(err).toBeInstanceOf(ImportRejected);
    expect(err.issues.map((i: { row: number; column: string; message: string }) => `${i.row} ${i.column}: ${i.message}`)).toEqual([
      '1 account_external_id: no account with this external id in this workspace',
      '1 stage: one of discovery, trial, proposal, negotiation, won, lost',
      '2 account_domain: names a different account than account_external_id',
      '2 lost_reason: required when stage is lost',
    ]);
  });

  it('imports contacts by account domain and refuses an account domain that another account holds', async () => {
    const db = getDb();
    const { workspace, system } = await seedOrg(db);
    await importCsv(db, system, 'accounts', 'name,domain\nHooli,hooli.com\n');
    const c = await importCsv(db, system, 'contacts', 'firstName,lastName,email,accountDomain\nGavin,Belson,Gavin@Hooli.com,HOOLI.com\n');
    expect(c.inserted).toBe(1);
    const [contact] = await db.query<{ email_normalized: string; account_name: string }>(
      'select c.email_normalized, a.name as account_name from contacts c join accounts a on a.id = c.account_id where c.workspace_id = $1',
      [workspace.id],
    );
    expect(contact).toEqual({ email_normalized: 'gavin@hooli.com', account_name: 'Hooli' });
    const clash = await importCsv(
      db,
      system,
      'accounts',
      'name,domain\nHooli XYZ,www.hooli.com\nPied Piper,piedpiper.com\nPP,piedpiper.com\n',
    ).catch((e) => e);
    expect(clash.issues.map((i: { row: number; message: string }) => `${i.row}: ${i.message}`)).toEqual([
      '1: domain hooli.com already belongs to account "Hooli"',
      '2: domain piedpiper.com is used by another row: also on row 3',
      '3: domain piedpiper.com is used by another row: also on row 2',
    ]);
  });

  it('export -> import changes nothing, for records made through the API and by import alike', async () => {
    const db = getDb();
    const { workspace, users, principals, system } = await seedOrg(db);
    const acme = await createAccount(db, principals.admin, {
      name: 'Acme, Inc.',
      domain: 'acme.com',
      employees: 30,
      ownerId: users.aeA.id,
      country: 'FR',
    });
    await createContact(db, principals.aeA, { accountId: acme.id, firstName: 'Wile', lastName: 'Coyote', email: 'wile@acme.com' });
    const opp = await createOpportunity(db, principals.aeA, {
      name: 'Acme "rockets"\nphase 2',
      accountId: acme.id,
      amount: '9999.99',
      closeDate: '2024-09-01',
    });
    await changeStage(db, principals.aeA, opp.id, 'lost', 'timing');
    await createSubscription(db, principals.admin, { accountId: acme.id, arr: '1200', startDate: '2024-01-01', status: 'active' });
    for (let i = 0; i < 5; i++) {
      const lead = await createLead(db, principals.sdrA, {
        email: `l${i}@lead${i}.io`,
        company: `Lead ${i}`,
        employees: i * 100,
        expectedArr: '10.5',
        sourceType: 'net',
        channel: 'chat',
      });
      if (i === 1) await changeLeadStatus(db, principals.sdrA, lead.id, 'disqualified', 'no fit');
      if (i === 2) await convertLead(db, principals.sdrA, lead.id, { ownerId: users.aeA.id });
    }
    await importCsv(db, system, 'leads', 'external_id,email,source_type,channel,segment\nX-1,x@x.io,seed,referral,MME\n');

    const snapshot = () =>
      db.query(
        `select (select count(*) from leads where workspace_id = $1) as leads, (select count(*) from opportunities where workspace_id = $1) as opps,
                (select count(*) from status_changes where workspace_id = $1) as history,
                (select max(updated_at) from leads where workspace_id = $1) as leads_touched,
                (select max(updated_at) from opportunities where workspace_id = $1) as opps_touched`,
        [workspace.id],
      );
    const before = await snapshot();
    for (const kind of ['accounts', 'contacts', 'leads', 'opportunities'] as const) {
      // A small page size makes the export walk several pages.
      const csv = await exportText(db, system, kind, 2);
      const r = await importCsv(db, system, kind, csv);
      expect({ kind, inserted: r.inserted, updated: r.updated, skipped: r.skipped }).toEqual({ kind, inserted: 0, updated: 0, skipped: 0 });
      expect(r.unchanged).toBe(csv.trim().split('\n').length - (kind === 'opportunities' ? 2 : 1));
    }
    expect(await snapshot()).toEqual(before);

    const subs = await exportText(db, system, 'subscriptions');
    expect(subs.split('\n')[0]).toBe(
      'id,external_id,account_id,account_external_id,account_domain,opportunity_id,plan,arr,start_date,renewal_date,status',
    );
    expect(subs).toContain(`,${acme.id},,acme.com,,,1200.00,2024-01-01,,active`);
  });

  it('exports only the records a rep may read', async () => {
    const db = getDb();
    const { principals } = await seedOrg(db);
    await createLead(db, principals.sdrA, { email: 'mine@a.io', sourceType: 'net', channel: 'chat' });
    await createLead(db, principals.aeB, { email: 'theirs@b.io', sourceType: 'net', channel: 'chat' });
    const csv = await exportText(db, principals.sdrA, 'leads');
    expect(csv).toContain('mine@a.io');
    expect(csv).not.toContain('theirs@b.io');
  });
});
