import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { who } from '../../server/authentication.js';
import * as s from './surveys.schema.js';
import * as surveys from './surveys.service.js';

/** Buyer survey results, the rep rating leaderboard and the survey settings; the service checks role and workspace. */
export const surveyRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock, config } = app.deps;
  const tags = ['success'];
  app.get('/surveys', { schema: { tags, querystring: s.surveyListQuery } }, async (req) => surveys.listSurveys(db, who(req), req.query));
  app.get('/surveys/leaderboard', { schema: { tags, querystring: s.leaderboardQuery } }, async (req) =>
    surveys.leaderboard(db, who(req), req.query, clock.now()),
  );
  app.get('/surveys/settings', { schema: { tags } }, async (req) => surveys.getSettings(db, who(req), config));
  app.put('/surveys/settings', { schema: { tags, body: s.settingsPut } }, async (req) =>
    surveys.putSettings(db, who(req), req.body, config, clock.now()),
  );
  app.post('/surveys/:id/resend', { schema: { tags, params: s.idParams } }, async (req, reply) => {
    reply.status(202);
    return surveys.resendSurvey(db, who(req), req.params.id, config, clock.now());
  });
};
