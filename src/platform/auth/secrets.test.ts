import { describe, expect, it } from 'vitest';
import { dummyPasswordHash, hashPassword, newApiKey, parseApiKey, safeEqual, sha256, verifyPassword } from './secrets.js';

describe('passwords', () => {
  it('are stored as salted argon2id hashes that verify only the right password', async () => {
    const h = await hashPassword('correct horse battery');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(h).not.toContain('correct horse battery');
    expect(await hashPassword('correct horse battery')).not.toBe(h);
    expect(await verifyPassword(h, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(h, 'correct horse batterY')).toBe(false);
  });

  it('never verify against a missing or corrupt hash', async () => {
    expect(await verifyPassword(null, 'x')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
    expect(await dummyPasswordHash()).toMatch(/^\$argon2id\$/);
  });
});

describe('API keys', () => {
  it('have a findable prefix and are kept only as a hash', () => {
    const k = newApiKey();
    expect(k.key).toMatch(/^rl_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$/);
    expect(parseApiKey(k.key)).toEqual({ prefix: k.prefix });
    expect(k.keyHash).toBe(sha256(k.key));
    expect(k.keyHash).not.toContain(k.key.slice(16));
    expect(newApiKey().key).not.toBe(k.key);
  });

  it.each([
    '',
    'rl_',
    'rl_abc_def',
    `rk_${'a'.repeat(12)}_${'b'.repeat(24)}`,
    `rl_${'A'.repeat(12)}_${'b'.repeat(24)}`,
    `rl_${'a'.repeat(12)}_short`,
  ])('refuse the malformed key %j', (key) => {
    expect(parseApiKey(key)).toBeNull();
  });

  it('compare secrets without failing on different lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
