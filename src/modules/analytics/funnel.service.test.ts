import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { seedOrg } from '../../../test/support/fixtures.js';
import type { Db } from '../../db/client.js';
import { funnelReport } from './funnel.service.js';

type Org = Awaited<ReturnType<typeof seedOrg>>;
const NOW = new Date('2026-01-15T12:00:00Z');

/**
 * A golden dataset in a Europe/Paris workspace (UTC+2 until 2025-10-26, UTC+1 after), every timestamp written
 * with its local offset. Durations are whole hours or days so the buckets are exact.
 *
 * L1 sdrA 07-10 09:00, touch +3h, qualified +2d; O1 aeA (sdr sdrA) +5d 10000, won 08-14 (+30d), Acc1 new logo
 * L2 sdrA 08-20 10:00, touch +30m, qualified +1d; O2 aeA (sdr sdrA) 09-01 (+12d) 6000, won 10-20 (+49d), Acc2 new logo
 * L3 aeB 09-05 14:00, first move out of new +1d; O3 aeB 09-10 (+5d) 4000, lost 09-25
 * L4 sdrA 10-01 00:30 local (09-30 22:30 UTC: Q4 in Paris), never touched
 * L5 aeB 11-04 09:00, touch +2h, qualified +1d; O5 aeB 11-10 (+6d) 8000, won 12-01 (+21d), Acc3 new logo
 * O6 aeA no lead, Acc1 (not a new logo), 10-10 12:00 +02 -> won 11-14 12:00 +01 (35d 1h) 2000
 * Visits: v1 (conversation sdrA), v2 (none), v3 (conversation aeB) in Q3; v4 (conversation sdrA) in Q4.
 * ARR: new Acc1 10000 08-14, Acc2 6000 10-20, Acc3 8000 12-01; expansion Acc1 2000 11-14; renewal Acc1 9000 12-15.
 */
