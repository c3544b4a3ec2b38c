import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import { fixedClock } from '../../src/platform/clock.js';
import { buildApp } from '../../src/server/app.js';
import { AE_PLAN, wonDeal } from '../support/comp-db.js';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs } from '../support/http.js';

type Client = Awaited<ReturnType<typeof loginAs>>;
type Org = Awaited<ReturnType<typeof seedOrg>>;
type Res = { statusCode: number; json: () => { error: { code: string; message: string; details?: { path: string; message: string }[] } } };

describeEachDb('HTTP comp', (getDb) => {
  let app: FastifyInstance;
  let db: Db;
  let org: Org;
  let other: Org;
  let as: Record<'admin' | 'ops' | 'managerA' | 'managerB' | 'aeA' | 'aeB', Client>;
  let otherAdmin: Client;
  const paths = (res: Res) => res.json().error.details?.map((d) => d.path);
  const plansSaved = async () =>
    (await db.query<{ n: number }>('select count(*)::int as n from comp_plans where workspace_id = $1', [org.workspace.id]))[0].n;

  beforeAll(async () => {
    db = getDb();
    org = await seedOrg(db);
    other = await seedOrg(db);
    app = await buildApp({ db, config: { ...loadConfig({}), loginRateLimit: 1000 }, clock: fixedClock('2026-10-15T12:00:00Z') });
    await app.ready();
    as = {} as typeof as;
    for (const k of ['admin', 'ops', 'managerA', 'managerB', 'aeA', 'aeB'] as const) as[k] = await loginAs(app, org.users[k].email);
    otherAdmin = await loginAs(app, other.users.admin.email);

    // One plan for both AEs, a deal each in July, a run for the quarter.
    expect((await as.ops.call('POST', '/api/v1/comp/plans', AE_PLAN)).statusCode).toBe(201);
    expect((await as.ops.call('POST', '/api/v1/comp/plans/ae-test/versions/1/publish', { effectiveFrom: '2026-01-01' })).statusCode).toBe(
      200,
    );
    for (const ae of [org.users.aeA, org.users.aeB]) {
      const res = await as.ops.call('POST', '/api/v1/comp/assignments', { userId: ae.id, planKey: 'ae-test', from: '2026-07-01' });
      expect(res.statusCode, res.body).toBe(201);
      await wonDeal(db, org.workspace.id, {
        ownerId: ae.id,
        amount: '40000',
        closedAt: '2026-07-10T10:00:00Z',
        name: `Deal of ${ae.name}`,
      });
    }
    const run = await as.ops.call('POST', '/api/v1/comp/runs', { period: '2026-Q3' });
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json()).toMatchObject({ monthsWritten: 3, linesWritten: 4 });
  });
  afterAll(() => app.close());

  describe('plans', () => {
    it('refuses an invalid plan document with field-level errors and saves nothing', async () => {
      const before = await plansSaved();
      const commission = AE_PLAN.components[0] as Record<string, unknown>;
      const bad = (components: unknown[], extra: Record<string, unknown> = {}) => ({ ...AE_PLAN, key: 'bad-plan', components, ...extra });
      for (const [doc, expected] of [
        [bad([{ ...commission, rate: undefined }]), 'components.0.rate'],
        [bad([{ ...commission, rate: '250' }]), 'components.0.rate'],
        [bad([{ ...commission, rate: 'lots' }]), 'components.0.rate'],
        [
          bad([
            {
              ...commission,
              tranches: [
                { on: 'signing', percent: 'half' },
                { on: 'aha_milestone', percent: 50, onMissed: 'forfeit', onChurn: 'forfeit' },
              ],
            },
          ]),
          'components.0.tranches.0.percent',
        ],
        [
          bad([
            {
              ...commission,
              tiers: [
                { upToPercent: 120, multiplier: 1 },
                { upToPercent: 100, multiplier: 2 },
                { upToPercent: null, multiplier: 3 },
              ],
            },
          ]),
          'components.0.tiers.1.upToPercent',
        ],
        [
          bad([
            {
              ...commission,
              tranches: [
                { on: 'signing', percent: 60 },
                { on: 'aha_milestone', percent: 50, onMissed: 'forfeit', onChurn: 'forfeit' },
              ],
            },
          ]),
          'components.0.tranches',
        ],
        [bad([commission, { type: 'churn_clawback', id: 'c', appliesTo: ['nope'], withinDays: 90 }]), 'components.1.appliesTo.0'],
        [bad([{ type: 'bonus_of_the_month', id: 'x' }]), 'components.0.type'],
        [bad([commission], { roles: ['wizard'] }), 'roles.0'],
        [bad([{ ...commission, surprise: true }]), 'components.0.surprise'],
      ] as const) {
        const res = await as.ops.call('POST', '/api/v1/comp/plans', doc);
        expect(res.statusCode, JSON.stringify(doc)).toBe(400);
        expect(paths(res), JSON.stringify(doc)).toContain(expected);
      }
      expect(await plansSaved()).toBe(before);
    });

    it('edits drafts, never published versions; only admins and sales ops write plans', async () => {
      const draft = await as.admin.call('POST', '/api/v1/comp/plans', { ...AE_PLAN, name: 'AE test plan v2' });
      expect(draft.json()).toMatchObject({ key: 'ae-test', version: 2, status: 'draft' });
      const edit = await as.admin.call('PUT', '/api/v1/comp/plans/ae-test/versions/2', { ...AE_PLAN, name: 'AE test plan v2 (edited)' });
      expect(edit.json()).toMatchObject({ name: 'AE test plan v2 (edited)' });
      const frozen = await as.admin.call('PUT', '/api/v1/comp/plans/ae-test/versions/1', AE_PLAN);
      expect(frozen.statusCode).toBe(409);
      expect(frozen.json().error.message).toMatch(/published and cannot change/);
      expect((await as.aeA.call('POST', '/api/v1/comp/plans', { ...AE_PLAN, key: 'mine' })).statusCode).toBe(403);
      expect(
        (await as.managerA.call('POST', '/api/v1/comp/plans/ae-test/versions/2/publish', { effectiveFrom: '2026-11-01' })).statusCode,
      ).toBe(403);
      expect((await as.aeA.get('/api/v1/comp/plans/ae-test')).json().items).toHaveLength(2);
      expect((await otherAdmin.get('/api/v1/comp/plans/ae-test/versions/1')).statusCode).toBe(404);
      expect((await as.admin.call('DELETE', '/api/v1/comp/plans/ae-test/versions/2')).statusCode).toBe(204);
    });
  });

  describe('assignments', () => {
    it('refuses overlapping assignments with a clear message', async () => {
      const res = await as.ops.call('POST', '/api/v1/comp/assignments', {
        userId: org.users.aeA.id,
        planKey: 'ae-test',
        from: '2026-09-01',
        to: '2026-12-31',
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.message).toMatch(/^overlapping assignments: aeA is already on plan ae-test from 2026-07-01 \(open-ended\)/);
    });

    it('refuses a plan that does not fit the role, another workspace, and non-admins', async () => {
      const sdr = await as.ops.call('POST', '/api/v1/comp/assignments', {
        userId: org.users.sdrA.id,
        planKey: 'ae-test',
        from: '2026-07-01',
      });
      expect(sdr.statusCode).toBe(400);
      expect(paths(sdr)).toEqual(['planKey']);
      expect(
        (await as.ops.call('POST', '/api/v1/comp/assignments', { userId: other.users.aeA.id, planKey: 'ae-test', from: '2026-07-01' }))
          .statusCode,
      ).toBe(404);
      expect(
        (await as.managerA.call('POST', '/api/v1/comp/assignments', { userId: org.users.sdrA.id, planKey: 'ae-test', from: '2026-07-01' }))
          .statusCode,
      ).toBe(403);
      const mine = await as.aeA.get('/api/v1/comp/assignments');
      expect(mine.json().items.map((a: { userId: string }) => a.userId)).toEqual([org.users.aeA.id]);
      expect((await as.aeA.get(`/api/v1/comp/assignments?userId=${org.users.aeB.id}`)).statusCode).toBe(403);
    });
  });

  describe('statements: a rep sees only their own', () => {
    it('by rep id, by filter and by CSV', async () => {
      const own = await as.aeA.get('/api/v1/comp/statements?period=2026-Q3');
      expect(own.statusCode).toBe(200);
      expect(own.json()).toMatchObject({
        rep: { id: org.users.aeA.id },
        totals: { earnings: '4000.00', holds: '-2000.00', payable: '2000.00' },
      });

      for (const url of [
        `/api/v1/comp/statements?period=2026-Q3&repId=${org.users.aeB.id}`,
        `/api/v1/comp/statements.csv?period=2026-Q3&repId=${org.users.aeB.id}`,
        `/api/v1/comp/statements.csv?period=2026-Q3&teamId=${org.teams.teamA.id}`,
        `/api/v1/comp/statements/summary?period=2026-Q3&teamId=${org.teams.teamB.id}`,
      ]) {
        const res = await as.aeA.get(url);
        expect(res.statusCode, url).toBe(403);
        expect(res.body, url).not.toContain('Deal of aeB');
      }
      for (const url of [
        `/api/v1/comp/statements?period=2026-Q3&repId=${other.users.aeA.id}`,
        `/api/v1/comp/statements.csv?period=2026-Q3&repId=${other.users.aeA.id}`,
        `/api/v1/comp/statements.csv?period=2026-Q3&teamId=${other.teams.teamA.id}`,
      ])
        expect((await as.aeA.get(url)).statusCode, url).toBe(404);

      // Without a filter, the CSV and the summary hold the caller's own lines only.
      const csv = await as.aeA.get('/api/v1/comp/statements.csv?period=2026-Q3');
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.body).toContain('Deal of aeA');
      expect(csv.body).not.toContain('Deal of aeB');
      expect(csv.body.trim().split('\n')).toHaveLength(3);
      const summary = await as.aeA.get('/api/v1/comp/statements/summary?period=2026-Q3');
      expect(summary.json().items.map((i: { userId: string }) => i.userId)).toEqual([org.users.aeA.id]);
    });

    it('a printable page, with everything from the data escaped', async () => {
      const reason = '<img src=x onerror=alert(1)> bonus';
      expect(
        (await as.ops.call('POST', '/api/v1/comp/adjustments', { userId: org.users.aeA.id, period: '2026-08', amount: '10', reason }))
          .statusCode,
      ).toBe(201);
      const page = await as.aeA.get('/api/v1/comp/statements/print?period=2026-Q3');
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt; bonus');
      expect(page.body).not.toContain('<img');
      expect(page.body).toContain('Deal of aeA');
      expect((await as.aeA.get(`/api/v1/comp/statements/print?period=2026-Q3&repId=${org.users.aeB.id}`)).statusCode).toBe(403);
    });

    it('a ledger line by id: the rep reads their own, not another rep', async () => {
      const [theirs] = await db.query<{ id: number }>('select id from comp_ledger where user_id = $1 order by id limit 1', [
        org.users.aeB.id,
      ]);
      const [mine] = await db.query<{ id: number }>('select id from comp_ledger where user_id = $1 order by id limit 1', [
        org.users.aeA.id,
      ]);
      expect((await as.aeA.get(`/api/v1/comp/lines/${mine.id}`)).json()).toMatchObject({ opportunityName: 'Deal of aeA', kind: 'earning' });
      const refused = await as.aeA.get(`/api/v1/comp/lines/${theirs.id}`);
      expect(refused.statusCode).toBe(403);
      expect(refused.body).not.toContain('Deal of aeB');
      expect((await otherAdmin.get(`/api/v1/comp/lines/${mine.id}`)).statusCode).toBe(404);
      expect((await as.managerB.get(`/api/v1/comp/lines/${theirs.id}`)).statusCode).toBe(200);
    });

    it('a manager sees their team, sales ops everyone', async () => {
      expect((await as.managerA.get(`/api/v1/comp/statements?period=2026-07&repId=${org.users.aeA.id}`)).statusCode).toBe(200);
      expect((await as.managerA.get(`/api/v1/comp/statements?period=2026-07&repId=${org.users.aeB.id}`)).statusCode).toBe(403);
      const team = await as.managerA.get(`/api/v1/comp/statements.csv?period=2026-Q3&teamId=${org.teams.teamA.id}`);
      expect(team.statusCode).toBe(200);
      expect(team.body).toContain('Deal of aeA');
      expect(team.body).not.toContain('Deal of aeB');
      const all = await as.ops.get('/api/v1/comp/statements/summary?period=2026-Q3');
      expect(
        all
          .json()
          .items.map((i: { name: string }) => i.name)
          .sort(),
      ).toEqual(['aeA', 'aeB']);
    });
  });

  describe('runs, closing and adjustments', () => {
    it('only admins and sales ops run, close and adjust; bad input names the field', async () => {
      expect((await as.aeA.call('POST', '/api/v1/comp/runs', { period: '2026-Q3' })).statusCode).toBe(403);
      expect(paths(await as.ops.call('POST', '/api/v1/comp/runs', { period: 'last summer' }))).toEqual(['period']);
      const adj = { userId: org.users.aeA.id, period: '2026-09', amount: '150.00', reason: 'conference SPIF' };
      expect((await as.managerA.call('POST', '/api/v1/comp/adjustments', adj)).statusCode).toBe(403);
      expect(paths(await as.ops.call('POST', '/api/v1/comp/adjustments', { ...adj, reason: '' }))).toEqual(['reason']);
      expect(paths(await as.ops.call('POST', '/api/v1/comp/adjustments', { ...adj, amount: '0' }))).toEqual(['amount']);
      expect(paths(await as.ops.call('POST', '/api/v1/comp/adjustments', { ...adj, userId: other.users.aeA.id }))).toEqual(['userId']);
      expect((await as.ops.call('POST', '/api/v1/comp/adjustments', adj)).statusCode).toBe(201);
    });

    it('closes a month once; edits to it are refused with a clear message', async () => {
      expect((await as.aeA.call('POST', '/api/v1/comp/periods/2026-07/close')).statusCode).toBe(403);
      const closed = await as.ops.call('POST', '/api/v1/comp/periods/2026-07/close');
      expect(closed.statusCode, closed.body).toBe(200);
      expect(closed.json()).toEqual({ closed: ['2026-07'] });
      expect((await as.ops.call('POST', '/api/v1/comp/periods/2026-07/close')).statusCode).toBe(409);
      const late = await as.ops.call('POST', '/api/v1/comp/adjustments', {
        userId: org.users.aeA.id,
        period: '2026-07',
        amount: '-20',
        reason: 'late fix',
      });
      expect(late.statusCode).toBe(409);
      expect(late.json().error.message).toMatch(/^2026-07 is closed/);
      expect(paths(late)).toEqual(['period']);
      const periods = await as.ops.get('/api/v1/comp/periods');
      expect(periods.json().items.map((p: { month: string; status: string }) => [p.month, p.status])).toEqual([
        ['2026-07', 'closed'],
        ['2026-08', 'open'],
        ['2026-09', 'open'],
      ]);
    });
  });
});
