import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { who } from '../../server/authentication.js';
import * as views from './views.service.js';

/** Read-only aggregates the screens need (board totals, team overview). */
export const viewRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  app.get(
    '/opportunities/summary',
    { schema: { tags: ['opportunities'], querystring: z.object({ ownerId: z.union([z.literal('me'), z.uuid()]).optional() }) } },
    async (req) => ({ items: await views.pipelineSummary(db, who(req), req.query) }),
  );
  app.get('/team/overview', { schema: { tags: ['team'], querystring: z.object({ teamId: z.uuid().optional() }) } }, async (req) => ({
    items: await views.teamOverview(db, who(req), req.query),
  }));
};
