import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePermission } from '../../platform/auth/authenticate.js';
import { who } from '../../server/authentication.js';
import * as s from './analytics.schema.js';
import { repCoaching, teamCoaching } from './coaching.service.js';
import { funnelReport } from './funnel.service.js';
import { drillRecords, openDeals } from './records.service.js';
import { bounds, trend, velocityDistribution } from './trends.service.js';

/** Funnel analytics and coaching: read-only, scoped to what the caller may see (scope.ts). */
export const analyticsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.deps;
  const tags = ['analytics'];
  const reader = (req: Parameters<typeof who>[0]) => {
    const p = who(req);
    requirePermission(p, 'crm:read');
    return p;
  };
  app.get('/analytics/funnel', { schema: { tags, querystring: s.funnelQuery } }, async (req) =>
    funnelReport(db, reader(req), req.query, clock.now()),
  );
  app.get('/analytics/trend', { schema: { tags, querystring: s.trendQuery } }, async (req) =>
    trend(db, reader(req), req.query, clock.now()),
  );
  app.get('/analytics/velocity', { schema: { tags, querystring: s.velocityQuery } }, async (req) =>
    velocityDistribution(db, reader(req), req.query, clock.now()),
  );
  app.get('/analytics/coaching', { schema: { tags, querystring: s.coachingQuery } }, async (req) =>
    repCoaching(db, reader(req), req.query, clock.now()),
  );
  app.get('/analytics/coaching/team', { schema: { tags, querystring: s.coachingQuery.omit({ repId: true }) } }, async (req) =>
    teamCoaching(db, reader(req), req.query, clock.now()),
  );
  app.get('/analytics/bounds', { schema: { tags, querystring: s.boundsQuery } }, async (req) =>
    bounds(db, reader(req), req.query, clock.now()),
  );
  app.get('/analytics/records', { schema: { tags, querystring: s.recordsQuery } }, async (req) =>
    drillRecords(db, reader(req), req.query, clock.now()),
  );
  app.get('/analytics/open-deals', { schema: { tags, querystring: s.openDealsQuery } }, async (req) =>
    openDeals(db, reader(req), req.query, clock.now()),
  );
};
