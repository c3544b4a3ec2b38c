import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { addDays } from '../../src/modules/success/surveys.core.js';
import { signingKey } from '../../src/modules/success/surveys.repo.js';
import { ratedSurvey, type SurveyOrg, seedSurveyOrg } from '../../src/modules/success/surveys.testkit.js';
import { signToken } from '../../src/modules/success/surveys.tokens.js';
import { describeEachDb } from '../support/db.js';
import { loginAs, testApp } from '../support/http.js';

type Client = Awaited<ReturnType<typeof loginAs>>;

describeEachDb('HTTP buyer surveys', (getDb) => {
  let app: FastifyInstance;
  let db: Db;
  let org: SurveyOrg;
  let other: SurveyOrg;
  let as: Record<'admin' | 'ops' | 'managerA' | 'aeA' | 'aeB' | 'sdrA', Client>;
  let otherAdmin: Client;
  let surveyA: string;
  let surveyB: string;

  beforeAll(async () => {
    db = getDb();
    org = await seedSurveyOrg(db);
    other = await seedSurveyOrg(db);
    app = await testApp(db);
    as = {} as typeof as;
    for (const k of ['admin', 'ops', 'managerA', 'aeA', 'aeB', 'sdrA'] as const) as[k] = await loginAs(app, org.users[k].email);
    otherAdmin = await loginAs(app, other.users.admin.email);
    surveyA = await ratedSurvey(db, org, org.users.aeA.id, 5, new Date('2026-01-05T10:00:00Z'), 'Smooth');
    surveyB = await ratedSurvey(db, org, org.users.aeB.id, 2, new Date('2026-01-06T10:00:00Z'), 'Pushy');
  });
  afterAll(() => app.close());

  const error = (res: { json: () => { error: { code: string; details?: { path: string }[] } } }) => res.json().error;

  it("lists results within scope: a rep sees their own deals' surveys, and is refused another rep's", async () => {
    const mine = await as.aeA.get('/api/v1/surveys');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items.map((s: { id: string }) => s.id)).toEqual([surveyA]);
    const refused = await as.aeA.get(`/api/v1/surveys?repId=${org.users.aeB.id}`);
    expect(refused.statusCode).toBe(403);
    expect(error(refused).details).toEqual([{ path: 'repId', message: 'outside your scope' }]);
    const all = await as.managerA.get('/api/v1/surveys?rating=2');
    expect(all.json().items).toMatchObject([{ id: surveyB, repName: 'aeB', rating: 2, comment: 'Pushy', status: 'rated' }]);
    // Another workspace sees none of it, and its filter on this workspace's rep is a 404.
    expect((await otherAdmin.get('/api/v1/surveys')).json().items).toEqual([]);
    expect((await otherAdmin.get(`/api/v1/surveys?repId=${org.users.aeA.id}`)).statusCode).toBe(404);
    const bad = await as.admin.get('/api/v1/surveys?status=lost&rating=9');
    expect(bad.statusCode).toBe(400);
    expect(
      error(bad)
        .details?.map((d) => d.path)
        .sort(),
    ).toEqual(['rating.0', 'status.0']);
    expect((await app.inject({ method: 'GET', url: '/api/v1/surveys' })).statusCode).toBe(401);
  });

  it('publishes the leaderboard to every signed-in role, without comments', async () => {
    const res = await as.sdrA.get('/api/v1/surveys/leaderboard');
    expect(res.statusCode).toBe(200);
    expect(res.json().reps.map((r: { name: string; average: string }) => [r.name, r.average])).toEqual([
      ['aeA', '5.00'],
      ['aeB', '2.00'],
    ]);
    expect(res.body).not.toContain('Pushy');
    expect((await as.sdrA.get('/api/v1/surveys/leaderboard?asOf=yesterday')).statusCode).toBe(400);
  });

  it('keeps settings to admins and sales ops, and refuses bad values with 400 naming the field', async () => {
    expect((await as.aeA.get('/api/v1/surveys/settings')).statusCode).toBe(403);
    expect((await as.managerA.get('/api/v1/surveys/settings')).statusCode).toBe(403);
    const view = await as.ops.get('/api/v1/surveys/settings');
    expect(view.statusCode).toBe(200);
    expect(view.json().smtp).toEqual({ configured: false, message: expect.stringContaining('SMTP_URL is not set') });
    const good = {
      delayDays: 90,
      reminderDays: 7,
      tokenDays: 30,
      threshold: 4,
      minRatings: 3,
      alertStages: null,
      alertUserIds: [org.success.ceo.id],
    };
    expect((await as.aeA.call('PUT', '/api/v1/surveys/settings', good)).statusCode).toBe(403);
    for (const [patch, path] of [
      [{ threshold: '6' }, 'threshold'],
      [{ threshold: 'high' }, 'threshold'],
      [{ delayDays: 0 }, 'delayDays'],
      [{ tokenDays: 1.5 }, 'tokenDays'],
      [{ alertStages: ['won'] }, 'alertStages'],
      [{ alertUserIds: ['not-a-uuid'] }, 'alertUserIds.0'],
      [{ alertUserIds: [other.users.admin.id] }, 'alertUserIds'],
      [{ signingKey: 'mine' }, ''],
    ] as const) {
      const res = await as.admin.call('PUT', '/api/v1/surveys/settings', { ...good, ...patch });
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
      if (path) expect(error(res).details?.[0].path).toBe(path);
    }
    const saved = await as.admin.call('PUT', '/api/v1/surveys/settings', { ...good, threshold: '4.25' });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ threshold: '4.25', alertUserIds: [org.success.ceo.id] });
    expect(saved.body).not.toMatch(/signing/i);
    // The other workspace still has its own defaults.
    expect((await otherAdmin.get('/api/v1/surveys/settings')).json().threshold).toBe('4.00');
  });

  it("resends for leaders of the survey's workspace only", async () => {
    expect((await otherAdmin.call('POST', `/api/v1/surveys/${surveyA}/resend`)).statusCode).toBe(404);
    expect((await as.aeA.call('POST', `/api/v1/surveys/${surveyA}/resend`)).statusCode).toBe(403);
    // The test app has no SMTP_URL: nothing can be sent, and the leader is told why.
    const res = await as.admin.call('POST', `/api/v1/surveys/${surveyA}/resend`);
    expect(res.statusCode).toBe(409);
    expect(error(res)).toMatchObject({ code: 'conflict', message: expect.stringContaining('SMTP_URL is not set') });
  });

  it('serves the buyer pages as escaped HTML: rate once, already recorded, not valid, expired', async () => {
    const id = await ratedSurvey(db, org, org.users.aeA.id, 3, new Date());
    await db.query(`update buyer_surveys set rating = null, rated_at = null, status = 'sent' where id = $1`, [id]);
    const key = await signingKey(db, org.workspace.id);
    const link = (action: 1 | 2 | 3 | 4 | 5 | 'comment' | 'unsubscribe', days = 30) =>
      signToken(key, { surveyId: id, action, expiresAt: addDays(new Date(), days) });
    const get = (url: string) => app.inject({ method: 'GET', url });
    const rating = async () =>
      (await db.query<{ rating: number | null }>('select rating from buyer_surveys where id = $1', [id]))[0].rating;

    const tampered = Buffer.from(link(5), 'base64url');
    tampered[30] ^= 1;
    const bad = await get(`/survey/rate?t=${tampered.toString('base64url')}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/text\/html/);
    expect(bad.body).toContain('This link is not valid');
    for (const url of ['/survey/rate', '/survey/rate?t=', '/survey/rate?t=a&t=b', `/survey/rate?t=${'x'.repeat(3000)}`])
      expect((await get(url)).statusCode, url).toBe(400);
    const expired = await get(`/survey/rate?t=${link(5, -1)}`);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This link has expired');
    expect(await rating()).toBeNull();

    const ok = await get(`/survey/rate?t=${link(4)}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.body).toContain('Your rating of 4 (Good)');
    expect(await rating()).toBe(4);
    const again = await get(`/survey/rate?t=${link(5)}`);
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('Your rating was already recorded');
    expect(await rating()).toBe(4);

    const commentToken = /name="t" value="([\w-]+)"/.exec(ok.body)![1];
    const comment = await app.inject({
      method: 'POST',
      url: '/survey/comment',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ t: commentToken, comment: '<script>alert(1)</script> "quoted"' }).toString(),
    });
    expect(comment.statusCode).toBe(200);
    expect(comment.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot;');
    expect(comment.body).not.toContain('<script>');

    const unsub = await app.inject({
      method: 'POST',
      url: `/survey/unsubscribe?t=${link('unsubscribe')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(unsub.statusCode).toBe(200);
    expect(unsub.body).toContain('will get no more survey emails');
  });

  it('rate-limits the public pages per IP', async () => {
    const fresh = await testApp(db);
    const codes: number[] = [];
    for (let i = 0; i < 31; i++) codes.push((await fresh.inject({ method: 'GET', url: '/survey/rate?t=nope' })).statusCode);
    expect(codes.slice(0, 30).every((c) => c === 400)).toBe(true);
    expect(codes[30]).toBe(429);
    await fresh.close();
  });
});
