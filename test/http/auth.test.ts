import { expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/server/app.js';
import { describeEachDb } from '../support/db.js';
import { PASSWORD, seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

const LOGIN = '/api/v1/auth/login';

describeEachDb('HTTP auth', (getDb) => {
  it('logs in with an httpOnly SameSite session cookie and a readable CSRF token, and /auth/me knows the user', async () => {
    const db = getDb();
    const { users } = await seedOrg(db);
    const app = await testApp(db);
    const res = await app.inject({ method: 'POST', url: LOGIN, payload: { email: users.sdrA.email.toUpperCase(), password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    const session = res.cookies.find((c) => c.name === 'revline_session')!;
    const csrf = res.cookies.find((c) => c.name === 'revline_csrf')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(session.value.length).toBeGreaterThanOrEqual(40);
    expect(csrf.httpOnly).toBeFalsy();
    expect(csrf.sameSite).toBe('Lax');
    expect(res.json().csrfToken).toBe(csrf.value);
    // The token is not stored as such: the sessions table only holds its hash.
    const rows = await db.query<{ row: string }>('select row_to_json(s)::text as row from sessions s where user_id = $1', [users.sdrA.id]);
    for (const r of rows) expect(r.row).not.toContain(session.value);

    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { revline_session: session.value } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ kind: 'user', user: { id: users.sdrA.id }, roles: ['sdr_inbound'], home: '/queue' });
    expect(me.json().user.passwordHash).toBeUndefined();
    expect(me.json().workspace.opportunityStages).toContain('won');
    expect(me.json().workspace.segments).toHaveLength(3);
    await app.close();
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const db = getDb();
    const { users } = await seedOrg(db);
    const app = await testApp(db);
    const wrong = await app.inject({ method: 'POST', url: LOGIN, payload: { email: users.aeA.email, password: 'not the password' } });
    const unknown = await app.inject({ method: 'POST', url: LOGIN, payload: { email: 'nobody@nowhere.test', password: PASSWORD } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error.code).toBe('unauthenticated');
    expect(wrong.cookies).toHaveLength(0);
    // Stored passwords are argon2id hashes.
    const [u] = await db.query<{ password_hash: string }>('select password_hash from users where id = $1', [users.aeA.id]);
    expect(u.password_hash).toMatch(/^\$argon2id\$/);
    expect(u.password_hash).not.toContain(PASSWORD);
    await app.close();
  });

  it('refuses anonymous calls to the API', async () => {
    const app = await testApp(getDb());
    for (const url of ['/api/v1/leads', '/api/v1/auth/me', '/api/v1/workspace']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthenticated');
    }
    const garbage = await app.inject({ method: 'GET', url: '/api/v1/leads', cookies: { revline_session: 'forged' } });
    expect(garbage.statusCode).toBe(401);
    await app.close();
  });

  it('rate-limits login attempts with the usual error body', async () => {
    const db = getDb();
    const { users } = await seedOrg(db);
    const app = await buildApp({ db, config: { ...loadConfig({}), loginRateLimit: 3 } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++)
      codes.push(
        (await app.inject({ method: 'POST', url: LOGIN, payload: { email: users.aeA.email, password: 'wrong-wrong' } })).statusCode,
      );
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    const limited = await app.inject({ method: 'POST', url: LOGIN, payload: { email: users.aeA.email, password: PASSWORD } });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    expect(limited.headers['retry-after']).toBeDefined();
    // Other routes are not limited by it.
    expect((await app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
    await app.close();
  });

  it('does not let a client dodge the login limit with forged X-Forwarded-For headers', async () => {
    const db = getDb();
    const { users } = await seedOrg(db);
    const app = await buildApp({ db, config: { ...loadConfig({}), loginRateLimit: 2 } });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await app.inject({
        method: 'POST',
        url: LOGIN,
        remoteAddress: '203.0.113.7', // a client on the internet, not a proxy of ours
        headers: { 'x-forwarded-for': `198.51.100.${i}` },
        payload: { email: users.aeA.email, password: 'wrong-wrong' },
      });
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([401, 401, 429, 429]);
    await app.close();
  });

  it('ends the session on logout', async () => {
    const db = getDb();
    const { users } = await seedOrg(db);
    const app = await testApp(db);
    const s = await loginAs(app, users.aeA.email);
    expect((await s.get('/api/v1/auth/me')).statusCode).toBe(200);
    const out = await s.call('POST', '/api/v1/auth/logout');
    expect(out.statusCode).toBe(200);
    expect(out.cookies.find((c) => c.name === 'revline_session')?.value).toBe('');
    expect((await s.get('/api/v1/auth/me')).statusCode).toBe(401);
    await app.close();
  });

  it('refuses an expired session', async () => {
    const db = getDb();
    const { users } = await seedOrg(db);
    const app = await testApp(db);
    const s = await loginAs(app, users.aeA.email);
    await db.query("update sessions set expires_at = now() - interval '1 second' where user_id = $1", [users.aeA.id]);
    const res = await s.get('/api/v1/auth/me');
    expect(res.statusCode).toBe(401);
    await app.close();
  });

  it('ends the other sessions when the password changes', async () => {
    const db = getDb();
    const { users } = await seedOrg(db);
    const app = await testApp(db);
    const here = await loginAs(app, users.aeA.email);
    const elsewhere = await loginAs(app, users.aeA.email);
    const res = await here.call('PATCH', `/api/v1/users/${users.aeA.id}`, { password: 'my new long password' });
    expect(res.statusCode).toBe(200);
    expect((await elsewhere.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await here.get('/api/v1/auth/me')).statusCode).toBe(200);
    await expect(loginAs(app, users.aeA.email)).rejects.toThrow(/login failed/);
    await loginAs(app, users.aeA.email, 'my new long password');
    await app.close();
  });

  it('asks which workspace when an email exists in several', async () => {
    const db = getDb();
    const a = await seedOrg(db);
    const b = await seedOrg(db);
    const { createUser } = await import('../../src/modules/org/org.service.js');
    await createUser(db, 'system', b.workspace.id, { email: a.users.aeA.email, name: 'Twin', roles: ['ae'], password: PASSWORD });
    const app = await testApp(db);
    // Without the password nothing is revealed about the workspaces the email belongs to.
    const wrong = await app.inject({ method: 'POST', url: LOGIN, payload: { email: a.users.aeA.email, password: 'not the password' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).not.toContain(b.workspace.slug);
    const res = await app.inject({ method: 'POST', url: LOGIN, payload: { email: a.users.aeA.email, password: PASSWORD } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('workspace');
    const ok = await app.inject({
      method: 'POST',
      url: LOGIN,
      payload: { email: a.users.aeA.email, password: PASSWORD, workspace: b.workspace.slug },
    });
    expect(ok.json().workspaceId).toBe(b.workspace.id);
    await app.close();
  });
});
