import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { who } from '../../server/authentication.js';
import * as discussion from './discussion.service.js';
import * as s from './levels.schema.js';
import { whatIf } from './whatif.service.js';

/** Co-design of a plan: the what-if simulation of a version, and the discussion of a draft. */
export const compWhatIfRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.deps;
  const tags = ['comp'];
  app.get('/comp/whatif', { schema: { tags, querystring: s.whatIfQuery } }, async (req) => whatIf(db, who(req), req.query, clock.now()));
  app.get('/comp/plans/:key/versions/:version/comments', { schema: { tags, params: s.commentParams } }, async (req) =>
    discussion.listComments(db, who(req), req.params.key, req.params.version),
  );
  app.post(
    '/comp/plans/:key/versions/:version/comments',
    { schema: { tags, params: s.commentParams, body: s.commentBody } },
    async (req, reply) => {
      reply.status(201);
      return discussion.addComment(db, who(req), req.params.key, req.params.version, req.body);
    },
  );
};
