/**
 * Deterministic pseudo-random numbers for weight initialisation, shuffling and sampling:
 * mulberry32 uniforms, Box-Muller normals and named sub-streams derived from one seed.
 *
 * @module
 */

/** A stream of uniform numbers in [0, 1). */
export type RandomSource = () => number;

/**
 * The mulberry32 generator (Tommy Ettinger, 2017, public domain): 32-bit state, period 2^32,
 * passes gjrand and PractRand to 2^32 outputs, which is ample for initialising weights.
 *
 * @example
 * ```ts
 * const rand = seededRandom(42);
 * rand(); // 0.6011037519201636, the same on every machine
 * ```
 */
export function seededRandom(seed: number): RandomSource {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`Cannot seed the random generator: expected an integer, found ${seed}`);
  }
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Standard normal numbers from a seeded uniform stream by the Box-Muller transform
 * (Box & Muller 1958, z = sqrt(-2 ln u1) cos(2 pi u2)); both values of each pair are used.
 */
export function seededNormal(seed: number): RandomSource {
  const uniform = seededRandom(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const u1 = 1 - uniform(); // in (0, 1], so the logarithm is finite
    const u2 = uniform();
    const radius = Math.sqrt(-2 * Math.log(u1));
    spare = radius * Math.sin(2 * Math.PI * u2);
    return radius * Math.cos(2 * Math.PI * u2);
  };
}

/**
 * A seed for an independent named sub-stream (e.g. `"init/encoder.layer.0"`, `"shuffle/epoch-3"`):
 * FNV-1a over the label's UTF-16 code units, mixed with the parent seed by the murmur3 finaliser,
 * so adding a parameter does not shift the numbers every other parameter receives.
 */
export function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5 ^ (seed | 0);
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Fisher-Yates shuffle of a copy of `items`, driven by `random` (Knuth, TAOCP vol. 2, 3.4.2 P). */
export function shuffled<T>(items: readonly T[], random: RandomSource): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}
