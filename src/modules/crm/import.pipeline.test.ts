import { expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { seedOrg } from '../../../test/support/fixtures.js';
import type { Db } from '../../db/client.js';
import { createUser } from '../org/org.service.js';
import { DEFAULT_CHANNEL_RULES } from '../routing/classify.core.js';
import { saveRules, updateRoutingSettings } from '../routing/routing.service.js';
import { ImportRejected, importCsv } from './import.service.js';
import { createLead } from './leads.service.js';
import { historyOf } from './records.repo.js';

/** Lead CSV import through the intake pipeline: routing, dedupe, classification, history, idempotent re-runs. */

const now = new Date('2026-11-24T10:00:00Z');
const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

/** Row counts of everything an import may write, to prove a second run writes nothing. */
const snapshot = (db: Db, workspaceId: string) =>
  db.query(
    `select (select count(*)::int from leads where workspace_id = $1) as leads,
            (select count(*)::int from status_changes where workspace_id = $1) as history,
            (select count(*)::int from activities where workspace_id = $1) as activities,
            (select count(*)::int from lead_assignments where workspace_id = $1) as assignments,
            (select count(*)::int from notifications where workspace_id = $1) as notifications,
            (select coalesce(sum(assigned), 0)::int from routing_pool_counters where workspace_id = $1) as round_robin,
            (select count(*)::int from lead_external_aliases where workspace_id = $1) as aliases,
            (select max(updated_at) from leads where workspace_id = $1) as touched`,
    [workspaceId],
  );

describeEachDb('CSV import of leads through the intake pipeline', (getDb) => {
  async function setup() {
    const db = getDb();
    const org = await seedOrg(db);
    const sdr = (name: string) =>
      createUser(db, 'system', org.workspace.id, {
        email: `${name}@${org.workspace.slug}.test`,
        name,
        roles: ['sdr_inbound'],
        segments: ['SMB'],
      });
    const pool = [await sdr('s1'), await sdr('s2'), await sdr('s3')];
    await saveRules(db, org.principals.ops, 'intake', [
      {
        name: 'SMB inbound',
        enabled: true,
        conditions: { segments: ['SMB'], sourceTypes: ['net', 'seed'] },
        action: { type: 'pool', pool: { roles: ['sdr_inbound'], segment: 'SMB' } },
      },
      {
        name: 'Spears to review',
        enabled: true,
        conditions: { sourceTypes: ['spear'] },
        action: { type: 'queue', queue: 'outbound-review' },
      },
    ]);
    const lead = (externalId: string) =>
      db
        .query<Record<string, unknown>>('select * from leads where workspace_id = $1 and external_id = $2', [org.workspace.id, externalId])
        .then((r) => r[0]);
    return { db, ...org, pool, lead };
  }

  it('keeps owner_email, routes the other rows round-robin in the rule’s pool or to a queue, and counts each outcome', async () => {
    const { db, workspace, users, system, pool } = await setup();
    const rows = ['external_id,email,company,employees,source_type,channel,owner_email'];
    for (let i = 1; i <= 30; i++) rows.push(`R-${i},p${i}@co${i}.com,Co ${i},50,,website,`);
    rows.push(`R-31,p31@co31.com,Co 31,50,net,website,${users.sdrA.email}`, `R-32,p32@co32.com,Co 32,50,,linkedin,${users.sdrA.email}`);
    rows.push('R-33,p33@co33.com,Co 33,20,,linkedin,', 'R-34,p34@co34.com,Co 34,20,spear,chat,', 'R-35,p35@co35.com,Big 35,5000,,website,');

    const r = await importCsv(db, system, 'leads', csv(...rows), { now });
    expect(r).toMatchObject({ rows: 35, inserted: 35, updated: 0, unchanged: 0, skipped: 0 });
    expect(r.intake).toEqual({ merged: 0, flaggedForReview: 0, routedToRep: 30, sentToQueue: 3, ownerFromFile: 2 });

    const owners = await db.query<{ owner_id: string; n: number }>(
      `select owner_id, count(*)::int as n from leads where workspace_id = $1 and external_id like 'R-%' and owner_id is not null
        group by owner_id order by owner_id`,
      [workspace.id],
    );
    const byOwner = new Map(owners.map((o) => [o.owner_id, o.n]));
    expect(byOwner.get(users.sdrA.id)).toBe(2);
    const pooled = pool.map((u) => byOwner.get(u.id) ?? 0);
    expect(pooled.reduce((a, b) => a + b, 0)).toBe(30);
    expect(Math.max(...pooled) - Math.min(...pooled)).toBeLessThanOrEqual(1);

    const queued = await db.query<{ external_id: string; queue: string; source_type: string; segment: string }>(
      `select external_id, queue, source_type, segment from leads where workspace_id = $1 and owner_id is null order by external_id`,
      [workspace.id],
    );
    expect(queued).toEqual([
      { external_id: 'R-33', queue: 'outbound-review', source_type: 'spear', segment: 'SMB' },
      { external_id: 'R-34', queue: 'outbound-review', source_type: 'spear', segment: 'SMB' },
      { external_id: 'R-35', queue: 'triage', source_type: 'net', segment: 'MME' },
    ]);

    // Routing is recorded like any intake: the assignment with its rule, pool and explanation, and the history
    // (read from that assignment: intake writes no owner row of its own) shows the owner with the rule.
    const [routed] = await db.query<{ id: string; owner_id: string; purpose: string; rule_id: string | null; pool_key: string | null }>(
      `select l.id, l.owner_id, a.purpose, a.rule_id, a.pool_key from leads l join lead_assignments a on a.lead_id = l.id
        where l.workspace_id = $1 and l.external_id = 'R-1'`,
      [workspace.id],
    );
    expect(routed).toMatchObject({ purpose: 'intake', rule_id: expect.any(String), pool_key: 'sdr_inbound|SMB|*' });
    const ownerHistory = (await historyOf(db, workspace.id, 'lead', routed.id)).filter((h) => h.field === 'owner');
    expect(ownerHistory).toMatchObject([{ from: null, to: routed.owner_id, reason: `routing: ${routed.rule_id}` }]);
    const [kept] = await db.query<{ purpose: string; rule_id: string | null }>(
      `select a.purpose, a.rule_id from lead_assignments a join leads l on l.id = a.lead_id where l.workspace_id = $1 and l.external_id = 'R-31'`,
      [workspace.id],
    );
    expect(kept).toEqual({ purpose: 'manual', rule_id: null });

    // One notification per rep for the whole batch, not one per lead.
    const notes = await db.query<{ user_id: string; title: string }>(
      'select user_id, title from notifications where workspace_id = $1 order by title',
      [workspace.id],
    );
    expect(notes).toHaveLength(4);
    expect(notes.find((n) => n.user_id === users.sdrA.id)?.title).toBe('2 new leads assigned to you');
  });

  it('merges same-email rows into an open lead or the file’s first row with that email, filling blanks', async () => {
    const { db, workspace, principals, system, lead } = await setup();
    const ana = await createLead(db, principals.ops, { email: 'ana@initech.com', company: 'Initech', channel: 'website' });
    const file = csv(
      'external_id,email,first_name,company,title,phone,channel',
      'M-1,ANA@initech.com,Ana,Initech SA,,+33 1 23 45,chat',
      'M-2,bob@globex.com,Bob,Globex,,,website',
      'M-3,Bob@Globex.com,Robert,,CFO,+1 555,referral',
    );
    const r = await importCsv(db, system, 'leads', file, { now });
    expect(r).toMatchObject({ rows: 3, inserted: 1, updated: 0, unchanged: 0 });
    expect(r.intake).toMatchObject({ merged: 2 });

    const [merged] = await db.query<Record<string, unknown>>('select first_name, company, phone, external_id from leads where id = $1', [
      ana.id,
    ]);
    // Blanks are filled; what the lead already had (company) is kept; the lead keeps its own identity.
    expect(merged).toEqual({ first_name: 'Ana', company: 'Initech', phone: '+33 1 23 45', external_id: null });
    const bob = await lead('M-2');
    expect(bob).toMatchObject({ first_name: 'Bob', title: 'CFO', phone: '+1 555', email_normalized: 'bob@globex.com' });
    expect(await lead('M-3')).toBeUndefined();
    const notes = await db.query<{ record_id: string; subject: string }>(
      `select record_id, subject from activities where workspace_id = $1 order by subject`,
      [workspace.id],
    );
    expect(notes).toEqual([
      { record_id: ana.id, subject: 'Submitted again via chat' },
      { record_id: bob.id, subject: 'Submitted again via referral' },
    ]);
    const [{ n }] = await db.query<{ n: number }>(
      `select count(*)::int as n from leads where workspace_id = $1 and email_normalized in ('ana@initech.com', 'bob@globex.com')`,
      [workspace.id],
    );
    expect(n).toBe(2);
  });

  it('flags a returning email of a disqualified lead for review; imported statuses follow the `new` entry in the history', async () => {
    const { db, workspace, system, lead } = await setup();
    const first = await importCsv(
      db,
      system,
      'leads',
      csv(
        'external_id,email,employees,channel,status,disqualify_reason,created_at',
        'D-1,x@globex.com,30,website,disqualified,no budget,2024-03-01T09:00:00Z',
        'Q-1,q@hooli.com,30,website,qualified,,2024-03-02',
      ),
      { now },
    );
    expect(first).toMatchObject({ inserted: 2 });
    const old = await lead('D-1');
    expect(old).toMatchObject({ status: 'disqualified', disqualify_reason: 'no budget', first_touch_due_at: null });
    const history = (await historyOf(db, workspace.id, 'lead', old.id as string))
      .filter((h) => h.field === 'status')
      .map((h) => ({ field: h.field, from_value: h.from, to_value: h.to, reason: h.reason, changed_at: h.changedAt }));
    expect(history).toEqual([
      { field: 'status', from_value: null, to_value: 'new', reason: null, changed_at: new Date('2024-03-01T09:00:00Z') },
      { field: 'status', from_value: 'new', to_value: 'disqualified', reason: 'no budget', changed_at: now },
    ]);
    expect((await lead('Q-1')).status).toBe('qualified');

    const again = await importCsv(db, system, 'leads', csv('external_id,email,employees,channel', 'D-2,X@Globex.com,30,website'), { now });
    expect(again).toMatchObject({ inserted: 1 });
    expect(again.intake).toMatchObject({ flaggedForReview: 1, merged: 0, routedToRep: 1 });
    expect(await lead('D-2')).toMatchObject({ needs_review: true, duplicate_of: old.id, status: 'new' });
    // The earlier lead is left as it was.
    expect(await lead('D-1')).toMatchObject({ status: 'disqualified', needs_review: false });
    void workspace;
  });

  it('classifies rows without source_type from their channel with the workspace’s channel rules', async () => {
    const { db, principals, system, lead } = await setup();
    // This workspace counts events as outbound prospecting.
    const rules = DEFAULT_CHANNEL_RULES.map((r) =>
      r.channel === 'event' ? { ...r, sourceType: 'spear' as const, direction: 'outbound' as const } : r,
    );
    await updateRoutingSettings(db, principals.admin, { channelRules: rules });
    const r = await importCsv(
      db,
      system,
      'leads',
      csv('external_id,email,channel', 'C-1,a@a1.io,referral', 'C-2,b@b1.io,linkedin', 'C-3,c@c1.io,website', 'C-4,d@d1.io,event'),
      { now },
    );
    expect(r).toMatchObject({ inserted: 4, skipped: 0 });
    const got = await Promise.all(
      ['C-1', 'C-2', 'C-3', 'C-4'].map(async (id) => {
        const l = await lead(id);
        return `${id} ${l.source_type} ${l.direction}`;
      }),
    );
    expect(got).toEqual(['C-1 seed inbound', 'C-2 spear outbound', 'C-3 net inbound', 'C-4 spear outbound']);
    // A given source type wins over the channel rule; the direction still comes from the channel.
    await importCsv(db, system, 'leads', csv('external_id,email,source_type,channel', 'C-5,e@e1.io,net,linkedin'), { now });
    expect(await lead('C-5')).toMatchObject({ source_type: 'net', direction: 'outbound' });
  });

  it('a second run of the same file writes nothing: routed, merged, flagged and updated rows alike', async () => {
    const { db, workspace, users, system } = await setup();
    await importCsv(
      db,
      system,
      'leads',
      csv('external_id,email,channel,status,disqualify_reason', 'OLD-1,gone@initech.com,website,disqualified,spam'),
      { now },
    );
    const file = csv(
      'external_id,email,employees,source_type,channel,owner_email,status',
      'I-1,one@co1.com,40,,website,,',
      'I-2,two@co2.com,40,,website,,working',
      `I-3,three@co3.com,40,,linkedin,${users.sdrA.email},`,
      'I-4,ONE@co1.com,40,,chat,,',
      'I-5,gone@initech.com,40,,website,,',
      'OLD-1,gone@initech.com,40,,website,,disqualified',
    );
    const first = await importCsv(db, system, 'leads', file, { now });
    expect(first).toMatchObject({ rows: 6, inserted: 4, updated: 1, unchanged: 0 });
    expect(first.intake).toEqual({ merged: 1, flaggedForReview: 1, routedToRep: 3, sentToQueue: 0, ownerFromFile: 1 });
    const before = await snapshot(db, workspace.id);

    const second = await importCsv(db, system, 'leads', file, { now: new Date(now.getTime() + 60_000) });
    expect(second).toMatchObject({ rows: 6, inserted: 0, updated: 0, unchanged: 6, skipped: 0 });
    expect(second.intake).toEqual({ merged: 0, flaggedForReview: 0, routedToRep: 0, sentToQueue: 0, ownerFromFile: 0 });
    expect(await snapshot(db, workspace.id)).toEqual(before);
    const log = await db.query<{ action: string }>(
      `select action from audit_log where workspace_id = $1 and action like '%lead%' order by id`,
      [workspace.id],
    );
    expect(log.map((l) => l.action)).toEqual(['import.leads', 'import.leads', 'import.leads']);
  });

  it('updates a lead that another writer stored after the lookups instead of failing or duplicating it', async () => {
    const { db, users, system, lead } = await setup();
    // Stands in for an API intake committing between the import's lookups and its intake call.
    const racing: Db = {
      kind: db.kind,
      query: (sql, params) => db.query(sql, params),
      close: () => db.close(),
      transaction: (fn) =>
        db.transaction((tx) =>
          fn({
            ...tx,
            kind: tx.kind,
            transaction: (inner) => inner(tx),
            query: async (sql, params) => {
              if (sql.includes('from lead_external_aliases'))
                await createLead(tx, system, { externalId: 'RACE-1', email: 'race@co.io', channel: 'chat', ownerId: users.sdrA.id });
              return tx.query(sql, params);
            },
          }),
        ),
    };
    const r = await importCsv(
      racing,
      system,
      'leads',
      csv('external_id,email,first_name,source_type,channel,owner_email', 'RACE-1,race@co.io,Rae,,chat,'),
      { now },
    );
    expect(r).toMatchObject({ inserted: 0, updated: 1 });
    // The file's values are applied; its empty owner and source type cells keep what the lead has.
    expect(await lead('RACE-1')).toMatchObject({ first_name: 'Rae', owner_id: users.sdrA.id, source_type: 'net' });
  });

  it('refuses a new row owned by a deactivated user, naming the cell; a dry run routes, counts and rolls back', async () => {
    const { db, workspace, users, system } = await setup();
    await db.query('update users set active = false where id = $1', [users.sdrA.id]);
    const err = await importCsv(
      db,
      system,
      'leads',
      csv('email,channel,owner_email', `a@x1.io,website,`, `b@x2.io,website,${users.sdrA.email}`),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(ImportRejected);
    expect(err.issues).toEqual([
      { row: 2, line: 3, column: 'owner_email', message: `${users.sdrA.email} is deactivated: a new lead needs an active owner` },
    ]);

    const before = await snapshot(db, workspace.id);
    const dry = await importCsv(
      db,
      system,
      'leads',
      csv('email,employees,channel', 'a@x1.io,50,website', 'b@x2.io,50,website', 'A@X1.io,50,chat'),
      {
        dryRun: true,
        now,
      },
    );
    expect(dry).toMatchObject({ dryRun: true, inserted: 2, rows: 3 });
    expect(dry.intake).toEqual({ merged: 1, flaggedForReview: 0, routedToRep: 2, sentToQueue: 0, ownerFromFile: 0 });
    expect(await snapshot(db, workspace.id)).toEqual(before);
    const [{ n }] = await db.query<{ n: number }>(
      `select count(*)::int as n from audit_log where workspace_id = $1 and action = 'import.leads'`,
      [workspace.id],
    );
    expect(n).toBe(0);
  });
});
