import { z } from 'zod';

/**
 * The body of POST /events: one event, or { events: [...] }. Each event is checked by events.core.ts, so that a
 * batch reports every bad event with its reasons instead of refusing the whole request.
 */
export const eventsBody = z
  .record(z.string(), z.unknown())
  .describe('one event ({ messageId, account, user?, event, properties?, timestamp }) or { "events": [ up to 10,000 events ] }');

export const unmatchedQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });
