import { expect, it } from 'vitest';
import { leadsCsv } from '../../../test/support/csv.js';
import { describeEachDb } from '../../../test/support/db.js';
import { seedOrg } from '../../../test/support/fixtures.js';
import type { Db } from '../../db/client.js';
import { ImportRejected, importCsv } from './import.service.js';
import { historyOf } from './records.repo.js';

const countOf = async (db: Db, sql: string, params: unknown[]) => Number((await db.query<{ n: number }>(sql, params))[0].n);

describeEachDb('CSV import', (getDb) => {
  it('refuses a 10,000-row file with one bad row, naming it; imports the fixed file; a second run inserts nothing', async () => {
    const db = getDb();
    const { workspace, users, system } = await seedOrg(db);
    const leads = () => countOf(db, 'select count(*)::int as n from leads where workspace_id = $1', [workspace.id]);

    const bad = leadsCsv(10_000, { ownerEmail: users.sdrA.email, badRow: 7341 });
    const refused = await importCsv(db, system, 'leads', bad).catch((e) => e);
    expect(refused).toBeInstanceOf(ImportRejected);
    expect(refused.issues).toEqual([{ row: 7341, line: 7342, column: 'email', message: 'Invalid email address' }]);
    expect(refused.message).toBe('1 of 10000 rows invalid; nothing was imported');
    expect(await leads()).toBe(0);

    const good = leadsCsv(10_000, { ownerEmail: users.sdrA.email });
    const first = await importCsv(db, system, 'leads', good, { source: 'leads.csv' });
    expect(first).toMatchObject({ rows: 10_000, inserted: 10_000, updated: 0, unchanged: 0, skipped: 0 });
    expect(await leads()).toBe(10_000);

    const [sample] = await db.query<Record<string, unknown>>(
      `select id, email_normalized, segment, owner_id, expected_arr, country, last_name, created_at from leads where workspace_id = $1 and external_id = 'L-3'`,
      [workspace.id],
    );
    expect(sample).toMatchObject({
      email_normalized: 'person3@company3.com',
      segment: 'SMB',
      owner_id: users.sdrA.id,
      expected_arr: '39.03',
      country: 'US',
      last_name: 'Last, 3',
    });
    expect((sample.created_at as Date).toISOString()).toBe('2024-01-04T09:00:00.000Z');
    // No history row is stored per lead (bench:intake): its "created as new" entry is the lead row itself
    // (created_at, created_by; migration 0011) and the owner of the 3,333 rows with an owner_email is their
    // lead_assignments row (migration 0005); the history endpoint shows both.
    expect(await countOf(db, 'select count(*)::int as n from status_changes where workspace_id = $1', [workspace.id])).toBe(0);
    expect((await historyOf(db, workspace.id, 'lead', sample.id as string)).map((h) => [h.field, h.from, h.to, h.changedAt])).toEqual([
      ['status', null, 'new', sample.created_at],
      ['owner', null, users.sdrA.id, sample.created_at],
    ]);
    expect(
      await countOf(
        db,
        `select count(*)::int as n from lead_assignments a join leads l on l.id = a.lead_id
          where l.workspace_id = $1 and a.purpose = 'manual' and a.user_id = l.owner_id`,
        [workspace.id],
      ),
    ).toBe(3_333);
    expect(first.intake).toEqual({ merged: 0, flaggedForReview: 0, routedToRep: 0, sentToQueue: 6_667, ownerFromFile: 3_333 });
    const [{ n: queued }] = await db.query<{ n: number }>(
      `select count(*)::int as n from leads where workspace_id = $1 and owner_id is null and queue = 'triage'`,
      [workspace.id],
    );
    expect(queued).toBe(6_667);

    const again = await importCsv(db, system, 'leads', good);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 10_000 });
    expect(await leads()).toBe(10_000);
    expect(await countOf(db, 'select count(*)::int as n from status_changes where workspace_id = $1', [workspace.id])).toBe(0);

    // One audit entry per import, with the counts; none per row.
    const log = await db.query<{ action: string; after: Record<string, unknown> }>(
      `select action, after from audit_log where workspace_id = $1 and action like 'import.%' order by id`,
      [workspace.id],
    );
    expect(log).toEqual([
      {
        action: 'import.leads',
        after: { source: 'leads.csv', rows: 10_000, inserted: 10_000, updated: 0, unchanged: 0, skipped: 0, ...first.intake },
      },
      {
        action: 'import.leads',
        after: { source: null, rows: 10_000, inserted: 0, updated: 0, unchanged: 10_000, skipped: 0, ...again.intake },
      },
    ]);
    // Intake's own per-batch audit entries are not written: the import's entry is the only one.
    expect(
      await countOf(db, `select count(*)::int as n from audit_log where workspace_id = $1 and action like 'lead.%'`, [workspace.id]),
    ).toBe(0);
  }, 180_000);

  it('with skipInvalid imports the valid rows and reports the skipped ones; dryRun writes nothing', async () => {
    const db = getDb();
    const { workspace, users, system } = await seedOrg(db);
    const csv = [
      'externalId,email,sourceType,channel,employees,owner_email',
      'A-1,a@acme.io,net,website,12,',
      'A-2,b@acme.io,cold,website,12,',
      'A-3,c@acme.io,seed,referral,twelve,',
      `A-4,d@acme.io,spear,linkedin,3000,${users.sdrA.email.toUpperCase()}`,
    ].join('\n');
    const dry = await importCsv(db, system, 'leads', csv, { skipInvalid: true, dryRun: true });
    expect(dry).toMatchObject({ inserted: 2, skipped: 2, dryRun: true });
    expect(await countOf(db, 'select count(*)::int as n from leads where workspace_id = $1', [workspace.id])).toBe(0);

    const r = await importCsv(db, system, 'leads', csv, { skipInvalid: true });
    expect(r).toMatchObject({ rows: 4, inserted: 2, skipped: 2 });
    expect(r.issues.map((i) => [i.row, i.column])).toEqual([
      [2, 'sourceType'],
      [3, 'employees'],
    ]);
    expect(r.issues[1].message).toBe('a whole number, not "twelve"');
    const rows = await db.query<{ external_id: string; owner_id: string | null; segment: string }>(
      'select external_id, owner_id, segment from leads where workspace_id = $1 order by external_id',
      [workspace.id],
    );
    expect(rows).toEqual([
      { external_id: 'A-1', owner_id: null, segment: 'SMB' },
      { external_id: 'A-4', owner_id: users.sdrA.id, segment: 'MME' },
    ]);
  });

  it('refuses unknown columns before reading any row', async () => {
    const db = getDb();
    const { system } = await seedOrg(db);
    const err = await importCsv(db, system, 'leads', 'email,source_type,channel,favourite_colour\na@b.io,net,chat,blue\n').catch((e) => e);
    expect(err).toMatchObject({ code: 'validation_failed' });
    expect(err).not.toBeInstanceOf(ImportRejected);
    expect(err.message).toContain('unknown column "favourite_colour"');
    expect(err.details).toEqual([{ path: 'header.favourite_colour', column: 'favourite_colour', message: 'unknown column' }]);
  });

  it('refuses an owner_email that is not a user of the workspace, and a duplicate external_id, naming every row', async () => {
    const db = getDb();
    const other = await seedOrg(db);
    const { workspace, system } = await seedOrg(db);
    const csv = [
      'external_id,email,source_type,channel,owner_email',
      'D-1,a@x.io,net,chat,',
      `D-2,b@x.io,net,chat,${other.users.sdrA.email}`,
      'D-1,c@x.io,net,chat,',
      'D-3,c@x.io,net,chat,',
    ].join('\n');
    const err = await importCsv(db, system, 'leads', csv).catch((e) => e);
    expect(err).toBeInstanceOf(ImportRejected);
    expect(err.invalidRows).toBe(3);
    expect(err.issues).toEqual([
      { row: 1, line: 2, column: 'external_id', message: 'duplicate external_id "D-1": also on row 3' },
      { row: 2, line: 3, column: 'owner_email', message: `no user with email ${other.users.sdrA.email} in this workspace` },
      { row: 3, line: 4, column: 'external_id', message: 'duplicate external_id "D-1": also on row 1' },
    ]);
    expect(await countOf(db, 'select count(*)::int as n from leads where workspace_id = $1', [workspace.id])).toBe(0);
  });

  it('updates by external_id: changes of status and owner go to the history, normalised keys follow', async () => {
    const db = getDb();
    const { workspace, users, system } = await seedOrg(db);
    await importCsv(db, system, 'leads', 'external_id,email,source_type,channel,employees\nU-1,Ann@Acme.io,net,chat,5\n');
    const r = await importCsv(
      db,
      system,
      'leads',
      `external_id,email,status,disqualify_reason,owner_email,employees\nU-1,ann@NEWCO.io,disqualified,no budget,${users.sdrA.email},150\n`,
    );
    expect(r).toMatchObject({ inserted: 0, updated: 1 });
    const [lead] = await db.query<Record<string, unknown>>('select * from leads where workspace_id = $1', [workspace.id]);
    expect(lead).toMatchObject({
      email_normalized: 'ann@newco.io',
      status: 'disqualified',
      disqualify_reason: 'no budget',
      segment: 'SMB',
      owner_id: users.sdrA.id,
      source_type: 'net',
    });
    const h = (await historyOf(db, workspace.id, 'lead', lead.id as string)).map((c) => ({
      field: c.field,
      from_value: c.from,
      to_value: c.to,
    }));
    expect(h).toEqual([
      { field: 'status', from_value: null, to_value: 'new' },
      { field: 'status', from_value: 'new', to_value: 'disqualified' },
      { field: 'owner', from_value: null, to_value: users.sdrA.id },
    ]);
    const noReason = await importCsv(db, system, 'leads', 'external_id,status,disqualify_reason\nU-1,disqualified, \n').catch((e) => e);
    expect(noReason.issues).toEqual([
      expect.objectContaining({ column: 'disqualify_reason', message: 'required when status is disqualified' }),
    ]);
  });
});
