import { expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { seedOrg } from '../../../test/support/fixtures.js';
import { systemPrincipal } from '../../platform/auth/principal.js';
import { historyOf } from '../crm/records.repo.js';
import { createUser } from '../org/org.service.js';
import { claimLead } from './claim.service.js';
import { intakeLeads } from './intake.service.js';
import { previewRouting, saveRules } from './routing.service.js';

const now = new Date('2026-11-24T10:00:00Z');
const lead = (over: Record<string, unknown> = {}) => ({ sourceType: undefined, channel: 'website' as const, ...over }) as never;

describeEachDb('lead intake pipeline', (getDb) => {
  async function setup() {
    const db = getDb();
    const org = await seedOrg(db);
    const mk = (name: string, segments: ('SMB' | 'MME')[], extra: Record<string, unknown> = {}) =>
      createUser(db, 'system', org.workspace.id, {
        email: `${name}@x${Math.random().toString(36).slice(2)}.test`,
        name,
        roles: ['sdr_inbound'],
        segments,
        ...extra,
      });
    const sdrs = [await mk('s1', ['SMB']), await mk('s2', ['SMB']), await mk('s3', ['SMB']), await mk('m1', ['MME'])];
    await saveRules(db, org.principals.ops, 'intake', [
      { name: 'Existing accounts', enabled: true, conditions: { existingAccount: true }, action: { type: 'account_owner' } },
      {
        name: 'SMB inbound',
        enabled: true,
        conditions: { segments: ['SMB'], sourceTypes: ['net', 'seed'] },
        action: { type: 'pool', pool: { roles: ['sdr_inbound'], segment: 'SMB' } },
      },
      {
        name: 'Spears to triage',
        enabled: true,
        conditions: { sourceTypes: ['spear'] },
        action: { type: 'queue', queue: 'outbound-review' },
      },
    ]);
    return { db, org, sdrs };
  }

  it('classifies from the channel, routes round-robin within one, and falls back to the queue', async () => {
    const { db, org, sdrs } = await setup();
    const inputs = Array.from({ length: 31 }, (_, i) => lead({ email: `p${i}@co${i}.com`, employees: 50 }));
    const out = await intakeLeads(db, org.principals.ops, inputs, now);
    expect(out.every((o) => o.status === 'created')).toBe(true);
    const counts = new Map<string, number>();
    for (const o of out) if (o.status === 'created') counts.set(o.ownerId!, (counts.get(o.ownerId!) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(
      sdrs
        .slice(0, 3)
        .map((s) => s.id)
        .sort(),
    );
    expect(Math.max(...counts.values()) - Math.min(...counts.values())).toBeLessThanOrEqual(1);
    const [spear, mme] = await intakeLeads(
      db,
      org.principals.ops,
      [lead({ channel: 'linkedin', employees: 20 }), lead({ employees: 5000 })],
      now,
    );
    expect(spear).toMatchObject({ status: 'created', sourceType: 'spear', queue: 'outbound-review', ownerId: null });
    expect(mme).toMatchObject({ status: 'created', segment: 'MME', queue: 'triage', ruleId: null });
    const first = out[0].status === 'created' ? out[0] : null;
    // Intake writes no history row per lead: its creation is the lead row (created_at, created_by) and the
    // owner routing gave it is its lead_assignments row (with the rule and the explanation).
    expect(await db.query('select field from status_changes where record_id = $1', [first?.leadId])).toEqual([]);
    const [created] = await db.query('select created_by from leads where id = $1', [first?.leadId]);
    expect(created).toEqual({ created_by: org.users.ops.id });
    const [assignment] = await db.query<{ purpose: string; user_id: string; rule_id: string; explanation: { name: string }[] }>(
      'select purpose, user_id, rule_id, explanation from lead_assignments_explained where lead_id = $1',
      [first?.leadId],
    );
    expect(assignment).toMatchObject({ purpose: 'intake', user_id: first?.ownerId, rule_id: first?.ruleId });
    expect(assignment.explanation.map((e) => e.name)).toEqual(['Existing accounts', 'SMB inbound']);
    // The timeline still shows the lead created as new, and who it went to right after.
    const timeline = await historyOf(db, org.workspace.id, 'lead', first!.leadId);
    expect(timeline.map((h) => [h.field, h.from, h.to, h.reason])).toEqual([
      ['status', null, 'new', null],
      ['owner', null, first?.ownerId, `routing: ${first?.ruleId}`],
    ]);
  });

  it('skips reps out of office or at capacity', async () => {
    const { db, org, sdrs } = await setup();
    await db.query('update users set out_of_office_until = $2 where id = $1', [sdrs[0].id, new Date('2026-12-01T00:00:00Z')]);
    await db.query('update users set capacity = 0 where id = $1', [sdrs[1].id]);
    const out = await intakeLeads(
      db,
      org.principals.ops,
      [lead({ employees: 20, email: 'a@a1.com' }), lead({ employees: 20, email: 'b@b1.com' })],
      now,
    );
    expect(out.map((o) => (o.status === 'created' ? o.ownerId : null))).toEqual([sdrs[2].id, sdrs[2].id]);
  });

  it('is idempotent by external id and merges same-email submissions, never dropping one', async () => {
    const { db, org } = await setup();
    const [first] = await intakeLeads(
      db,
      org.principals.ops,
      [lead({ externalId: 'web-1', email: 'Ana@Initech.com', employees: 40 })],
      now,
    );
    const again = await intakeLeads(
      db,
      org.principals.ops,
      [
        lead({ externalId: 'web-1', email: 'ana@initech.com' }),
        lead({ email: ' ANA@initech.com', phone: '+33 1 23', channel: 'chat' }),
        lead({ email: 'new@initech.com' }),
        lead({ email: 'new@initech.com', title: 'CFO' }),
      ],
      now,
    );
    expect(again.map((o) => o.status)).toEqual(['existing', 'merged', 'created', 'merged']);
    const leadId = first.status === 'created' ? first.leadId : '';
    expect(again[1]).toMatchObject({ leadId });
    const [merged] = await db.query<{ phone: string }>('select phone from leads where id = $1', [leadId]);
    expect(merged.phone).toBe('+33 1 23');
    const notes = await db.query('select subject from activities where record_id = $1', [leadId]);
    expect(notes).toEqual([{ subject: 'Submitted again via chat' }]);
    const [{ n }] = await db.query<{ n: number }>(
      "select count(*)::int as n from leads where workspace_id = $1 and email_normalized = 'ana@initech.com'",
      [org.workspace.id],
    );
    expect(n).toBe(1);
  });

  it('flags a returning email of a closed lead for review and sends existing-account leads to the owner', async () => {
    const { db, org, sdrs } = await setup();
    const [a] = await intakeLeads(db, org.principals.ops, [lead({ email: 'x@globex.com', employees: 30 })], now);
    const aId = a.status === 'created' ? a.leadId : '';
    await db.query("update leads set status = 'disqualified', disqualify_reason = 'no budget' where id = $1", [aId]);
    await db.query("insert into accounts (workspace_id, name, domain_normalized, owner_id) values ($1, 'Globex', 'globex.com', $2)", [
      org.workspace.id,
      org.users.aeA.id,
    ]);
    const [b] = await intakeLeads(db, org.principals.ops, [lead({ email: 'x@globex.com', employees: 30 })], now);
    expect(b).toMatchObject({ status: 'created', needsReview: true, ownerId: org.users.aeA.id });
    const [row] = await db.query<{ duplicate_of: string }>('select duplicate_of from leads where id = $1', [
      b.status === 'created' ? b.leadId : '',
    ]);
    expect(row.duplicate_of).toBe(aId);
    void sdrs;
  });

  it('refuses rule sets with empty pools or unknown users, and previews a lead without writing', async () => {
    const { db, org } = await setup();
    await expect(
      saveRules(db, org.principals.ops, 'intake', [
        { name: 'x', enabled: true, conditions: {}, action: { type: 'pool', pool: { roles: ['esb_ae'] } } },
      ]),
    ).rejects.toMatchObject({ code: 'validation_failed', details: [{ path: 'rules.0.action.pool' }] });
    await expect(
      saveRules(db, org.principals.ops, 'intake', [
        { name: 'x', enabled: true, conditions: {}, action: { type: 'user', userId: '00000000-0000-4000-8000-000000000000' } },
      ]),
    ).rejects.toMatchObject({ details: [{ path: 'rules.0.action.userId' }] });
    await expect(saveRules(db, org.principals.aeA, 'intake', [])).rejects.toMatchObject({ code: 'forbidden' });
    const before = await db.query('select count(*)::int as n from leads where workspace_id = $1', [org.workspace.id]);
    const pv = await previewRouting(db, org.principals.ops, { channel: 'website', employees: 20 }, now);
    expect(pv.decision).toMatchObject({ kind: 'pool', ruleId: expect.any(String) });
    expect(pv.classification).toMatchObject({ segment: 'SMB', sourceType: 'net', direction: 'inbound' });
    expect(pv.pick).toMatchObject({ ok: true });
    expect(await db.query('select count(*)::int as n from leads where workspace_id = $1', [org.workspace.id])).toEqual(before);
  });
  it('shows the creation and the owner each lead got at intake once in its history: given, routed, claimed, or stored before', async () => {
    const { db, org } = await setup();
    const history = async (id: string) =>
      (await historyOf(db, org.workspace.id, 'lead', id)).map((h) => [h.field, h.from, h.to, h.reason, h.actorId]);
    const [given, queued, old] = await intakeLeads(
      db,
      org.principals.ops,
      [
        lead({ email: 'g@given.io', ownerId: org.users.sdrA.id }),
        lead({ email: 'q@queued.io', channel: 'linkedin', employees: 20 }),
        lead({ email: 'o@old.io', ownerId: org.users.sdrA.id }),
      ],
      now,
    );
    const id = (o: typeof given) => (o.status === 'created' ? o.leadId : '');
    const ops = org.users.ops.id;
    // Given with the lead: no routing reason, by whoever created the lead.
    expect(await history(id(given))).toEqual([
      ['status', null, 'new', null, ops],
      ['owner', null, org.users.sdrA.id, null, ops],
    ]);
    // Queued: no owner yet; claiming it later is the first owner change, stored as such.
    expect(await history(id(queued))).toEqual([['status', null, 'new', null, ops]]);
    await claimLead(db, org.principals.sdrA, id(queued));
    expect((await history(id(queued))).filter(([field]) => field === 'owner')).toEqual([
      ['owner', null, org.users.sdrA.id, 'claimed from outbound-review', org.users.sdrA.id],
    ]);
    // A lead taken in before migration 0005 has its `new` and intake owner rows stored, at its creation, by its
    // creator (and no created_by, which came with 0011): each shown once, as stored.
    await db.query('update leads set created_by = null where id = $1', [id(old)]);
    await db.query(
      `insert into status_changes (workspace_id, record_type, record_id, field, from_value, to_value, actor_id, changed_at)
       values ($1, 'lead', $2, 'status', null, 'new', $4, $5), ($1, 'lead', $2, 'owner', null, $3, $4, $5)`,
      [org.workspace.id, id(old), org.users.sdrA.id, ops, now],
    );
    expect(await history(id(old))).toEqual([
      ['status', null, 'new', null, ops],
      ['owner', null, org.users.sdrA.id, null, ops],
    ]);
  });
  it('keeps who created a lead in its history when a user takes it in; none for an API key or the system', async () => {
    const { db, org } = await setup();
    const history = async (id: string) =>
      (await historyOf(db, org.workspace.id, 'lead', id)).map((h) => [h.field, h.to, h.actorId, h.actorName, h.changedAt]);
    const at = new Date('2026-11-20T08:30:00Z');
    const [mine] = await intakeLeads(db, org.principals.sdrA, [lead({ email: 'r@rep.io', createdAt: at.toISOString() })], now);
    const [system] = await intakeLeads(db, systemPrincipal(org.workspace.id), [lead({ email: 's@sys.io', channel: 'linkedin' })], now);
    expect(mine.status === 'created' && (await history(mine.leadId))).toEqual([
      ['status', 'new', org.users.sdrA.id, 'sdrA', at],
      ['owner', org.users.sdrA.id, org.users.sdrA.id, 'sdrA', at],
    ]);
    expect(system.status === 'created' && (await history(system.leadId))).toEqual([['status', 'new', null, null, now]]);
  });
});
