/**
 * The generator's seeded pseudo-random number generator: SFC32 with named, independent forks.
 *
 * @module
 */

/**
 * FNV-1a 32-bit hash of a string's UTF-16 code units (Fowler, Noll, Vo; offset basis 2166136261,
 * prime 16777619). Used only to derive fork seeds from labels.
 */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * A deterministic random source. SFC32 ("Small Fast Counting", Chris Doty-Humphrey, PractRand),
 * state seeded as (0x9e3779b9, 0x243f6a88, 0xb7e15162, seed) and advanced 12 times before use.
 * Same seed, same sequence, on every platform: only 32-bit integer arithmetic is used.
 */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  readonly #seed: number;

  /** Start a stream from a 32-bit unsigned integer seed. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(
        `Cannot seed the random generator with "${seed}": expected an integer in [0, 4294967295]`,
      );
    }
    this.#seed = seed;
    this.#a = 0x9e3779b9;
    this.#b = 0x243f6a88;
    this.#c = 0xb7e15162;
    this.#d = seed >>> 0;
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** Next 32-bit unsigned integer of the SFC32 sequence. */
  uint32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = (this.#b ^ (this.#b >>> 9)) >>> 0;
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** Uniform float in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) {
      throw new RangeError(
        `Cannot draw a random integer below "${n}": expected a positive integer`,
      );
    }
    return Math.floor(this.next() * n);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError("Cannot pick from an empty list");
    return item;
  }

  /** An index drawn with probability proportional to `weights[i]` (non-negative, positive sum). */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i] ?? 0;
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  /** Shuffle in place (Fisher-Yates, from the end) and return the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /**
   * An independent stream named by `label`, seeded by FNV-1a of `"<seed>/<label>"`: forks do not
   * depend on how much of the parent stream was consumed, so adding draws in one part of the
   * generator does not shift another part.
   */
  fork(label: string): Random {
    return new Random(fnv1a32(`${this.#seed}/${label}`));
  }
}
