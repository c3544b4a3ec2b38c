import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import { seedDemoLevels } from '../../src/modules/comp/levels.service.js';
import { fixedClock } from '../../src/platform/clock.js';
import { buildApp } from '../../src/server/app.js';
import { AE_PLAN } from '../support/comp-db.js';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs } from '../support/http.js';

type Client = Awaited<ReturnType<typeof loginAs>>;

describeEachDb('HTTP comp levels, what-if and discussion', (getDb) => {
  let app: FastifyInstance;
  let db: Db;
  let org: Awaited<ReturnType<typeof seedOrg>>;
  let as: Record<'ops' | 'managerA' | 'aeA' | 'aeB', Client>;
  let otherAdmin: Client;

  beforeAll(async () => {
    db = getDb();
    org = await seedOrg(db);
    const other = await seedOrg(db);
    await seedDemoLevels(db, org.workspace.id);
    app = await buildApp({ db, config: { ...loadConfig({}), loginRateLimit: 1000 }, clock: fixedClock('2026-10-15T12:00:00Z') });
    await app.ready();
    as = {} as typeof as;
    for (const k of ['ops', 'managerA', 'aeA', 'aeB'] as const) as[k] = await loginAs(app, org.users[k].email);
    otherAdmin = await loginAs(app, other.users.admin.email);
    expect((await as.ops.call('POST', '/api/v1/comp/plans', AE_PLAN)).statusCode).toBe(201);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('reads the ladder; a rep sees only their own progress and cannot promote or edit the ladder', async () => {
    const ladder = await as.aeA.get('/api/v1/comp/levels');
    expect(ladder.json().items.map((l: { quota: string }) => l.quota)).toEqual(['800000.00', '900000.00', '1000000.00']);
    const mine = await as.aeA.get('/api/v1/comp/levels/progress');
    expect(mine.json().items.map((i: { user: { name: string } }) => i.user.name)).toEqual(['aeA']);
    expect((await as.aeA.get(`/api/v1/comp/levels/progress?repId=${org.users.aeB.id}`)).statusCode).toBe(403);
    expect((await otherAdmin.get(`/api/v1/comp/levels/progress?repId=${org.users.aeB.id}`)).statusCode).toBe(404);
    const promote = await as.aeA.call('POST', '/api/v1/comp/levels/promotions', { userId: org.users.aeA.id, effectiveFrom: '2026-11-01' });
    expect(promote.statusCode).toBe(403);
    expect((await as.managerA.call('PUT', '/api/v1/comp/levels', { levels: ladder.json().items })).statusCode).toBe(403);
    // The manager sees their team's closers only.
    const team = await as.managerA.get('/api/v1/comp/levels/progress');
    expect(team.json().items.map((i: { user: { name: string } }) => i.user.name)).toEqual(['aeA']);
  });

  it('bad input is a 400 naming the field', async () => {
    const bad = await as.ops.call('POST', '/api/v1/comp/levels/promotions', { userId: org.users.aeA.id, effectiveFrom: '2026-13-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toContain('effectiveFrom');
    const ladder = await as.ops.call('PUT', '/api/v1/comp/levels', {
      levels: [{ level: 2, name: 'x', base: '1', variable: '1', rate: '5', quota: '10' }],
    });
    expect(ladder.statusCode).toBe(400);
    expect(ladder.json().error.details.map((d: { path: string }) => d.path)).toContain('levels.0.level');
    const comment = await as.aeA.call('POST', '/api/v1/comp/plans/ae-test/versions/1/comments', { body: '   ' });
    expect(comment.statusCode).toBe(400);
    expect((await as.ops.get('/api/v1/comp/whatif?planKey=ae-test')).statusCode).toBe(400);
  });

  it('discussion and what-if over HTTP: a rep comments, cannot answer; the what-if of a rep has no team summary', async () => {
    const q = await as.aeA.call('POST', '/api/v1/comp/plans/ae-test/versions/1/comments', { body: '<b>Why 10%?</b>' });
    expect(q.statusCode).toBe(201);
    expect(
      (await as.aeB.call('POST', '/api/v1/comp/plans/ae-test/versions/1/comments', { body: 'me too', replyTo: q.json().id })).statusCode,
    ).toBe(403);
    expect(
      (await as.ops.call('POST', '/api/v1/comp/plans/ae-test/versions/1/comments', { body: 'Market rate.', replyTo: q.json().id }))
        .statusCode,
    ).toBe(201);
    const thread = await as.aeB.get('/api/v1/comp/plans/ae-test/versions/1/comments');
    expect(thread.json().items.map((c: { body: string }) => c.body)).toEqual(['<b>Why 10%?</b>', 'Market rate.']);
    expect((await otherAdmin.get('/api/v1/comp/plans/ae-test/versions/1/comments')).statusCode).toBe(404);
    const whatIf = await as.aeA.get('/api/v1/comp/whatif?planKey=ae-test&version=1');
    expect(whatIf.statusCode).toBe(200);
    expect(whatIf.json().summary).toBeNull();
  });
});
