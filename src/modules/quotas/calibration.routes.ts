import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { who } from '../../server/authentication.js';
import { calibration, quotaBacktest } from './calibration.service.js';

/** Shapes only: metric, periods and amounts are checked by the service so each error names its field. */
const calibrationQuery = z.object({
  metric: z.string().max(40).describe('new_arr, accepted_leads, pipeline_created, expansion_arr or grr'),
  period: z.string().trim().max(20).describe('the last period shown: 2026-Q3, 2026-07 or 2026'),
  periods: z.string().max(4).optional().describe('how many periods ending with `period`, 1-12, default 4'),
  teamId: z.uuid().optional(),
});
const amount = z.union([z.string(), z.number()]);
const backtestBody = z.object({
  metric: z.string().max(40),
  periods: z.array(z.string().max(20)).max(50),
  quota: z.object({
    amount: amount.optional(),
    byTeam: z.record(z.string().max(64), amount).optional(),
    byRep: z.record(z.string().max(64), amount).optional(),
  }),
  teamId: z.uuid().optional(),
});

/** "Everyone wins" calibration and the quota backtest (docs/quotas.md); role and scope are checked in the service. */
export const calibrationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.deps;
  const tags = ['quotas'];
  app.get('/quotas/calibration', { schema: { tags, querystring: calibrationQuery } }, async (req) =>
    calibration(db, who(req), req.query, clock.now()),
  );
  app.post('/quotas/backtest', { schema: { tags, body: backtestBody } }, async (req) => quotaBacktest(db, who(req), req.body, clock.now()));
};
