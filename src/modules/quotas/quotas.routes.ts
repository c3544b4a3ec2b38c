import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { who } from '../../server/authentication.js';
import * as s from './quotas.schema.js';
import * as quotas from './quotas.service.js';

/** Quotas, the ramp setting and live attainment; each call checks role and workspace in the service. */
export const quotaRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.deps;
  const tags = ['quotas'];
  app.get('/quotas', { schema: { tags, querystring: s.quotaListQuery } }, async (req) => ({
    items: await quotas.listQuotas(db, who(req), req.query),
  }));
  app.put('/quotas', { schema: { tags, body: s.quotaPut } }, async (req, reply) => {
    const r = await quotas.setQuota(db, who(req), req.body);
    reply.status(r.created ? 201 : 200);
    return r.quota;
  });
  app.delete('/quotas/:id', { schema: { tags, params: s.idParams } }, async (req, reply) => {
    await quotas.deleteQuota(db, who(req), req.params.id);
    return reply.status(204).send();
  });
  app.get('/quotas/attainment', { schema: { tags, querystring: s.attainmentQuery } }, async (req) =>
    quotas.quotaAttainment(db, who(req), req.query, clock.now()),
  );
  app.get('/quotas/settings', { schema: { tags } }, async (req) => quotas.getRamp(db, who(req)));
  app.put('/quotas/settings', { schema: { tags, body: s.rampPut } }, async (req) => quotas.setRamp(db, who(req), req.body));
};
