import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { who } from '../../server/authentication.js';
import * as s from './health.schema.js';
import { accountSuccess, getHealthSettings, putHealthSettings, successAccounts } from './health.service.js';
import type { RenewalWindow } from './renewals.core.js';
import { recordRenewal, renewalsPipeline } from './renewals.service.js';
import { closeTask, listTasks } from './tasks.service.js';

/** Health, signals' tasks and renewals (docs/health-and-signals.md); each service checks role and scope. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.deps;
  const tags = ['success'];
  app.get('/success/settings', { schema: { tags } }, async (req) => getHealthSettings(db, who(req)));
  app.put('/success/settings', { schema: { tags, body: s.healthSettingsPut } }, async (req) => putHealthSettings(db, who(req), req.body));
  app.get('/success/accounts', { schema: { tags, querystring: s.successAccountsQuery } }, async (req) =>
    successAccounts(db, who(req), req.query, clock.now()),
  );
  app.get('/accounts/:id/success', { schema: { tags, params: s.idParams } }, async (req) =>
    accountSuccess(db, who(req), req.params.id, clock.now()),
  );
  app.get('/success/tasks', { schema: { tags, querystring: s.tasksQuery } }, async (req) => listTasks(db, who(req), req.query));
  app.patch('/success/tasks/:id', { schema: { tags, params: s.idParams, body: s.taskPatch } }, async (req) =>
    closeTask(db, who(req), req.params.id, req.body.status, clock.now()),
  );
  app.get('/renewals', { schema: { tags, querystring: s.renewalsQuery } }, async (req) =>
    renewalsPipeline(db, who(req), { window: req.query.window as RenewalWindow }, clock.now()),
  );
  app.post(
    '/subscriptions/:id/renewal',
    {
      schema: {
        tags,
        params: s.idParams,
        body: s.renewalPost,
        headers: s.idempotencyHeaders,
        description: 'Records a renewal (new ARR, next renewal date) or a churn; send an Idempotency-Key to make retries safe.',
      },
    },
    async (req, reply) => {
      const r = await recordRenewal(db, who(req), req.params.id, req.body, req.headers['idempotency-key'], clock.now());
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(r.statusCode).send(r.body);
    },
  );
};
