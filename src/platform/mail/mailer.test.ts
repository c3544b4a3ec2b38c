import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHeader, parseMail, startSmtpServer } from '../../../test/support/smtp.js';
import { escapeHtml } from './html.js';
import { createMailer, smtpStatus } from './mailer.js';

describe('mailer over SMTP', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(() => smtp?.close());

  it('is absent, and says so, when SMTP_URL is not set', () => {
    expect(createMailer({ mailFrom: 'x@y.test' })).toBeNull();
    expect(smtpStatus({})).toEqual({ configured: false, message: expect.stringContaining('SMTP_URL is not set') });
  });

  it('reports the server without its credentials', () => {
    expect(smtpStatus({ smtpUrl: 'smtp://user:secret@mail.example.com:587' })).toEqual({
      configured: true,
      server: 'smtp://mail.example.com:587',
    });
  });

  it('delivers a text and an HTML body, with its headers, to a real SMTP server', async () => {
    const mailer = createMailer({ smtpUrl: smtp.url, mailFrom: 'Revline <surveys@revline.test>' })!;
    const before = smtp.received.length;
    await mailer.send({
      to: 'buyer@acme.test',
      subject: 'How was it? Ünïcode',
      text: 'Plain body with a long link https://revline.test/survey/rate?t=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      html: `<p>Hello ${escapeHtml('<b>Mallory</b>')}</p>`,
      headers: { 'List-Unsubscribe': '<https://revline.test/survey/unsubscribe?t=x>' },
    });
    const [msg] = (await smtp.waitFor(before + 1)).slice(before);
    expect(msg.from).toBe('surveys@revline.test');
    expect(msg.to).toEqual(['buyer@acme.test']);
    const mail = parseMail(msg.raw);
    expect(decodeHeader(mail.headers.subject)).toBe('How was it? Ünïcode');
    expect(mail.headers['list-unsubscribe']).toBe('<https://revline.test/survey/unsubscribe?t=x>');
    expect(mail.text).toContain(
      'https://revline.test/survey/rate?t=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    );
    expect(mail.html).toContain('<p>Hello &lt;b&gt;Mallory&lt;/b&gt;</p>');
    mailer.close();
  });

  it('fails when the server refuses the recipient or cannot be reached (the job is then retried)', async () => {
    smtp.refuse.add('gone@acme.test');
    const mailer = createMailer({ smtpUrl: smtp.url, mailFrom: 'surveys@revline.test' })!;
    await expect(mailer.send({ to: 'gone@acme.test', subject: 's', text: 't', html: '<p>t</p>' })).rejects.toThrow();
    mailer.close();

    // A port nobody listens on: take a free one and close it again.
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const dead = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'surveys@revline.test' })!;
    await expect(dead.send({ to: 'buyer@acme.test', subject: 's', text: 't', html: '<p>t</p>' })).rejects.toThrow(/ECONNREFUSED/);
    dead.close();
  });
});

describe('escapeHtml', () => {
  it('escapes everything that could open markup', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y' \`z\``)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; &#96;z&#96;',
    );
    expect(escapeHtml(null)).toBe('');
  });
});
