import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { homeFor } from '../../modules/org/org.core.js';
import { findUser, findWorkspace, getSegments } from '../../modules/org/org.repo.js';
import { loginBody } from '../../modules/org/org.schema.js';
import { who } from '../../server/authentication.js';
import { CSRF_COOKIE, SESSION_COOKIE } from './authenticate.js';
import { login, logout } from './sessions.js';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, config, clock } = app.deps;
  const cookieBase = { path: '/', sameSite: 'lax' as const, secure: config.cookieSecure };

  app.post(
    '/auth/login',
    {
      config: { public: true, rateLimit: { max: config.loginRateLimit, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], body: loginBody, security: [] },
    },
    async (req, reply) => {
      const r = await login(db, req.body, config.sessionTtlHours, clock.now());
      reply
        .setCookie(SESSION_COOKIE, r.token, { ...cookieBase, httpOnly: true, expires: r.expiresAt })
        // Readable by our own pages so they can echo it in x-csrf-token; useless to another site.
        .setCookie(CSRF_COOKIE, r.csrfToken, { ...cookieBase, httpOnly: false, expires: r.expiresAt });
      return { userId: r.userId, workspaceId: r.workspaceId, csrfToken: r.csrfToken, expiresAt: r.expiresAt };
    },
  );

  app.post('/auth/logout', { config: { public: true }, schema: { tags: ['auth'] } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await logout(db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/auth/me', { schema: { tags: ['auth'] } }, async (req) => {
    const p = who(req);
    const workspace = await findWorkspace(db, p.workspaceId);
    const user = p.userId ? await findUser(db, p.workspaceId, p.userId) : null;
    return {
      kind: p.kind,
      user,
      roles: p.roles,
      permissions: p.permissions,
      managedUserIds: p.managedUserIds,
      home: homeFor(p.roles),
      csrfToken: p.csrfToken,
      workspace: workspace && { ...workspace, segments: await getSegments(db, p.workspaceId) },
    };
  });
};
