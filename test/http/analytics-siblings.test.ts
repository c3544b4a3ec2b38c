import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import { fixedClock } from '../../src/platform/clock.js';
import { buildApp } from '../../src/server/app.js';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

type Client = { get: (url: string) => Promise<Res> };
type Org = Awaited<ReturnType<typeof seedOrg>>;
type Who = 'admin' | 'managerA' | 'managerB' | 'aeA' | 'sdrA' | 'aeB';
// biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON, checked field by field
type Json = any;
type Res = { statusCode: number; body: string; json: () => Json };

/** "Now" for every endpoint: days in stage and the trailing window of bounds depend on it. */
const NOW = '2026-01-15T12:00:00Z';
const API = '/api/v1/analytics';
const MEASURES = ['leads', 'qualified', 'opportunities', 'sourced', 'customers', 'lost', 'new_logos'] as const;
const VIEWS = ['period', 'cohort'] as const;
const TRANSITIONS = {
  speed_to_lead: 'speedToLead',
  lead_to_qualified: 'leadToQualified',
  lead_to_opportunity: 'leadToOpportunity',
  opportunity_to_customer: 'opportunityToCustomer',
} as const;

/**
 * testApp (test/support/http.ts) takes no clock, so the same app is built here with a pinned one: open-deal
 * days and the bounds window are then exact instead of "within a day of Date.now()". Logins go through a
 * testApp on the real clock: a session issued at a pinned past "now" is already expired for the database's
 * now(), which checks it.
 */
async function appAt(db: Db, now: string): Promise<FastifyInstance> {
  const app = await buildApp({ db, config: { ...loadConfig({}), loginRateLimit: 1000 }, clock: fixedClock(now) });
  await app.ready();
  return app;
}

/** Reads from `app` with the session a real login on `loginApp` gave. */
async function clientOf(loginApp: FastifyInstance, app: FastifyInstance, email: string): Promise<Client> {
  const { session } = await loginAs(loginApp, email);
  return { get: (url) => app.inject({ method: 'GET', url, cookies: { revline_session: session } }) };
}

/**
 * A Europe/Paris workspace (UTC+2 until 2025-10-26, UTC+1 after); each timestamp carries its local offset.
 *
 * Leads (owner segment source, created; first touch; qualification):
 *   L1 sdrA SMB net 07-10 (touch +3h, qualified 07-12)      L2 sdrA SMB net 08-20 (touch +30m, qualified 08-21)
 *   L3 aeB MME seed 09-05 (first move out of new +1d)        L4 sdrA SMB spear 10-01 00:30 local (09-30 UTC)
 *   L5 aeB MME seed 11-04 (touch +2h, qualified 11-05)       L7 sdrA ESB spear 09-15 (qualified 09-16, again 10-02)
 *   L8 aeA ESB net 09-01 01:00 local (08-31 UTC; touch +2h, qualified 09-01)
 *   L9 unassigned SMB net 08-05   L10 sdrA MME net 08-11   L11 aeB MME spear 11-20   L13 sdrA SMB seed 08-27 (touch +5d)
 *   L14 aeA SMB net 09-20         L16 sdrA SMB net 09-28 (qualified 10-03: Q4 in the period view, Q3 in the cohort one)
 * Deals (owner / sdr, lead, account, amount, stage, created -> closed):
 *   O1 aeA/sdrA L1 Acc1 10000 won 07-15 -> 08-14     O2 aeA/sdrA L2 Acc2 6000 won 09-01 -> 10-20
 *   O3 aeB L3 Acc3 4000 lost 09-10 -> 09-25          O5 aeB L5 Acc3 8000 won 11-10 -> 12-01 (a new logo: O3 was lost)
 *   O6 aeA no lead Acc1 2000 won 10-10 -> 11-14 (Acc1 already won: not a new logo)
 *   O7 aeA/sdrA L7 Acc4 3000 lost 10-05 -> 11-20     O8 aeA L8 Acc4 1500 won 09-03 -> 10-01 00:15 local (09-30 UTC)
 *   O13 aeA/sdrA L13 Acc5 5000 won 09-05 -> 09-30 23:30 local
 *   open: D1 aeA trial (last stage change 2025-12-20 18:00Z), D2 aeB discovery (created 2026-01-05 00:00Z, no change),
 *         D3 aeA/sdrA L16 proposal (last stage change 2026-01-14 13:00Z)
 * Leads per rep and local month: sdrA Jul 1, Aug 3, Sep 2, Oct 1; aeA Sep 2; aeB Sep 1, Nov 2.
 */
