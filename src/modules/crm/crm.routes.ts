import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams } from '../../platform/http/zod-common.js';
import { who } from '../../server/authentication.js';
import { accounts, contacts, opportunities, subscriptions } from './crm.resources.js';
import * as s from './crm.schema.js';
import * as deals from './deals.service.js';
import * as leadsService from './leads.service.js';
import { getFor, listFor } from './records.service.js';
import { viewRoutes } from './views.routes.js';

export const crmRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  await app.register(viewRoutes);

  // Leads
  app.get('/leads', { schema: { tags: ['leads'], querystring: s.leadListQuery } }, async (req) =>
    leadsService.listLeads(db, who(req), req.query),
  );
  app.get('/leads/:id', { schema: { tags: ['leads'], params: idParams } }, async (req) =>
    leadsService.getLead(db, who(req), req.params.id),
  );
  app.patch('/leads/:id', { schema: { tags: ['leads'], params: idParams, body: s.leadPatch } }, async (req) =>
    leadsService.updateLead(db, who(req), req.params.id, req.body),
  );
  app.post('/leads/:id/status', { schema: { tags: ['leads'], params: idParams, body: s.leadStatusChange } }, async (req) =>
    leadsService.changeLeadStatus(db, who(req), req.params.id, req.body.status, req.body.reason),
  );
  app.post('/leads/:id/convert', { schema: { tags: ['leads'], params: idParams, body: s.leadConvert } }, async (req) =>
    leadsService.convertLead(db, who(req), req.params.id, req.body),
  );

  // Accounts
  app.get('/accounts', { schema: { tags: ['accounts'], querystring: s.accountListQuery } }, async (req) => {
    const q = req.query;
    const p = who(req);
    return listFor(db, p, accounts, q, (w) => {
      if (q.segment) w.add(`segment = any(${w.param(q.segment)})`);
      for (const [key, col] of [
        ['ownerId', 'owner_id'],
        ['csmId', 'csm_id'],
      ] as const) {
        const v = q[key];
        if (v === 'none') w.add(`${col} is null`);
        else if (v) w.add(`${col} = ${w.param(v === 'me' ? p.userId : v)}`);
      }
      if (q.q)
        w.add(`(lower(name) like ${w.param(`%${q.q.toLowerCase()}%`)} or domain_normalized like ${w.param(`%${q.q.toLowerCase()}%`)})`);
    });
  });
  app.get('/accounts/:id', { schema: { tags: ['accounts'], params: idParams } }, async (req) =>
    getFor(db, who(req), accounts, req.params.id),
  );
  app.post('/accounts', { schema: { tags: ['accounts'], body: s.accountCreate } }, async (req, reply) => {
    reply.status(201);
    return deals.createAccount(db, who(req), req.body);
  });
  app.patch('/accounts/:id', { schema: { tags: ['accounts'], params: idParams, body: s.accountPatch } }, async (req) =>
    deals.updateAccount(db, who(req), req.params.id, req.body),
  );

  // Contacts
  app.get('/contacts', { schema: { tags: ['contacts'], querystring: s.contactListQuery } }, async (req) => {
    const q = req.query;
    const p = who(req);
    return listFor(db, p, contacts, q, (w) => {
      if (q.accountId) w.add(`account_id = ${w.param(q.accountId)}`);
      if (q.ownerId === 'none') w.add('owner_id is null');
      else if (q.ownerId) w.add(`owner_id = ${w.param(q.ownerId === 'me' ? p.userId : q.ownerId)}`);
      if (q.q) {
        const like = w.param(`%${q.q.toLowerCase()}%`);
        w.add(`(email_normalized like ${like} or lower(coalesce(first_name,'') || ' ' || coalesce(last_name,'')) like ${like})`);
      }
    });
  });
  app.get('/contacts/:id', { schema: { tags: ['contacts'], params: idParams } }, async (req) =>
    getFor(db, who(req), contacts, req.params.id),
  );
  app.post('/contacts', { schema: { tags: ['contacts'], body: s.contactCreate } }, async (req, reply) => {
    reply.status(201);
    return deals.createContact(db, who(req), req.body);
  });
  app.patch('/contacts/:id', { schema: { tags: ['contacts'], params: idParams, body: s.contactPatch } }, async (req) =>
    deals.updateContact(db, who(req), req.params.id, req.body),
  );

  // Opportunities
  app.get('/opportunities', { schema: { tags: ['opportunities'], querystring: s.opportunityListQuery } }, async (req) => {
    const q = req.query;
    const p = who(req);
    return listFor(db, p, opportunities, q, (w) => {
      if (q.stage) w.add(`stage = any(${w.param(q.stage.split(',').map((x) => x.trim()))})`);
      if (q.segment) w.add(`segment = any(${w.param(q.segment)})`);
      if (q.sourceType) w.add(`source_type = any(${w.param(q.sourceType)})`);
      if (q.accountId) w.add(`account_id = ${w.param(q.accountId)}`);
      if (q.ownerId === 'none') w.add('owner_id is null');
      else if (q.ownerId) w.add(`owner_id = ${w.param(q.ownerId === 'me' ? p.userId : q.ownerId)}`);
      if (q.q) w.add(`lower(name) like ${w.param(`%${q.q.toLowerCase()}%`)}`);
    });
  });
  app.get('/opportunities/:id', { schema: { tags: ['opportunities'], params: idParams } }, async (req) =>
    getFor(db, who(req), opportunities, req.params.id),
  );
  app.post('/opportunities', { schema: { tags: ['opportunities'], body: s.opportunityCreate } }, async (req, reply) => {
    reply.status(201);
    return deals.createOpportunity(db, who(req), req.body);
  });
  app.patch('/opportunities/:id', { schema: { tags: ['opportunities'], params: idParams, body: s.opportunityPatch } }, async (req) =>
    deals.updateOpportunity(db, who(req), req.params.id, req.body),
  );
  app.post('/opportunities/:id/stage', { schema: { tags: ['opportunities'], params: idParams, body: s.stageChange } }, async (req) =>
    deals.changeStage(db, who(req), req.params.id, req.body.stage, req.body.lostReason),
  );

  // Subscriptions
  app.get('/subscriptions', { schema: { tags: ['subscriptions'], querystring: s.subscriptionListQuery } }, async (req) => {
    const q = req.query;
    return listFor(db, who(req), subscriptions, q, (w) => {
      if (q.accountId) w.add(`account_id = ${w.param(q.accountId)}`);
      if (q.status) w.add(`status = any(${w.param(q.status)})`);
      if (q.renewalBefore) w.add(`renewal_date < ${w.param(q.renewalBefore)}`);
    });
  });
  app.get('/subscriptions/:id', { schema: { tags: ['subscriptions'], params: idParams } }, async (req) =>
    getFor(db, who(req), subscriptions, req.params.id),
  );
  app.post('/subscriptions', { schema: { tags: ['subscriptions'], body: s.subscriptionCreate } }, async (req, reply) => {
    reply.status(201);
    return deals.createSubscription(db, who(req), req.body);
  });
  app.patch('/subscriptions/:id', { schema: { tags: ['subscriptions'], params: idParams, body: s.subscriptionPatch } }, async (req) =>
    deals.updateSubscription(db, who(req), req.params.id, req.body),
  );

  // Activities, history, web events
  app.get('/activities', { schema: { tags: ['activities'], querystring: s.activityListQuery } }, async (req) =>
    deals.listActivities(db, who(req), req.query),
  );
  app.post('/activities', { schema: { tags: ['activities'], body: s.activityCreate } }, async (req, reply) => {
    reply.status(201);
    return deals.createActivity(db, who(req), req.body);
  });
  app.get('/history', { schema: { tags: ['history'], querystring: s.historyQuery } }, async (req) => ({
    items: await deals.history(db, who(req), req.query.recordType, req.query.recordId),
  }));
  app.post('/web-events', { schema: { tags: ['web events'], body: s.webEventCreate } }, async (req, reply) => {
    reply.status(201);
    return deals.recordWebEvent(db, who(req), req.body);
  });
};
