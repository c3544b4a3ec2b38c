import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring links in survey emails. A token is base64url of
 *   version (1 byte) | survey id (16 bytes) | action (1 byte) | expiry, unix seconds (4 bytes) | HMAC-SHA256 (32 bytes)
 * where the HMAC covers everything before it, keyed with the workspace's signing key. Changing the rating,
 * the survey or the expiry breaks the signature; the key never leaves the server.
 */
export type TokenAction = 1 | 2 | 3 | 4 | 5 | 'comment' | 'unsubscribe';
export type TokenClaims = { surveyId: string; action: TokenAction; expiresAt: Date };
export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: 'invalid' | 'expired' };

const VERSION = 1;
const PAYLOAD_BYTES = 1 + 16 + 1 + 4;
const MAC_BYTES = 32;
const CODES: Record<string, number> = { comment: 6, unsubscribe: 7 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const newSigningKey = () => randomBytes(32).toString('base64url');

const actionCode = (a: TokenAction) => (typeof a === 'number' ? a : CODES[a]);
function actionOf(code: number): TokenAction | null {
  if (code >= 1 && code <= 5) return code as TokenAction;
  return (Object.keys(CODES).find((k) => CODES[k] === code) as TokenAction | undefined) ?? null;
}

const mac = (key: string, payload: Buffer) => createHmac('sha256', Buffer.from(key, 'base64url')).update(payload).digest();

export function signToken(key: string, claims: TokenClaims): string {
  if (!UUID.test(claims.surveyId)) throw new Error('survey id must be a uuid');
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(VERSION, 0);
  Buffer.from(claims.surveyId.replace(/-/g, ''), 'hex').copy(payload, 1);
  payload.writeUInt8(actionCode(claims.action), 17);
  payload.writeUInt32BE(Math.floor(claims.expiresAt.getTime() / 1000), 18);
  return Buffer.concat([payload, mac(key, payload)]).toString('base64url');
}

function decode(token: string): Buffer | null {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{1,200}$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  return raw.length === PAYLOAD_BYTES + MAC_BYTES && raw[0] === VERSION ? raw : null;
}

/** The survey a token names, to find the key that verifies it; null when it is not even shaped like a token. */
export function surveyIdOf(token: string): string | null {
  const raw = decode(token);
  if (!raw) return null;
  const h = raw.subarray(1, 17).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Valid, or why not. The signature is checked first, so a forged token never learns whether it would have expired. */
export function verifyToken(key: string, token: string, now: Date): TokenCheck {
  const raw = decode(token);
  const surveyId = surveyIdOf(token);
  if (!raw || !surveyId) return { ok: false, reason: 'invalid' };
  const payload = raw.subarray(0, PAYLOAD_BYTES);
  if (!timingSafeEqual(raw.subarray(PAYLOAD_BYTES), mac(key, payload))) return { ok: false, reason: 'invalid' };
  const action = actionOf(payload.readUInt8(17));
  if (action == null) return { ok: false, reason: 'invalid' };
  const expiresAt = new Date(payload.readUInt32BE(18) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { surveyId, action, expiresAt } };
}
