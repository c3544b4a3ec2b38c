/**
 * Seeded randomness for the demo: the same seed gives the same numbers, on every machine.
 * sfc32 (Chris Doty-Humphrey's small fast counter) seeded through splitmix32: fast, 32-bit, good enough
 * for simulation (this is not for secrets).
 */

function splitmix32(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A 32-bit hash of a string (FNV-1a), to fold names such as the workspace slug into a seed. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    const sm = splitmix32(seed);
    this.a = sm();
    this.b = sm();
    this.c = sm();
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next32();
  }

  /** A child generator: its own reproducible stream, so adding draws to one part never shifts another. */
  fork(label: string): Rng {
    return new Rng(hash32(label, this.next32()));
  }

  next32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next32() / 4294967296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.float() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1][0];
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A positive duration around `median`: log-normal, so a few deals drag on much longer than most. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Log-uniform integer in [min, max]: many small companies, few large ones. */
  logUniform(min: number, max: number): number {
    return Math.round(Math.exp(Math.log(min) + this.float() * (Math.log(max) - Math.log(min))));
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** Exactly `k` of `n` flags set, in random places: fixed quotas keep a rep's profile visible even at tiny scales. */
  quota(n: number, k: number): boolean[] {
    const flags = Array.from({ length: n }, (_, i) => i < k);
    return this.shuffle(flags);
  }
}

/**
 * Deterministic uuids (version-4 layout): a 64-bit namespace from the seed and the workspace slug, then a counter.
 * Same seed and slug -> same ids; a second demo in the same database (another slug) never collides.
 * Counter-ordered ids also keep primary-key inserts at the right edge of the index, which makes bulk writes faster.
 */
export class IdFactory {
  private counter = 0;
  private readonly prefix: string;

  constructor(seed: number, slug: string) {
    const hi = hash32(`${slug}#${seed}`).toString(16).padStart(8, '0');
    const mid = hash32(`${seed}#${slug}`, 0x1234567).toString(16).padStart(8, '0');
    // xxxxxxxx-xxxx-4xxx-8xxx-cccccccccccc
    this.prefix = `${hi}-${mid.slice(0, 4)}-4${mid.slice(4, 7)}-8${hi.slice(0, 3)}-`;
  }

  next(): string {
    this.counter++;
    return this.prefix + this.counter.toString(16).padStart(12, '0');
  }
}
