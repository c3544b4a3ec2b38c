import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../support/db.js';
import { seedOrg } from '../support/fixtures.js';
import { loginAs, testApp } from '../support/http.js';

describeEachDb('HTTP public web-to-lead form', (getDb) => {
  let app: FastifyInstance;
  let org: Awaited<ReturnType<typeof seedOrg>>;
  let formKey: string;
  let ip = 0;

  beforeAll(async () => {
    org = await seedOrg(getDb());
    app = await testApp(getDb());
    const admin = await loginAs(app, org.users.admin.email);
    formKey = (await admin.get('/api/v1/routing/config')).json().settings.webFormKey;
    expect(formKey).toMatch(/^wf_/);
  });
  afterAll(() => app.close());

  // The rate limit is per client IP (trusted proxy header): each test posts from its own address.
  const nextIp = () => `198.51.100.${++ip}`;
  const submit = (body: unknown, opts: { key?: string; form?: boolean; from?: string } = {}) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/public/forms/${opts.key ?? formKey}`,
      headers: {
        'x-forwarded-for': opts.from ?? nextIp(),
        'content-type': opts.form ? 'application/x-www-form-urlencoded' : 'application/json',
      },
      payload: opts.form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body),
    });
  const leadsWith = (email: string) =>
    getDb().query<{ id: string; channel: string; company: string; employees: number; segment: string; first_name: string }>(
      'select id, channel, company, employees, segment, first_name from leads where workspace_id = $1 and email_normalized = $2',
      [org.workspace.id, email],
    );

  it('creates a lead from a JSON post, without signing in', async () => {
    const res = await submit({ email: 'visitor@initech.com', first_name: 'Ana', company: 'Initech', employees: '40' });
    expect(res.statusCode).toBe(200);
    const [lead] = await leadsWith('visitor@initech.com');
    expect(res.json()).toEqual({ ok: true, leadId: lead.id });
    expect(lead).toMatchObject({ channel: 'website', company: 'Initech', employees: 40, segment: 'SMB', first_name: 'Ana' });
  });

  it('creates a lead from an HTML form post and thanks the visitor, or redirects', async () => {
    const res = await submit({ email: 'form@globex.com', company: 'Globex', channel: 'event' }, { form: true });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('Thank you');
    expect(await leadsWith('form@globex.com')).toMatchObject([{ channel: 'event', company: 'Globex' }]);
    const redirected = await submit({ email: 'r@globex.com', redirect: 'https://globex.example/thanks' }, { form: true });
    expect(redirected.statusCode).toBe(303);
    expect(redirected.headers.location).toBe('https://globex.example/thanks');
    expect(await leadsWith('r@globex.com')).toHaveLength(1);
  });

  it('answers a bot that fills the honeypot as if accepted, and writes nothing', async () => {
    const before = await getDb().query('select count(*)::int as n from leads where workspace_id = $1', [org.workspace.id]);
    const json = await submit({ email: 'bot@spam.test', company: 'Spam', hp_website: 'http://spam.test' });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toEqual({ ok: true, leadId: null });
    const form = await submit({ email: 'bot2@spam.test', hp_website: 'x' }, { form: true });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Thank you');
    expect(await getDb().query('select count(*)::int as n from leads where workspace_id = $1', [org.workspace.id])).toEqual(before);
  });

  it('refuses unknown form keys and bad fields, naming the field', async () => {
    const unknown = await submit({ email: 'a@b.com' }, { key: 'wf_doesnotexist123' });
    expect(unknown.statusCode).toBe(404);
    const email = await submit({ email: 'not an email' });
    expect(email.statusCode).toBe(400);
    expect(email.json().error.details.map((d: { path: string }) => d.path)).toEqual(['email']);
    const nothing = await submit({ company: 'Anonymous' });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.json().error.details[0].path).toBe('email');
    const employees = await submit({ email: 'e@b.com', employees: 'lots' });
    expect(employees.statusCode).toBe(400);
    expect(employees.json().error.details[0].path).toBe('employees');
    const channel = await submit({ email: 'c@b.com', channel: 'outbound_email' });
    expect(channel.statusCode).toBe(400);
    expect(channel.json().error.details[0].path).toBe('channel');
    expect(await leadsWith('e@b.com')).toEqual([]);
  });

  it('stops one address after 20 posts a minute with 429, leaving others alone', async () => {
    const from = nextIp();
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await submit({ email: `burst${i}@flood.test` }, { from })).statusCode);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(200));
    expect(statuses.slice(20)).toEqual([429, 429]);
    expect(await leadsWith('burst20@flood.test')).toEqual([]);
    expect((await submit({ email: 'calm@elsewhere.test' })).statusCode).toBe(200);
  });

  it('stops accepting the old key once rotated', async () => {
    const admin = await loginAs(app, org.users.admin.email);
    const rotated = (await admin.call('POST', '/api/v1/routing/form-key/rotate')).json().settings.webFormKey;
    expect(rotated).not.toBe(formKey);
    expect((await submit({ email: 'old@key.test' })).statusCode).toBe(404);
    formKey = rotated;
    expect((await submit({ email: 'new@key.test' })).statusCode).toBe(200);
  });
});
