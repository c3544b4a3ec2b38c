import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { who } from '../../server/authentication.js';
import type { Level } from './levels.core.js';
import * as s from './levels.schema.js';
import * as levels from './levels.service.js';

/** The levels ladder, each rep's progress to the next level, and promotions. */
export const compLevelsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.deps;
  const tags = ['comp'];
  app.get('/comp/levels', { schema: { tags } }, async (req) => levels.getLadder(db, who(req)));
  app.put('/comp/levels', { schema: { tags, body: s.ladderBody } }, async (req) =>
    levels.setLadder(db, who(req), req.body.levels as Level[]),
  );
  app.get('/comp/levels/progress', { schema: { tags, querystring: s.progressQuery } }, async (req) =>
    levels.levelProgressOf(db, who(req), req.query, clock.now()),
  );
  app.get('/comp/levels/promotions', { schema: { tags } }, async (req) => levels.listPromotions(db, who(req)));
  app.post('/comp/levels/promotions', { schema: { tags, body: s.promotionBody } }, async (req, reply) => {
    reply.status(201);
    return levels.promote(db, who(req), req.body, clock.now());
  });
};
