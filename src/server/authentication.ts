import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkCsrf, principalFromApiKey, principalFromSession, SESSION_COOKIE } from '../platform/auth/authenticate.js';
import type { Principal } from '../platform/auth/principal.js';
import { AppError } from '../platform/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Routes reachable without signing in (health, login). */
    public?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the caller on every /api/v1 request, and refuses anonymous calls and cookie writes without the CSRF token.
 * It runs on request, before the body is parsed or validated: a refused caller learns nothing about the route's input.
 */
export function registerAuthentication(app: FastifyInstance) {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/v1/')) return;
    req.principal = await resolvePrincipal(app, req);
    if (req.routeOptions.config?.public) return;
    if (!req.principal) throw new AppError('unauthenticated', 'Sign in, or send an API key as Authorization: Bearer <key>');
    if (!SAFE_METHODS.has(req.method)) checkCsrf(req.principal, req.headers['x-csrf-token'] as string | undefined);
  });
}

async function resolvePrincipal(app: FastifyInstance, req: FastifyRequest): Promise<Principal | null> {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const p = m ? await principalFromApiKey(app.deps.db, m[1]) : null;
    if (!p) throw new AppError('unauthenticated', 'Invalid or revoked API key');
    return p;
  }
  const token = req.cookies[SESSION_COOKIE];
  return token ? principalFromSession(app.deps.db, token, app.deps.clock.now()) : null;
}

/** The caller of an authenticated route (the hook guarantees it is set). */
export const who = (req: FastifyRequest): Principal => req.principal as Principal;
