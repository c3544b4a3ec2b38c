import nodemailer from 'nodemailer';
import type { Config } from '../../config.js';

/** One outgoing email: both bodies are complete (the HTML one already escaped by whoever built it). */
export type Mail = { to: string; subject: string; text: string; html: string; headers?: Record<string, string> };

export type Mailer = { send(mail: Mail): Promise<{ messageId: string }>; close(): void };

export type SmtpStatus = { configured: true; server: string } | { configured: false; message: string };

/** What the settings screen shows: the server without its credentials, or why nothing is sent. */
export function smtpStatus(config: Pick<Config, 'smtpUrl'>): SmtpStatus {
  if (!config.smtpUrl) return { configured: false, message: 'SMTP_URL is not set: no email is sent, surveys stay scheduled' };
  const url = new URL(config.smtpUrl);
  return { configured: true, server: `${url.protocol}//${url.host}` };
}

/**
 * Mail over SMTP from SMTP_URL (smtp://user:pass@host:587, smtps:// for TLS from the start), or null when it is not set:
 * nothing is ever pretended sent. Timeouts are bounded so a dead server fails the job (which is retried) instead of hanging it.
 */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): Mailer | null {
  if (!config.smtpUrl) return null;
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      const info = await transport.sendMail({ from: config.mailFrom, ...mail });
      const refused = [...(info.rejected ?? [])];
      if (refused.length) throw new Error(`SMTP server refused ${refused.join(', ')}`);
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
