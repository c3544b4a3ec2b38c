import { expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { PASSWORD, principalFor, seedOrg } from '../../../test/support/fixtures.js';
import { claim, finish } from '../../platform/jobs/queue.js';
import { createUser } from '../org/org.service.js';
import { acceptHandoff, handOffLead, sendBackHandoff } from './handoff.service.js';
import { intakeLeads } from './intake.service.js';
import { qualifyLead } from './qualify.service.js';
import { handleHandoffSla, routingJobs } from './routing.jobs.js';

// Tuesday 2026-11-24 10:00 in Paris (the fixture workspace's time zone): inside business hours.
const now = new Date('2026-11-24T09:00:00Z');
const GOOD = { need: 'clear', need_size: 'large', authority: 'decision_maker', budget: 'allocated', timing: 'this_quarter', fit: 'strong' };

describeEachDb('qualification and handoff', (getDb) => {
  async function qualifiedLead() {
    const db = getDb();
    const org = await seedOrg(db);
    const ae2 = await createUser(db, 'system', org.workspace.id, {
      email: `ae2@${org.workspace.slug}.test`,
      name: 'ae2',
      roles: ['ae'],
      segments: ['SMB'],
      teamId: org.teams.teamA.id,
      password: PASSWORD,
    });
    await db.query(`update users set segments = '{SMB}' where id = $1`, [org.users.aeA.id]);
    const [o] = await intakeLeads(
      db,
      org.principals.sdrA,
      [{ email: 'cto@initech.com', company: 'Initech', employees: 60, channel: 'website', ownerId: org.users.sdrA.id } as never],
      now,
    );
    const leadId = o.status === 'created' ? o.leadId : '';
    const weak = await qualifyLead(db, org.principals.sdrA, leadId, { need: 'vague', authority: 'none', fit: 'poor' }, now);
    expect(weak.qualified).toBe(false);
    const good = await qualifyLead(db, org.principals.sdrA, leadId, GOOD, now);
    expect(good).toMatchObject({ qualified: true, score: 18 });
    const [lead] = await db.query<{ status: string; score: number; first_touch_at: Date }>(
      'select status, score, first_touch_at from leads where id = $1',
      [leadId],
    );
    expect(lead).toMatchObject({ status: 'qualified', score: 18 });
    expect(lead.first_touch_at).toBeTruthy();
    return { db, org, leadId, ae2 };
  }

  it('hands a qualified lead to an AE who accepts it: opportunity sourced by the SDR, lead converted', async () => {
    const { db, org, leadId } = await qualifiedLead();
    const r = await handOffLead(db, org.principals.sdrA, leadId, {}, now);
    expect(r.opportunity).toMatchObject({ sdrId: org.users.sdrA.id, stage: 'discovery' });
    // History is stamped with the service's clock, not the database's: analytics and comp read these times.
    const stamps = await db.query<{ to_value: string; changed_at: Date }>(
      "select to_value, changed_at from status_changes where record_id = any($1) and to_value in ('qualified', 'handed_off', 'discovery')",
      [[leadId, r.opportunity.id]],
    );
    expect(stamps.map((x) => x.changed_at.toISOString())).toEqual(stamps.map(() => now.toISOString()));
    expect(stamps).toHaveLength(3);
    // 4 business hours from 10:00 Paris -> 14:00 Paris (13:00Z), warning at 75% -> 13:00 Paris.
    expect(r.handoff.dueAt.toISOString()).toBe('2026-11-24T13:00:00.000Z');
    expect(r.handoff.warnAt.toISOString()).toBe('2026-11-24T12:00:00.000Z');
    // Round-robin between the two SMB AEs of team A: whoever got it answers.
    const ae = r.handoff.aeId === org.users.aeA.id ? org.principals.aeA : await principalFor(db, `ae2@${org.workspace.slug}.test`);
    await expect(acceptHandoff(db, org.principals.aeB, r.handoff.id, now)).rejects.toMatchObject({ code: 'forbidden' });
    await acceptHandoff(db, ae, r.handoff.id, now);
    const [lead] = await db.query<{ status: string }>('select status from leads where id = $1', [leadId]);
    expect(lead.status).toBe('converted');
    await expect(acceptHandoff(db, ae, r.handoff.id, now)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('lets the AE send the lead back with a reason', async () => {
    const { db, org, leadId } = await qualifiedLead();
    const r = await handOffLead(db, org.principals.sdrA, leadId, { aeId: org.users.aeA.id }, now);
    await sendBackHandoff(db, org.principals.aeA, r.handoff.id, 'no budget until next year', now);
    const [lead] = await db.query<{ status: string }>('select status from leads where id = $1', [leadId]);
    const [opp] = await db.query<{ stage: string; lost_reason: string }>('select stage, lost_reason from opportunities where id = $1', [
      r.opportunity.id,
    ]);
    expect(lead.status).toBe('qualified');
    expect(opp).toEqual({ stage: 'lost', lost_reason: 'Sent back to SDR: no budget until next year' });
  });

  it('escalates once when the SLA lapses: reassigned, the manager told', async () => {
    const { db, org, leadId, ae2 } = await qualifiedLead();
    const r = await handOffLead(db, org.principals.sdrA, leadId, { aeId: org.users.aeA.id }, now);
    const later = new Date('2026-11-24T13:00:01Z');
    await handleHandoffSla(db, org.workspace.id, { handoffId: r.handoff.id, phase: 'warn' }, later);
    await handleHandoffSla(db, org.workspace.id, { handoffId: r.handoff.id, phase: 'due' }, later);
    await handleHandoffSla(db, org.workspace.id, { handoffId: r.handoff.id, phase: 'due' }, later);
    const rows = await db.query<{ status: string; ae_id: string }>(
      'select status, ae_id from handoffs where lead_id = $1 order by created_at, status',
      [leadId],
    );
    expect(rows).toHaveLength(2);
    expect(rows.find((x) => x.status === 'escalated')?.ae_id).toBe(org.users.aeA.id);
    const next = rows.find((x) => x.status === 'pending')!;
    expect(next.ae_id).not.toBe(org.users.aeA.id);
    expect([ae2.id]).toContain(next.ae_id);
    const [opp] = await db.query<{ owner_id: string }>('select owner_id from opportunities where id = $1', [r.opportunity.id]);
    expect(opp.owner_id).toBe(next.ae_id);
    const notes = await db.query<{ user_id: string; kind: string }>(
      'select user_id, kind from notifications where workspace_id = $1 and kind <> $2 order by id',
      [org.workspace.id, 'lead_assigned'],
    );
    expect(notes).toContainEqual({ user_id: org.users.managerA.id, kind: 'sla_breach' });
    expect(notes).toContainEqual({ user_id: org.users.aeA.id, kind: 'sla_warning' });
    expect(notes.filter((n) => n.kind === 'sla_breach' && n.user_id === org.users.managerA.id)).toHaveLength(1);
  });

  it('books the SLA timers as jobs that the worker runs', async () => {
    const { db, org, leadId } = await qualifiedLead();
    const r = await handOffLead(db, org.principals.sdrA, leadId, { aeId: org.users.aeA.id }, now);
    const jobs = await db.query<{ payload: { phase: string }; run_at: Date }>(
      "select payload, run_at from jobs where payload->>'handoffId' = $1 order by run_at",
      [r.handoff.id],
    );
    expect(jobs.map((j) => j.payload.phase)).toEqual(['warn', 'due']);
    await db.query(`update jobs set run_at = now() - interval '1 second' where payload->>'handoffId' = $1`, [r.handoff.id]);
    for (const job of await claim(db, Object.keys(routingJobs), 10, 60)) {
      if ((job.payload as { handoffId: string }).handoffId !== r.handoff.id) continue;
      await routingJobs[job.kind](job, db).then(() => finish(db, job, null));
    }
    const [h] = await db.query<{ status: string }>('select status from handoffs where id = $1', [r.handoff.id]);
    expect(h.status).toBe('escalated');
  });
});

describeEachDb('claiming queued leads', (getDb) => {
  it('lets a rep open and claim an unassigned queued lead once; the second claim is refused', async () => {
    const db = getDb();
    const org = await seedOrg(db);
    const { claimLead } = await import('./claim.service.js');
    const { getLead, listLeads } = await import('../crm/leads.service.js');
    const [o] = await intakeLeads(db, org.principals.ops, [{ email: 'q@queue.io', channel: 'website', employees: 5000 } as never], now);
    expect(o).toMatchObject({ status: 'created', ownerId: null, queue: 'triage' });
    const id = o.status === 'created' ? o.leadId : '';
    // Openable by a rep (to claim it), though not in their own lead list.
    expect((await getLead(db, org.principals.sdrA, id)).id).toBe(id);
    expect((await listLeads(db, org.principals.sdrA, { limit: 50, order: 'desc', sort: 'createdAt' })).items).toHaveLength(0);
    const claimed = await claimLead(db, org.principals.sdrA, id);
    expect(claimed).toMatchObject({ ownerId: org.users.sdrA.id, queue: null });
    await expect(claimLead(db, org.principals.aeB, id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(claimLead(db, org.principals.sdrA, id)).rejects.toMatchObject({ code: 'conflict' });
    const [h] = await db.query<{ reason: string }>("select reason from status_changes where record_id = $1 and field = 'owner'", [id]);
    expect(h.reason).toBe('claimed from triage');
  });
});
