/**
 * Seeded random matrices as nested arrays, the inputs of the loss tests and their float64
 * references.
 *
 * @module
 */

import { normalSampler } from "../models/mod.ts";

/**
 * A `rows` x `cols` matrix of `scale` x N(0, 1) draws from the models' seeded normal sampler,
 * row by row.
 */
export function randomMatrix(rows: number, cols: number, seed: number, scale = 1): number[][] {
  const s = normalSampler(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * s.next()));
}
