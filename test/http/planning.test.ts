import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDemo, DEMO_PASSWORD } from '../../src/demo/demo.js';
import { describeEachDb } from '../support/db.js';
import { loginAs, testApp } from '../support/http.js';

type Client = Awaited<ReturnType<typeof loginAs>>;

/** Capacity planning through the API, on the demo's own funnel (issue 6). */
describeEachDb('HTTP capacity planning', (getDb) => {
  let app: FastifyInstance;
  let ops: Client;
  let rep: Client;

  beforeAll(async () => {
    const demo = await createDemo(getDb(), { seed: 5, scale: 0.05, now: new Date(Date.now() - 86_400_000), slug: 'plan-demo' });
    app = await testApp(getDb());
    const email = (role: string) => demo.logins.find((l) => l.role === role)!.email;
    ops = await loginAs(app, email('sales_ops'), DEMO_PASSWORD);
    rep = await loginAs(app, email('ae'), DEMO_PASSWORD);
  }, 180_000);
  afterAll(() => app.close());

  it('derives the assumptions from the funnel and plans headcount and hires by month', async () => {
    const d = await ops.get('/api/v1/plans/capacity/defaults');
    expect(d.statusCode).toBe(200);
    const { assumptions } = d.json();
    expect(assumptions.segments.map((s: { id: string }) => s.id)).toEqual(['ESB', 'SMB', 'MME']);
    const shares = assumptions.segments.reduce((sum: number, s: { share: number }) => sum + s.share, 0);
    expect(shares).toBeCloseTo(1, 10);
    for (const s of assumptions.segments) {
      expect(s.leadToOpportunity).toBeGreaterThan(0);
      expect(s.leadToOpportunity).toBeLessThanOrEqual(1);
      expect(s.opportunityToCustomer).toBeGreaterThan(0);
      expect(s.opportunityToCustomer).toBeLessThanOrEqual(1);
    }
    // The demo has SDRs, AEs and CSMs on staff.
    expect(assumptions.currentHeadcount.sdr).toBeGreaterThan(0);
    expect(assumptions.currentHeadcount.csm).toBeGreaterThan(0);

    const plan = await ops.call('POST', '/api/v1/plans/capacity', assumptions);
    expect(plan.statusCode).toBe(200);
    const body = plan.json();
    expect(body.months.filter((m: { inPlan: boolean }) => m.inPlan)).toHaveLength(12);
    expect(body.totals.bookings).toBe(assumptions.targetArr);
    // The ladder's 800k quota on 100k OTE is 8x: flagged as outside the usual 4-6x.
    expect(body.flags.some((f: { code: string }) => f.code === 'quota_ote_ratio')).toBe(true);
  }, 60_000);

  it('refuses impossible inputs field by field, and refuses reps', async () => {
    const { assumptions } = (await ops.get('/api/v1/plans/capacity/defaults')).json();
    assumptions.segments[0].opportunityToCustomer = 1.5;
    assumptions.ramp = [0.5, 0.25];
    const bad = await ops.call('POST', '/api/v1/plans/capacity', assumptions);
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().error.details.map((x: { path: string }) => x.path);
    expect(paths).toContain('segments[0].opportunityToCustomer');
    expect(paths).toContain('ramp[1]');

    const wrongType = await ops.call('POST', '/api/v1/plans/capacity', { ...assumptions, targetArr: 5 });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.details.map((x: { path: string }) => x.path)).toContain('targetArr');

    expect((await rep.get('/api/v1/plans/capacity/defaults')).statusCode).toBe(403);
    expect((await rep.call('POST', '/api/v1/plans/capacity', assumptions)).statusCode).toBe(403);
  }, 60_000);
});
