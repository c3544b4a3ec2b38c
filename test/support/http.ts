import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import { buildApp } from '../../src/server/app.js';
import { PASSWORD } from './fixtures.js';

export async function testApp(db: Db): Promise<FastifyInstance> {
  const config = { ...loadConfig({}), loginRateLimit: 1000 };
  const app = await buildApp({ db, config });
  await app.ready();
  return app;
}

/** Logs in through the API and returns a client that sends the session cookie and CSRF header. */
export async function loginAs(app: FastifyInstance, email: string, password = PASSWORD) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  const session = res.cookies.find((c) => c.name === 'revline_session')!.value;
  const csrf = res.json().csrfToken as string;
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown, opts: { csrf?: string | null } = {}) =>
    app.inject({
      method,
      url,
      payload: payload as never,
      cookies: { revline_session: session },
      headers: opts.csrf === null ? {} : { 'x-csrf-token': opts.csrf ?? csrf },
    });
  return { session, csrf, call, get: (url: string) => call('GET', url) };
}
