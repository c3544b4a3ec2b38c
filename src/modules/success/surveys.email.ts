import { escapeHtml } from '../../platform/mail/html.js';
import type { Mail } from '../../platform/mail/mailer.js';

export const RATING_LABELS: Record<number, string> = { 1: 'Very poor', 2: 'Poor', 3: 'Okay', 4: 'Good', 5: 'Excellent' };

export type SurveyEmailInput = {
  kind: 'invite' | 'reminder';
  to: string;
  workspaceName: string;
  buyerName: string | null;
  repName: string | null;
  /** The five one-click rating links, index 0 is a 1. */
  rateLinks: string[];
  unsubscribeLink: string;
  expiresAt: Date;
};

/** The one question, in text and in HTML; every name comes from user data and is escaped in the HTML body. */
export function surveyEmail(m: SurveyEmailInput): Mail {
  const subject = `${m.kind === 'reminder' ? 'Reminder: how' : 'How'} was buying from ${m.workspaceName}?`;
  const hello = m.buyerName ? `Hello ${m.buyerName},` : 'Hello,';
  const intro = `A few months ago you bought from ${m.workspaceName}${m.repName ? `, with ${m.repName}` : ''}. One question: how was the buying process, 1 to 5?`;
  const expires = m.expiresAt.toISOString().slice(0, 10);
  const choices = [5, 4, 3, 2, 1].map((r) => ({ rating: r, label: `${r} - ${RATING_LABELS[r]}`, href: m.rateLinks[r - 1] }));
  const text = [
    hello,
    '',
    intro,
    '',
    ...choices.map((c) => `${c.label}: ${c.href}`),
    '',
    `One click records your answer; you can add a comment after. The links work until ${expires}.`,
    '',
    `No more emails like this one: ${m.unsubscribeLink}`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">
<p>${escapeHtml(hello)}</p>
<p>${escapeHtml(intro)}</p>
<p>${choices.map((c) => `<a href="${escapeHtml(c.href)}" style="display:inline-block;margin:4px;padding:8px 12px;border:1px solid #ccc;border-radius:6px;text-decoration:none">${escapeHtml(c.label)}</a>`).join('\n')}</p>
<p>One click records your answer; you can add a comment after. The links work until ${escapeHtml(expires)}.</p>
<p style="font-size:12px;color:#666"><a href="${escapeHtml(m.unsubscribeLink)}">Unsubscribe</a> from these emails.</p>
</body></html>`;
  return {
    to: m.to,
    subject,
    text,
    html,
    headers: { 'List-Unsubscribe': `<${m.unsubscribeLink}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}