async function seedGolden(db: Db, org: Org) {
  const ws = org.workspace.id;
  const { aeA, sdrA, aeB } = org.users;
  const one = async <T>(sql: string, params: unknown[]) => (await db.query<T>(sql, params))[0];
  const account = (name: string, segment: string) =>
    one<{ id: string }>('insert into accounts (workspace_id, name, segment) values ($1, $2, $3) returning id', [ws, name, segment]);
  const lead = (owner: string, segment: string, sourceType: string, createdAt: string, firstTouch: string | null, status: string) =>
    one<{ id: string }>(
      `insert into leads (workspace_id, company, owner_id, segment, source_type, channel, created_at, first_touch_at, status)
       values ($1, 'Co', $2, $3, $4, 'web', $5, $6, $7) returning id`,
      [ws, owner, segment, sourceType, createdAt, firstTouch, status],
    );
  const opp = (o: {
    owner: string;
    sdr?: string;
    lead?: string;
    account: string;
    amount: string;
    stage: string;
    createdAt: string;
    closedAt?: string;
    segment: string;
  }) =>
    one<{ id: string }>(
      `insert into opportunities (workspace_id, name, owner_id, sdr_id, lead_id, account_id, amount, stage, created_at, closed_at, segment, source_type)
       values ($1, 'Deal', $2, $3, $4, $5, $6, $7, $8, $9, $10, 'net') returning id`,
      [ws, o.owner, o.sdr ?? null, o.lead ?? null, o.account, o.amount, o.stage, o.createdAt, o.closedAt ?? null, o.segment],
    );
  const status = (recordId: string, from: string, to: string, at: string) =>
    db.query(
      `insert into status_changes (workspace_id, record_type, record_id, field, from_value, to_value, changed_at)
       values ($1, 'lead', $2, 'status', $3, $4, $5)`,
      [ws, recordId, from, to, at],
    );
  const web = (kind: string, visitor: string, rep: string | null, at: string) =>
    db.query('insert into web_events (workspace_id, kind, visitor_id, rep_id, channel, occurred_at) values ($1, $2, $3, $4, $5, $6)', [
      ws,
      kind,
      visitor,
      rep,
      'web',
      at,
    ]);

  const acc1 = await account('Acc1', 'SMB');
  const acc2 = await account('Acc2', 'SMB');
  const acc3 = await account('Acc3', 'MME');

  const l1 = await lead(sdrA.id, 'SMB', 'net', '2025-07-10T09:00:00+02:00', '2025-07-10T12:00:00+02:00', 'converted');
  await status(l1.id, 'new', 'working', '2025-07-10T12:00:00+02:00');
  await status(l1.id, 'working', 'qualified', '2025-07-12T09:00:00+02:00');
  await opp({ owner: aeA.id, sdr: sdrA.id, lead: l1.id, account: acc1.id, amount: '10000', stage: 'won', segment: 'SMB',
    createdAt: '2025-07-15T09:00:00+02:00', closedAt: '2025-08-14T09:00:00+02:00' }); // biome-ignore format: one deal per call

  const l2 = await lead(sdrA.id, 'SMB', 'net', '2025-08-20T10:00:00+02:00', '2025-08-20T10:30:00+02:00', 'converted');
  await status(l2.id, 'new', 'qualified', '2025-08-21T10:00:00+02:00');
  await opp({
    owner: aeA.id,
    sdr: sdrA.id,
    lead: l2.id,
    account: acc2.id,
    amount: '6000',
    stage: 'won',
    segment: 'SMB',
    createdAt: '2025-09-01T10:00:00+02:00',
    closedAt: '2025-10-20T10:00:00+02:00',
  });

  const l3 = await lead(aeB.id, 'MME', 'seed', '2025-09-05T14:00:00+02:00', null, 'converted');
  await status(l3.id, 'new', 'working', '2025-09-06T14:00:00+02:00');
  await opp({
    owner: aeB.id,
    lead: l3.id,
    account: acc3.id,
    amount: '4000',
    stage: 'lost',
    segment: 'MME',
    createdAt: '2025-09-10T14:00:00+02:00',
    closedAt: '2025-09-25T14:00:00+02:00',
  });

  await lead(sdrA.id, 'SMB', 'spear', '2025-10-01T00:30:00+02:00', null, 'new');

  const l5 = await lead(aeB.id, 'MME', 'seed', '2025-11-04T09:00:00+01:00', '2025-11-04T11:00:00+01:00', 'converted');
  await status(l5.id, 'working', 'qualified', '2025-11-05T09:00:00+01:00');
  await opp({
    owner: aeB.id,
    lead: l5.id,
    account: acc3.id,
    amount: '8000',
    stage: 'won',
    segment: 'MME',
    createdAt: '2025-11-10T09:00:00+01:00',
    closedAt: '2025-12-01T09:00:00+01:00',
  });

  await opp({
    owner: aeA.id,
    account: acc1.id,
    amount: '2000',
    stage: 'won',
    segment: 'SMB',
    createdAt: '2025-10-10T12:00:00+02:00',
    closedAt: '2025-11-14T12:00:00+01:00',
  });

  await web('visit', 'v1', null, '2025-08-01T10:00:00+02:00');
  await web('conversation', 'v1', sdrA.id, '2025-08-01T10:05:00+02:00');
  await web('visit', 'v2', null, '2025-08-02T10:00:00+02:00');
  await web('visit', 'v3', null, '2025-08-03T10:00:00+02:00');
  await web('conversation', 'v3', aeB.id, '2025-08-03T11:00:00+02:00');
  await web('visit', 'v4', null, '2025-10-05T10:00:00+02:00');
  await web('conversation', 'v4', sdrA.id, '2025-10-05T10:10:00+02:00');

  const arr = async (acc: string, kind: string, amount: string, at: string, actor: string) => {
    const sub = await one<{ id: string }>(
      `insert into subscriptions (workspace_id, account_id, arr, start_date) values ($1, $2, $3, $4::timestamptz::date) returning id`,
      [ws, acc, amount, at],
    );
    await db.query(
      'insert into arr_movements (workspace_id, subscription_id, account_id, kind, amount, occurred_at, actor_id) values ($1, $2, $3, $4, $5, $6, $7)',
      [ws, sub.id, acc, kind, amount, at, actor],
    );
  };
  await arr(acc1.id, 'new', '10000', '2025-08-14T09:00:00+02:00', aeA.id);
  await arr(acc2.id, 'new', '6000', '2025-10-20T10:00:00+02:00', aeA.id);
  await arr(acc3.id, 'new', '8000', '2025-12-01T09:00:00+01:00', aeB.id);
  await arr(acc1.id, 'expansion', '2000', '2025-11-14T12:00:00+01:00', aeA.id);
  await arr(acc1.id, 'renewal', '9000', '2025-12-15T10:00:00+01:00', aeA.id);
}

