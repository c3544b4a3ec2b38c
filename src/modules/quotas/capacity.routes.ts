import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { who } from '../../server/authentication.js';
import type { CapacityAssumptions } from './capacity.core.js';
import { capacityDefaults, planCapacity } from './capacity.service.js';

const decimal = z.string().trim().max(20);
const num = z.number();
/** The shape only; what is possible (rates in (0, 1], shares adding up to 1, a ramp reaching 100%) is the core's job. */
const assumptions = z.object({
  targetArr: decimal,
  startMonth: z.string().max(7),
  months: z.number().int().optional(),
  segments: z
    .array(
      z.object({
        id: z.string().min(1).max(20),
        share: num,
        averageDealSize: decimal,
        leadToOpportunity: num,
        opportunityToCustomer: num,
        salesCycleDays: num,
        aeQuota: z.object({ amount: decimal, per: z.enum(['month', 'year']) }),
        bestRepMonth: z.object({ deals: num.optional(), bookings: decimal.optional() }).optional(),
      }),
    )
    .max(10),
  ramp: z.array(num).max(24),
  expectedAttainment: num,
  monthlyAttrition: num,
  sdrProductivity: num,
  csmCoverage: z.union([z.object({ customersPerCsm: num }), z.object({ arrPerCsm: decimal })]),
  currentHeadcount: z.object({ sdr: z.number().int(), csm: z.number().int(), ae: z.record(z.string(), z.number().int()) }),
  currentBase: z.object({ customers: z.number().int().optional(), arr: decimal.optional() }).optional(),
  ote: z.object({ sdr: decimal, csm: decimal, ae: z.record(z.string(), decimal) }),
});

/** Capacity planning: assumptions from the workspace's own funnel, and the headcount plan they imply. */
export const capacityRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.deps;
  const tags = ['planning'];
  app.get('/plans/capacity/defaults', { schema: { tags } }, async (req) => capacityDefaults(db, who(req), clock.now()));
  app.post('/plans/capacity', { schema: { tags, body: assumptions } }, async (req) =>
    planCapacity(who(req), req.body as CapacityAssumptions),
  );
};
