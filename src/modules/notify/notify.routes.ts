import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { who } from '../../server/authentication.js';
import { listNotifications, markRead } from './notify.service.js';

export const notifyRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  const me = (req: Parameters<typeof who>[0]) => {
    const p = who(req);
    if (!p.userId) throw new AppError('bad_request', 'Notifications belong to users; API keys have none');
    return p;
  };
  app.get(
    '/notifications',
    {
      schema: {
        tags: ['notifications'],
        querystring: z.object({
          unread: z
            .enum(['true', 'false'])
            .default('false')
            .transform((v) => v === 'true'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (req) => {
      const p = me(req);
      return { items: await listNotifications(db, p.workspaceId, p.userId!, { unreadOnly: req.query.unread, limit: req.query.limit }) };
    },
  );
  app.post(
    '/notifications/read',
    {
      schema: {
        tags: ['notifications'],
        body: z.strictObject({ ids: z.union([z.literal('all'), z.array(z.number().int().positive()).max(500)]) }),
      },
    },
    async (req) => {
      const p = me(req);
      await markRead(db, p.workspaceId, p.userId!, req.body.ids);
      return { ok: true };
    },
  );
};
