import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../platform/errors.js';
import { who } from '../../server/authentication.js';
import { eventsBody, unmatchedQuery } from './events.schema.js';
import { eventsOf, ingestEvents, unmatchedEvents } from './events.service.js';

/** Usage events in (API keys with events:write, or admins), and the report of events kept for unknown accounts. */
export const eventsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.deps;
  const tags = ['usage events'];
  app.post('/events', { schema: { tags, body: eventsBody } }, async (req, reply) => {
    const { events, single } = eventsOf(req.body);
    const summary = await ingestEvents(db, who(req), events, clock.now());
    if (single) {
      const [r] = summary.results;
      // One event: its reasons are the request's field errors.
      if (r.status === 'rejected')
        throw new AppError(
          'validation_failed',
          `${r.errors![0].path || 'body'}: ${r.errors![0].message}`,
          r.errors!.map((e) => ({ ...e, path: e.path || 'body' })),
        );
      reply.status(r.status === 'accepted' ? 201 : 200);
    }
    return summary;
  });
  app.get('/events/unmatched', { schema: { tags, querystring: unmatchedQuery } }, async (req) =>
    unmatchedEvents(db, who(req), req.query.limit),
  );
};
