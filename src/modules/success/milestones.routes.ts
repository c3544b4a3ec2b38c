import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

// Scaffolding: replaced by the module's real routes.
export const milestoneRoutes: FastifyPluginAsyncZod = async () => {};
