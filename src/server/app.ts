import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { analyticsRoutes } from '../modules/analytics/analytics.routes.js';
import { compRoutes } from '../modules/comp/comp.routes.js';
import { compLevelsRoutes } from '../modules/comp/levels.routes.js';
import { compWhatIfRoutes } from '../modules/comp/whatif.routes.js';
import { crmRoutes } from '../modules/crm/crm.routes.js';
import { notifyRoutes } from '../modules/notify/notify.routes.js';
import { orgRoutes } from '../modules/org/org.routes.js';
import { calibrationRoutes } from '../modules/quotas/calibration.routes.js';
import { capacityRoutes } from '../modules/quotas/capacity.routes.js';
import { quotaRoutes } from '../modules/quotas/quotas.routes.js';
import { intakeRoutes } from '../modules/routing/intake.routes.js';
import { routingRoutes } from '../modules/routing/routing.routes.js';
import { eventsRoutes } from '../modules/success/events.routes.js';
import { healthRoutes } from '../modules/success/health.routes.js';
import { milestoneRoutes } from '../modules/success/milestones.routes.js';
import { retentionRoutes } from '../modules/success/retention.routes.js';
import { surveyPublicRoutes } from '../modules/success/surveys.public.js';
import { surveyRoutes } from '../modules/success/surveys.routes.js';
import { authRoutes } from '../platform/auth/auth.routes.js';
import type { Clock } from '../platform/clock.js';
import { systemClock } from '../platform/clock.js';
import { registerAuthentication } from './authentication.js';
import { registerErrorHandling } from './errors.js';
import { registerInputGuards } from './input-guard.js';

export type AppDeps = { db: Db; config: Config; clock?: Clock; logger?: boolean | object };

declare module 'fastify' {
  interface FastifyInstance {
    deps: Required<Pick<AppDeps, 'db' | 'config' | 'clock'>>;
  }
}

const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Builds the whole app without listening: the server, the tests (app.inject) and benchmarks share it. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: 20 * 1024 * 1024,
    // X-Forwarded-For is believed only from a proxy on this host or a private network: a client on the
    // internet could otherwise forge it and dodge per-IP limits such as the login rate limit.
    trustProxy: 'loopback,linklocal,uniquelocal',
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.decorate('deps', { db: deps.db, config: deps.config, clock: deps.clock ?? systemClock });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
      },
    },
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Revline API', version: '1', description: 'The revenue engine: CRM, routing, funnel, quotas, comp.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'revline_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerErrorHandling(app);
  registerAuthentication(app);
  registerInputGuards(app);

  await app.register(
    async (api) => {
      api.get('/health', { config: { public: true }, schema: { tags: ['platform'] } }, async () => {
        await deps.db.query('select 1');
        return { status: 'ok', database: deps.db.kind };
      });
      await api.register(authRoutes);
      await api.register(orgRoutes);
      await api.register(crmRoutes);
      await api.register(intakeRoutes);
      await api.register(routingRoutes);
      await api.register(notifyRoutes);
      await api.register(analyticsRoutes);
      await api.register(quotaRoutes);
      await api.register(calibrationRoutes);
      await api.register(capacityRoutes);
      await api.register(eventsRoutes);
      await api.register(milestoneRoutes);
      await api.register(healthRoutes);
      await api.register(retentionRoutes);
      await api.register(surveyRoutes);
      await api.register(compRoutes);
      await api.register(compLevelsRoutes);
      await api.register(compWhatIfRoutes);
    },
    { prefix: '/api/v1' },
  );
  // Pages a buyer opens from a survey email: public, server-rendered, no web app needed.
  await app.register(surveyPublicRoutes);

  await registerWebApp(app);
  return app;
}

/**
 * The React app's build is served by the same server; unknown non-API paths get index.html (client routing).
 * Fastify takes one not-found handler per prefix, so this is the only one: API paths get the JSON 404.
 */
async function registerWebApp(app: FastifyInstance) {
  const built = fs.existsSync(path.join(WEB_DIST, 'index.html'));
  if (built) await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: ['index.html'] });
  else app.get('/', async (_req, reply) => reply.type('text/plain').send('The web app is not built: run npm run build:web'));
  app.setNotFoundHandler((req, reply) => {
    if (built && req.method === 'GET' && !req.url.startsWith('/api/')) return reply.sendFile('index.html');
    return reply.status(404).send({ error: { code: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}` } });
  });
}
