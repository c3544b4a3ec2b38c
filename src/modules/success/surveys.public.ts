import formbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { escapeHtml as esc } from '../../platform/mail/html.js';
import { commentByLink, type LinkRefusal, rateByLink, unsubscribeByLink } from './surveys.buyer.js';
import { RATING_LABELS } from './surveys.email.js';
import { COMMENT_MAX } from './surveys.schema.js';

/**
 * The pages a buyer opens from a survey email: public, server-rendered, minimal HTML with every value escaped.
 * Tokens arrive in the query string (rating and unsubscribe links) or the form (comment); whatever their shape,
 * the answer is a page, never a JSON error. Rate-limited per IP.
 */
const LIMIT = { rateLimit: { max: 30, timeWindow: '1 minute' } };

function page(reply: FastifyReply, status: number, title: string, body: string) {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#222}
textarea{width:100%;box-sizing:border-box;font:inherit}button{font:inherit;padding:.4rem 1rem;margin-top:.5rem}
blockquote{white-space:pre-wrap;border-left:3px solid #ccc;margin:0;padding-left:1rem}</style></head>
<body><main><h1>${esc(title)}</h1>${body}</main></body></html>`,
    );
}

function refused(reply: FastifyReply, r: LinkRefusal) {
  return r.kind === 'expired'
    ? page(reply, 410, 'This link has expired', '<p>Survey links work for a limited time. Nothing was recorded.</p>')
    : page(
        reply,
        400,
        'This link is not valid',
        '<p>It may have been cut or changed on the way. Nothing was recorded: open the link exactly as it is in the email.</p>',
      );
}

const commentForm = (token: string, message = '') => `${message ? `<p role="alert">${esc(message)}</p>` : ''}
<form method="post" action="/survey/comment">
<input type="hidden" name="t" value="${esc(token)}">
<label for="comment">Anything to add? (optional)</label>
<textarea id="comment" name="comment" rows="5" maxlength="${COMMENT_MAX}"></textarea>
<button type="submit">Send comment</button>
</form>`;

const tokenOf = (v: unknown) => (typeof v === 'string' ? v : undefined);
const rated = (r: number) => `${r} (${RATING_LABELS[r]})`;

export const surveyPublicRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock } = app.deps;
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  const hidden = { hide: true };

  app.get('/survey/rate', { config: LIMIT, schema: hidden }, async (req, reply) => {
    const r = await rateByLink(db, tokenOf((req.query as Record<string, unknown>).t), clock.now());
    if (r.kind === 'invalid' || r.kind === 'expired') return refused(reply, r);
    const form = r.commentToken ? commentForm(r.commentToken) : '';
    if (r.kind === 'already')
      return page(
        reply,
        200,
        'Your rating was already recorded',
        `<p>You rated the buying process ${esc(rated(r.rating))}. Thank you.</p>${form}`,
      );
    return page(
      reply,
      200,
      'Thank you',
      `<p>Your rating of ${esc(rated(r.rating))} for the buying process with ${esc(r.workspaceName)} was recorded.</p>${form}`,
    );
  });

  app.post('/survey/comment', { config: LIMIT, schema: hidden }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const r = await commentByLink(db, tokenOf(body.t), tokenOf(body.comment), clock.now());
    if (r.kind === 'invalid' || r.kind === 'expired') return refused(reply, r);
    if (r.kind === 'empty') return page(reply, 400, 'Your comment', commentForm(r.commentToken, 'The comment is empty.'));
    if (r.kind === 'too_long')
      return page(reply, 400, 'Your comment', commentForm(r.commentToken, `At most ${COMMENT_MAX} characters, please.`));
    if (r.kind === 'already') return page(reply, 200, 'Your comment was already received', '<p>Thank you.</p>');
    return page(reply, 200, 'Thank you for your comment', `<p>You wrote:</p><blockquote>${esc(String(body.comment).trim())}</blockquote>`);
  });

  // GET from the email's link; POST from mail clients' one-click unsubscribe (RFC 8058), same token in the query.
  const unsubscribe = async (req: { query: unknown }, reply: FastifyReply) => {
    const r = await unsubscribeByLink(db, tokenOf((req.query as Record<string, unknown>).t), clock.now());
    if (r.kind !== 'unsubscribed') return refused(reply, r);
    return page(reply, 200, 'You are unsubscribed', `<p>${esc(r.email)} will get no more survey emails from ${esc(r.workspaceName)}.</p>`);
  };
  app.get('/survey/unsubscribe', { config: LIMIT, schema: hidden }, unsubscribe);
  app.post('/survey/unsubscribe', { config: LIMIT, schema: hidden }, unsubscribe);
};