async function seed(db: Db, org: Org) {
  const ws = org.workspace.id;
  const { aeA, sdrA, aeB } = org.users;
  const one = async (sql: string, params: unknown[]) => (await db.query<{ id: string }>(sql, params))[0].id;
  const account = (name: string, segment: string) =>
    one('insert into accounts (workspace_id, name, segment) values ($1, $2, $3) returning id', [ws, name, segment]);
  const lead = (owner: string | null, segment: string, source: string, channel: string, createdAt: string, touch: string | null = null) =>
    one(
      `insert into leads (workspace_id, company, owner_id, segment, source_type, channel, created_at, first_touch_at)
       values ($1, 'Co', $2, $3, $4, $5, $6, $7) returning id`,
      [ws, owner, segment, source, channel, createdAt, touch],
    );
  const status = (leadId: string, from: string, to: string, at: string) =>
    db.query(
      `insert into status_changes (workspace_id, record_type, record_id, field, from_value, to_value, changed_at)
       values ($1, 'lead', $2, 'status', $3, $4, $5)`,
      [ws, leadId, from, to, at],
    );
  const stage = (oppId: string, from: string, to: string, at: string) =>
    db.query(
      `insert into status_changes (workspace_id, record_type, record_id, field, from_value, to_value, changed_at)
       values ($1, 'opportunity', $2, 'stage', $3, $4, $5)`,
      [ws, oppId, from, to, at],
    );
  const opp = (o: {
    name: string;
    owner: string;
    sdr?: string;
    lead?: string;
    account: string;
    amount: string;
    stage: string;
    segment: string;
    source: string;
    createdAt: string;
    closedAt?: string;
  }) =>
    one(
      `insert into opportunities (workspace_id, name, owner_id, sdr_id, lead_id, account_id, amount, stage, created_at, closed_at, segment, source_type)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id`,
      [
        ws,
        o.name,
        o.owner,
        o.sdr ?? null,
        o.lead ?? null,
        o.account,
        o.amount,
        o.stage,
        o.createdAt,
        o.closedAt ?? null,
        o.segment,
        o.source,
      ],
    );

  const acc1 = await account('Acc1', 'SMB');
  const acc2 = await account('Acc2', 'SMB');
  const acc3 = await account('Acc3', 'MME');
  const acc4 = await account('Acc4', 'ESB');
  const acc5 = await account('Acc5', 'SMB');

  const l1 = await lead(sdrA.id, 'SMB', 'net', 'web', '2025-07-10T09:00:00+02:00', '2025-07-10T12:00:00+02:00');
  await status(l1, 'new', 'working', '2025-07-10T12:00:00+02:00');
  await status(l1, 'working', 'qualified', '2025-07-12T09:00:00+02:00');
  const l2 = await lead(sdrA.id, 'SMB', 'net', 'chat', '2025-08-20T10:00:00+02:00', '2025-08-20T10:30:00+02:00');
  await status(l2, 'new', 'qualified', '2025-08-21T10:00:00+02:00');
  const l3 = await lead(aeB.id, 'MME', 'seed', 'referral', '2025-09-05T14:00:00+02:00');
  await status(l3, 'new', 'working', '2025-09-06T14:00:00+02:00');
  await lead(sdrA.id, 'SMB', 'spear', 'linkedin', '2025-10-01T00:30:00+02:00');
  const l5 = await lead(aeB.id, 'MME', 'seed', 'referral', '2025-11-04T09:00:00+01:00', '2025-11-04T11:00:00+01:00');
  await status(l5, 'working', 'qualified', '2025-11-05T09:00:00+01:00');
  const l7 = await lead(sdrA.id, 'ESB', 'spear', 'linkedin', '2025-09-15T10:00:00+02:00', '2025-09-16T10:00:00+02:00');
  await status(l7, 'new', 'qualified', '2025-09-16T10:00:00+02:00');
  await status(l7, 'qualified', 'working', '2025-09-20T10:00:00+02:00');
  await status(l7, 'working', 'qualified', '2025-10-02T10:00:00+02:00');
  const l8 = await lead(aeA.id, 'ESB', 'net', 'chat', '2025-09-01T01:00:00+02:00', '2025-09-01T03:00:00+02:00');
  await status(l8, 'new', 'qualified', '2025-09-01T09:00:00+02:00');
  await lead(null, 'SMB', 'net', 'web', '2025-08-05T10:00:00+02:00');
  await lead(sdrA.id, 'MME', 'net', 'web', '2025-08-11T10:00:00+02:00');
  await lead(aeB.id, 'MME', 'spear', 'linkedin', '2025-11-20T10:00:00+01:00');
  const l13 = await lead(sdrA.id, 'SMB', 'seed', 'chat', '2025-08-27T10:00:00+02:00', '2025-09-01T10:00:00+02:00');
  await lead(aeA.id, 'SMB', 'net', 'web', '2025-09-20T10:00:00+02:00');
  const l16 = await lead(sdrA.id, 'SMB', 'net', 'web', '2025-09-28T10:00:00+02:00');
  await status(l16, 'new', 'qualified', '2025-10-03T10:00:00+02:00');

  const won = { stage: 'won' };
  const lost = { stage: 'lost' };
  await opp({ name: 'O1', owner: aeA.id, sdr: sdrA.id, lead: l1, account: acc1, amount: '10000', ...won, segment: 'SMB', source: 'net',
    createdAt: '2025-07-15T09:00:00+02:00', closedAt: '2025-08-14T09:00:00+02:00' }); // biome-ignore format: one deal a line
  await opp({ name: 'O2', owner: aeA.id, sdr: sdrA.id, lead: l2, account: acc2, amount: '6000', ...won, segment: 'SMB', source: 'net',
    createdAt: '2025-09-01T10:00:00+02:00', closedAt: '2025-10-20T10:00:00+02:00' }); // biome-ignore format: one deal a line
  await opp({ name: 'O3', owner: aeB.id, lead: l3, account: acc3, amount: '4000', ...lost, segment: 'MME', source: 'seed',
    createdAt: '2025-09-10T14:00:00+02:00', closedAt: '2025-09-25T14:00:00+02:00' }); // biome-ignore format: one deal a line
  await opp({ name: 'O5', owner: aeB.id, lead: l5, account: acc3, amount: '8000', ...won, segment: 'MME', source: 'seed',
    createdAt: '2025-11-10T09:00:00+01:00', closedAt: '2025-12-01T09:00:00+01:00' }); // biome-ignore format: one deal a line
  await opp({ name: 'O6', owner: aeA.id, account: acc1, amount: '2000', ...won, segment: 'SMB', source: 'net',
    createdAt: '2025-10-10T12:00:00+02:00', closedAt: '2025-11-14T12:00:00+01:00' }); // biome-ignore format: one deal a line
  await opp({ name: 'O7', owner: aeA.id, sdr: sdrA.id, lead: l7, account: acc4, amount: '3000', ...lost, segment: 'ESB', source: 'spear',
    createdAt: '2025-10-05T10:00:00+02:00', closedAt: '2025-11-20T10:00:00+01:00' }); // biome-ignore format: one deal a line
  await opp({ name: 'O8', owner: aeA.id, lead: l8, account: acc4, amount: '1500', ...won, segment: 'ESB', source: 'net',
    createdAt: '2025-09-03T10:00:00+02:00', closedAt: '2025-10-01T00:15:00+02:00' }); // biome-ignore format: one deal a line
  await opp({ name: 'O13', owner: aeA.id, sdr: sdrA.id, lead: l13, account: acc5, amount: '5000', ...won, segment: 'SMB', source: 'seed',
    createdAt: '2025-09-05T10:00:00+02:00', closedAt: '2025-09-30T23:30:00+02:00' }); // biome-ignore format: one deal a line

  const d1 = await opp({ name: 'D1', owner: aeA.id, account: acc2, amount: '7000', stage: 'trial', segment: 'SMB', source: 'net',
    createdAt: '2025-11-20T10:00:00+01:00' }); // biome-ignore format: one deal a line
  // The later change is written first: days in stage must come from the latest change, not the last row.
  await stage(d1, 'proposal', 'trial', '2025-12-20T19:00:00+01:00');
  await stage(d1, 'discovery', 'proposal', '2025-12-01T10:00:00+01:00');
  await opp({ name: 'D2', owner: aeB.id, account: acc3, amount: '9000', stage: 'discovery', segment: 'MME', source: 'seed',
    createdAt: '2026-01-05T01:00:00+01:00' }); // biome-ignore format: one deal a line
  const d3 = await opp({ name: 'D3', owner: aeA.id, sdr: sdrA.id, lead: l16, account: acc5, amount: '2500', stage: 'proposal',
    segment: 'SMB', source: 'net', createdAt: '2025-12-10T10:00:00+01:00' }); // biome-ignore format: one deal a line
  await stage(d3, 'discovery', 'proposal', '2026-01-14T14:00:00+01:00');
}

