import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../platform/auth/authenticate.js';
import { notFound } from '../../platform/errors.js';
import { idParams, uuid } from '../../platform/http/zod-common.js';
import { who } from '../../server/authentication.js';
import { ROLES } from './org.core.js';
import * as repo from './org.repo.js';
import { apiKeyCreate, segmentsPut, teamCreate, teamPatch, userCreate, userPatch, workspacePatch } from './org.schema.js';
import * as org from './org.service.js';

export const orgRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  const tags = ['organisation'];

  app.get('/workspace', { schema: { tags } }, async (req) => org.getWorkspace(db, who(req)));
  app.patch('/workspace', { schema: { tags, body: workspacePatch } }, async (req) => org.updateWorkspace(db, who(req), req.body));
  app.get('/segments', { schema: { tags } }, async (req) => {
    requirePermission(who(req), 'org:read');
    return { items: await repo.getSegments(db, who(req).workspaceId) };
  });
  app.put('/segments', { schema: { tags, body: segmentsPut } }, async (req) => ({ items: await org.setSegments(db, who(req), req.body) }));

  app.get(
    '/users',
    { schema: { tags, querystring: z.object({ role: z.enum(ROLES).optional(), teamId: uuid.optional() }) } },
    async (req) => {
      const p = who(req);
      requirePermission(p, 'org:read');
      return { items: await repo.listUsers(db, p.workspaceId, req.query) };
    },
  );
  app.get('/users/:id', { schema: { tags, params: idParams } }, async (req) => {
    const p = who(req);
    requirePermission(p, 'org:read');
    const u = await repo.findUser(db, p.workspaceId, req.params.id);
    if (!u) throw notFound('User');
    return u;
  });
  app.post('/users', { schema: { tags, body: userCreate } }, async (req, reply) => {
    const p = who(req);
    reply.status(201);
    return org.createUser(db, p, p.workspaceId, req.body);
  });
  app.patch('/users/:id', { schema: { tags, params: idParams, body: userPatch } }, async (req) =>
    org.updateUser(db, who(req), req.params.id, req.body),
  );

  app.get('/teams', { schema: { tags } }, async (req) => {
    const p = who(req);
    requirePermission(p, 'org:read');
    return { items: await repo.listTeams(db, p.workspaceId) };
  });
  app.post('/teams', { schema: { tags, body: teamCreate } }, async (req, reply) => {
    reply.status(201);
    return org.createTeam(db, who(req), req.body);
  });
  app.patch('/teams/:id', { schema: { tags, params: idParams, body: teamPatch } }, async (req) =>
    org.updateTeam(db, who(req), req.params.id, req.body),
  );

  app.get('/api-keys', { schema: { tags } }, async (req) => {
    const p = who(req);
    requirePermission(p, 'apikeys:manage');
    return { items: await repo.listApiKeys(db, p.workspaceId) };
  });
  app.post('/api-keys', { schema: { tags, body: apiKeyCreate } }, async (req, reply) => {
    const p = who(req);
    reply.status(201);
    return org.createApiKey(db, p, p.workspaceId, req.body);
  });
  app.delete('/api-keys/:id', { schema: { tags, params: idParams } }, async (req, reply) => {
    await org.revokeApiKey(db, who(req), req.params.id);
    return reply.status(204).send();
  });

  app.get(
    '/audit-log',
    {
      schema: {
        tags,
        querystring: z.object({
          recordType: z.string().max(40).optional(),
          recordId: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          before: z.coerce.number().int().positive().optional(),
        }),
      },
    },
    async (req) => ({ items: await org.listAudit(db, who(req), req.query) }),
  );
};
