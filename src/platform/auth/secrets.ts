import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id minimum (19 MiB, 2 passes): strong, yet a login costs ~20 ms.
const ARGON2 = { algorithm: 2 /* argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON2);

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A verifier computed once so that unknown emails cost as much as wrong passwords (no user enumeration by timing). */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash() {
  dummyHash ??= hashPassword(randomToken());
  return dummyHash;
}

export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** Session tokens and API keys are high-entropy, so a fast hash is enough to keep them unusable if the table leaks. */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** API keys look like `rl_<prefix>_<secret>`; the prefix finds the row, the hash of the whole key proves it. */
export function newApiKey() {
  const prefix = randomBytes(6).toString('hex');
  const key = `rl_${prefix}_${randomToken(24)}`;
  return { prefix, key, keyHash: sha256(key) };
}

export function parseApiKey(key: string): { prefix: string } | null {
  const m = /^rl_([0-9a-f]{12})_[A-Za-z0-9_-]{20,}$/.exec(key);
  return m ? { prefix: m[1] } : null;
}