const r = (numerator: number, denominator: number) => ({
  value: Math.round((numerator / denominator) * 10_000) / 10_000,
  numerator,
  denominator,
});
const v = (n: number, medianDays: number, p75Days: number) => ({ n, medianDays, p75Days });
const counts = (c: Partial<Record<string, number>>) => ({
  visitors: 0, conversations: 0, leads: 0, qualified: 0, opportunities: 0, sourced: 0, customers: 0, lost: 0, new_logos: 0,
  bookings_new: 0, bookings_expansion: 0, bookings_renewal: 0, ...c,
}); // biome-ignore format: a table

describeEachDb('funnelReport on a golden dataset', (getDb) => {
  let org: Org;
  const report = (q: Parameters<typeof funnelReport>[2]) => funnelReport(getDb(), org.principals.admin, q, NOW);

  beforeAll(async () => {
    org = await seedOrg(getDb());
    await seedGolden(getDb(), org);
  });

  it('period view, Q3: facts dated by their own day', async () => {
    const t = (await report({ period: '2025-Q3', view: 'period' })).total;
    expect(t.counts).toEqual(
      counts({
        visitors: 3,
        conversations: 2,
        leads: 3,
        qualified: 2,
        opportunities: 3,
        sourced: 2,
        customers: 1,
        lost: 1,
        new_logos: 1,
        bookings_new: 1,
      }),
    );
    expect(t.conversion).toEqual({
      visitorToConversation: r(2, 3),
      conversationToLead: null, // 3 leads > 2 conversations
      visitorToLead: r(3, 3),
      leadToQualified: r(2, 3),
      leadToOpportunity: r(3, 3),
      opportunityToCustomer: r(1, 3),
      leadToCustomer: r(1, 3),
    });
    expect(t.winRate).toEqual(r(1, 2));
    expect(t.velocity).toEqual({
      speedToLead: v(3, 0.13, 1), // 30m (bucket 0), 3h, 1d: median 3h = 0.125 d
      leadToQualified: v(2, 1, 2),
      leadToOpportunity: v(3, 5, 12),
      opportunityToCustomer: v(1, 30, 30),
    });
    expect(t.salesCycleDays).toBe(30);
    expect(t.pipelineCreated).toBe('20000.00');
    expect(t.wonAmount).toBe('10000.00');
    expect(t.averageDealSize).toBe('10000.00');
    expect(t.arpa).toBe('10000.00');
    expect(t.bookings).toEqual({ new: '10000.00', expansion: '0.00', renewal: '0.00', total: '10000.00' });
  });

  it('period view, Q4: the Q3 lead won in Q4 counts here', async () => {
    const rep = await report({ period: '2025-Q4', view: 'period' });
    expect(rep.range).toEqual({ from: '2025-10-01', to: '2025-12-31', label: '2025-Q4' });
    expect(rep.timezone).toBe('Europe/Paris');
    const t = rep.total;
    expect(t.counts).toEqual(
      counts({
        visitors: 1,
        conversations: 1,
        leads: 2,
        qualified: 1,
        opportunities: 2,
        customers: 3,
        new_logos: 2,
        bookings_new: 2,
        bookings_expansion: 1,
        bookings_renewal: 1,
      }),
    );
    expect(t.conversion).toEqual({
      visitorToConversation: r(1, 1),
      conversationToLead: null,
      visitorToLead: null,
      leadToQualified: r(1, 2),
      leadToOpportunity: r(2, 2),
      opportunityToCustomer: null, // 3 wins > 2 deals created
      leadToCustomer: null,
    });
    expect(t.winRate).toEqual(r(3, 3));
    expect(t.velocity).toEqual({
      speedToLead: v(1, 0.08, 0.08), // 2h; L4 was never touched
      leadToQualified: v(1, 1, 1),
      leadToOpportunity: v(1, 6, 6), // O6 has no lead
      opportunityToCustomer: v(3, 35, 49), // 21, 35 (35d 1h), 49
    });
    expect(t.salesCycleDays).toBe(35);
    expect(t.pipelineCreated).toBe('10000.00');
    expect(t.wonAmount).toBe('16000.00');
    expect(t.averageDealSize).toBe('5333.33');
    expect(t.arpa).toBe('7000.00');
    expect(t.bookings).toEqual({ new: '14000.00', expansion: '2000.00', renewal: '9000.00', total: '25000.00' });
  });

  it('cohort view, Q3: deals dated by their lead, so the Q4 win counts in Q3', async () => {
    const t = (await report({ period: '2025-Q3', view: 'cohort' })).total;
    expect(t.counts).toEqual(
      counts({
        visitors: 3,
        conversations: 2,
        leads: 3,
        qualified: 2,
        opportunities: 3,
        sourced: 2,
        customers: 2,
        lost: 1,
        new_logos: 2,
        bookings_new: 1,
      }),
    );
    expect(t.conversion.opportunityToCustomer).toEqual(r(2, 3));
    expect(t.conversion.leadToCustomer).toEqual(r(2, 3));
    expect(t.conversion.leadToOpportunity).toEqual(r(3, 3));
    expect(t.conversion.leadToQualified).toEqual(r(2, 3));
    expect(t.winRate).toEqual(r(2, 3));
    expect(t.velocity).toEqual({
      speedToLead: v(3, 0.13, 1),
      leadToQualified: v(2, 1, 2),
      leadToOpportunity: v(3, 5, 12),
      opportunityToCustomer: v(2, 30, 49),
    });
    expect(t.salesCycleDays).toBe(30);
    expect(t.pipelineCreated).toBe('20000.00');
    expect(t.wonAmount).toBe('16000.00');
    expect(t.averageDealSize).toBe('8000.00');
    expect(t.arpa).toBe('8000.00');
    expect(t.bookings).toEqual({ new: '10000.00', expansion: '0.00', renewal: '0.00', total: '10000.00' });
  });

  it('cohort view, Q4: only journeys that started in Q4', async () => {
    const t = (await report({ period: '2025-Q4', view: 'cohort' })).total;
    expect(t.counts).toEqual(
      counts({
        visitors: 1,
        conversations: 1,
        leads: 2,
        qualified: 1,
        opportunities: 2,
        customers: 2,
        new_logos: 1,
        bookings_new: 2,
        bookings_expansion: 1,
        bookings_renewal: 1,
      }),
    );
    expect(t.conversion.opportunityToCustomer).toEqual(r(2, 2));
    expect(t.conversion.leadToCustomer).toEqual(r(2, 2));
    expect(t.winRate).toEqual(r(2, 2));
    expect(t.velocity).toEqual({
      speedToLead: v(1, 0.08, 0.08),
      leadToQualified: v(1, 1, 1),
      leadToOpportunity: v(1, 6, 6),
      opportunityToCustomer: v(2, 21, 35),
    });
    expect(t.salesCycleDays).toBe(21);
    expect(t.pipelineCreated).toBe('10000.00');
    expect(t.wonAmount).toBe('10000.00');
    expect(t.averageDealSize).toBe('5000.00');
    expect(t.arpa).toBe('8000.00');
    expect(t.bookings.total).toBe('25000.00');
  });

  it('a custom range reads months and edge days alike, in local time', async () => {
    // 2025-09-30..2025-10-01 in Paris: L4 (00:30 on 10-01 local) is in, nothing else is.
    const t = (await report({ from: '2025-09-30', to: '2025-10-01', view: 'period' })).total;
    expect(t.counts.leads).toBe(1);
    const q3plusQ4 = (await report({ from: '2025-07-01', to: '2025-12-31', view: 'period' })).total;
    expect(q3plusQ4.counts).toMatchObject({ leads: 5, opportunities: 5, customers: 4, lost: 1, new_logos: 3 });
    expect(q3plusQ4.velocity.opportunityToCustomer).toEqual(v(4, 30, 35));
  });

  it('groups by rep: closers own deals, SDRs own leads and sourced deals', async () => {
    const rep = await report({ period: '2025-Q3', view: 'period', groupBy: 'rep' });
    const { aeA, sdrA, aeB } = org.users;
    expect(rep.rows.map((x) => [x.key, x.label])).toEqual([
      [aeA.id, 'aeA'],
      [aeB.id, 'aeB'],
      [sdrA.id, 'sdrA'],
      [null, 'Unassigned'],
    ]);
    const [a, b, s, none] = rep.rows.map((x) => x.metrics);
    expect(a.counts).toEqual(counts({ opportunities: 2, customers: 1, new_logos: 1, bookings_new: 1 }));
    expect(a.conversion.opportunityToCustomer).toEqual(r(1, 2));
    expect(a.conversion.leadToOpportunity).toBeNull(); // aeA owns no leads
    expect(a.pipelineCreated).toBe('16000.00');
    expect(a.bookings.new).toBe('10000.00');
    expect(a.velocity.leadToOpportunity).toBeNull(); // lead to opportunity is the lead owner's (the SDR's hand-off speed)
    expect(b.counts).toEqual(counts({ visitors: 1, conversations: 1, leads: 1, opportunities: 1, lost: 1 }));
    expect(b.winRate).toEqual(r(0, 1));
    expect(s.counts).toEqual(counts({ visitors: 1, conversations: 1, leads: 2, qualified: 2, sourced: 2 }));
    expect(s.velocity.speedToLead).toEqual(v(2, 0, 0.13));
    expect(s.velocity.leadToOpportunity).toEqual(v(2, 5, 12));
    expect(none.counts).toEqual(counts({ visitors: 1 }));
    expect(rep.total.counts.visitors).toBe(3);
  });

  it('groups by team', async () => {
    const rep = await report({ period: '2025-Q3', view: 'cohort', groupBy: 'team' });
    const { teamA, teamB } = org.teams;
    expect(rep.rows.map((x) => [x.key, x.label])).toEqual([
      [null, 'No team'],
      [teamA.id, 'Team A'],
      [teamB.id, 'Team B'],
    ]);
    const [none, a, b] = rep.rows.map((x) => x.metrics);
    expect(none.counts).toEqual(counts({ visitors: 1 }));
    expect(a.counts).toEqual(
      counts({
        visitors: 1,
        conversations: 1,
        leads: 2,
        qualified: 2,
        opportunities: 2,
        sourced: 2,
        customers: 2,
        new_logos: 2,
        bookings_new: 1,
      }),
    );
    expect(a.conversion.opportunityToCustomer).toEqual(r(2, 2));
    expect(a.wonAmount).toBe('16000.00');
    expect(b.counts).toEqual(counts({ visitors: 1, conversations: 1, leads: 1, opportunities: 1, lost: 1 }));
    expect(b.winRate).toEqual(r(0, 1));
  });

  it('a team filter narrows the total to that team', async () => {
    const t = (await report({ period: '2025-Q4', view: 'period', teamId: org.teams.teamB.id })).total;
    expect(t.counts).toEqual(counts({ leads: 1, qualified: 1, opportunities: 1, customers: 1, new_logos: 1, bookings_new: 1 }));
    expect(t.arpa).toBe('8000.00');
  });
});
