import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { who } from '../../server/authentication.js';
import { retentionQuery, retentionTrendQuery } from './retention.schema.js';
import { retentionReport, retentionTrend } from './retention.service.js';

/** GRR, NRR and logo churn (docs/retention.md): read-only; the service checks permission and scope. */
export const retentionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.deps;
  const tags = ['success'];
  app.get('/retention', { schema: { tags, querystring: retentionQuery } }, async (req) =>
    retentionReport(db, who(req), req.query, clock.now()),
  );
  app.get('/retention/trend', { schema: { tags, querystring: retentionTrendQuery } }, async (req) =>
    retentionTrend(db, who(req), req.query, clock.now()),
  );
};
