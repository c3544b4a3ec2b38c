import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../../platform/audit.js';
import { requirePermission } from '../../platform/auth/authenticate.js';
import { idParams, isoDateTime } from '../../platform/http/zod-common.js';
import { who } from '../../server/authentication.js';
import { SEGMENTS } from '../org/org.core.js';
import { claimLead } from './claim.service.js';
import { acceptHandoff, handOffLead, sendBackHandoff } from './handoff.service.js';
import { putScorecard, qualificationHistory, qualifyLead } from './qualify.service.js';
import { resolveDuplicate } from './review.service.js';
import * as s from './routing.schema.js';
import { getRoutingConfig, previewRouting, saveRules, updateRoutingSettings } from './routing.service.js';
import { handoffInbox, reviewList, sdrQueue, slaBreaches } from './routing.views.js';
import { getScorecard, rotateFormKey } from './settings.repo.js';

export const routingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.deps;
  const tags = ['routing'];

  app.get('/routing/config', { schema: { tags } }, async (req) => getRoutingConfig(db, who(req)));
  app.patch('/routing/settings', { schema: { tags, body: s.settingsPatch } }, async (req) => updateRoutingSettings(db, who(req), req.body));
  app.put('/routing/rules', { schema: { tags, body: s.rulesPut } }, async (req) => ({
    items: await saveRules(db, who(req), req.body.stage, req.body.rules),
  }));
  app.post('/routing/preview', { schema: { tags, body: s.previewBody } }, async (req) =>
    previewRouting(db, who(req), req.body as never, clock.now()),
  );
  app.post('/routing/form-key/rotate', { schema: { tags } }, async (req) => {
    const p = who(req);
    requirePermission(p, 'org:write');
    await db.transaction(async (tx) => {
      await rotateFormKey(tx, p.workspaceId);
      await audit(tx, p, { workspaceId: p.workspaceId, action: 'routing.form_key_rotate', recordType: 'routing_settings', recordId: null });
    });
    return getRoutingConfig(db, p);
  });
  app.get(
    '/routing/breaches',
    {
      schema: {
        tags,
        querystring: z.object({ from: isoDateTime, to: isoDateTime, limit: z.coerce.number().int().min(1).max(1000).default(200) }),
      },
    },
    async (req) => slaBreaches(db, who(req), req.query),
  );

  const segmentParams = z.object({ segment: z.enum(SEGMENTS) });
  app.get('/scorecards/:segment', { schema: { tags: ['qualification'], params: segmentParams } }, async (req) => {
    requirePermission(who(req), 'crm:read');
    return getScorecard(db, who(req).workspaceId, req.params.segment);
  });
  app.put('/scorecards/:segment', { schema: { tags: ['qualification'], params: segmentParams, body: s.scorecardPut } }, async (req) =>
    putScorecard(db, who(req), req.params.segment, req.body),
  );
  app.post('/leads/:id/qualification', { schema: { tags: ['qualification'], params: idParams, body: s.qualifyBody } }, async (req) =>
    qualifyLead(db, who(req), req.params.id, req.body.answers, clock.now()),
  );
  app.get('/leads/:id/qualification', { schema: { tags: ['qualification'], params: idParams } }, async (req) => ({
    items: await qualificationHistory(db, who(req), req.params.id),
  }));

  app.post('/leads/:id/handoff', { schema: { tags: ['handoff'], params: idParams, body: s.handoffBody } }, async (req, reply) => {
    reply.status(201);
    return handOffLead(db, who(req), req.params.id, req.body, clock.now());
  });
  app.get(
    '/handoffs',
    {
      schema: {
        tags: ['handoff'],
        querystring: z.object({
          status: z
            .string()
            .default('pending')
            .transform((v) => v.split(','))
            .pipe(z.array(z.enum(['pending', 'accepted', 'sent_back', 'escalated']))),
          leadId: z.uuid().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
    },
    async (req) => ({ items: await handoffInbox(db, who(req), req.query) }),
  );
  app.post('/handoffs/:id/accept', { schema: { tags: ['handoff'], params: idParams } }, async (req) =>
    acceptHandoff(db, who(req), req.params.id, clock.now()),
  );
  app.post('/handoffs/:id/send-back', { schema: { tags: ['handoff'], params: idParams, body: s.sendBackBody } }, async (req) =>
    sendBackHandoff(db, who(req), req.params.id, req.body.reason, clock.now()),
  );

  app.get(
    '/sdr/queue',
    {
      schema: {
        tags: ['leads'],
        querystring: z.object({
          direction: z.enum(['inbound', 'outbound']).optional(),
          includeQueues: z
            .enum(['true', 'false'])
            .default('true')
            .transform((v) => v === 'true'),
          limit: z.coerce.number().int().min(1).max(500).default(200),
        }),
      },
    },
    async (req) => ({ items: await sdrQueue(db, who(req), req.query) }),
  );

  app.post('/leads/:id/claim', { schema: { tags: ['leads'], params: idParams } }, async (req) => claimLead(db, who(req), req.params.id));
  app.get(
    '/leads/review',
    { schema: { tags: ['leads'], querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) } },
    async (req) => ({
      items: await reviewList(db, who(req), req.query.limit),
    }),
  );
  app.post(
    '/leads/:id/review',
    { schema: { tags: ['leads'], params: idParams, body: z.strictObject({ decision: z.enum(['keep', 'merge']) }) } },
    async (req) => resolveDuplicate(db, who(req), req.params.id, req.body.decision),
  );
};
