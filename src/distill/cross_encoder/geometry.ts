/**
 * The geometry of an embedding matrix, as the CE diagnostics read it: whether its rows have
 * collapsed onto one direction (mean pairwise cosine near 1) and how many directions it really
 * uses (effective rank of Roy & Vetterli, 2007: exp of the entropy of the normalised singular
 * values; d for an isotropic matrix, 1 for rank one).
 *
 * @module
 */

import type { Matrix } from "../../io/mod.ts";

/** What {@link embeddingGeometry} measures. */
export interface Geometry {
  readonly rows: number;
  readonly dims: number;
  /** Mean cosine over all pairs of distinct rows (exact). */
  readonly meanCosine: number;
  /** exp(-sum p_i log p_i) with p_i = sigma_i / sum sigma (singular values of the matrix). */
  readonly effectiveRank: number;
  /** sigma_1 / sum sigma: the largest direction's share. */
  readonly topShare: number;
}

/** Eigenvalues of a symmetric n x n matrix (row-major, not modified) by cyclic Jacobi rotations. */
export function symmetricEigenvalues(matrix: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(matrix);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i * n + i]!;
  return out;
}

/** Collapse and effective rank of `m`'s rows (see {@link Geometry}). */
export function embeddingGeometry(m: Matrix): Geometry {
  const { count, dims, vectors } = m;
  if (count < 2) {
    throw new RangeError(`Cannot measure the geometry of ${count} embeddings: expected at least 2`);
  }
  const sum = new Float64Array(dims);
  const gram = new Float64Array(dims * dims);
  for (let i = 0; i < count; i++) {
    const row = vectors.subarray(i * dims, (i + 1) * dims);
    let norm = 0;
    for (let k = 0; k < dims; k++) norm += row[k]! * row[k]!;
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < dims; k++) sum[k]! += row[k]! / norm;
    for (let p = 0; p < dims; p++) {
      const x = row[p]!;
      if (x === 0) continue;
      for (let q = p; q < dims; q++) gram[p * dims + q]! += x * row[q]!;
    }
  }
  for (let p = 0; p < dims; p++) {
    for (let q = 0; q < p; q++) gram[p * dims + q] = gram[q * dims + p]!;
  }
  let squared = 0;
  for (const v of sum) squared += v * v;
  const meanCosine = (squared - count) / (count * (count - 1));
  const sigma = [...symmetricEigenvalues(gram, dims)].map((e) => Math.sqrt(Math.max(0, e)));
  const total = sigma.reduce((a, b) => a + b, 0);
  let entropy = 0;
  for (const s of sigma) if (s > 0) entropy -= (s / total) * Math.log(s / total);
  return {
    rows: count,
    dims,
    meanCosine,
    effectiveRank: total === 0 ? 0 : Math.exp(entropy),
    topShare: total === 0 ? 0 : Math.max(...sigma) / total,
  };
}
