import formbody from '@fastify/formbody';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { systemPrincipal } from '../../platform/auth/principal.js';
import { AppError, type FieldIssue } from '../../platform/errors.js';
import { withIdempotency } from '../../platform/http/idempotency.js';
import { who } from '../../server/authentication.js';
import { leads } from '../crm/crm.resources.js';
import { leadCreate } from '../crm/crm.schema.js';
import * as records from '../crm/records.repo.js';
import { unreachable } from './intake.core.js';
import { type IntakeOutcome, intakeLeads } from './intake.service.js';
import { findSettingsByFormKey } from './settings.repo.js';

export const BATCH_MAX = 10_000;

const issuesOf = (error: z.ZodError): FieldIssue[] =>
  error.issues.map((i) => ({
    path: i.code === 'unrecognized_keys' ? [...i.path, i.keys.join(',')].join('.') : i.path.join('.') || 'lead',
    message: i.code === 'unrecognized_keys' ? 'unknown field' : i.message,
  }));

export const intakeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.deps;

  app.post(
    '/leads',
    { schema: { tags: ['leads'], body: leadCreate, headers: z.object({ 'idempotency-key': z.string().optional() }).passthrough() } },
    async (req, reply) => {
      const p = who(req);
      const result = await withIdempotency(
        db,
        p.workspaceId,
        req.headers['idempotency-key'] as string | undefined,
        req.body,
        async (tx) => {
          const [outcome] = await intakeLeads(tx, p, [req.body], clock.now());
          if (outcome.status === 'invalid')
            throw new AppError('validation_failed', `${outcome.errors[0].path}: ${outcome.errors[0].message}`, outcome.errors);
          const lead = await records.findRecord(tx, leads, p.workspaceId, outcome.leadId);
          return { statusCode: outcome.status === 'created' ? 201 : 200, body: { ...lead, intake: outcome } };
        },
      );
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(result.statusCode).send(result.body);
    },
  );

  // Each lead is validated on its own so one bad row never blocks the others; valid rows are written
  // in one transaction (all of them or, on a crash, none).
  app.post(
    '/leads/batch',
    {
      schema: { tags: ['leads'], body: z.strictObject({ leads: z.array(z.unknown()).min(1).max(BATCH_MAX) }) },
      bodyLimit: 50 * 1024 * 1024,
    },
    async (req, reply) => {
      const p = who(req);
      const result = await withIdempotency(
        db,
        p.workspaceId,
        req.headers['idempotency-key'] as string | undefined,
        req.body,
        async (tx) => {
          const results: IntakeOutcome[] = [];
          const valid: { index: number; lead: z.infer<typeof leadCreate> }[] = [];
          req.body.leads.forEach((raw, index) => {
            const parsed = leadCreate.safeParse(raw);
            if (parsed.success) valid.push({ index, lead: parsed.data });
            else results[index] = { index, status: 'invalid', errors: issuesOf(parsed.error) };
          });
          const outcomes = valid.length
            ? await intakeLeads(
                tx,
                p,
                valid.map((v) => v.lead),
                clock.now(),
              )
            : [];
          outcomes.forEach((o, i) => {
            results[valid[i].index] = { ...o, index: valid[i].index };
          });
          const counts: Record<string, number> = {};
          for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
          return { statusCode: 200, body: { counts, results } };
        },
      );
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(result.statusCode).send(result.body);
    },
  );

  await app.register(publicFormRoutes);
};

/** Fields a website form may send; `hp_website` is the honeypot (hidden from people, filled by bots). */
const formFields = z.object({
  email: z.string().max(254).optional(),
  first_name: z.string().max(100).optional(),
  last_name: z.string().max(100).optional(),
  company: z.string().max(200).optional(),
  phone: z.string().max(40).optional(),
  title: z.string().max(100).optional(),
  employees: z.string().max(10).optional(),
  country: z.string().max(2).optional(),
  channel: z.enum(['website', 'signup', 'newsletter', 'event']).optional(),
  hp_website: z.string().max(500).optional(),
  redirect: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
});

/** The public web-to-lead endpoint: per-workspace form key, rate limit per IP, honeypot. */
const publicFormRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.deps;
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  app.post(
    '/public/forms/:formKey',
    {
      config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: { tags: ['leads'], security: [], params: z.object({ formKey: z.string().min(10).max(100) }), body: formFields },
    },
    async (req, reply) => {
      const settings = await findSettingsByFormKey(db, req.params.formKey);
      if (!settings) throw new AppError('not_found', 'Unknown form key');
      const f = req.body;
      const wantsHtml = (req.headers['content-type'] ?? '').includes('form-urlencoded');
      const done = (leadId: string | null) => {
        if (f.redirect) return reply.redirect(f.redirect, 303);
        if (wantsHtml)
          return reply
            .type('text/html')
            .send('<!doctype html><meta charset="utf-8"><title>Thank you</title><p>Thank you, we will be in touch soon.</p>');
        return reply.send({ ok: true, leadId });
      };
      // Bots fill every field; people never see this one. Answer as if accepted, write nothing.
      if (f.hp_website) {
        req.log.info({ formKey: req.params.formKey }, 'web form honeypot triggered');
        return done(null);
      }
      const parsed = leadCreate.safeParse({
        email: f.email || undefined,
        firstName: f.first_name || undefined,
        lastName: f.last_name || undefined,
        company: f.company || undefined,
        phone: f.phone || undefined,
        title: f.title || undefined,
        employees: f.employees ? Number(f.employees) : undefined,
        country: f.country || undefined,
        channel: f.channel ?? 'website',
      });
      if (!parsed.success) throw new AppError('validation_failed', 'Please check the form', issuesOf(parsed.error));
      const problem = unreachable(parsed.data);
      if (problem) throw new AppError('validation_failed', `${problem.path}: ${problem.message}`, [problem]);
      const [outcome] = await intakeLeads(db, systemPrincipal(settings.workspaceId), [parsed.data], clock.now());
      return done(outcome.status === 'invalid' ? null : outcome.leadId);
    },
  );
};
