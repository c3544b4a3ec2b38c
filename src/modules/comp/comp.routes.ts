import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { who } from '../../server/authentication.js';
import * as assignments from './assignments.service.js';
import * as s from './comp.schema.js';
import * as periods from './periods.service.js';
import { planDocument } from './plan.schema.js';
import * as plans from './plans.service.js';
import * as runs from './runs.service.js';
import { statementHtml } from './statement.html.js';
import * as statements from './statements.service.js';

/** Compensation: plans, assignments, splits, runs, periods, adjustments and statements. Each service checks role and scope. */
export const compRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.deps;
  const tags = ['comp'];

  app.get('/comp/plans', { schema: { tags } }, async (req) => ({ items: await plans.listPlans(db, who(req)) }));
  app.post('/comp/plans', { schema: { tags, body: planDocument } }, async (req, reply) => {
    reply.status(201);
    return plans.createDraft(db, who(req), req.body);
  });
  app.get('/comp/plans/:key', { schema: { tags, params: s.planKeyParams } }, async (req) => ({
    items: await plans.listPlans(db, who(req), req.params.key),
  }));
  app.get(
    '/comp/plans/:key/export',
    { schema: { tags, params: s.planKeyParams } },
    async (req) => (await plans.exportPlan(db, who(req), req.params.key)).document,
  );
  app.get('/comp/plans/:key/versions/:version', { schema: { tags, params: s.planVersionParams } }, async (req) =>
    plans.getPlanVersion(db, who(req), req.params.key, req.params.version),
  );
  app.put('/comp/plans/:key/versions/:version', { schema: { tags, params: s.planVersionParams, body: planDocument } }, async (req) =>
    plans.updateDraft(db, who(req), req.params.key, req.params.version, req.body),
  );
  app.delete('/comp/plans/:key/versions/:version', { schema: { tags, params: s.planVersionParams } }, async (req, reply) => {
    await plans.deleteDraft(db, who(req), req.params.key, req.params.version);
    return reply.status(204).send();
  });
  app.post(
    '/comp/plans/:key/versions/:version/publish',
    { schema: { tags, params: s.planVersionParams, body: s.publishBody } },
    async (req) => plans.publishVersion(db, who(req), req.params.key, req.params.version, req.body.effectiveFrom),
  );

  app.get('/comp/assignments', { schema: { tags, querystring: s.assignmentQuery } }, async (req) => ({
    items: await assignments.listAssignments(db, who(req), req.query),
  }));
  app.post('/comp/assignments', { schema: { tags, body: s.assignmentBody } }, async (req, reply) => {
    reply.status(201);
    return assignments.createAssignment(db, who(req), req.body);
  });
  app.patch('/comp/assignments/:id', { schema: { tags, params: s.uuidParams, body: s.assignmentPatch } }, async (req) =>
    assignments.setAssignmentEnd(db, who(req), req.params.id, req.body.to),
  );
  app.delete('/comp/assignments/:id', { schema: { tags, params: s.uuidParams } }, async (req, reply) => {
    await assignments.deleteAssignment(db, who(req), req.params.id);
    return reply.status(204).send();
  });

  app.get('/comp/splits/:opportunityId', { schema: { tags, params: s.opportunityParams } }, async (req) =>
    assignments.getSplits(db, who(req), req.params.opportunityId),
  );
  app.put('/comp/splits/:opportunityId', { schema: { tags, params: s.opportunityParams, body: s.splitsBody } }, async (req) =>
    assignments.setSplits(db, who(req), req.params.opportunityId, req.body.credits),
  );

  app.get('/comp/runs', { schema: { tags } }, async (req) => ({ items: await runs.listRuns(db, who(req)) }));
  app.post('/comp/runs', { schema: { tags, body: s.runBody } }, async (req) => runs.runComp(db, who(req), req.body, clock.now()));

  app.get('/comp/periods', { schema: { tags } }, async (req) => ({ items: await periods.listPeriods(db, who(req)) }));
  app.post('/comp/periods/:period/close', { schema: { tags, params: s.monthParam } }, async (req) =>
    periods.closePeriod(db, who(req), req.params.period, clock.now()),
  );
  app.post('/comp/adjustments', { schema: { tags, body: s.adjustmentBody } }, async (req, reply) => {
    reply.status(201);
    return periods.addAdjustment(db, who(req), req.body, clock.now());
  });

  app.get('/comp/statements', { schema: { tags, querystring: s.statementQuery } }, async (req) =>
    statements.statement(db, who(req), req.query, clock.now()),
  );
  app.get('/comp/statements/summary', { schema: { tags, querystring: s.summaryQuery } }, async (req) =>
    statements.statementSummaries(db, who(req), req.query),
  );
  app.get('/comp/statements.csv', { schema: { tags, querystring: s.statementsQuery } }, async (req, reply) => {
    const { label, csv } = await statements.statementsCsv(db, who(req), req.query);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="comp-${label}.csv"`).send(csv);
  });
  app.get('/comp/statements/print', { schema: { tags, querystring: s.statementQuery } }, async (req, reply) => {
    const statement = await statements.statement(db, who(req), req.query, clock.now());
    return reply.type('text/html; charset=utf-8').send(statementHtml(statement));
  });
  app.get('/comp/lines/:id', { schema: { tags, params: s.idParams } }, async (req) => statements.ledgerLine(db, who(req), req.params.id));
};