/** Another workspace with bigger numbers in the same months: none of it may show up. */
async function seedOther(db: Db, other: Org) {
  const ws = other.workspace.id;
  for (let i = 1; i <= 5; i++)
    await db.query(
      `insert into leads (workspace_id, company, owner_id, segment, source_type, channel, created_at) values ($1, 'X', $2, 'SMB', 'net', 'web', $3)`,
      [ws, other.users.aeA.id, `2025-08-0${i}T10:00:00+02:00`],
    );
  for (const [stage, closedAt] of [
    ['won', '2025-08-20T10:00:00+02:00'],
    ['trial', null],
  ])
    await db.query(
      `insert into opportunities (workspace_id, name, owner_id, amount, stage, created_at, closed_at, segment, source_type)
       values ($1, 'Other', $2, '50000', $3, '2025-08-10T10:00:00+02:00', $4, 'SMB', 'net')`,
      [ws, other.users.aeA.id, stage, closedAt],
    );
}

const ok = (res: Res) => {
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const refused = (res: Res, status: number, path: string) => {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().error.details?.map((d: { path: string }) => d.path)).toContain(path);
};

describeEachDb('HTTP analytics: records, trend, velocity, coaching, bounds, open deals', (getDb) => {
  let app: FastifyInstance;
  let org: Org;
  let other: Org;
  let as: Record<Who, Client>;
  const ids = () => ({ aeA: org.users.aeA.id, sdrA: org.users.sdrA.id, aeB: org.users.aeB.id });

  beforeAll(async () => {
    const db = getDb();
    org = await seedOrg(db);
    other = await seedOrg(db);
    await seed(db, org);
    await seedOther(db, other);
    app = await appAt(db, NOW);
    const loginApp = await testApp(db);
    as = {} as typeof as;
    for (const k of ['admin', 'managerA', 'managerB', 'aeA', 'sdrA', 'aeB'] as const)
      as[k] = await clientOf(loginApp, app, org.users[k].email);
    await loginApp.close();
  });
  afterAll(() => app?.close());

  describe('/analytics/records', () => {
    const count = async (c: Client, q: string, measure: string) => {
      const body = ok(await c.get(`${API}/records?${q}&measure=${measure}`));
      expect(body.truncated).toBe(false);
      return body.items as { repId: string | null; segment: string | null; sourceType: string | null }[];
    };

    it("lists, per rep, as many records as the rep's count in the funnel, for every measure, view and quarter", async () => {
      let nonZero = 0;
      for (const period of ['2025-Q3', '2025-Q4'])
        for (const view of VIEWS) {
          const q = `period=${period}&view=${view}`;
          const funnel = ok(await as.admin.get(`${API}/funnel?${q}&groupBy=rep`));
          const byRep = new Map<string | null, Record<string, number>>(
            funnel.rows.map((r: { key: string | null; metrics: { counts: Record<string, number> } }) => [r.key, r.metrics.counts]),
          );
          for (const measure of MEASURES) {
            for (const id of Object.values(ids())) {
              const items = await count(as.admin, `${q}&repId=${id}`, measure);
              expect(items.length, `${period} ${view} ${measure} ${id}`).toBe(byRep.get(id)?.[measure] ?? 0);
              expect(items.every((i) => i.repId === id)).toBe(true);
              if (items.length > 0) nonZero++;
            }
            // Unfiltered, unassigned records included: the workspace total, and nothing from the other workspace.
            expect((await count(as.admin, q, measure)).length, `${period} ${view} ${measure} total`).toBe(funnel.total.counts[measure]);
          }
        }
      expect(nonZero).toBeGreaterThan(30);
    });

    it('matches hand-counted numbers at the edges of the local quarter', async () => {
      const n = async (q: string, measure: string, rep: keyof ReturnType<typeof ids>) =>
        (await count(as.admin, `${q}&repId=${ids()[rep]}`, measure)).length;
      // O13 closed 09-30 23:30 local (Q3); O8 closed 10-01 00:15 local (09-30 22:15 UTC, still Q4).
      expect(await n('period=2025-Q3&view=period', 'customers', 'aeA')).toBe(2);
      expect(await n('period=2025-Q4&view=period', 'customers', 'aeA')).toBe(3);
      // L7 is qualified twice (Q3, then Q4): counted once, in Q3. L16 is qualified in Q4 but created in Q3.
      expect(await n('period=2025-Q3&view=period', 'qualified', 'sdrA')).toBe(3);
      expect(await n('period=2025-Q4&view=period', 'qualified', 'sdrA')).toBe(1);
      expect(await n('period=2025-Q3&view=cohort', 'qualified', 'sdrA')).toBe(4);
      // L4 (10-01 00:30 local, 09-30 UTC) is a Q4 lead; L8 (09-01 01:00 local) a September one.
      expect(await n('period=2025-Q4&view=period', 'leads', 'sdrA')).toBe(1);
      expect(await n('period=2025-09&view=period', 'leads', 'aeA')).toBe(2);
      // Sourced deals belong to the SDR: O1, O2, O13 created in Q3 (O7 and D3 in Q4).
      expect(await n('period=2025-Q3&view=period', 'sourced', 'sdrA')).toBe(3);
      expect(await n('period=2025-Q3&view=cohort', 'sourced', 'sdrA')).toBe(5);
      expect(await n('period=2025-Q3&view=period', 'new_logos', 'aeA')).toBe(2);
    });

    it('gives a rep their own records, the same count as their own funnel', async () => {
      for (const who of ['aeA', 'sdrA', 'aeB'] as const)
        for (const view of VIEWS) {
          const q = `period=2025-Q3&view=${view}`;
          const funnel = ok(await as[who].get(`${API}/funnel?${q}`));
          for (const measure of MEASURES) {
            const items = await count(as[who], q, measure);
            expect(items.length, `${who} ${view} ${measure}`).toBe(funnel.total.counts[measure]);
            expect(items.every((i) => i.repId === ids()[who])).toBe(true);
          }
        }
    });

    it('narrows records and funnel the same way with segment and source type filters', async () => {
      const range = 'from=2025-07-01&to=2025-12-31';
      const filters = [
        ['segment', ['SMB', 'MME', 'ESB']],
        ['sourceType', ['seed', 'net', 'spear']],
      ] as const;
      for (const view of VIEWS)
        for (const measure of MEASURES) {
          const all = (await count(as.admin, `${range}&view=${view}`, measure)).length;
          for (const [field, values] of filters) {
            let sum = 0;
            for (const value of values) {
              const q = `${range}&view=${view}&${field}=${value}`;
              const funnel = ok(await as.admin.get(`${API}/funnel?${q}`));
              const items = await count(as.admin, q, measure);
              expect(items.length, `${view} ${measure} ${field}=${value}`).toBe(funnel.total.counts[measure]);
              expect(items.every((i) => i[field] === value)).toBe(true);
              sum += items.length;
            }
            // Every seeded record has a segment and a source type: the filters partition the total.
            expect(sum, `${view} ${measure} by ${field}`).toBe(all);
          }
        }
      // A filter really narrows: 13 leads in H2, 7 of them SMB, 3 seed; combined with a rep, too.
      expect((await count(as.admin, `${range}&view=period`, 'leads')).length).toBe(13);
      expect((await count(as.admin, `${range}&view=period&segment=SMB`, 'leads')).length).toBe(7);
      expect((await count(as.admin, `${range}&view=period&sourceType=seed`, 'leads')).length).toBe(3);
      const q = `${range}&view=period&segment=SMB&repId=${ids().sdrA}`;
      expect((await count(as.admin, q, 'leads')).length).toBe(ok(await as.admin.get(`${API}/funnel?${q}`)).total.counts.leads);
    });

    it("refuses a rep asking for another rep's records, and an unknown or missing measure", async () => {
      refused(await as.aeA.get(`${API}/records?period=2025-Q3&measure=leads&repId=${ids().sdrA}`), 403, 'repId');
      refused(await as.aeA.get(`${API}/records?period=2025-Q3&measure=leads&repId=${ids().aeB}`), 403, 'repId');
      refused(await as.managerB.get(`${API}/records?period=2025-Q3&measure=leads&teamId=${org.teams.teamA.id}`), 403, 'teamId');
      refused(await as.admin.get(`${API}/records?period=2025-Q3&measure=leads&repId=${other.users.aeA.id}`), 404, 'repId');
      for (const url of [`${API}/records?period=2025-Q3&measure=visitors`, `${API}/records?period=2025-Q3`]) {
        const res = await as.admin.get(url);
        refused(res, 400, 'measure');
        expect(res.json().error.code).toBe('validation_failed');
      }
      expect((await as.managerA.get(`${API}/records?period=2025-Q3&measure=leads&repId=${ids().sdrA}`)).statusCode).toBe(200);
    });
  });

  describe('/analytics/trend', () => {
    const pick: Record<string, (t: Json) => unknown> = {
      leads: (t) => t.counts.leads,
      qualified: (t) => t.counts.qualified,
      opportunities: (t) => t.counts.opportunities,
      customers: (t) => t.counts.customers,
      leadToOpportunity: (t) => t.conversion.leadToOpportunity?.value ?? null,
      winRate: (t) => t.winRate?.value ?? null,
      salesCycleDays: (t) => t.salesCycleDays,
      wonAmount: (t) => t.wonAmount,
      pipelineCreated: (t) => t.pipelineCreated,
    };

    it('gives monthly points over a custom range, each equal to the funnel of that month', async () => {
      const months = ['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12'];
      for (const view of VIEWS)
        for (const [metric, value] of Object.entries(pick)) {
          const body = ok(await as.admin.get(`${API}/trend?from=2025-07-01&to=2025-12-31&interval=month&view=${view}&metric=${metric}`));
          expect(body.intervals).toEqual(months);
          expect(body.series).toHaveLength(1);
          for (const [i, month] of months.entries()) {
            const funnel = ok(await as.admin.get(`${API}/funnel?period=${month}&view=${view}`));
            expect(body.series[0].points[i], `${view} ${metric} ${month}`).toEqual({ period: month, value: value(funnel.total) });
          }
        }
      const leads = ok(await as.admin.get(`${API}/trend?from=2025-07-01&to=2025-12-31&metric=leads&view=period`));
      expect(leads.series[0].points.map((p: { value: number }) => p.value)).toEqual([1, 4, 5, 1, 2, 0]);
    });

    it('clips the first and last month to the range, like the funnel of the same days', async () => {
      const clipped = [
        ['2025-07', '2025-07-15', '2025-07-31'],
        ['2025-08', '2025-08-01', '2025-08-31'],
        ['2025-09', '2025-09-01', '2025-09-30'],
        ['2025-10', '2025-10-01', '2025-10-10'],
      ];
      for (const metric of ['leads', 'customers', 'wonAmount']) {
        const body = ok(await as.admin.get(`${API}/trend?from=2025-07-15&to=2025-10-10&metric=${metric}&view=period`));
        expect(body.intervals).toEqual(clipped.map((c) => c[0]));
        for (const [i, [, from, to]] of clipped.entries()) {
          const funnel = ok(await as.admin.get(`${API}/funnel?from=${from}&to=${to}&view=period`));
          expect(body.series[0].points[i].value, `${metric} ${from}`).toEqual(pick[metric](funnel.total));
        }
      }
    });

    it('gives a rep a series of their own only, equal to their own funnel', async () => {
      const body = ok(await as.sdrA.get(`${API}/trend?from=2025-07-01&to=2025-12-31&metric=leads&groupBy=rep&view=period`));
      expect(body.series.map((s: { key: string }) => s.key)).toEqual([ids().sdrA]);
      expect(body.series[0].points.map((p: { value: number }) => p.value)).toEqual([1, 3, 2, 1, 0, 0]);
      expect(body.series[0].label).toBe('sdrA');
      for (const id of [ids().aeA, ids().aeB]) expect(JSON.stringify(body)).not.toContain(id);
      const mine = ok(await as.aeB.get(`${API}/trend?from=2025-07-01&to=2025-12-31&metric=leads&view=period`));
      expect(mine.series[0].points.map((p: { value: number }) => p.value)).toEqual([0, 0, 1, 0, 2, 0]);
    });

    it('refuses an unknown or missing metric, and another rep', async () => {
      for (const url of [`${API}/trend?metric=revenue`, `${API}/trend?period=2025-Q3`]) refused(await as.admin.get(url), 400, 'metric');
      refused(await as.aeA.get(`${API}/trend?metric=leads&repId=${ids().aeB}`), 403, 'repId');
      refused(await as.admin.get(`${API}/trend?metric=leads&interval=day`), 400, 'interval');
    });
  });

  describe('/analytics/velocity', () => {
    it('gives bins that add up to n, with the n and median of the funnel', async () => {
      let groups = 0;
      for (const period of ['2025-Q3', '2025-Q4'])
        for (const view of VIEWS)
          for (const [transition, key] of Object.entries(TRANSITIONS))
            for (const groupBy of ['none', 'rep']) {
              const q = `period=${period}&view=${view}&groupBy=${groupBy}`;
              const body = ok(await as.admin.get(`${API}/velocity?${q}&transition=${transition}`));
              const funnel = ok(await as.admin.get(`${API}/funnel?${q}`));
              const rows: { key: string | null; metrics: Json }[] = groupBy === 'none' ? [{ key: '', metrics: funnel.total }] : funnel.rows;
              const expected = rows.filter((r) => r.metrics.velocity[key]).map((r) => [r.key, r.metrics.velocity[key]]);
              expect(body.bins).toHaveLength(8);
              expect(body.groups.map((g: { key: string }) => g.key).sort()).toEqual(expected.map(([k]) => k).sort());
              for (const g of body.groups) {
                const what = `${period} ${view} ${transition} ${groupBy} ${g.key}`;
                expect(
                  g.counts.reduce((a: number, b: number) => a + b, 0),
                  what,
                ).toBe(g.n);
                const v = Object.fromEntries(expected)[g.key];
                expect({ n: g.n, medianDays: g.medianDays, p75Days: g.p75Days }, what).toEqual(v);
                groups++;
              }
            }
      expect(groups).toBeGreaterThan(20);
    });

    it('bins hand-checked durations: speed to lead in Q3', async () => {
      // L1 3h, L2 30m, L8 2h; L3 1d (first move out of new), L7 1d; L13 5d, L16 5d (first move out of new).
      const body = ok(await as.admin.get(`${API}/velocity?period=2025-Q3&view=period&transition=speed_to_lead`));
      expect(body.groups).toHaveLength(1);
      expect(body.groups[0]).toMatchObject({ n: 7, counts: [3, 2, 2, 0, 0, 0, 0, 0], medianDays: 1, p75Days: 5 });
      refused(await as.admin.get(`${API}/velocity?period=2025-Q3&transition=lead_to_lunch`), 400, 'transition');
      refused(await as.sdrA.get(`${API}/velocity?period=2025-Q3&transition=speed_to_lead&repId=${ids().aeB}`), 403, 'repId');
    });
  });

  describe('/analytics/coaching', () => {
    it('gives a rep their own card when repId is omitted, and refuses them another rep', async () => {
      const mine = ok(await as.aeA.get(`${API}/coaching?period=2025-Q3`));
      expect(mine.rep).toEqual({ id: ids().aeA, name: 'aeA', role: 'ae' });
      expect(mine.peers).toEqual([{ id: ids().aeB, name: 'aeB' }]);
      expect(mine.minN).toBe(20);
      expect(ok(await as.aeA.get(`${API}/coaching?period=2025-Q3&repId=${ids().aeA}`)).rep.id).toBe(ids().aeA);
      refused(await as.aeA.get(`${API}/coaching?period=2025-Q3&repId=${ids().aeB}`), 403, 'repId');
      refused(await as.aeA.get(`${API}/coaching?period=2025-Q3&repId=${ids().sdrA}`), 403, 'repId');
    });

    it("lets a manager read their team's reps only, and answers 404 for another workspace's rep", async () => {
      expect(ok(await as.managerA.get(`${API}/coaching?period=2025-Q3&repId=${ids().aeA}`)).rep.id).toBe(ids().aeA);
      expect(ok(await as.managerA.get(`${API}/coaching?period=2025-Q3&repId=${ids().sdrA}`)).rep.role).toBe('sdr_inbound');
      refused(await as.managerA.get(`${API}/coaching?period=2025-Q3&repId=${ids().aeB}`), 403, 'repId');
      refused(await as.managerA.get(`${API}/coaching?period=2025-Q3&repId=${other.users.aeA.id}`), 404, 'repId');
      refused(await as.admin.get(`${API}/coaching?period=2025-Q3&repId=${other.users.aeA.id}`), 404, 'repId');
      refused(await as.aeA.get(`${API}/coaching?period=2025-Q3&repId=${other.users.aeA.id}`), 404, 'repId');
    });

    it('holds back every metric with fewer than minN cases', async () => {
      // aeA, cohort view, Q3: deals O1 O2 O7 O8 O13 D3 (6), won 4, lost 1, 4 wins with a cycle, 2 leads of their own.
      const reasons = async (minN: number) => {
        const body = ok(await as.aeA.get(`${API}/coaching?period=2025-Q3&minN=${minN}`));
        expect(body.minN).toBe(minN);
        expect(body.insights).toEqual([]); // a single peer: never enough for a comparison
        return Object.fromEntries(body.inconclusive.map((x: { metric: string; reason: string; n: number }) => [x.metric, x]));
      };
      const few = await reasons(5);
      expect(few.opportunityToCustomer).toMatchObject({ n: 6, reason: 'fewer than two comparable reps with enough cases' });
      expect(few.winRate).toMatchObject({ n: 5, reason: 'fewer than two comparable reps with enough cases' });
      expect(few.salesCycleDays).toMatchObject({ n: 4, reason: 'too few cases (n=4, at least 5 needed)' });
      expect(few.leadToQualified).toMatchObject({ n: 2, reason: 'too few cases (n=2, at least 5 needed)' });
      const more = await reasons(6);
      expect(more.opportunityToCustomer.reason).toBe('fewer than two comparable reps with enough cases');
      expect(more.winRate.reason).toBe('too few cases (n=5, at least 6 needed)');
      refused(await as.aeA.get(`${API}/coaching?minN=0`), 400, 'minN');
    });

    it("lists a manager's team only on /coaching/team", async () => {
      const names = async (c: Client) =>
        ok(await c.get(`${API}/coaching/team?period=2025-Q3`)).reps.map((r: { rep: { name: string } }) => r.rep.name);
      expect(await names(as.managerA)).toEqual(['aeA', 'sdrA']);
      expect(await names(as.managerB)).toEqual(['aeB']);
      expect(await names(as.admin)).toEqual(['aeA', 'aeB', 'sdrA']);
      expect(await names(as.aeA)).toEqual(['aeA']);
    });
  });

  describe('/analytics/bounds', () => {
    it("finds each rep's and team's best month, hand-computed, in local months", async () => {
      const body = ok(await as.admin.get(`${API}/bounds?metric=leads`));
      expect(body.range).toEqual({ from: '2024-02-01', to: '2026-01-31', label: '2024-02..2026-01' });
      expect(body.bestRepMonth).toEqual({ value: '3', month: '2025-08' });
      expect(body.reps).toEqual([
        { id: ids().aeA, name: 'aeA', best: { value: '2', month: '2025-09' } },
        { id: ids().aeB, name: 'aeB', best: { value: '2', month: '2025-11' } },
        { id: ids().sdrA, name: 'sdrA', best: { value: '3', month: '2025-08' } },
      ]);
      // Team A: Jul 1, Aug 3, Sep 4 (sdrA 2 + aeA 2), Oct 1: the team's best month is not its best rep's.
      expect(body.teams).toEqual([
        { id: org.teams.teamA.id, name: 'Team A', best: { value: '4', month: '2025-09' } },
        { id: org.teams.teamB.id, name: 'Team B', best: { value: '2', month: '2025-11' } },
      ]);
      expect(body.plan).toBeNull();

      // O8 closed 10-01 00:15 local: October, so aeA's best is October (O2 + O8), not September.
      const customers = ok(await as.admin.get(`${API}/bounds?metric=customers`));
      expect(customers.reps.find((r: { id: string }) => r.id === ids().aeA).best).toEqual({ value: '2', month: '2025-10' });
      const amount = ok(await as.admin.get(`${API}/bounds?metric=wonAmount`));
      expect(amount.bestRepMonth).toEqual({ value: '10000.00', month: '2025-08' }); // the other workspace's 50000 is not ours
    });

    it('flags a plan above the best rep month with a message, and not one at or below it', async () => {
      const above = ok(await as.admin.get(`${API}/bounds?metric=leads&plan=4`)).plan;
      expect(above.aboveBestRepMonth).toBe(true);
      expect(above.message).toContain('3 in 2025-08');
      for (const plan of ['3', '2.5', '0']) {
        const p = ok(await as.admin.get(`${API}/bounds?metric=leads&plan=${plan}`)).plan;
        expect(p, plan).toEqual({ value: plan, aboveBestRepMonth: false, message: null });
      }
      const money = ok(await as.managerB.get(`${API}/bounds?metric=wonAmount&plan=10000.01`)).plan;
      expect(money.aboveBestRepMonth).toBe(true);
    });

    it('refuses a bad plan or metric, naming the field', async () => {
      for (const plan of ['abc', '-1', '1e3', '1.234']) refused(await as.admin.get(`${API}/bounds?metric=leads&plan=${plan}`), 400, 'plan');
      refused(await as.admin.get(`${API}/bounds?metric=visitors`), 400, 'metric');
      refused(await as.admin.get(`${API}/bounds?metric=leads&months=0`), 400, 'months');
    });

    it('shows a rep only themselves and their team, a manager their team', async () => {
      const rep = ok(await as.aeA.get(`${API}/bounds?metric=leads`));
      expect(rep.reps).toEqual([{ id: ids().aeA, name: 'aeA', best: { value: '2', month: '2025-09' } }]);
      expect(rep.teams.map((t: { name: string }) => t.name)).toEqual(['Team A']);
      expect(JSON.stringify(rep)).not.toContain(ids().sdrA);
      const manager = ok(await as.managerB.get(`${API}/bounds?metric=leads`));
      expect(manager.reps.map((r: { name: string }) => r.name)).toEqual(['aeB']);
      expect(manager.teams.map((t: { name: string }) => t.name)).toEqual(['Team B']);
    });
  });

  describe('/analytics/open-deals', () => {
    type Deal = { name: string; stage: string; repId: string; enteredAt: string; daysInStage: number };

    it('counts whole days in the current stage from the last stage change, or from creation', async () => {
      const body = ok(await as.admin.get(`${API}/open-deals`));
      const deals = body.items.map((d: Deal) => [d.name, d.stage, d.enteredAt, d.daysInStage]);
      // Now is 2026-01-15 12:00Z. D1: 25d 18h since 2025-12-20 18:00Z; D2: 10d 12h since creation; D3: 23h.
      expect(deals).toEqual([
        ['D1', 'trial', '2025-12-20T18:00:00.000Z', 25],
        ['D2', 'discovery', '2026-01-05T00:00:00.000Z', 10],
        ['D3', 'proposal', '2026-01-14T13:00:00.000Z', 0],
      ]);
      const stats = Object.fromEntries(body.stages.map((s: { stage: string }) => [s.stage, s]));
      expect(stats.trial).toEqual({ stage: 'trial', open: 1, medianDays: 25, p75Days: 25, maxDays: 25 });
      expect(Object.keys(stats).sort()).toEqual(['discovery', 'proposal', 'trial']);
    });

    it('filters by stage and rep within scope, and refuses a closed stage or another rep', async () => {
      expect(ok(await as.admin.get(`${API}/open-deals?stage=proposal`)).items.map((d: Deal) => d.name)).toEqual(['D3']);
      expect(ok(await as.aeA.get(`${API}/open-deals`)).items.map((d: Deal) => d.name)).toEqual(['D1', 'D3']);
      expect(ok(await as.managerB.get(`${API}/open-deals`)).items.map((d: Deal) => d.name)).toEqual(['D2']);
      for (const stage of ['won', 'lost']) {
        const res = await as.admin.get(`${API}/open-deals?stage=${stage}`);
        refused(res, 400, 'stage');
        expect(res.json().error.code).toBe('validation_failed');
      }
      refused(await as.aeA.get(`${API}/open-deals?repId=${ids().aeB}`), 403, 'repId');
      refused(await as.admin.get(`${API}/open-deals?repId=${other.users.aeA.id}`), 404, 'repId');
    });
  });

  it('lists every analytics endpoint in the OpenAPI document', async () => {
    const doc = ok(await app.inject({ method: 'GET', url: '/api/openapi.json' }));
    const paths = Object.keys(doc.paths).filter((p) => p.startsWith(`${API}/`));
    expect(paths.sort()).toEqual(
      ['funnel', 'trend', 'velocity', 'coaching', 'coaching/team', 'bounds', 'records', 'open-deals'].map((p) => `${API}/${p}`).sort(),
    );
    for (const p of paths) expect(Object.keys(doc.paths[p]), p).toEqual(['get']);
    const records = doc.paths[`${API}/records`].get.parameters.find((x: { name: string }) => x.name === 'measure');
    expect(records.required).toBe(true);
    expect(records.schema.enum).toEqual([...MEASURES]);
  });
});
