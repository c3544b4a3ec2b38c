import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams } from '../../platform/http/zod-common.js';
import { who } from '../../server/authentication.js';
import { accountMilestonesQuery, milestoneCreate, milestoneUpdate } from './milestones.schema.js';
import * as milestones from './milestones.service.js';

/** Aha milestones: definitions (admins and sales ops write), templates, and accounts' progress (scoped like accounts). */
export const milestoneRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.deps;
  const tags = ['milestones'];
  app.get('/milestones', { schema: { tags } }, async (req) => ({ items: await milestones.listMilestones(db, who(req)) }));
  app.get('/milestones/templates', { schema: { tags } }, async () => ({ items: milestones.templates() }));
  app.get('/milestones/accounts', { schema: { tags, querystring: accountMilestonesQuery } }, async (req) =>
    milestones.listAccountMilestones(db, who(req), req.query),
  );
  app.post('/milestones', { schema: { tags, body: milestoneCreate } }, async (req, reply) => {
    reply.status(201);
    return milestones.createMilestone(db, who(req), req.body, clock.now());
  });
  app.get('/milestones/:id', { schema: { tags, params: idParams } }, async (req) => milestones.getMilestone(db, who(req), req.params.id));
  app.patch('/milestones/:id', { schema: { tags, params: idParams, body: milestoneUpdate } }, async (req) =>
    milestones.updateMilestone(db, who(req), req.params.id, req.body, clock.now()),
  );
  app.delete('/milestones/:id', { schema: { tags, params: idParams } }, async (req, reply) => {
    await milestones.deleteMilestone(db, who(req), req.params.id);
    return reply.status(204).send();
  });
  app.get('/accounts/:id/milestones', { schema: { tags, params: idParams } }, async (req) => ({
    items: await milestones.accountMilestones(db, who(req), req.params.id),
  }));
};
