import { describe, expect, it } from 'vitest';
import { newSigningKey, signToken, surveyIdOf, verifyToken } from './surveys.tokens.js';

const key = newSigningKey();
const surveyId = '6f1c8d3e-2b4a-4c5d-9e8f-0a1b2c3d4e5f';
const now = new Date('2026-04-10T12:00:00Z');
const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);

/** The token with one byte of its decoded form changed. */
function flipByte(token: string, index: number) {
  const raw = Buffer.from(token, 'base64url');
  raw[index] ^= 0x01;
  return raw.toString('base64url');
}

describe('survey link tokens', () => {
  it('verify when signed with the same key and not expired, naming the survey and the rating', () => {
    const t = signToken(key, { surveyId, action: 5, expiresAt: inDays(30) });
    expect(t).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(surveyIdOf(t)).toBe(surveyId);
    expect(verifyToken(key, t, now)).toEqual({ ok: true, claims: { surveyId, action: 5, expiresAt: inDays(30) } });
    const unsub = signToken(key, { surveyId, action: 'unsubscribe', expiresAt: inDays(365) });
    expect(verifyToken(key, unsub, now)).toMatchObject({ ok: true, claims: { action: 'unsubscribe' } });
  });

  it('refuse a token with another rating, survey or expiry than signed (the signature no longer matches)', () => {
    const t = signToken(key, { surveyId, action: 4, expiresAt: inDays(30) });
    // Byte 17 is the action: flipping its last bit turns the 4 into a 5, a well-formed rating that must not verify.
    expect(Buffer.from(flipByte(t, 17), 'base64url')[17]).toBe(5);
    expect(verifyToken(key, flipByte(t, 17), now)).toEqual({ ok: false, reason: 'invalid' });
    // The survey id, the expiry, the signature.
    for (const i of [1, 16, 20, 21, 40, 53]) expect(verifyToken(key, flipByte(t, i), now)).toEqual({ ok: false, reason: 'invalid' });
    // A rating-4 payload with the signature of a rating-5 token.
    const five = Buffer.from(signToken(key, { surveyId, action: 5, expiresAt: inDays(30) }), 'base64url');
    const mixed = Buffer.concat([Buffer.from(t, 'base64url').subarray(0, 22), five.subarray(22)]).toString('base64url');
    expect(verifyToken(key, mixed, now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuse a token signed with another key, and anything not shaped like a token', () => {
    const t = signToken(newSigningKey(), { surveyId, action: 4, expiresAt: inDays(30) });
    expect(verifyToken(key, t, now)).toEqual({ ok: false, reason: 'invalid' });
    for (const junk of ['', 'abc', 'x'.repeat(500), `${t}AA`, t.slice(0, -2), '../../etc/passwd', '%00'])
      expect(verifyToken(key, junk, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(surveyIdOf('abc')).toBeNull();
  });

  it('say expired only for a genuine token past its expiry', () => {
    const t = signToken(key, { surveyId, action: 3, expiresAt: inDays(-1) });
    expect(verifyToken(key, t, now)).toEqual({ ok: false, reason: 'expired' });
    // Exactly at the expiry it no longer works.
    expect(verifyToken(key, signToken(key, { surveyId, action: 3, expiresAt: now }), now)).toEqual({ ok: false, reason: 'expired' });
    // A forged expired token is "invalid": forgers learn nothing about expiry.
    expect(verifyToken(key, flipByte(t, 30), now)).toEqual({ ok: false, reason: 'invalid' });
  });
});
