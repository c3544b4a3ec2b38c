import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import { WEBHOOK_KIND } from '../../src/modules/notify/notify.service.js';
import { claim, finish } from '../../src/platform/jobs/queue.js';
import { jobHandlers } from '../../src/server/jobs.js';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

type Received = { method: string; contentType: string; body: unknown };

/** A real HTTP receiver on loopback that answers with the given statuses in turn (then 200). */
async function receiver() {
  const received: Received[] = [];
  const answers: number[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      received.push({ method: req.method!, contentType: req.headers['content-type'] ?? '', body: JSON.parse(raw) });
      res.statusCode = answers.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/revline`, received, answers, close: () => new Promise((r) => server.close(r)) };
}

/** Runs the workspace's due webhook jobs once, through the real handler, like the worker does. */
async function runWebhookJobs(db: Db, workspaceId: string) {
  // A retried job waits for its backoff; the test makes it due now instead of sleeping.
  await db.query(`update jobs set run_at = now() where kind = $1 and workspace_id = $2 and status = 'pending'`, [
    WEBHOOK_KIND,
    workspaceId,
  ]);
  for (const job of await claim(db, [WEBHOOK_KIND], 100, 60)) {
    let error: unknown = null;
    await jobHandlers(loadConfig({}))
      [job.kind](job, db)
      .catch((e) => (error = e));
    await finish(db, job, error);
  }
  return db.query<{ status: string; attempts: number; last_error: string | null }>(
    'select status, attempts, last_error from jobs where kind = $1 and workspace_id = $2 order by id',
    [WEBHOOK_KIND, workspaceId],
  );
}

describeEachDb('outgoing webhooks on assignment', (getDb) => {
  let app: FastifyInstance;
  let hook: Awaited<ReturnType<typeof receiver>>;

  beforeAll(async () => {
    app = await testApp(getDb());
    hook = await receiver();
  });
  afterAll(async () => {
    await app.close();
    await hook.close();
  });

  async function routedWorkspace() {
    const org = await seedOrg(getDb());
    const admin = await loginAs(app, org.users.admin.email);
    const rules = await admin.call('PUT', '/api/v1/routing/rules', {
      rules: [{ name: 'All to sdrA', action: { type: 'user', userId: org.users.sdrA.id } }],
    });
    expect(rules.statusCode).toBe(200);
    return { org, admin };
  }

  it('posts Slack-compatible JSON when a lead is assigned, and retries after a 500', async () => {
    const { org, admin } = await routedWorkspace();
    const patched = await admin.call('PATCH', '/api/v1/routing/settings', { webhookUrl: hook.url });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().webhookUrl).toBe(hook.url);

    const created = await admin.call('POST', '/api/v1/leads', {
      email: 'cto@initech.com',
      company: 'Initech',
      employees: 60,
      channel: 'website',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().ownerId).toBe(org.users.sdrA.id);
    // Nothing was sent inside the request: delivery is a job.
    expect(hook.received).toHaveLength(0);

    hook.answers.push(500);
    const afterFailure = await runWebhookJobs(getDb(), org.workspace.id);
    expect(afterFailure).toHaveLength(1);
    expect(afterFailure[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect(afterFailure[0].last_error).toContain('webhook answered 500');

    const afterRetry = await runWebhookJobs(getDb(), org.workspace.id);
    expect(afterRetry).toEqual([{ status: 'done', attempts: 2, last_error: null }]);
    expect(hook.received).toHaveLength(2);
    const expected = {
      text: 'New lead: Initech\nSMB · net · website',
      revline: { kind: 'lead_assigned', userId: org.users.sdrA.id, recordType: 'lead', recordId: created.json().id },
    };
    for (const r of hook.received) expect(r).toEqual({ method: 'POST', contentType: 'application/json', body: expected });

    // Done jobs are not sent again.
    await runWebhookJobs(getDb(), org.workspace.id);
    expect(hook.received).toHaveLength(2);
    hook.received.length = 0;
  });

  it('sends nothing when no webhook is configured, or after it is removed', async () => {
    const { org, admin } = await routedWorkspace();
    expect((await admin.call('POST', '/api/v1/leads', { email: 'a@globex.com', channel: 'website' })).statusCode).toBe(201);
    expect(await runWebhookJobs(getDb(), org.workspace.id)).toEqual([]);

    await admin.call('PATCH', '/api/v1/routing/settings', { webhookUrl: hook.url });
    const removed = await admin.call('PATCH', '/api/v1/routing/settings', { webhookUrl: null });
    expect(removed.json().webhookUrl).toBeNull();
    expect((await admin.call('POST', '/api/v1/leads', { email: 'b@globex.com', channel: 'website' })).statusCode).toBe(201);
    expect(await runWebhookJobs(getDb(), org.workspace.id)).toEqual([]);
    expect(hook.received).toEqual([]);
  });

  it('refuses a webhook URL that is not http(s), and hides it from reps', async () => {
    const { org, admin } = await routedWorkspace();
    const bad = await admin.call('PATCH', '/api/v1/routing/settings', { webhookUrl: 'ftp://files.example.com/x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toContain('webhookUrl');
    await admin.call('PATCH', '/api/v1/routing/settings', { webhookUrl: hook.url });
    const rep = await loginAs(app, org.users.aeA.email);
    const config = (await rep.get('/api/v1/routing/config')).json();
    expect(config.settings.webhookUrl).toBeUndefined();
    expect(config.settings.webFormKey).toBeUndefined();
    expect((await admin.get('/api/v1/routing/config')).json().settings.webhookUrl).toBe(hook.url);
  });
});
