import type { FastifyPluginAsync } from 'fastify';

// Scaffolding: the public survey pages (rating links, comment, unsubscribe), outside /api/v1.
export const surveyPublicRoutes: FastifyPluginAsync = async () => {};
